#include "disaster/broadcast.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"
#include "disaster/safety.h"

namespace moyakko::disaster {
namespace {

using nlohmann::json;

bool AnyOf(const std::vector<std::string>& wanted, const std::string& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

bool NeedsAnyOf(const std::vector<std::string>& wanted, const std::string& needs_json) {
  if (wanted.empty()) return true;
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& need) { return needs_json.find(json(need).dump()) != std::string::npos; });
}

json AudienceJson(const Audience& a) {
  return {{"districts", a.districts}, {"needs", a.needs}, {"labels", a.labels}};
}

json Progress(store::Session& s, std::int64_t broadcast_id) {
  json by_outcome = json::object();
  for (const char* outcome : kCallOutcomes) by_outcome[outcome] = 0;
  std::int64_t total = 0, called = 0;
  for (const auto& row : s.Query("SELECT outcome, COUNT(*) FROM broadcast_calls WHERE broadcast_id = $1 "
                                 "GROUP BY outcome", {broadcast_id})) {
    total += row.Int(1);
    if (row.IsNull(0)) continue;
    called += row.Int(1);
    by_outcome[row.Text(0)] = row.Int(1);
  }
  return {{"total", total}, {"called", called}, {"outcomes", by_outcome}};
}

const char* const kBroadcastColumns =
    "SELECT b.id, b.message, b.audience, b.created_at, u.id, u.display_name FROM broadcasts b "
    "JOIN users u ON u.id = b.created_by";

json BroadcastHead(store::Session& s, const store::Row& row) {
  return {{"id", row.Int(0)},
          {"message", row.Text(1)},
          {"audience", json::parse(row.Text(2))},
          {"created_at", FormatRfc3339(row.Int(3))},
          {"created_by", {{"id", row.Int(4)}, {"name", row.Text(5)}}},
          {"progress", Progress(s, row.Int(0))}};
}

const char* const kCallColumns =
    "SELECT c.id, c.position, c.person_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.district, "
    "c.phone, c.outcome, c.note, c.attempts, c.called_at, u.display_name, st.label "
    "FROM broadcast_calls c JOIN broadcasts b ON b.id = c.broadcast_id JOIN persons p ON p.id = c.person_id "
    "LEFT JOIN users u ON u.id = c.called_by "
    "LEFT JOIN safety_status st ON st.event_id = b.event_id AND st.person_id = c.person_id";

json CallJson(const store::Row& row, const SafetySettings& settings) {
  json call = {{"id", row.Int(0)},
               {"position", row.Int(1)},
               {"person_id", row.Int(2)},
               {"name", row.Text(3) + " " + row.Text(4)},
               {"kana", row.Text(5) + " " + row.Text(6)},
               {"district", row.Text(7)},
               {"phone", row.Text(8)},
               {"outcome", row.IsNull(9) ? json(nullptr) : json(row.Text(9))},
               {"note", row.Text(10)},
               {"attempts", row.Int(11)},
               {"called_at", row.IsNull(12) ? json(nullptr) : json(FormatRfc3339(row.Int(12)))},
               {"called_by", row.IsNull(13) ? json(nullptr) : json(row.Text(13))}};
  call["label"] = row.IsNull(14) ? settings.default_label : row.Text(14);
  return call;
}

}  // namespace

