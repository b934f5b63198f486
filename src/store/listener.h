#pragma once
// Messages between app nodes that share one PostgreSQL (LISTEN/NOTIFY): live events published
// on one node reach the browsers connected to the others. SQLite serves a single node and has
// no use for them.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace moyakko::store {

// A connection of its own that LISTENs on one channel.
class Listener {
 public:
  // Throws Failure (503 storage_unavailable) when it cannot connect.
  Listener(const std::string& postgres_url, const std::string& channel);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Waits up to `timeout` for messages and hands each payload to `on_message`. Throws
  // Failure when the connection is lost (open a new Listener; what was sent meanwhile is
  // missed).
  void Poll(std::chrono::milliseconds timeout, const std::function<void(std::string_view)>& on_message);

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

// NOTIFY `channel` with each payload (at most 7,999 bytes each), in one transaction.
void Notify(Database& db, const std::string& channel, const std::vector<std::string>& payloads);

}  // namespace moyakko::store
