// The reference for HTTP figures: the same server stack (Beast + our router) answering a
// public route with a fixed small JSON body — no session, no database.
#include <cstdlib>
#include <iostream>

#include "auth/service.h"
#include "common/crypto.h"
#include "http/server.h"
#include "store/database.h"
#include "store/migrations.h"

int main(int argc, char** argv) {
  using namespace moyakko;
  if (argc < 3) {
    std::cerr << "usage: hello_server <port> <scratch.db> [threads]\n";
    return 2;
  }
  InitCrypto();
  auto db = store::Open(argv[2]);
  store::Migrate(*db);
  SystemClock clock;
  auth::AuthService auth(*db, clock);
  http::Router router(auth, *db, {});
  router.Add("GET", "/hello", http::Access::Public("benchmark reference"),
             [](http::Context&) { return http::Response::Json(200, {{"hello", "world"}}); });
  http::EventHub events;
  http::Metrics metrics;
  http::Server server(router, events, metrics,
                      {.port = static_cast<std::uint16_t>(std::atoi(argv[1])), .threads = argc > 3 ? std::atoi(argv[3]) : 4});
  std::cout << "listening on " << server.Start() << std::endl;
  server.Run();
}
