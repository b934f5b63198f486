#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "common/crypto.h"
#include "common/error.h"

namespace moyakko::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct Server::Impl {
  Router& router;
  EventHub& events;
  Metrics& metrics;
  ServerOptions options;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;

  Impl(Router& r, EventHub& e, Metrics& m, ServerOptions o)
      : router(r), events(e), metrics(m), options(std::move(o)), io(options.threads) {}

  awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io),
                                                          asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        // Out of file descriptors or similar: back off instead of spinning.
        asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Connection(std::move(socket)), asio::detached);
    }
  }

  static Request ToRequest(bhttp::request<bhttp::string_body>&& message, const std::string& ip) {
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    std::size_t q = request.target.find('?');
    request.path = PercentDecode(std::string_view(request.target).substr(0, q), false);
    if (q != std::string::npos) request.query = request.target.substr(q + 1);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_ip = ip;
    request.request_id = RandomHex(8);
    return request;
  }

  // The proxy appends the address it saw: the last entry is the only one it vouches for. A
  // client may send X-Forwarded-For lines of its own, which a proxy may keep and follow with
  // its own line (haproxy's "option forwardfor"): the entry to trust is the last of the last line.
  void ApplyForwardedFor(Request& request) const {
    if (options.trusted_proxy.empty() || request.remote_ip != options.trusted_proxy) return;
    std::string_view forwarded;
    for (const auto& [name, value] : request.headers) {
      if (name == "x-forwarded-for") forwarded = value;
    }
    while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
    if (forwarded.empty()) return;
    std::size_t comma = forwarded.rfind(',');
    std::string_view last = comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    if (!last.empty()) request.remote_ip = std::string(last);
  }

  awaitable<bool> Write(beast::tcp_stream& stream, Response& response, bool keep_alive,
                        const std::string& request_id, bool head) {
    AddSecurityHeaders(response, router.options());
    bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
    message.set(bhttp::field::server, "moyakko");
    if (!response.content_type.empty()) message.set(bhttp::field::content_type, response.content_type);
    message.set("X-Request-Id", request_id);
    bool has_cache_control = false;
    for (const auto& [name, value] : response.headers) {
      message.insert(name, value);
      has_cache_control |= beast::iequals(name, "cache-control");
    }
    if (!has_cache_control) message.set(bhttp::field::cache_control, "no-store");
    message.keep_alive(keep_alive);
    std::size_t length = response.body.size();
    if (!head) message.body() = std::move(response.body);
    message.content_length(length);
    boost::system::error_code ec;
    co_await bhttp::async_write(stream, message, asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  }

  awaitable<void> Stream(beast::tcp_stream& stream, const Request& request, Response& response) {
    AddSecurityHeaders(response, router.options());
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
                       "Connection: keep-alive\r\nX-Accel-Buffering: no\r\nX-Request-Id: " +
                       request.request_id + "\r\n";
    for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    head += "\r\n" + FormatEvent("ping", "{}");
    stream.expires_never();
    tcp::socket& socket = stream.socket();
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(head), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    auto live = events.Open(socket.get_executor(), response.stream_tenant_id, response.stream_user_id, response.stream_role);
    for (;;) {
      std::string batch;
      {
        std::lock_guard<std::mutex> lock(live->mutex);
        while (!live->pending.empty()) {
          batch += live->pending.front();
          live->pending.pop_front();
        }
      }
      if (batch.empty()) {
        live->wake.expires_after(std::chrono::seconds(15));
        boost::system::error_code wait_ec;
        co_await live->wake.async_wait(asio::redirect_error(use_awaitable, wait_ec));
        if (!wait_ec) {
          // Timer ran out: end the stream if its session has ended, else keep it alive.
          if (response.stream_still_allowed && !response.stream_still_allowed()) break;
          batch = FormatEvent("ping", "{}");
        }
        else if (wait_ec != asio::error::operation_aborted) break;
        else continue;
      }
      co_await asio::async_write(socket, asio::buffer(batch), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    events.Close(live);
  }

  // After refusing a request whose body is still arriving, read and drop what the client
  // keeps sending for a moment, so that it gets to read our answer instead of a reset.
  awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    std::vector<char> sink(64 * 1024);
    for (std::size_t drained = 0; drained < (8u << 20);) {
      std::size_t n = co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      drained += n;
    }
  }

  awaitable<void> Connection(tcp::socket socket) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    std::string ip = socket.remote_endpoint(ec).address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    metrics.ConnectionOpened();
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      parser.header_limit(16 * 1024);
      stream.expires_after(std::chrono::seconds(options.idle_seconds));
      // Headers first: the route decides how large a body it takes (sensor batches are big).
      std::size_t body_limit = options.max_body_bytes;
      co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (!ec) {
        std::string target(parser.get().target());
        std::size_t route_limit = router.MaxBodyFor(std::string(parser.get().method_string()),
                                                    PercentDecode(target.substr(0, target.find('?')), false));
        if (route_limit) parser.body_limit(body_limit = route_limit);
        co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      }
      if (ec) {
        if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
          bool body = ec == bhttp::error::body_limit;
          Response response = ErrorResponse(
              Error{ErrorCode::kPayloadTooLarge, body ? "payload_too_large" : "headers_too_large",
                    body ? fmt::format("the request body is larger than {} bytes", body_limit)
                         : std::string("the request headers are larger than 16 KiB")},
              "-");
          metrics.RecordRequest(413, 0);
          co_await Write(stream, response, false, "-", false);
          co_await LingeringClose(stream);
          metrics.ConnectionClosed();
          co_return;
        } else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof &&
                   ec != beast::error::timeout && ec != asio::error::connection_reset &&
                   ec != asio::error::operation_aborted) {
          Response response = ErrorResponse(
              Error{ErrorCode::kInvalidArgument, "bad_request", "malformed HTTP request"}, "-");
          co_await Write(stream, response, false, "-", false);
        }
        break;
      }
      bool keep_alive = parser.get().keep_alive();
      auto started = std::chrono::steady_clock::now();
      Request request = ToRequest(parser.release(), ip);
      ApplyForwardedFor(request);
      Response response = router.Dispatch(request);
      if (response.event_stream && events.open_streams() >= options.max_streams) {
        response = ErrorResponse(Error{ErrorCode::kUnavailable, "too_many_streams", "too many live streams"},
                                 request.request_id);
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics.RecordRequest(response.status, seconds);
      spdlog::debug("{} {} {} {:.1f} ms", request.method, request.path, response.status, seconds * 1e3);
      if (response.event_stream) {
        co_await Stream(stream, request, response);
        break;
      }
      if (!co_await Write(stream, response, keep_alive, request.request_id, request.method == "HEAD")) break;
      if (!keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    metrics.ConnectionClosed();
  }
};

Server::Server(Router& router, EventHub& events, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, events, metrics, std::move(options))) {}

Server::~Server() {
  Stop();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

std::uint16_t Server::Start() {
  std::string host = impl_->options.host == "localhost" ? "127.0.0.1" : impl_->options.host;
  tcp::endpoint endpoint(asio::ip::make_address(host), impl_->options.port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(4096);
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  return impl_->acceptor.local_endpoint().port();
}

void Server::Run() {
  for (int i = 1; i < impl_->options.threads; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

void Server::Stop() { impl_->io.stop(); }

std::pair<std::string, std::uint16_t> ParseListen(const std::string& listen) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    Fail(ErrorCode::kInvalidArgument, "invalid_listen", "--listen must be host:port", "listen");
  }
  std::string host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) Fail(ErrorCode::kInvalidArgument, "invalid_listen", "port must be 0–65535", "listen");
  return {host, static_cast<std::uint16_t>(port)};
}

}  // namespace moyakko::http
