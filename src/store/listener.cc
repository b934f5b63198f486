#include "store/listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace moyakko::store {

struct Listener::Connection {
  explicit Connection(const std::string& url) : conn(PQconnectdb(url.c_str())) {}
  ~Connection() { PQfinish(conn); }
  PGconn* conn;
};

namespace {

[[noreturn]] void Lost(PGconn* conn, std::string_view what) {
  throw Failure(Error{ErrorCode::kUnavailable, "storage_unavailable", "the database is unavailable, try again later",
                      {}, fmt::format("postgres listener {}: {}", what, PQerrorMessage(conn))});
}

}  // namespace

Listener::Listener(const std::string& postgres_url, const std::string& channel)
    : connection_(std::make_unique<Connection>(postgres_url)) {
  if (PQstatus(connection_->conn) != CONNECTION_OK) Lost(connection_->conn, "connect");
  char* quoted = PQescapeIdentifier(connection_->conn, channel.c_str(), channel.size());
  PGresult* result = PQexec(connection_->conn, fmt::format("LISTEN {}", quoted).c_str());
  PQfreemem(quoted);
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) Lost(connection_->conn, "LISTEN");
}

Listener::~Listener() = default;

void Listener::Poll(std::chrono::milliseconds timeout, const std::function<void(std::string_view)>& on_message) {
  PGconn* conn = connection_->conn;
  pollfd fd{PQsocket(conn), POLLIN, 0};
  if (fd.fd < 0) Lost(conn, "socket");
  int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return;  // interrupted: the caller polls again
  if (ready > 0 && PQconsumeInput(conn) == 0) Lost(conn, "read");
  if (PQstatus(conn) != CONNECTION_OK) Lost(conn, "status");
  while (PGnotify* notify = PQnotifies(conn)) {
    std::string payload = notify->extra ? notify->extra : "";
    PQfreemem(notify);
    on_message(payload);
  }
}

void Notify(Database& db, const std::string& channel, const std::vector<std::string>& payloads) {
  if (payloads.empty()) return;
  // One statement for the batch, the payloads in their order (one prepared statement
  // whatever the batch's size).
  db.Write([&](Session& s) {
    s.Query("SELECT pg_notify($1, payload) FROM json_array_elements_text($2::json) AS p (payload)",
            {channel, nlohmann::json(payloads).dump()});
  });
}

}  // namespace moyakko::store
