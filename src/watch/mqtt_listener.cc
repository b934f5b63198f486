#include "watch/mqtt_listener.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "common/error.h"
#include "http/message.h"
#include "http/router.h"
#include "http/server.h"

namespace moyakko::watch {
namespace {

constexpr char kSubscriptionTopic[] = "moyakko/+/+/readings";
constexpr char kSubscription[] = "$share/moyakko/moyakko/+/+/readings";  // the same, shared by the nodes
constexpr int kKeepAliveSeconds = 30;
// Batches are stored on worker threads, not on libmosquitto's network thread: several
// batches in flight share one group commit (as concurrent HTTP uploads do), and the network
// thread keeps answering pings while a commit waits for the disk. Threads mostly wait, so a
// few cost little. The queue is as short, so a flood waits at the broker (the network thread
// stops reading) instead of piling up here: at most 16 batches are held in memory.
constexpr std::size_t kWorkers = 8;
constexpr std::size_t kMaxQueued = kWorkers;

// A received message, copied out of libmosquitto's callback (which owns the original).
struct Message {
  std::string topic, payload, authorization, response_topic, correlation_data;
  bool too_large = false;  // then the payload is not copied
};

// libmosquitto hands out malloc'd strings.
using Owned = std::unique_ptr<char, decltype(&std::free)>;

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Message CopyMessage(const mosquitto_message& message, const mosquitto_property* properties) {
  Message m;
  m.topic = message.topic;
  m.too_large = static_cast<std::size_t>(message.payloadlen) > kMaxIngestBytes;
  if (!m.too_large) m.payload.assign(static_cast<const char*>(message.payload), static_cast<std::size_t>(message.payloadlen));
  char* name = nullptr;
  char* value = nullptr;
  bool skip_first = false;
  for (const mosquitto_property* p = properties;
       (p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &name, &value, skip_first));
       skip_first = true) {
    Owned owned_name(name, &std::free), owned_value(value, &std::free);
    if (m.authorization.empty() && EqualsIgnoringCase(name, "authorization")) m.authorization = value;
  }
  if (mosquitto_property_read_string(properties, MQTT_PROP_RESPONSE_TOPIC, &value, false)) {
    m.response_topic = Owned(value, &std::free).get();
  }
  void* data = nullptr;
  std::uint16_t length = 0;
  if (mosquitto_property_read_binary(properties, MQTT_PROP_CORRELATION_DATA, &data, &length, false)) {
    Owned owned(static_cast<char*>(data), &std::free);
    m.correlation_data.assign(owned.get(), length);
  }
  return m;
}

// moyakko/<tenant>/<device>/readings → {tenant, device}; the subscription guarantees the shape.
std::pair<std::string, std::string> TopicTenantAndDevice(const std::string& topic) {
  std::size_t tenant_start = topic.find('/') + 1;
  std::size_t device_start = topic.find('/', tenant_start) + 1;
  std::size_t device_end = topic.find('/', device_start);
  return {topic.substr(tenant_start, device_start - 1 - tenant_start), topic.substr(device_start, device_end - device_start)};
}

// The HTTP error body, with the status the HTTP route would have answered.
nlohmann::json ErrorAnswer(const std::exception& exception, const std::string& request_id, int& status) {
  http::Response response = http::ErrorResponse(exception, request_id);
  status = response.status;
  nlohmann::json body = nlohmann::json::parse(response.body);
  body["status"] = status;
  return body;
}

std::string DefaultClientId() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return "moyakko-" + std::string(host) + "-" + std::to_string(getpid());
}

}  // namespace

