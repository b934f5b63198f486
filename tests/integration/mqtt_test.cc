// Sensor ingest over MQTT: a real mosquitto broker on a free port, the real binary with
// --mqtt-url, and this test as a gateway (an MQTT v5 client) that publishes batches and
// waits for moyakko's answers.
#include <gtest/gtest.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/error.h"
#include "integration/child_process.h"
#include "integration/test_town.h"
#include "store/testing.h"
#include "watch/mqtt_listener.h"
#include "watch/store.h"

namespace moyakko::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// mosquitto on 127.0.0.1:<port>, anonymous, nothing kept on disk; restartable on its port.
class Broker {
 public:
  Broker() : port_(FreeLoopbackPort()), config_(std::filesystem::temp_directory_path() /
                                                ("moyakko-mqtt-test-" + std::to_string(port_) + ".conf")) {
    std::ofstream(config_) << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                           << "user root\nlog_type error\n";
    Start();
  }
  ~Broker() {
    process_.reset();
    std::filesystem::remove(config_);
  }
  void Start() {
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{MOSQUITTO_BROKER, "-c", config_.string()});
    // It refuses connections for a moment after it starts.
    started_ = WaitForListener(port_, 5);
  }
  void Kill() { process_.reset(); }
  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port_); }

 private:
  std::uint16_t port_;
  std::filesystem::path config_;
  std::unique_ptr<ChildProcess> process_;
  bool started_ = false;
};

struct Received {
  std::string topic, payload, correlation_data;
};

// The gateway's side: an MQTT v5 client that publishes batches with the token as a user
// property and collects what arrives on the topics it subscribed to.
class Gateway {
 public:
  explicit Gateway(std::uint16_t port) {
    mosquitto_lib_init();
    client_ = mosquitto_new(nullptr, true, this);
    mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_subscribe_v5_callback_set(client_, [](mosquitto*, void* self, int, int, const int*, const mosquitto_property*) {
      static_cast<Gateway*>(self)->Notify([](Gateway& g) { ++g.subscriptions_; });
    });
    mosquitto_message_v5_callback_set(client_, [](mosquitto*, void* self, const mosquitto_message* m,
                                                  const mosquitto_property* properties) {
      Received received{m->topic, std::string(static_cast<const char*>(m->payload), m->payloadlen), {}};
      void* data = nullptr;
      std::uint16_t length = 0;
      if (mosquitto_property_read_binary(properties, MQTT_PROP_CORRELATION_DATA, &data, &length, false)) {
        received.correlation_data.assign(static_cast<const char*>(data), length);
        std::free(data);
      }
      static_cast<Gateway*>(self)->Notify([&](Gateway& g) { g.received_.push_back(received); });
    });
    connected_ = mosquitto_connect_bind_v5(client_, "127.0.0.1", port, 30, nullptr, nullptr) == MOSQ_ERR_SUCCESS;
    mosquitto_loop_start(client_);
  }
  ~Gateway() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }
  bool connected() const { return connected_; }

  bool Subscribe(const std::string& topic) {
    std::unique_lock<std::mutex> lock(mutex_);
    int before = subscriptions_;
    if (mosquitto_subscribe_v5(client_, nullptr, topic.c_str(), 1, 0, nullptr) != MOSQ_ERR_SUCCESS) return false;
    return changed_.wait_for(lock, 5s, [&] { return subscriptions_ > before; });
  }

  // Publishes `body` and waits for moyakko's answer (matched by correlation data) on
  // `answer_topic`, which must be subscribed. Like a real gateway it publishes again while
  // no answer comes.
  std::optional<json> Call(const std::string& topic, const std::string& body, const std::string& authorization,
                           const std::string& answer_topic, bool send_response_topic = true,
                           std::chrono::milliseconds resend_after = 5s, const std::string& response_topic = "") {
    std::string correlation = "call-" + std::to_string(++calls_);
    mosquitto_property* properties = nullptr;
    if (!authorization.empty()) {
      mosquitto_property_add_string_pair(&properties, MQTT_PROP_USER_PROPERTY, "authorization", authorization.c_str());
    }
    if (send_response_topic) {
      mosquitto_property_add_string(&properties, MQTT_PROP_RESPONSE_TOPIC,
                                    (response_topic.empty() ? answer_topic : response_topic).c_str());
    }
    mosquitto_property_add_binary(&properties, MQTT_PROP_CORRELATION_DATA, correlation.data(),
                                  static_cast<std::uint16_t>(correlation.size()));
    std::optional<json> answer;
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!answer && std::chrono::steady_clock::now() < deadline) {
      mosquitto_publish_v5(client_, nullptr, topic.c_str(), static_cast<int>(body.size()), body.data(), 1, false,
                           properties);
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait_for(lock, resend_after, [&] {
        for (const Received& r : received_) {
          if (r.topic == answer_topic && r.correlation_data == correlation) answer = json::parse(r.payload);
        }
        return answer.has_value();
      });
    }
    mosquitto_property_free_all(&properties);
    return answer;
  }

 private:
  template <class Change>
  void Notify(Change change) {
    std::lock_guard<std::mutex> lock(mutex_);
    change(*this);
    changed_.notify_all();
  }

  mosquitto* client_ = nullptr;
  bool connected_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  int subscriptions_ = 0;
  std::deque<Received> received_;
  int calls_ = 0;
};

class MqttTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    BuildTestTown(test_->db());
    test_->db().Write([&](store::Session& s) {
      std::int64_t seto = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
      std::int64_t hanako = s.QueryOne("SELECT id FROM persons WHERE given_name = '花子'")->Int(0);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = seto, .person_id = hanako}, 0);
      device_ = watch::AddDevice(s, seto, household, 0);
      other_ = watch::AddDevice(s, seto, household, 0);
    });
    broker_ = std::make_unique<Broker>();
    ASSERT_TRUE(broker_->started()) << "mosquitto did not start (" MOSQUITTO_BROKER ")";
    server_ = std::make_unique<ServerProcess>(MOYAKKO_BINARY, test_->url(),
                                              std::vector<std::string>{"--mqtt-url", broker_->url()});
    ASSERT_NE(server_->port(), 0) << "server did not start";
    Connect();
  }
  void Connect() {
    gateway_ = std::make_unique<Gateway>(broker_->port());
    ASSERT_TRUE(gateway_->connected());
    ASSERT_TRUE(gateway_->Subscribe(kAnswers));
    ASSERT_TRUE(gateway_->Subscribe("moyakko/+/+/ack"));
    // The server subscribes in the background: until it has, publications are lost. An empty
    // batch, sent until answered, finds the moment and changes nothing.
    ASSERT_TRUE(gateway_->Call(Topic("seto", device_.device), json{{"device", device_.device}, {"readings", json::array()}}.dump(),
                               "Bearer " + device_.token, kAnswers, true, 200ms))
        << "the server does not answer over MQTT";
  }

  static std::string Topic(const std::string& tenant, const std::string& device) {
    return "moyakko/" + tenant + "/" + device + "/readings";
  }
  std::string Batch(const std::string& device, int first_seq, int count) {
    json readings = json::array();
    std::string at = FormatRfc3339(SystemClock().Now() - 60000);
    for (int i = 0; i < count; ++i) {
      readings.push_back({{"seq", first_seq + i}, {"at", at}, {"kind", "door"}, {"value", i % 2 ? "close" : "open"}});
    }
    return json{{"device", device}, {"readings", readings}}.dump();
  }
  // Publishes as `device_` on its own topic unless told otherwise; the answer, or null.
  json Send(const std::string& body, const std::string& token, const std::string& topic = "") {
    auto answer = gateway_->Call(topic.empty() ? Topic("seto", device_.device) : topic, body,
                                 token.empty() ? "" : "Bearer " + token, kAnswers);
    return answer.value_or(json());
  }
  std::int64_t StoredReadings() {
    return test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM readings")->Int(0); });
  }

  static constexpr char kAnswers[] = "gateway/answers";
  std::unique_ptr<store::TestDatabase> test_;
  watch::DeviceCredential device_, other_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_P(MqttTest, AcceptsOnceAndAnswersAfterCommit) {
  json first = Send(Batch(device_.device, 1, 20), device_.token);
  EXPECT_EQ(first, (json{{"accepted", 20}, {"duplicates", 0}}));
  EXPECT_EQ(StoredReadings(), 20);
  json again = Send(Batch(device_.device, 1, 20), device_.token);
  EXPECT_EQ(again, (json{{"accepted", 0}, {"duplicates", 20}}));
  EXPECT_EQ(StoredReadings(), 20);
  // Without a response topic the answer goes to moyakko/<tenant>/<device>/ack.
  auto on_ack_topic = gateway_->Call(Topic("seto", device_.device), Batch(device_.device, 21, 5),
                                     "Bearer " + device_.token, "moyakko/seto/" + device_.device + "/ack", false);
  ASSERT_TRUE(on_ack_topic);
  EXPECT_EQ(*on_ack_topic, (json{{"accepted", 5}, {"duplicates", 0}}));
  EXPECT_EQ(StoredReadings(), 25);
  // A response topic moyakko listens on itself is not used (its answer would come back as a
  // batch): the answer goes to the ack topic.
  auto not_looped = gateway_->Call(Topic("seto", device_.device), Batch(device_.device, 26, 5), "Bearer " + device_.token,
                                   "moyakko/seto/" + device_.device + "/ack", true, 5s, Topic("seto", device_.device));
  ASSERT_TRUE(not_looped);
  EXPECT_EQ(*not_looped, (json{{"accepted", 5}, {"duplicates", 0}}));
  EXPECT_EQ(StoredReadings(), 30);
}

