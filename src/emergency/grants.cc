#include "emergency/grants.h"

#include <atomic>
#include <mutex>

#include <fmt/format.h>

#include "auth/guard.h"
#include "carenet/timeline.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "emergency/kits.h"
#include "emergency/notices.h"
#include "http/json_body.h"
#include "notify/outbox.h"
#include "registry/persons.h"

namespace moyakko::emergency {
namespace {

using nlohmann::json;

// The relation source is installed once per process but judges by the clock installed last.
std::atomic<const Clock*> relation_clock{nullptr};

void FillGrantRelation(store::Session& s, const auth::Principal& p, auth::PersonContext& context) {
  const Clock* clock = relation_clock.load();
  if (!clock) return;
  UnixMillis now = clock->Now();
  if (p.role == auth::Role::kParamedic) {
    context.break_glass_grant =
        s.QueryOne("SELECT 1 FROM emergency_grants WHERE user_id = $1 AND person_id = $2 AND kind = 'paramedic' "
                   "AND expires_at > $3 AND ended_at IS NULL", {p.user_id, context.person_id, now}).has_value();
  } else if (p.organization_id && (p.role == auth::Role::kDoctor || p.role == auth::Role::kNurse)) {
    context.hospital_grant =
        s.QueryOne("SELECT 1 FROM emergency_grants WHERE organization_id = $1 AND person_id = $2 AND kind = 'hospital' "
                   "AND expires_at > $3 AND ended_at IS NULL", {*p.organization_id, context.person_id, now}).has_value();
  }
}

const Reason* FindReason(std::string_view code) {
  for (const auto& reason : Reasons()) {
    if (reason.code == code) return &reason;
  }
  return nullptr;
}

std::string ReasonLabel(std::string_view code) {
  if (code == "transport") return "搬送先の病院";  // a hospital's grant, opened with a transport
  const Reason* reason = FindReason(code);
  return reason ? std::string(reason->ja) : std::string(code);
}

json At(const store::Row& row, std::size_t column) {
  return row.IsNull(column) ? json(nullptr) : json(FormatRfc3339(row.Int(column)));
}

// Every start and end is told by e-mail (notices.h) and to the municipality's systems by
// webhook.
// `event`: opened, ended (by the paramedic) or expired; the dedup key counts an expiry as the end.
void NotifyGrant(store::Session& s, std::int64_t grant_id, std::string_view event, UnixMillis now) {
  auto g = s.QueryOne(
      "SELECT g.tenant_id, g.person_id, g.code, g.reason_code, g.expires_at, p.family_name, p.given_name, "
      "u.display_name, COALESCE(o.name, ''), t.time_zone FROM emergency_grants g JOIN persons p ON p.id = g.person_id "
      "JOIN users u ON u.id = g.opened_by LEFT JOIN organizations o ON o.id = u.organization_id "
      "JOIN tenants t ON t.id = g.tenant_id WHERE g.id = $1", {grant_id});
  std::int64_t tenant = g->Int(0), person = g->Int(1);
  std::string code = g->Text(2), name = registry::JoinName(g->Text(5), g->Text(6));
  bool opened = event == "opened";
  std::string_view what = opened ? "救急対応のため開きました" : event == "ended" ? "閲覧を終了しました" : "閲覧期限を迎え、閲覧できなくなりました";
  if (event == "expired") event = "ended";
  std::string subject = fmt::format("【もーやっこ救急】{}さんの緊急情報{}", name, opened ? "が開かれました" : "の閲覧が終了しました");
  std::string body = fmt::format(
      "{}さんの緊急情報シートを、{} {} が{}。\n理由: {}\n{}: {}\n\n詳しくは、もーやっこの連絡帳と救急利用の記録でご確認ください。\n",
      name, g->Text(8), g->Text(7), what, ReasonLabel(g->Text(3)), opened ? "閲覧期限" : "終了",
      FormatLocalMinute(opened ? g->Int(4) : std::min(now, g->Int(4)), g->Text(9)));
  SendNotice(s, person, {subject, body, fmt::format("emergency:{}:{}", code, event), true}, now);
  json hook = {{"event", fmt::format("emergency.grant.{}", event)}, {"grant", code}, {"person", person},
               {"reason", g->Text(3)}, {"at", FormatRfc3339(opened ? now : std::min(now, g->Int(4)))},
               {"expires_at", FormatRfc3339(g->Int(4))}};
  for (const store::Row& r : s.Query("SELECT id, url, secret FROM notify_webhooks WHERE tenant_id = $1", {tenant})) {
    notify::Enqueue(s, {tenant, "webhook", r.Text(1), "", hook.dump(), fmt::format("emergency:{}:{}:webhook:{}", code, event, r.Int(0)),
                        r.Text(2)}, now);
  }
}

std::int64_t InsertGrant(store::Session& s, std::string_view kind, std::int64_t person_id,
                         std::optional<std::int64_t> user_id, std::optional<std::int64_t> organization_id,
                         std::int64_t opened_by, const std::string& reason, const std::string& note, bool via_kit,
                         UnixMillis now, UnixMillis expires_at, std::string& code) {
  code = "bg_" + RandomHex(12);
  return s.QueryOne(
      "INSERT INTO emergency_grants (code, tenant_id, person_id, kind, user_id, organization_id, opened_by, reason_code, "
      "note, via_kit, created_at, expires_at) SELECT $1, tenant_id, id, $2, $3, $4, $5, $6, $7, $8, $9, $10 "
      "FROM persons WHERE id = $11 RETURNING id",
      {code, std::string(kind), store::Opt(user_id), store::Opt(organization_id), opened_by, reason, note,
       std::int64_t{via_kit}, now, expires_at, person_id})->Int(0);
}

// The audit record of a grant's end, by `entry`'s actor.
audit::Entry EndEntry(audit::Entry entry, const std::string& code, std::int64_t person_id, const std::string& why,
                      UnixMillis now) {
  entry.at = now;
  entry.action = "emergency.grant.end";
  entry.person_id = person_id;
  entry.reason = why;
  entry.detail = "grant=" + code;
  return entry;
}

}  // namespace

const std::vector<Reason>& Reasons() {
  static const std::vector<Reason> reasons = {
      {"unresponsive", "意識障害・本人から聴取できない", "Unresponsive or cannot give a history"},
      {"fall_injury", "転倒・外傷", "Fall or injury"},
      {"sudden_illness", "急病", "Sudden illness"},
      {"breathing", "呼吸困難", "Difficulty breathing"},
      {"cardiac_arrest", "心肺停止", "Cardiac arrest"},
      {"other", "その他", "Other"},
  };
  return reasons;
}

void InstallRelations(const Clock& clock) {
  relation_clock.store(&clock);
  static std::once_flag once;
  std::call_once(once, [] { auth::AddRelationSource(FillGrantRelation); });
}

int GrantMinutes(store::Session& s, std::int64_t tenant_id) {
  auto row = s.QueryOne("SELECT break_glass_minutes FROM tenants WHERE id = $1", {tenant_id});
  return row ? static_cast<int>(row->Int(0)) : 120;
}

void SetGrantMinutes(store::Session& s, std::int64_t tenant_id, int minutes) {
  if (minutes < 15 || minutes > 720) {
    Fail(ErrorCode::kInvalidArgument, "invalid_minutes", "grant_minutes: from 15 to 720", "grant_minutes");
  }
  s.Execute("UPDATE tenants SET break_glass_minutes = $2 WHERE id = $1", {tenant_id, std::int64_t{minutes}});
}

NewGrant ReadNewGrant(const json& body) {
  NewGrant grant;
  grant.person_id = http::RequiredInt(body, "person");
  grant.reason = http::RequiredString(body, "reason", 30);
  if (!FindReason(grant.reason)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_reason", "reason: one of the codes of GET /api/v1/emergency/reasons", "reason");
  }
  grant.note = http::RequiredText(body, "note", 500);
  grant.kit = http::OptionalString(body, "kit", 100);
  if (grant.kit && grant.kit->empty()) grant.kit.reset();
  return grant;
}

OpenedGrant OpenGrant(store::Session& s, const auth::Principal& paramedic, const NewGrant& grant, audit::Entry start,
                      UnixMillis now) {
  if (grant.kit && ResolveKit(s, *grant.kit) != grant.person_id) {
    Fail(ErrorCode::kInvalidArgument, "kit_invalid", "kit: not this person's current kit", "kit");
  }
  auto tenant = s.QueryOne("SELECT p.tenant_id, t.time_zone FROM persons p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = $1",
                           {grant.person_id});
  OpenedGrant opened;
  opened.expires_at = now + GrantMinutes(s, tenant->Int(0)) * 60000LL;
  opened.id = InsertGrant(s, "paramedic", grant.person_id, paramedic.user_id, std::nullopt, paramedic.user_id, grant.reason,
                          grant.note, grant.kit.has_value(), now, opened.expires_at, opened.code);
  start.reason += fmt::format(": {}: {}", grant.reason, grant.note);
  start.detail = fmt::format("grant={} start{} until={}", opened.code, grant.kit ? " kit" : "", FormatRfc3339(opened.expires_at));
  audit::Append(s, start);
  NotifyGrant(s, opened.id, "opened", now);
  auto post = carenet::AddSystemPost(
      s, grant.person_id, "emergency",
      fmt::format("【救急】救急隊が緊急情報シートを開きました（理由: {}）。閲覧期限 {}", ReasonLabel(grant.reason),
                  FormatLocalMinute(opened.expires_at, tenant->Text(1))),
      true, std::nullopt, now);
  opened.post = post;
  return opened;
}

OpenedGrant OpenHospitalGrant(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                              std::int64_t organization_id, const std::string& hospital_name,
                              const std::string& request_id, UnixMillis now) {
  OpenedGrant opened;
  opened.expires_at = now + kHospitalGrantMillis;
  opened.id = InsertGrant(s, "hospital", person_id, std::nullopt, organization_id, paramedic.user_id, "transport",
                          hospital_name, false, now, opened.expires_at, opened.code);
  audit::Entry start = auth::EntryFor(paramedic, auth::Action::kEmergencyTransport, request_id);
  start.at = now;
  start.person_id = person_id;
  start.reason = "transport";
  start.detail = fmt::format("grant={} start hospital={} until={}", opened.code, organization_id, FormatRfc3339(opened.expires_at));
  audit::Append(s, start);
  return opened;
}

UnixMillis EndGrant(store::Session& s, const auth::Principal& principal, const std::string& code,
                    const std::string& request_id, UnixMillis now) {
  auto ended = s.QueryOne("UPDATE emergency_grants SET ended_at = $3, end_reason = 'ended' WHERE code = $1 AND user_id = $2 "
                          "AND ended_at IS NULL AND expires_at > $3 RETURNING id, person_id",
                          {code, principal.user_id, now});
  if (!ended) Fail(ErrorCode::kNotFound, "no_such_grant", "no live grant of yours with this name");
  audit::Append(s, EndEntry(auth::EntryFor(principal, auth::Action::kEmergencyGrant, request_id), code, ended->Int(1),
                            "ended", now));
  NotifyGrant(s, ended->Int(0), "ended", now);
  return now;
}

int CloseExpiredGrants(store::Session& s, UnixMillis now) {
  int closed = 0;
  for (const store::Row& due : s.Query("SELECT id FROM emergency_grants WHERE ended_at IS NULL AND expires_at <= $1 "
                                       "ORDER BY expires_at LIMIT 100", {now})) {
    // The UPDATE claims the end: a grant another node closed meanwhile returns nothing.
    auto g = s.QueryOne("UPDATE emergency_grants SET ended_at = expires_at, end_reason = 'expired' "
                        "WHERE id = $1 AND ended_at IS NULL RETURNING code, person_id, kind, tenant_id", {due.Int(0)});
    if (!g) continue;
    audit::Entry system;
    system.actor_username = "system";
    system.tenant_code = s.QueryOne("SELECT code FROM tenants WHERE id = $1", {g->Int(3)})->Text(0);
    audit::Append(s, EndEntry(system, g->Text(0), g->Int(1), "expired", now));
    if (g->Text(2) == "paramedic") NotifyGrant(s, due.Int(0), "expired", now);
    ++closed;
  }
  return closed;
}

std::optional<json> UseLiveGrant(store::Session& s, const auth::Principal& principal, std::int64_t person_id,
                                 UnixMillis now) {
  auto g = s.QueryOne(
      "SELECT id, code, kind, expires_at FROM emergency_grants WHERE person_id = $1 AND ended_at IS NULL AND expires_at > $2 "
      "AND ((kind = 'paramedic' AND user_id = $3) OR (kind = 'hospital' AND organization_id = $4)) "
      "ORDER BY expires_at DESC LIMIT 1",
      {person_id, now, principal.user_id, principal.organization_id.value_or(0)});
  if (!g) return std::nullopt;
  s.Execute("UPDATE emergency_grants SET sheet_reads = sheet_reads + 1 WHERE id = $1", {g->Int(0)});
  return json{{"grant", g->Text(1)}, {"kind", g->Text(2)}, {"expires_at", FormatRfc3339(g->Int(3))}};
}

json LiveGrantsJson(store::Session& s, const auth::Principal& principal, UnixMillis now) {
  auto rows = s.Query(
      "SELECT g.code, g.kind, g.person_id, p.family_name, p.given_name, g.created_at, g.expires_at "
      "FROM emergency_grants g JOIN persons p ON p.id = g.person_id WHERE g.ended_at IS NULL AND g.expires_at > $1 "
      "AND ((g.kind = 'paramedic' AND g.user_id = $2) OR (g.kind = 'hospital' AND g.organization_id = $3)) "
      "ORDER BY g.created_at DESC LIMIT 100",
      {now, principal.user_id, principal.organization_id.value_or(0)});
  json grants = json::array();
  for (const auto& r : rows) {
    grants.push_back({{"grant", r.Text(0)}, {"kind", r.Text(1)},
                      {"person", {{"id", r.Int(2)}, {"name", registry::JoinName(r.Text(3), r.Text(4))}}},
                      {"created_at", FormatRfc3339(r.Int(5))}, {"expires_at", FormatRfc3339(r.Int(6))}});
  }
  return grants;
}

std::int64_t LiveParamedicGrant(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                                UnixMillis now) {
  auto g = s.QueryOne("SELECT id FROM emergency_grants WHERE person_id = $1 AND user_id = $2 AND kind = 'paramedic' "
                      "AND ended_at IS NULL AND expires_at > $3 ORDER BY expires_at DESC LIMIT 1",
                      {person_id, paramedic.user_id, now});
  if (!g) Fail(ErrorCode::kForbidden, "no_grant", "open the emergency sheet first");
  return g->Int(0);
}

json ReviewJson(store::Session& s, const auth::Principal& reviewer, UnixMillis from, UnixMillis to) {
  auto rows = s.Query(
      "SELECT g.code, g.kind, g.person_id, p.family_name, p.given_name, u.display_name, COALESCE(o.name, ''), "
      "g.reason_code, g.note, g.via_kit, g.created_at, g.expires_at, g.ended_at, g.end_reason, g.sheet_reads, "
      "(SELECT COUNT(*) FROM emergency_transports t WHERE t.grant_id = g.id), r.display_name, g.reviewed_at, g.review_note "
      "FROM emergency_grants g JOIN persons p ON p.id = g.person_id JOIN users u ON u.id = g.opened_by "
      "LEFT JOIN organizations o ON o.id = u.organization_id LEFT JOIN users r ON r.id = g.reviewed_by "
      "WHERE g.tenant_id = $1 AND g.created_at >= $2 AND g.created_at < $3 ORDER BY g.created_at DESC LIMIT 1000",
      {reviewer.tenant_id, from, to});
  json grants = json::array();
  for (const auto& r : rows) {
    json review = r.IsNull(17) ? json(nullptr)
                               : json{{"by", {{"name", r.Text(16)}}}, {"at", FormatRfc3339(r.Int(17))}, {"note", r.Text(18)}};
    grants.push_back({{"grant", r.Text(0)}, {"kind", r.Text(1)},
                      {"person", {{"id", r.Int(2)}, {"name", registry::JoinName(r.Text(3), r.Text(4))}}},
                      {"opened_by", {{"name", r.Text(5)}, {"organization", r.Text(6)}}},
                      {"reason", r.Text(7)}, {"reason_label", ReasonLabel(r.Text(7))}, {"note", r.Text(8)},
                      {"via_kit", r.Int(9) != 0}, {"created_at", FormatRfc3339(r.Int(10))},
                      {"expires_at", FormatRfc3339(r.Int(11))}, {"ended_at", At(r, 12)},
                      {"end_reason", r.IsNull(13) ? json(nullptr) : json(r.Text(13))}, {"sheet_reads", r.Int(14)},
                      {"transports", r.Int(15)}, {"review", review}});
  }
  return grants;
}

void MarkReviewed(store::Session& s, const auth::Principal& reviewer, const std::string& code, const std::string& note,
                  UnixMillis now) {
  if (s.Execute("UPDATE emergency_grants SET reviewed_by = $3, reviewed_at = $4, review_note = $5 "
                "WHERE code = $1 AND tenant_id = $2", {code, reviewer.tenant_id, reviewer.user_id, now, note}) == 0) {
    Fail(ErrorCode::kNotFound, "no_such_grant", "no grant with this name in your municipality");
  }
}

}  // namespace moyakko::emergency