MqttBroker ParseMqttUrl(const std::string& url) {
  auto invalid = [] {
    Fail(ErrorCode::kInvalidArgument, "invalid_mqtt_url", "--mqtt-url must be mqtt://[user:password@]host:port",
         "mqtt-url");
  };
  constexpr std::string_view kScheme = "mqtt://";
  if (!url.starts_with(kScheme)) invalid();
  std::string rest = url.substr(kScheme.size());
  if (rest.ends_with('/')) rest.pop_back();
  MqttBroker broker;
  if (std::size_t at = rest.rfind('@'); at != std::string::npos) {
    std::string_view userinfo = std::string_view(rest).substr(0, at);
    std::size_t colon = userinfo.find(':');
    broker.username = http::PercentDecode(userinfo.substr(0, colon), false);
    if (colon != std::string_view::npos) broker.password = http::PercentDecode(userinfo.substr(colon + 1), false);
    if (broker.username.empty()) invalid();
    rest = rest.substr(at + 1);
  }
  if (rest.find('/') != std::string::npos) invalid();
  try {
    auto [host, port] = http::ParseListen(rest);
    broker.host = host;
    broker.port = port;
  } catch (const Failure&) {
    invalid();
  }
  if (broker.host.empty() || broker.port == 0) invalid();
  return broker;
}

struct MqttListener::Impl {
  IngestContext ingest;
  http::Metrics& metrics;
  MqttBroker broker;
  mosquitto* client = nullptr;

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Message> queue;
  bool stopping = false;                 // no more batches are taken
  std::atomic<bool> closing = false;     // the connection is being closed for good
  std::atomic<bool> connected = false;
  std::vector<std::thread> workers;
  std::thread network;

  Impl(const IngestContext& ingest, http::Metrics& metrics, MqttBroker broker)
      : ingest(ingest), metrics(metrics), broker(std::move(broker)) {}

  // The network thread. Its own loop rather than mosquitto_loop_start: libmosquitto 2.0's
  // thread never retries when the first connection attempt fails, and sleeps between
  // attempts where it cannot be woken, which would hold up a shutdown for half a minute.
  void Run() {
    auto delay = std::chrono::seconds(1);
    bool reported = false;  // one warning per outage
    while (!closing) {
      int rc = mosquitto_connect_async(client, broker.host.c_str(), broker.port, kKeepAliveSeconds);
      while (rc == MOSQ_ERR_SUCCESS && !closing) rc = mosquitto_loop(client, 1000, 1);
      if (connected.exchange(false)) {
        delay = std::chrono::seconds(1);
        reported = false;
      }
      if (closing) break;
      if (!reported) {
        spdlog::warn("mqtt: no connection to {}:{} ({}); retrying", broker.host, broker.port,
                     rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc));
        reported = true;
      }
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait_for(lock, delay, [&] { return closing.load(); });
      delay = std::min(delay * 2, std::chrono::seconds(30));
    }
  }

  // The callbacks below run on the network thread.
  void OnConnect(int reason) {
    if (reason != 0) {
      spdlog::warn("mqtt: {}:{} refused the connection: {}", broker.host, broker.port, mosquitto_reason_string(reason));
      return;
    }
    connected = true;
    // A clean session each time: the subscription is made again after every reconnect.
    int rc = mosquitto_subscribe_v5(client, nullptr, kSubscription, 1, 0, nullptr);
    if (rc != MOSQ_ERR_SUCCESS) spdlog::warn("mqtt: subscribe failed: {}", mosquitto_strerror(rc));
  }

  void OnSubscribe(int granted_count, const int* granted) {
    if (granted_count == 1 && granted[0] <= 2) {
      spdlog::info("mqtt: connected to {}:{}, subscribed to {}", broker.host, broker.port, kSubscription);
    } else {
      spdlog::error("mqtt: the broker refused the subscription to {} (reason {})", kSubscription,
                    granted_count ? granted[0] : -1);
    }
  }

  void OnMessage(Message message) {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return queue.size() < kMaxQueued || stopping; });
    if (stopping) return;  // unanswered: the gateway sends it again
    queue.push_back(std::move(message));
    changed.notify_all();
  }

  void Work() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return !queue.empty() || stopping; });
      if (stopping) return;
      Message message = std::move(queue.front());
      queue.pop_front();
      changed.notify_all();
      lock.unlock();
      Handle(message);
    }
  }

  void Handle(const Message& message) {
    auto [tenant, device] = TopicTenantAndDevice(message.topic);
    std::string request_id = RandomHex(8);
    int status = 200;
    nlohmann::json answer;
    try {
      if (message.too_large) {
        Fail(ErrorCode::kPayloadTooLarge, "payload_too_large", "payload larger than 8388608 bytes");
      }
      IngestResult result = Ingest(ingest, message.authorization, message.payload,
                                   IngestSource::Mqtt(request_id, message.topic, tenant, device));
      answer = IngestResultJson(result);
    } catch (const std::exception& e) {
      answer = ErrorAnswer(e, request_id, status);
    }
    metrics.RecordMqttBatch(status);
    // A response topic moyakko subscribes to would bring its own answer back as a batch.
    bool own_subscription = false;
    if (!message.response_topic.empty()) {
      mosquitto_topic_matches_sub(kSubscriptionTopic, message.response_topic.c_str(), &own_subscription);
    }
    std::string reply_topic = message.response_topic.empty() || own_subscription
                                  ? "moyakko/" + tenant + "/" + device + "/ack"
                                  : message.response_topic;
    Reply(reply_topic, answer.dump(), message.correlation_data);
  }

  void Reply(const std::string& topic, const std::string& payload, const std::string& correlation_data) {
    mosquitto_property* properties = nullptr;
    if (!correlation_data.empty()) {
      mosquitto_property_add_binary(&properties, MQTT_PROP_CORRELATION_DATA, correlation_data.data(),
                                    static_cast<std::uint16_t>(correlation_data.size()));
    }
    int rc = mosquitto_publish_v5(client, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1,
                                  false, properties);
    mosquitto_property_free_all(&properties);
    // Unanswered, the gateway sends the batch again and is answered then.
    if (rc != MOSQ_ERR_SUCCESS) spdlog::warn("mqtt: answer to {} not sent: {}", topic, mosquitto_strerror(rc));
  }
};