TEST_P(MqttTest, ABadBatchIsRefusedWithTheHttpError) {
  std::string body = Batch(device_.device, 1, 10);
  body.replace(body.rfind("\"close\""), 7, "\"ajar\"");
  json answer = Send(body, device_.token);
  EXPECT_EQ(answer["status"], 400) << answer;
  EXPECT_EQ(answer["error"]["code"], "invalid_value");
  EXPECT_EQ(answer["error"]["field"], "readings[9].value");
  EXPECT_EQ(answer["error"]["request_id"].get<std::string>().size(), 16u);
  json huge = Send(std::string(watch::kMaxIngestBytes + 1, ' '), device_.token);
  EXPECT_EQ(huge["status"], 413);
  EXPECT_EQ(huge["error"]["code"], "payload_too_large");
  EXPECT_EQ(StoredReadings(), 0);
}

TEST_P(MqttTest, RefusedCredentialsAreAnsweredAndAudited) {
  std::string batch = Batch(device_.device, 1, 1);
  auto refusal = [](json answer) { return std::pair(answer["status"], answer["error"]["code"]); };
  EXPECT_EQ(refusal(Send(batch, "")), std::pair(json(401), json("missing_token")));
  EXPECT_EQ(refusal(Send(batch, std::string(64, 'f'))), std::pair(json(401), json("invalid_token")));
  EXPECT_EQ(refusal(Send(batch, device_.token, Topic("seto", other_.device))), std::pair(json(403), json("topic_mismatch")));
  EXPECT_EQ(refusal(Send(batch, device_.token, Topic("owariasahi", device_.device))),
            std::pair(json(403), json("topic_mismatch")));
  EXPECT_EQ(refusal(Send(batch, other_.token, Topic("seto", other_.device))), std::pair(json(403), json("device_mismatch")));
  test_->db().Write([&](store::Session& s) { watch::RevokeDevice(s, 1, device_.device, 0); });
  EXPECT_EQ(refusal(Send(batch, device_.token)), std::pair(json(401), json("device_revoked")));
  EXPECT_EQ(StoredReadings(), 0);

  std::set<std::string> reasons;
  for (const audit::Entry& e : audit::Search(test_->db(), {.action = "watch.ingest", .outcome = "denied"})) {
    reasons.insert(e.reason);
    EXPECT_TRUE(e.detail.starts_with("topic=moyakko/")) << e.detail;
    if (e.reason == "topic_mismatch") {
      EXPECT_EQ(e.actor_username, "device:" + device_.device);
      EXPECT_EQ(e.tenant_code, "seto");
    }
  }
  EXPECT_EQ(reasons, (std::set<std::string>{"missing_token", "invalid_token", "topic_mismatch", "device_mismatch",
                                            "device_revoked"}));
}

TEST_P(MqttTest, KeepsListeningAcrossABrokerRestart) {
  ASSERT_EQ(Send(Batch(device_.device, 1, 3), device_.token)["accepted"], 3);
  gateway_.reset();
  broker_->Kill();
  broker_->Start();
  ASSERT_TRUE(broker_->started());
  Connect();
  EXPECT_EQ(Send(Batch(device_.device, 4, 3), device_.token), (json{{"accepted", 3}, {"duplicates", 0}}));
  EXPECT_EQ(StoredReadings(), 6);
}

INSTANTIATE_TEST_SUITE_P(Backends, MqttTest, ::testing::ValuesIn(store::TestBackends()));

TEST(MqttUrl, ParsesCredentialsHostAndPort) {
  watch::MqttBroker broker = watch::ParseMqttUrl("mqtt://ingest:s%40cret@broker.internal:1883");
  EXPECT_EQ(broker.username, "ingest");
  EXPECT_EQ(broker.password, "s@cret");
  EXPECT_EQ(broker.host, "broker.internal");
  EXPECT_EQ(broker.port, 1883);
  watch::MqttBroker v6 = watch::ParseMqttUrl("mqtt://[::1]:1884/");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 1884);
  EXPECT_TRUE(v6.username.empty());
  for (const char* bad : {"http://host:1883", "mqtt://host", "mqtt://:1883", "mqtt://host:0", "mqtt://host:99999",
                          "mqtt://:pw@host:1883", "mqtt://host:1883/topic"}) {
    try {
      watch::ParseMqttUrl(bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const Failure& f) {
      EXPECT_EQ(f.error().field, "mqtt-url");
      EXPECT_EQ(std::string(f.error().message).find("pw"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace moyakko::testing
