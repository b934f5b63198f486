#pragma once
// Broadcasts (一斉同報) during a disaster event: the city writes one message for a group of
// the ledger — by district, need and safety label — and the call centre gets a call list of
// those people with their phone, records each call's outcome, and everyone sees the progress.
// The list holds only people the call centre may see (the ledger's consent rule: in a drill,
// only those who consented).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "disaster/events.h"
#include "store/database.h"

namespace moyakko::disaster {

struct Audience {
  std::vector<std::string> districts, needs, labels;  // each: any of; empty = all
};
// 400 invalid_audience naming the field.
Audience ParseAudience(const nlohmann::json& audience);

// Creates the broadcast and its call list in kana order. 400 invalid_message, empty_audience
// (nobody matches); 409 event_ended.
nlohmann::json CreateBroadcast(store::Session& s, const auth::Principal& principal, const Event& event,
                               const SafetySettings& settings, const std::string& message, const Audience& audience,
                               UnixMillis now);
// The event's broadcasts, newest first, each with its progress.
nlohmann::json BroadcastsJson(store::Session& s, const Event& event);
// One broadcast with its calls: {"id","message","audience","progress","calls":[…]}. 404 no_such_broadcast.
nlohmann::json BroadcastJson(store::Session& s, const Event& event, std::int64_t broadcast_id,
                             const SafetySettings& settings);

inline constexpr const char* kCallOutcomes[] = {"reached", "no_answer", "busy", "unreachable", "message_left"};
// Records one call (counts the attempt). 400 invalid_outcome, invalid_note; 404 no_such_call;
// 409 event_ended. Returns the call and the person it was for.
struct RecordedCall {
  nlohmann::json call;
  std::int64_t person_id = 0;
};
RecordedCall RecordCall(store::Session& s, const auth::Principal& principal, const Event& event,
                        const SafetySettings& settings, std::int64_t broadcast_id, std::int64_t call_id,
                        const std::string& outcome, const std::string& note, UnixMillis now);

}  // namespace moyakko::disaster
