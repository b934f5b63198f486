#pragma once
// Sensor ingest, whichever way a batch arrives (POST /api/v1/ingest, or MQTT through
// mqtt_listener.h): the device token and its refusals with their audit rows, decoding, the
// group-committed write, and the live events after COMMIT. A transport only brings the
// credential and the body in and carries the answer (or the Failure) back, so both give
// the same answers for the same batch.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http/events.h"
#include "store/database.h"
#include "watch/ingest_writer.h"
#include "watch/store.h"

namespace moyakko::watch {

// 10,000 readings fit with room to spare.
inline constexpr std::size_t kMaxIngestBytes = 8 << 20;

struct IngestContext {
  store::Database& db;
  IngestWriter& writer;  // one per process, so HTTP and MQTT batches share commits
  http::EventHub& events;
};

// Where a batch came from, for the audit rows of refused credentials.
struct IngestSource {
  std::string request_id;
  std::string audit_detail;  // "ip=<address>" or "topic=<topic>"
  // MQTT: the municipality code and device id the topic names; they must be the token's.
  struct TopicClaim {
    std::string tenant_code, device;
  };
  std::optional<TopicClaim> topic;

  static IngestSource Http(std::string request_id, const std::string& client_ip);
  static IngestSource Mqtt(std::string request_id, const std::string& topic, std::string tenant_code,
                           std::string device);
};

// `authorization` is "Bearer <device token>": the HTTP header, or the MQTT user property.
// Returns the counts after COMMIT. Throws Failure for a refused credential (401/403, audited
// in its own transaction first), a bad batch (400 naming the field; nothing stored) or a
// failed commit (503; nothing stored).
IngestResult Ingest(const IngestContext& context, std::string_view authorization, std::string_view body,
                    const IngestSource& source);

// {"accepted": n, "duplicates": m}: the answer to an accepted batch, over either transport.
nlohmann::json IngestResultJson(const IngestResult& result);

}  // namespace moyakko::watch
