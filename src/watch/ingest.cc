#include "watch/ingest.h"

#include "audit/audit_log.h"
#include "common/error.h"
#include "watch/monitor.h"

namespace moyakko::watch {
namespace {

// Device authentication failures are audited: a stolen or revoked credential in use is
// something the city must be able to see.
[[noreturn]] void RefuseDevice(store::Database& db, const IngestSource& source, ErrorCode code,
                               const std::string& slug, const std::string& message,
                               const DeviceIdentity* device = nullptr) {
  audit::Entry entry;
  if (device) entry.tenant_code = device->tenant_code;  // so the municipality's admins find it in their audit search
  entry.at = SystemClock().Now();
  entry.actor_username = device ? "device:" + device->device : "(device)";
  entry.actor_role = "device";
  entry.action = "watch.ingest";
  entry.outcome = audit::Outcome::kDenied;
  entry.reason = slug;
  entry.request_id = source.request_id;
  entry.detail = source.audit_detail;
  audit::AppendNow(db, entry);
  Fail(code, slug, message);
}

}  // namespace

IngestSource IngestSource::Http(std::string request_id, const std::string& client_ip) {
  return {std::move(request_id), "ip=" + client_ip, std::nullopt};
}

IngestSource IngestSource::Mqtt(std::string request_id, const std::string& topic, std::string tenant_code,
                                std::string device) {
  return {std::move(request_id), "topic=" + topic, TopicClaim{std::move(tenant_code), std::move(device)}};
}

IngestResult Ingest(const IngestContext& context, std::string_view authorization, std::string_view body,
                    const IngestSource& source) {
  store::Database& db = context.db;
  if (!authorization.starts_with("Bearer ") || authorization.size() > 200) {
    RefuseDevice(db, source, ErrorCode::kUnauthenticated, "missing_token", "Authorization: Bearer <device token> required");
  }
  std::string token(authorization.substr(7));
  auto device = db.ReadStatement([&](store::Session& s) { return FindDeviceByToken(s, token); });
  if (!device) RefuseDevice(db, source, ErrorCode::kUnauthenticated, "invalid_token", "unknown device token");
  if (device->revoked) {
    RefuseDevice(db, source, ErrorCode::kUnauthenticated, "device_revoked", "this device's token was revoked", &*device);
  }
  if (source.topic && (source.topic->tenant_code != device->tenant_code || source.topic->device != device->device)) {
    RefuseDevice(db, source, ErrorCode::kForbidden, "topic_mismatch",
                 "the topic must name the token's municipality and device", &*device);
  }
  UnixMillis now = SystemClock().Now();
  IngestBatch batch = DecodeIngestBatch(body, now);
  if (batch.device != device->device) {
    RefuseDevice(db, source, ErrorCode::kForbidden, "device_mismatch", "the token belongs to another device", &*device);
  }
  // Answered only after COMMIT: an acknowledged reading is durable.
  // The rules run in the same transaction: an alert exists before the answer.
  IngestOutcome outcome = context.writer.Submit(*device, batch.readings, now);
  if (outcome.stored.accepted > 0) {
    context.events.Publish({"watch.status", nlohmann::json{{"household", device->household_id}}.dump(),
                            device->tenant_id, std::nullopt, kWatchRoles});
  }
  PublishAlerts(db, context.events, outcome.alerts_opened, "opened");
  return outcome.stored;
}

nlohmann::json IngestResultJson(const IngestResult& result) {
  return {{"accepted", result.accepted}, {"duplicates", result.duplicates}};
}

}  // namespace moyakko::watch
