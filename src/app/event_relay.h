#pragma once
// Live events across app nodes that share one PostgreSQL: what a node publishes goes out as
// a NOTIFY (from a thread of its own, so publishers never wait for it), and what the other
// nodes published comes in through a LISTEN connection and reaches this node's streams and
// observers (caches that must forget what a change made stale). A node ignores its own
// messages. Events sent while a listener reconnects are missed; the UI catches up on its
// next load, as after any lost connection.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "http/events.h"
#include "store/database.h"

namespace moyakko::app {

class EventRelay {
 public:
  // Sets `hub`'s relay (once per hub). Starts its threads at once.
  EventRelay(std::string postgres_url, store::Database& db, http::EventHub& hub);
  ~EventRelay();

  const std::string& node_id() const { return node_id_; }

 private:
  void Send(std::stop_token stop);
  void Listen(std::stop_token stop);

  // Payloads waiting to be sent; shared with the hub's relay, which may outlive this.
  struct Outgoing {
    std::mutex mutex;
    std::condition_variable_any ready;
    std::deque<std::string> payloads;
  };

  std::string url_;
  store::Database& db_;
  http::EventHub& hub_;
  std::string node_id_;
  std::shared_ptr<Outgoing> outgoing_ = std::make_shared<Outgoing>();
  std::jthread sender_, listener_;
};

}  // namespace moyakko::app
