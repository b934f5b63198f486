#include "watch/alerts.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "common/error.h"
#include "common/text.h"
#include "notify/outbox.h"
#include "registry/persons.h"
#include "watch/alert_steps.h"

namespace moyakko::watch {
namespace {

constexpr std::string_view kColumns =
    "SELECT a.id, a.tenant_id, a.household_id, a.person_id, a.kind, a.text, a.state, a.evidence, a.urgency, a.level, "
    "a.opened_at, a.updated_at, a.claimed_by, u.display_name, a.closed_at, a.timer_at, a.outcome "
    "FROM alerts a LEFT JOIN users u ON u.id = a.claimed_by ";

Alert FromRow(const store::Row& r) {
  Alert a;
  a.id = r.Int(0);
  a.tenant_id = r.Int(1);
  a.household_id = r.Int(2);
  a.person_id = r.Int(3);
  a.kind = r.Text(4);
  a.text = r.Text(5);
  a.state = r.Text(6);
  a.evidence = nlohmann::json::parse(r.Text(7), nullptr, false);
  a.urgency = static_cast<int>(r.Int(8));
  a.level = static_cast<int>(r.Int(9));
  a.opened_at = r.Int(10);
  a.updated_at = r.Int(11);
  a.claimed_by = r.OptInt(12);
  a.claimed_by_name = r.OptText(13);
  a.closed_at = r.OptInt(14);
  a.timer_at = r.OptInt(15);
  a.outcome = r.OptText(16);
  return a;
}

std::mutex observers_mutex;
std::vector<AlertStepObserver>& Observers() {
  static std::vector<AlertStepObserver> observers;
  return observers;
}

void AppendStep(store::Session& s, std::int64_t alert_id, const std::optional<std::int64_t>& actor_user_id,
                const std::string& actor_name, const StepInput& step, UnixMillis now) {
  std::int64_t seq = s.QueryOne("SELECT COALESCE(MAX(seq), 0) + 1 FROM alert_steps WHERE alert_id = $1", {alert_id})->Int(0);
  s.Execute("INSERT INTO alert_steps (alert_id, seq, at, actor_user_id, actor_name, action, target, outcome, note) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {alert_id, seq, now, store::Opt(actor_user_id), actor_name, step.action, step.target, step.outcome, step.note});
  std::vector<AlertStepObserver> observers;
  {
    std::lock_guard<std::mutex> lock(observers_mutex);
    observers = Observers();
  }
  if (observers.empty()) return;
  auto alert = s.QueryOne("SELECT person_id, kind, text FROM alerts WHERE id = $1", {alert_id});
  AlertStepEvent event{alert_id, alert->Int(0), alert->Text(1), alert->Text(2), step.action, step.target,
                       step.outcome, step.note, now};
  for (const auto& observer : observers) observer(s, event);
}

// Loads the alert for a change, locked on PostgreSQL; 404 outside the tenant, 409 closed.
Alert ForChange(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id) {
  auto row = s.QueryOne(fmt::format("SELECT id, state, claimed_by, level FROM alerts WHERE id = $1 AND tenant_id = $2{}",
                                    s.ForUpdate()),
                        {alert_id, tenant_id});
  if (!row) Fail(ErrorCode::kNotFound, "not_found", "no such alert");
  Alert a;
  a.id = row->Int(0);
  a.state = row->Text(1);
  a.claimed_by = row->OptInt(2);
  a.level = static_cast<int>(row->Int(3));
  if (a.state == "closed") Fail(ErrorCode::kConflict, "closed", "this alert is already closed");
  return a;
}

struct StepRule {
  std::string_view action;
  std::array<std::string_view, 4> outcomes;  // empty = free
  int level;                                 // the level this step belongs to (0: any)
};
constexpr StepRule kSteps[] = {
    {"call_resident", {"fine", "needs_help", "no_answer", ""}, 1},
    {"call_family", {"reached", "no_answer", "", ""}, 2},
    {"handover_city", {"", "", "", ""}, 3},
    {"city_visit", {"fine", "needs_help", "not_home", ""}, 3},
    {"call_119", {"", "", "", ""}, 4},
    {"note", {"", "", "", ""}, 0},
};

constexpr std::string_view kOutcomes[] = {"resident_fine", "family_handled", "city_handled", "transported",
                                          "false_alarm", "other"};

}  // namespace

void ObserveAlertSteps(AlertStepObserver observer) {
  std::lock_guard<std::mutex> lock(observers_mutex);
  Observers().push_back(std::move(observer));
}

void NotifyAlertOpened(store::Session& s, std::int64_t alert_id, UnixMillis now) {
  auto a = s.QueryOne("SELECT a.tenant_id, a.person_id, a.kind, a.text, a.urgency, p.family_name, p.given_name "
                      "FROM alerts a JOIN persons p ON p.id = a.person_id WHERE a.id = $1", {alert_id});
  if (!a) return;
  std::int64_t tenant = a->Int(0), person = a->Int(1);
  std::string name = registry::JoinName(a->Text(5), a->Text(6));
  std::string subject = fmt::format("【もーやっこ見守り】{}さん", name);
  std::string body = fmt::format("{}さんの見守りセンサーでアラートが発生しました。\n\n{}\n\n対応状況は、もーやっこの見守り画面でご確認ください。",
                                 name, a->Text(3));
  // The call centre and the city in the municipality, and the family of this person only.
  for (const store::Row& r : s.Query(
           "SELECT u.id, np.address FROM users u JOIN notify_preferences np ON np.user_id = u.id AND np.channel = 'email' "
           "WHERE u.disabled = 0 AND ((u.tenant_id = $1 AND u.role IN ('call_operator', 'city_officer')) OR "
           "u.id IN (SELECT user_id FROM family_links WHERE person_id = $2))", {tenant, person})) {
    notify::Enqueue(s, {tenant, "email", r.Text(1), subject, body, fmt::format("alert:{}:opened:user:{}", alert_id, r.Int(0)), ""},
                    now);
  }
  nlohmann::json event = {{"event", "watch.alert.opened"}, {"alert", alert_id}, {"person", person},
                          {"kind", a->Text(2)}, {"urgency", a->Int(4)}, {"text", a->Text(3)}};
  for (const store::Row& r : s.Query("SELECT id, url, secret FROM notify_webhooks WHERE tenant_id = $1", {tenant})) {
    notify::Enqueue(s, {tenant, "webhook", r.Text(1), "", event.dump(), fmt::format("alert:{}:opened:webhook:{}", alert_id, r.Int(0)),
                        r.Text(2)}, now);
  }
}

std::optional<std::int64_t> OpenAlert(store::Session& s, std::int64_t household_id, const Finding& finding,
                                      UnixMillis now, const EscalationTimers& timers) {
  std::string key = fmt::format("{}:{}", household_id, ToString(finding.kind));
  if (s.QueryOne("SELECT 1 FROM alerts WHERE open_key = $1", {key})) return std::nullopt;
  if (!finding.episode.empty() &&
      s.QueryOne("SELECT 1 FROM alerts WHERE household_id = $1 AND kind = $2 AND episode = $3",
                 {household_id, std::string(ToString(finding.kind)), finding.episode})) {
    return std::nullopt;
  }
  auto household = s.QueryOne("SELECT tenant_id, person_id FROM households WHERE id = $1", {household_id});
  if (!household) Fail(ErrorCode::kNotFound, "not_found", "no such household");
  std::int64_t id = s.QueryOne(
      "INSERT INTO alerts (tenant_id, household_id, person_id, kind, urgency, text, evidence, state, level, open_key, "
      "opened_at, timer_at, updated_at, episode) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', 1, $8, $9, $10, $9, $11) "
      "RETURNING id",
      {household->Int(0), household_id, household->Int(1), std::string(ToString(finding.kind)),
       std::int64_t{finding.urgency}, finding.text, finding.evidence.dump(), key, now,
       now + timers.renotify_unclaimed, finding.episode})->Int(0);
  AppendStep(s, id, std::nullopt, "system", {"opened", "", "", finding.text}, now);
  NotifyAlertOpened(s, id, now);
  return id;
}

std::vector<Alert> ListAlerts(store::Session& s, const AlertQuery& q) {
  std::string sql = std::string(kColumns) + "WHERE a.tenant_id = $1";
  std::vector<store::Value> params{q.tenant_id, std::int64_t{std::clamp(q.limit, 1, 500)}};
  if (q.open_only) sql += " AND a.state <> 'closed'";
  if (q.household_id) {
    params.emplace_back(*q.household_id);
    sql += " AND a.household_id = $3";
  }
  sql += q.open_only ? " ORDER BY a.urgency DESC, a.level DESC, a.opened_at, a.id LIMIT $2"
                     : " ORDER BY a.opened_at DESC, a.id DESC LIMIT $2";
  std::vector<Alert> alerts;
  for (const store::Row& row : s.Query(sql, params)) alerts.push_back(FromRow(row));
  return alerts;
}

std::optional<Alert> GetAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id) {
  auto row = s.QueryOne(std::string(kColumns) + "WHERE a.id = $1 AND a.tenant_id = $2", {alert_id, tenant_id});
  if (!row) return std::nullopt;
  Alert alert = FromRow(*row);
  for (const store::Row& r : s.Query("SELECT seq, at, actor_user_id, actor_name, action, target, outcome, note "
                                     "FROM alert_steps WHERE alert_id = $1 ORDER BY seq", {alert_id})) {
    alert.steps.push_back({static_cast<int>(r.Int(0)), r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5),
                           r.Text(6), r.Text(7)});
  }
  return alert;
}

void ClaimAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor, UnixMillis now,
                const EscalationTimers& timers) {
  Alert alert = ForChange(s, tenant_id, alert_id);
  if (alert.claimed_by && *alert.claimed_by != actor.user_id) {
    Fail(ErrorCode::kConflict, "already_claimed", "another operator is working on this alert");
  }
  // Conditional: of two operators claiming at once, exactly one update matches.
  if (s.Execute("UPDATE alerts SET state = CASE WHEN state = 'open' THEN 'claimed' ELSE state END, claimed_by = $2, "
                "claimed_at = $3, timer_at = $4, updated_at = $3 WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2)",
                {alert_id, actor.user_id, now, now + timers.escalate_idle}) != 1) {
    Fail(ErrorCode::kConflict, "already_claimed", "another operator is working on this alert");
  }
  AppendStep(s, alert_id, actor.user_id, actor.name, {"claim", "", "", ""}, now);
}

void RecordStep(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor,
                const StepInput& step, UnixMillis now, const EscalationTimers& timers) {
  const StepRule* rule = nullptr;
  for (const StepRule& candidate : kSteps) {
    if (candidate.action == step.action) rule = &candidate;
  }
  if (!rule) {
    Fail(ErrorCode::kInvalidArgument, "invalid_action",
         "action: call_resident, call_family, handover_city, city_visit, call_119 or note", "action");
  }
  if (!rule->outcomes[0].empty() &&
      (step.outcome.empty() || std::find(rule->outcomes.begin(), rule->outcomes.end(), step.outcome) == rule->outcomes.end())) {
    Fail(ErrorCode::kInvalidArgument, "invalid_outcome", fmt::format("outcome is not valid for {}", step.action), "outcome");
  }
  for (const auto& [value, field, max] : {std::tuple{&step.note, "note", 2000}, {&step.target, "target", 200}}) {
    if (!IsValidUtf8(*value) || Utf8Length(*value) > static_cast<std::size_t>(max)) {
      Fail(ErrorCode::kInvalidArgument, "too_long", fmt::format("{}: at most {} characters", field, max), field);
    }
  }
  if (step.action == "note" && step.note.empty()) Fail(ErrorCode::kInvalidArgument, "missing", "note is required", "note");
  Alert alert = ForChange(s, tenant_id, alert_id);
  bool city_step = step.action == "city_visit";
  if (city_step && actor.role != "city_officer" && actor.role != "admin") {
    Fail(ErrorCode::kForbidden, "city_only", "the visit result is recorded by the city", "action");
  }
  if (step.action == "handover_city" && alert.state == "city") {
    Fail(ErrorCode::kConflict, "already_with_city", "the city already has this alert");
  }
  if (!city_step && actor.role == "call_operator" && alert.claimed_by != actor.user_id) {
    Fail(ErrorCode::kConflict, "not_claimed", "claim the alert before recording calls");
  }
  // The alert moves to the level the step belongs to, never back.
  int level = std::max(alert.level, rule->level);
  std::string state = alert.state;
  if (step.action == "handover_city") state = "city";
  if (step.action == "call_119") level = 4;
  s.Execute("UPDATE alerts SET level = $2, state = $3, timer_at = $4, updated_at = $5 WHERE id = $1",
            {alert_id, std::int64_t{level}, state, now + timers.escalate_idle, now});
  AppendStep(s, alert_id, actor.user_id, actor.name, step, now);
}

void CloseAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor,
                const std::string& outcome, const std::string& note, UnixMillis now) {
  if (std::find(std::begin(kOutcomes), std::end(kOutcomes), outcome) == std::end(kOutcomes)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_outcome",
         "outcome: resident_fine, family_handled, city_handled, transported, false_alarm or other", "outcome");
  }
  if (!IsValidUtf8(note) || Utf8Length(note) > 2000) Fail(ErrorCode::kInvalidArgument, "too_long", "note: at most 2000 characters", "note");
  Alert alert = ForChange(s, tenant_id, alert_id);
  if (actor.role == "call_operator" && alert.claimed_by != actor.user_id) {
    Fail(ErrorCode::kConflict, "not_claimed", "claim the alert before closing it");
  }
  s.Execute("UPDATE alerts SET state = 'closed', open_key = NULL, closed_at = $2, outcome = $3, timer_at = NULL, "
            "updated_at = $2 WHERE id = $1", {alert_id, now, outcome});
  AppendStep(s, alert_id, actor.user_id, actor.name, {"close", "", outcome, note}, now);
}

std::vector<std::int64_t> FireAlertTimers(store::Session& s, UnixMillis now, const TimersFor& timers_for) {
  std::vector<std::int64_t> fired;
  std::string lock = s.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  for (const store::Row& row : s.Query("SELECT id, state, level, timer_at, tenant_id, household_id FROM alerts "
                                       "WHERE timer_at <= $1 ORDER BY timer_at LIMIT 100" + lock, {now})) {
    std::int64_t id = row.Int(0);
    EscalationTimers timers = timers_for ? timers_for(row.Int(4), row.Int(5)) : EscalationTimers{};
    int level = static_cast<int>(row.Int(2));
    // Unclaimed, or already at the last level: remind rather than escalate.
    bool unclaimed = row.Text(1) == "open" || level >= 4;
    UnixMillis due = row.Int(3);
    int next_level = unclaimed ? level : std::min(level + 1, 4);
    UnixMillis next = now + (unclaimed ? timers.renotify_unclaimed : timers.escalate_idle);
    // Guarded by the old timer: a second node that read the same row changes nothing.
    if (s.Execute("UPDATE alerts SET timer_at = $2, level = $3, updated_at = $4 WHERE id = $1 AND timer_at = $5",
                  {id, next, std::int64_t{next_level}, now, due}) != 1) {
      continue;
    }
    StepInput step = unclaimed ? StepInput{"renotify", "", "", "未対応のため再通知"}
                               : StepInput{"escalate", std::to_string(next_level), "",
                                           fmt::format("{}分進展がないため次の段階へ", timers.escalate_idle / 60000)};
    AppendStep(s, id, std::nullopt, "system", step, now);
    fired.push_back(id);
  }
  return fired;
}

