#pragma once
// Live updates (server-sent events). Features publish; each open stream gets the events
// meant for its user's tenant (or for that user). A stream with nothing to say sends a
// "ping" every 15 s, which keeps proxies from closing it and lets the UI show it is live.
// On several app nodes, a relay (app/event_relay.h) passes what is published here to the
// other nodes, and hands theirs to Deliver().
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace moyakko::http {

struct Event {
  std::string name;  // SSE "event:" field
  std::string data;  // one line of JSON
  std::optional<std::int64_t> tenant_id;  // only this tenant's streams; none = everyone
  std::optional<std::int64_t> user_id;    // only this user's streams
  std::vector<std::string> roles;         // only streams of users with these roles; empty = all
};

class EventHub {
 public:
  struct Stream {
    explicit Stream(boost::asio::any_io_executor executor) : wake(std::move(executor)) {}
    std::int64_t tenant_id = 0;
    std::int64_t user_id = 0;
    std::string role;
    boost::asio::steady_timer wake;  // cancelled to wake the writer
    std::mutex mutex;
    std::deque<std::string> pending;  // formatted SSE frames
  };

  std::shared_ptr<Stream> Open(boost::asio::any_io_executor executor, std::int64_t tenant_id,
                               std::int64_t user_id, std::string role);
  void Close(const std::shared_ptr<Stream>& stream);
  // To this node's streams and observers, and to the relay when one is set.
  void Publish(const Event& event);
  // To this node's streams and observers only: an event another node published.
  void Deliver(const Event& event);
  // Set once at start-up, before events flow.
  void SetRelay(std::function<void(const Event&)> relay) { relay_ = std::move(relay); }
  std::size_t open_streams() const;
  // In-process observers see every published event (e.g. a cache that must forget what a
  // change made stale). Register them at start-up, before events flow.
  void Observe(std::function<void(const Event&)> observer);

 private:
  std::vector<std::function<void(const Event&)>> observers_;
  std::function<void(const Event&)> relay_;
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<Stream>> streams_;
};

std::string FormatEvent(const std::string& name, const std::string& data);

}  // namespace moyakko::http
