#pragma once
// Live updates (server-sent events). Features publish; each open stream gets the events
// meant for its user's tenant (or for that user). A stream with nothing to say sends a
// "ping" every 15 s, which keeps proxies from closing it and lets the UI show it is live.
// On several app nodes, a publisher will also NOTIFY through PostgreSQL (see ARCHITECTURE).
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
  void Publish(const Event& event);
  std::size_t open_streams() const;
  // In-process observers see every published event (e.g. a cache that must forget what a
  // change made stale). Register them at start-up, before events flow.
  void Observe(std::function<void(const Event&)> observer);

 private:
  std::vector<std::function<void(const Event&)>> observers_;
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<Stream>> streams_;
};

std::string FormatEvent(const std::string& name, const std::string& data);

}  // namespace moyakko::http
