#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio, one coroutine per connection, so thousands of
// idle keep-alive connections and live-update streams cost memory, not threads. Handlers
// run on the I/O threads and may block briefly on the database; `threads` is sized so a
// few slow queries cannot stall the others.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/events.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace moyakko::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;       // 0: pick a free port (tests)
  int threads = 32;  // handlers block on the database (and on group commit); waiting costs no CPU
  std::size_t max_body_bytes = 1 << 20;  // 413 above this
  int idle_seconds = 75;                 // keep-alive connections idle longer are closed
  std::size_t max_streams = 20000;
  // Requests from this address (a reverse proxy on the same host) carry the client's address
  // in X-Forwarded-For; login throttling uses that one. Empty: trust no header.
  std::string trusted_proxy;
};

class Server {
 public:
  Server(Router& router, EventHub& events, Metrics& metrics, ServerOptions options);
  ~Server();
  // Binds and listens; throws on failure (port in use…). Returns the bound port.
  std::uint16_t Start();
  // Runs the I/O threads until Stop(); returns after they have finished.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "host:port" → (host, port); throws Failure 400 on a malformed value.
std::pair<std::string, std::uint16_t> ParseListen(const std::string& listen);

}  // namespace moyakko::http