Audience ParseAudience(const json& audience) {
  Audience out;
  if (audience.is_null()) return out;
  if (!audience.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_audience", "audience: an object", "audience");
  auto list = [&](const char* name, std::vector<std::string>& into) {
    auto value = audience.find(name);
    if (value == audience.end() || value->is_null()) return;
    bool ok = value->is_array() && value->size() <= 200 && std::all_of(value->begin(), value->end(), [](const json& v) {
                return v.is_string() && !v.get<std::string>().empty() && Utf8Length(v.get<std::string>()) <= 50;
              });
    std::string field = std::string("audience.") + name;
    if (!ok) Fail(ErrorCode::kInvalidArgument, "invalid_audience", field + ": a list of names", field);
    for (const json& v : *value) into.push_back(v.get<std::string>());
  };
  list("districts", out.districts);
  list("needs", out.needs);
  list("labels", out.labels);
  return out;
}

json CreateBroadcast(store::Session& s, const auth::Principal& principal, const Event& event,
                     const SafetySettings& settings, const std::string& message, const Audience& audience,
                     UnixMillis now) {
  RequireOpen(event);
  std::string text = Trim(message);
  if (text.empty() || Utf8Length(text) > 1000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_message", "message: 1–1000 characters", "message");
  }
  // The list is for the call centre: the people an operator of the municipality may see.
  auth::Principal call_centre;
  call_centre.role = auth::Role::kCallOperator;
  call_centre.tenant_id = event.tenant_id;
  std::vector<SafetyRow> people = EventPeople(s, call_centre, event, settings, now, /*with_contacts=*/true);
  std::erase_if(people, [&](const SafetyRow& r) {
    return !AnyOf(audience.districts, r.district) || !AnyOf(audience.labels, r.label) ||
           !NeedsAnyOf(audience.needs, r.needs_json);
  });
  if (people.empty()) Fail(ErrorCode::kInvalidArgument, "empty_audience", "nobody on the ledger matches", "audience");
  std::int64_t id = s.QueryOne("INSERT INTO broadcasts (event_id, message, audience, created_by, created_at) "
                               "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                               {event.id, text, AudienceJson(audience).dump(), principal.user_id, now})
                        ->Int(0);
  std::int64_t position = 0;
  for (const SafetyRow& r : people) {
    s.Execute("INSERT INTO broadcast_calls (broadcast_id, position, person_id, phone) VALUES ($1, $2, $3, $4)",
              {id, ++position, r.person_id, FirstPhone(r.phones_json)});
  }
  AppendLog(s, event, "note", fmt::format("一斉同報（{}人）: {}", people.size(), text), principal.user_id, now);
  return BroadcastHead(s, *s.QueryOne(std::string(kBroadcastColumns) + " WHERE b.id = $1", {id}));
}

json BroadcastsJson(store::Session& s, const Event& event) {
  json out = json::array();
  for (const auto& row : s.Query(std::string(kBroadcastColumns) + " WHERE b.event_id = $1 ORDER BY b.id DESC",
                                 {event.id})) {
    out.push_back(BroadcastHead(s, row));
  }
  return {{"broadcasts", out}};
}

json BroadcastJson(store::Session& s, const Event& event, std::int64_t broadcast_id, const SafetySettings& settings) {
  auto head = s.QueryOne(std::string(kBroadcastColumns) + " WHERE b.id = $1 AND b.event_id = $2",
                         {broadcast_id, event.id});
  if (!head) Fail(ErrorCode::kNotFound, "no_such_broadcast", "no such broadcast");
  json out = BroadcastHead(s, *head);
  json calls = json::array();
  for (const auto& row : s.Query(std::string(kCallColumns) + " WHERE c.broadcast_id = $1 ORDER BY c.position",
                                 {broadcast_id})) {
    calls.push_back(CallJson(row, settings));
  }
  out["calls"] = calls;
  return out;
}

RecordedCall RecordCall(store::Session& s, const auth::Principal& principal, const Event& event,
                        const SafetySettings& settings, std::int64_t broadcast_id, std::int64_t call_id,
                        const std::string& outcome, const std::string& note, UnixMillis now) {
  if (std::none_of(std::begin(kCallOutcomes), std::end(kCallOutcomes), [&](const char* o) { return outcome == o; })) {
    Fail(ErrorCode::kInvalidArgument, "invalid_outcome",
         "outcome: reached, no_answer, busy, unreachable or message_left", "outcome");
  }
  if (Utf8Length(note) > 1000) Fail(ErrorCode::kInvalidArgument, "invalid_note", "note: at most 1000 characters", "note");
  RequireOpen(event);
  auto call = s.QueryOne(std::string(kCallColumns) + " WHERE c.id = $1 AND c.broadcast_id = $2 AND b.event_id = $3",
                         {call_id, broadcast_id, event.id});
  if (!call) Fail(ErrorCode::kNotFound, "no_such_call", "no such call on this list");
  s.Execute("UPDATE broadcast_calls SET outcome = $2, note = $3, attempts = attempts + 1, called_by = $4, "
            "called_at = $5 WHERE id = $1",
            {call_id, outcome, Trim(note), principal.user_id, now});
  return {CallJson(*s.QueryOne(std::string(kCallColumns) + " WHERE c.id = $1", {call_id}), settings), call->Int(2)};
}

}  // namespace moyakko::disaster
