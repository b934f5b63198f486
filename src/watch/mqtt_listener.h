#pragma once
// Sensor ingest over MQTT v5 (libmosquitto). Gateways publish the same JSON batch as
// POST /api/v1/ingest to moyakko/<tenant code>/<device id>/readings; every `serve` node
// subscribes with QoS 1 to the shared subscription $share/moyakko/moyakko/+/+/readings, so
// the broker hands each batch to one node.
//
// Credentials: the broker's own username and password admit clients to the broker and are
// invisible to subscribers, so the device token travels in the message, as the user
// property `authorization` = "Bearer <device token>" (the HTTP header's value). The topic
// must name the token's municipality and device (else 403 topic_mismatch, audited).
//
// Acknowledgement: the broker's PUBACK only means the broker has the message; this node may
// still die before storing it. A batch is acknowledged by moyakko alone: after COMMIT it
// publishes the answer (QoS 1) to the message's response topic, with its correlation data
// copied back, or without one to moyakko/<tenant>/<device>/ack. The answer is the HTTP
// body: {"accepted":n,"duplicates":m}, or the HTTP error body plus "status" (the HTTP
// status). A gateway keeps its readings until acknowledged and publishes them again;
// (device, seq) idempotency makes that harmless. No answer means "not known to be stored".
#include <memory>
#include <string>

#include "http/metrics.h"
#include "watch/ingest.h"

namespace moyakko::watch {

struct MqttBroker {
  std::string host;
  int port = 1883;
  std::string username, password;  // empty: anonymous
};
// mqtt://[user[:password]@]host[:port], host may be [IPv6]; user and password percent-decoded.
// Throws Failure 400 (field "mqtt-url", the URL not echoed: it may hold a password).
MqttBroker ParseMqttUrl(const std::string& url);

struct MqttOptions {
  std::string url;
  std::string client_id;  // empty: moyakko-<hostname>-<pid>
};

class MqttListener {
 public:
  // Starts connecting in the background and reconnects by itself whenever the connection
  // is lost (1 s, doubling up to 30 s). Throws Failure 400 on a malformed URL.
  MqttListener(const IngestContext& ingest, http::Metrics& metrics, const MqttOptions& options);
  // Disconnects and waits for batches being stored; batches received but not yet started
  // are dropped unanswered (their gateways send them again).
  ~MqttListener();
  MqttListener(const MqttListener&) = delete;
  MqttListener& operator=(const MqttListener&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moyakko::watch
