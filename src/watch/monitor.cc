#include "watch/monitor.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/error.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kDay = 24 * kHour;

// Mean openings on the same weekday over the last four weeks, from local midnight to the
// same time of day: what "usual" means in a no-activity alert.
double UsualOpenings(store::Session& s, std::int64_t household_id, UnixMillis day_start, UnixMillis now) {
  double total = 0;
  for (int week = 1; week <= 4; ++week) {
    UnixMillis shift = week * 7 * kDay;
    total += static_cast<double>(s.QueryOne("SELECT COALESCE(SUM(openings), 0) FROM door_hourly WHERE household_id = $1 "
                                            "AND hour_at >= $2 AND hour_at < $3",
                                            {household_id, day_start - shift, now - shift})->Int(0));
  }
  return total / 4;
}

}  // namespace

Thresholds LoadThresholds(store::Session& s, std::int64_t tenant_id, std::int64_t household_id) {
  Thresholds thresholds;
  for (const store::Row& row : s.Query("SELECT settings FROM watch_thresholds WHERE tenant_id = $1 AND "
                                       "household_id IN (0, $2) ORDER BY household_id", {tenant_id, household_id})) {
    try {
      ApplySettings(thresholds, nlohmann::json::parse(row.Text(0)));
    } catch (const Failure& f) {
      // Stored settings that no longer fit the other level's: the rest still apply, and
      // the household keeps being watched.
      spdlog::warn("watch thresholds of household {} skipped: {}", household_id, f.error().message);
    }
  }
  return thresholds;
}

std::vector<std::int64_t> EvaluateHousehold(store::Session& s, std::int64_t household_id, UnixMillis now) {
  auto row = s.QueryOne(
      "SELECT h.created_at, st.last_upload_at, st.last_opening_at, st.door_open, st.last_door_at, st.temperature, "
      "st.humidity, st.battery, t.time_zone, h.tenant_id FROM households h JOIN tenants t ON t.id = h.tenant_id "
      "LEFT JOIN household_state st ON st.household_id = h.id WHERE h.id = $1", {household_id});
  if (!row) return {};
  std::string zone = row->Text(8);
  Thresholds thresholds = LoadThresholds(s, row->Int(9), household_id);
  thresholds.utc_offset_minutes = UtcOffsetMinutes(now, zone);
  HouseholdFacts facts;
  facts.watched_since = row->Int(0);
  facts.last_upload_at = row->OptInt(1);
  facts.last_opening_at = row->OptInt(2);
  facts.door_open = row->Int(3) != 0;
  facts.door_state_at = row->OptInt(4);
  facts.temperature = row->OptReal(5);
  facts.humidity = row->OptReal(6);
  facts.battery = row->OptReal(7);
  std::vector<Finding> findings = Evaluate(thresholds, facts, now);
  std::vector<std::int64_t> opened;
  for (Finding& finding : findings) {
    if (finding.kind == AlertKind::kNoActivity) {
      facts.usual_openings_now = UsualOpenings(s, household_id, StartOfLocalDay(now, zone), now);
      finding = [&] {
        for (Finding& again : Evaluate(thresholds, facts, now)) {
          if (again.kind == AlertKind::kNoActivity) return again;
        }
        return finding;
      }();
    }
    if (auto id = OpenAlert(s, household_id, finding, now)) opened.push_back(*id);
  }
  auto next = NextDeadline(thresholds, facts, now);
  s.Execute("DELETE FROM watch_deadlines WHERE household_id = $1", {household_id});
  if (next) s.Execute("INSERT INTO watch_deadlines (household_id, due_at) VALUES ($1, $2)", {household_id, *next});
  return opened;
}

MonitorPass RunMonitorPass(store::Session& s, UnixMillis now) {
  MonitorPass pass;
  std::string lock = s.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  for (const store::Row& due : s.Query("SELECT household_id FROM watch_deadlines WHERE due_at <= $1 "
                                       "ORDER BY due_at LIMIT 500" + lock, {now})) {
    std::int64_t household = due.Int(0);
    pass.households_evaluated.push_back(household);
    for (std::int64_t id : EvaluateHousehold(s, household, now)) pass.alerts_opened.push_back(id);
  }
  pass.alert_timers_fired = FireAlertTimers(s, now);
  return pass;
}

Monitor::Monitor(store::Database& db, http::EventHub& events, const Clock& clock, notify::Sender* sender)
    : db_(db), events_(events), clock_(clock), sender_(sender) {}

Monitor::~Monitor() { Stop(); }

void Monitor::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Loop(); });
}

void Monitor::Stop() {
  if (!running_.exchange(false)) return;
  if (thread_.joinable()) thread_.join();
}

void Monitor::Loop() {
  while (running_) {
    try {
      MonitorPass pass = db_.Write([&](store::Session& s) { return RunMonitorPass(s, clock_.Now()); });
      PublishAlerts(db_, events_, pass.alerts_opened, "opened");
      PublishAlerts(db_, events_, pass.alert_timers_fired, "timer");
      if (sender_) notify::DeliverDue(db_, *sender_, clock_.Now());
    } catch (const Failure& f) {
      spdlog::warn("watch monitor: {} {}", f.error().slug, f.error().internal);
    } catch (const std::exception& e) {
      spdlog::error("watch monitor: {}", e.what());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

void PublishAlerts(store::Database& db, http::EventHub& events, const std::vector<std::int64_t>& alert_ids,
                   const std::string& reason) {
  for (std::int64_t id : alert_ids) {
    auto row = db.Read([&](store::Session& s) {
      return s.QueryOne("SELECT tenant_id, household_id, kind, urgency, state FROM alerts WHERE id = $1", {id});
    });
    if (!row) continue;
    nlohmann::json data = {{"alert", id}, {"household", row->Int(1)}, {"kind", row->Text(2)},
                           {"urgency", row->Int(3)}, {"state", row->Text(4)}, {"reason", reason}};
    events.Publish({"watch.alert", data.dump(), row->Int(0), std::nullopt, kWatchRoles});
  }
}

}  // namespace moyakko::watch