MqttListener::MqttListener(const IngestContext& ingest, http::Metrics& metrics, const MqttOptions& options)
    : impl_(std::make_unique<Impl>(ingest, metrics, ParseMqttUrl(options.url))) {
  static std::once_flag library_initialised;
  std::call_once(library_initialised, [] { mosquitto_lib_init(); });
  std::string client_id = options.client_id.empty() ? DefaultClientId() : options.client_id;
  Impl& impl = *impl_;
  impl.client = mosquitto_new(client_id.c_str(), true, &impl);
  if (!impl.client) Fail(ErrorCode::kInternal, "mqtt", "cannot create the MQTT client");
  mosquitto_int_option(impl.client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  // Answers go out at once: Nagle's algorithm held each back ~40 ms behind the last one.
  mosquitto_int_option(impl.client, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_threaded_set(impl.client, true);  // workers publish while the network thread runs
  if (!impl.broker.username.empty()) {
    mosquitto_username_pw_set(impl.client, impl.broker.username.c_str(),
                              impl.broker.password.empty() ? nullptr : impl.broker.password.c_str());
  }
  mosquitto_connect_v5_callback_set(impl.client, [](mosquitto*, void* self, int reason, int, const mosquitto_property*) {
    static_cast<Impl*>(self)->OnConnect(reason);
  });
  mosquitto_subscribe_v5_callback_set(
      impl.client, [](mosquitto*, void* self, int, int count, const int* granted, const mosquitto_property*) {
        static_cast<Impl*>(self)->OnSubscribe(count, granted);
      });
  mosquitto_message_v5_callback_set(
      impl.client, [](mosquitto*, void* self, const mosquitto_message* message, const mosquitto_property* properties) {
        static_cast<Impl*>(self)->OnMessage(CopyMessage(*message, properties));
      });
  for (std::size_t i = 0; i < kWorkers; ++i) impl.workers.emplace_back([&impl] { impl.Work(); });
  impl.network = std::thread([&impl] { impl.Run(); });
}

MqttListener::~MqttListener() {
  Impl& impl = *impl_;
  {
    std::lock_guard<std::mutex> lock(impl.mutex);
    impl.stopping = true;  // also frees the network thread if it waits for room in the queue
    impl.queue.clear();
  }
  impl.changed.notify_all();
  // The batches in hand are stored and answered while the connection is still up.
  for (std::thread& worker : impl.workers) worker.join();
  {
    std::lock_guard<std::mutex> lock(impl.mutex);
    impl.closing = true;
  }
  impl.changed.notify_all();
  mosquitto_disconnect_v5(impl.client, 0, nullptr);
  impl.network.join();
  mosquitto_destroy(impl.client);
}

}  // namespace moyakko::watch
