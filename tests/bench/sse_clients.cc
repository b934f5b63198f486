// Opens N live-update streams (GET /api/v1/events) with a session cookie and holds them
// until killed, counting the events received. Prints "open N" once every stream is up.
#include <boost/asio/connect.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <atomic>
#include <iostream>

namespace asio = boost::asio;
using asio::ip::tcp;

std::atomic<int> open_streams{0};

asio::awaitable<void> Hold(tcp::endpoint endpoint, std::string request, int total) {
  tcp::socket socket(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  co_await socket.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    std::cerr << "connect: " << ec.message() << "\n";
    co_return;
  }
  co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
  char buffer[4096];
  bool counted = false;
  for (;;) {
    std::size_t n = co_await socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    if (!counted && std::string_view(buffer, n).find("event: ping") != std::string_view::npos) {
      counted = true;
      if (++open_streams == total) std::cout << "open " << total << std::endl;
    }
  }
  if (counted) --open_streams;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: sse_clients <port> <count> <cookie>\n";
    return 2;
  }
  int count = std::atoi(argv[2]);
  std::string request = std::string("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ") + argv[3] + "\r\n\r\n";
  asio::io_context io;
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1])));
  for (int i = 0; i < count; ++i) asio::co_spawn(io, Hold(endpoint, request, count), asio::detached);
  io.run();
}
