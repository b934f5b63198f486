#include "app/event_relay.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "common/crypto.h"
#include "store/listener.h"

namespace moyakko::app {
namespace {

constexpr char kChannel[] = "moyakko_events";
constexpr std::size_t kMaxPayload = 7999;  // PostgreSQL's limit for a NOTIFY payload
constexpr std::size_t kMaxWaiting = 10000; // beyond this a stalled database costs events, not memory

std::string Encode(const std::string& node, const http::Event& e) {
  nlohmann::json message = {{"node", node}, {"name", e.name}, {"data", e.data}, {"roles", e.roles}};
  if (e.tenant_id) message["tenant_id"] = *e.tenant_id;
  if (e.user_id) message["user_id"] = *e.user_id;
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<http::Event> Decode(std::string_view payload, const std::string& own_node) {
  auto message = nlohmann::json::parse(payload, nullptr, false);
  if (!message.is_object() || message.value("node", "") == own_node) return std::nullopt;
  http::Event e{message.value("name", ""), message.value("data", ""), std::nullopt, std::nullopt,
                message.value("roles", std::vector<std::string>{})};
  if (message.contains("tenant_id")) e.tenant_id = message["tenant_id"].get<std::int64_t>();
  if (message.contains("user_id")) e.user_id = message["user_id"].get<std::int64_t>();
  return e;
}

}  // namespace

EventRelay::EventRelay(std::string postgres_url, store::Database& db, http::EventHub& hub)
    : url_(std::move(postgres_url)), db_(db), hub_(hub), node_id_(RandomHex(8)) {
  hub_.SetRelay([outgoing = outgoing_, node = node_id_](const http::Event& e) {
    std::string payload = Encode(node, e);
    if (payload.size() > kMaxPayload) {
      spdlog::warn("live event '{}' too large to pass to other nodes ({} bytes)", e.name, payload.size());
      return;
    }
    {
      std::lock_guard<std::mutex> lock(outgoing->mutex);
      if (outgoing->payloads.size() >= kMaxWaiting) return;
      outgoing->payloads.push_back(std::move(payload));
    }
    outgoing->ready.notify_one();
  });
  sender_ = std::jthread([this](std::stop_token stop) { Send(stop); });
  listener_ = std::jthread([this](std::stop_token stop) { Listen(stop); });
}

EventRelay::~EventRelay() {
  sender_.request_stop();
  outgoing_->ready.notify_all();
  listener_.request_stop();
}

void EventRelay::Send(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::vector<std::string> batch;
    {
      std::unique_lock<std::mutex> lock(outgoing_->mutex);
      outgoing_->ready.wait(lock, stop, [&] { return !outgoing_->payloads.empty(); });
      while (!outgoing_->payloads.empty() && batch.size() < 100) {
        batch.push_back(std::move(outgoing_->payloads.front()));
        outgoing_->payloads.pop_front();
      }
    }
    try {
      store::Notify(db_, kChannel, batch);
    } catch (const std::exception& e) {
      spdlog::warn("passing {} live event(s) to other nodes: {}", batch.size(), e.what());
    }
  }
}

void EventRelay::Listen(std::stop_token stop) {
  while (!stop.stop_requested()) {
    try {
      store::Listener listener(url_, kChannel);
      while (!stop.stop_requested()) {
        listener.Poll(std::chrono::milliseconds(500), [&](std::string_view payload) {
          if (auto event = Decode(payload, node_id_)) hub_.Deliver(*event);
        });
      }
    } catch (const std::exception& e) {
      spdlog::warn("live events from other nodes: {}; listening again in 1 s", e.what());
      for (int i = 0; i < 10 && !stop.stop_requested(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace moyakko::app