nlohmann::json AlertJson(const Alert& a) {
  auto opt_time = [](const std::optional<UnixMillis>& t) { return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"id", a.id}, {"household", a.household_id}, {"person", a.person_id}, {"kind", a.kind},
                      {"urgency", a.urgency}, {"text", a.text}, {"evidence", a.evidence}, {"state", a.state},
                      {"level", a.level}, {"opened_at", FormatRfc3339(a.opened_at)},
                      {"updated_at", FormatRfc3339(a.updated_at)},
                      {"claimed_by", a.claimed_by ? nlohmann::json{{"id", *a.claimed_by}, {"name", a.claimed_by_name.value_or("")}}
                                                  : nlohmann::json(nullptr)},
                      {"closed_at", opt_time(a.closed_at)}, {"next_timer_at", opt_time(a.timer_at)},
                      {"outcome", a.outcome ? nlohmann::json(*a.outcome) : nlohmann::json(nullptr)}};
  if (!a.steps.empty()) {
    nlohmann::json steps = nlohmann::json::array();
    for (const AlertStep& st : a.steps) {
      steps.push_back({{"seq", st.seq}, {"at", FormatRfc3339(st.at)}, {"actor", st.actor_name},
                       {"action", st.action}, {"target", st.target}, {"outcome", st.outcome}, {"note", st.note}});
    }
    j["steps"] = steps;
  }
  return j;
}

}  // namespace moyakko::watch
