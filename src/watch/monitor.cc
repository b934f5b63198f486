#include "watch/monitor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>

#include "common/error.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kDay = 24 * kHour;

// The household's rhythm as stored (`row` from column `at` on: for_day, days, hourly; NULL
// when none is), or computed again and stored when asked to refresh one of an earlier day.
UsualRhythm LoadRhythm(store::Session& s, std::int64_t household_id, UnixMillis now, const std::string& zone,
                       bool refresh, const store::Row& row, std::size_t at) {
  UnixMillis today = StartOfLocalDay(now, zone);
  if (!row.IsNull(at) && (!refresh || row.Int(at) >= today)) {
    UsualRhythm rhythm;
    rhythm.days = static_cast<int>(row.Int(at + 1));
    std::string stored = row.Text(at + 2);
    if (!ReadHourlyMeans(stored, rhythm.hourly)) {
      nlohmann::json hourly = nlohmann::json::parse(stored);
      for (std::size_t i = 0; i < rhythm.hourly.size() && i < hourly.size(); ++i) rhythm.hourly[i] = hourly[i].get<double>();
    }
    return rhythm;
  }
  UsualRhythm rhythm = ComputeRhythm(s, household_id, now, zone);
  nlohmann::json hourly = nlohmann::json::array();
  for (double mean : rhythm.hourly) hourly.push_back(std::round(mean * 1000) / 1000);
  s.Execute("INSERT INTO household_rhythm (household_id, for_day, days, hourly) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (household_id) DO UPDATE SET for_day = excluded.for_day, days = excluded.days, "
            "hourly = excluded.hourly", {household_id, today, std::int64_t{rhythm.days}, hourly.dump()});
  return rhythm;
}

// The counts the baseline rules compare with the rhythm, in one pass over the last week.
void CountRecentOpenings(store::Session& s, std::int64_t household_id, const Thresholds& t, HouseholdFacts& f) {
  // door_hourly rows are whole UTC hours: a window starts with the hour it starts in.
  Window day = LastDay(*f.last_upload_at), week = LastWeek(*f.last_upload_at);
  Window night = LastNight(t, *f.last_upload_at).value_or(Window{0, 0});
  auto counts = s.QueryOne(
      "SELECT COALESCE(SUM(openings), 0), COALESCE(SUM(CASE WHEN hour_at >= $4 THEN openings ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN hour_at >= $5 AND hour_at < $6 THEN openings ELSE 0 END), 0) "
      "FROM door_hourly WHERE household_id = $1 AND hour_at >= $2 AND hour_at < $3",
      {household_id, StartOfHour(week.from), week.to, StartOfHour(day.from), StartOfHour(night.from), night.to});
  f.openings_last_week = counts->Int(0);
  f.openings_last_day = counts->Int(1);
  f.openings_last_night = counts->Int(2);
}

}  // namespace

bool ReadHourlyMeans(std::string_view stored, std::array<double, 168>& hourly) {
  if (stored.size() < 2 || stored.front() != '[' || stored.back() != ']') return false;
  const char* at = stored.data() + 1;
  const char* end = stored.data() + stored.size() - 1;
  for (std::size_t i = 0; at < end; ++i) {
    if (i == hourly.size()) return false;
    auto [next, error] = std::from_chars(at, end, hourly[i]);
    if (error != std::errc()) return false;
    if (next == end) return true;
    if (*next != ',' || next + 1 == end) return false;
    at = next + 1;
  }
  return true;
}

EscalationTimers TimersForAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id) {
  auto alert = s.QueryOne("SELECT household_id FROM alerts WHERE id = $1 AND tenant_id = $2", {alert_id, tenant_id});
  return EscalationTimersOf(LoadThresholds(s, tenant_id, alert ? alert->Int(0) : 0));
}

UsualRhythm ComputeRhythm(store::Session& s, std::int64_t household_id, UnixMillis now, const std::string& zone) {
  UsualRhythm rhythm;
  UnixMillis end = StartOfLocalDay(now, zone) - kRhythmGap;
  UnixMillis start = end - kRhythmWeeks * 7 * kDay;
  auto first = s.QueryOne("SELECT MIN(hour_at) FROM door_hourly WHERE household_id = $1", {household_id});
  if (!first || !first->OptInt(0) || *first->OptInt(0) >= end) return rhythm;
  start = std::max(start, StartOfHour(*first->OptInt(0)));
  rhythm.days = static_cast<int>((end - start) / kDay);
  if (rhythm.days < 1) return rhythm;
  int offset = UtcOffsetMinutes(now, zone);
  // Four samples an hour of the week are too few to judge silences by; how many openings a
  // weekday brings (a weekly short stay) times the shape of the person's day is steadier.
  std::array<double, 7> per_weekday{};
  std::array<double, 24> per_hour{};
  std::array<int, 7> weekdays_seen{};
  for (UnixMillis at = start; at < end; at += kHour) {
    int hour_of_week = HourOfWeek(offset, at);
    if (hour_of_week % 24 == 0) ++weekdays_seen[hour_of_week / 24];
  }
  double total = 0;
  for (const store::Row& row : s.Query("SELECT hour_at, openings FROM door_hourly WHERE household_id = $1 "
                                       "AND hour_at >= $2 AND hour_at < $3", {household_id, start, end})) {
    int hour_of_week = HourOfWeek(offset, row.Int(0));
    auto openings = static_cast<double>(row.Int(1));
    per_weekday[hour_of_week / 24] += openings;
    per_hour[hour_of_week % 24] += openings;
    total += openings;
  }
  for (int i = 0; i < 168 && total > 0; ++i) {
    int weekday = i / 24;
    double day_mean = weekdays_seen[weekday] ? per_weekday[weekday] / weekdays_seen[weekday] : total / rhythm.days;
    rhythm.hourly[i] = day_mean * per_hour[i % 24] / total;
  }
  return rhythm;
}

namespace {

// The municipality's settings, then the household's (either may be missing), over the defaults.
Thresholds ThresholdsOf(std::int64_t household_id, std::initializer_list<std::optional<std::string>> settings) {
  Thresholds thresholds;
  for (const auto& stored : settings) {
    if (!stored) continue;
    try {
      ApplySettings(thresholds, nlohmann::json::parse(*stored));
    } catch (const Failure& f) {
      // Stored settings that no longer fit the other level's: the rest still apply, and
      // the household keeps being watched.
      spdlog::warn("watch thresholds of household {} skipped: {}", household_id, f.error().message);
    }
  }
  return thresholds;
}

std::optional<std::string> OptText(const store::Row& row, std::size_t column) {
  return row.IsNull(column) ? std::nullopt : std::optional(row.Text(column));
}

}  // namespace

Thresholds LoadThresholds(store::Session& s, std::int64_t tenant_id, std::int64_t household_id) {
  auto row = s.QueryOne("SELECT (SELECT settings FROM watch_thresholds WHERE tenant_id = $1 AND household_id = 0), "
                        "(SELECT settings FROM watch_thresholds WHERE tenant_id = $1 AND household_id = $2)",
                        {tenant_id, household_id});
  return ThresholdsOf(household_id, {OptText(*row, 0), household_id ? OptText(*row, 1) : std::nullopt});
}

std::string HouseholdFactsQuery(std::string_view state) {
  // All the rules need in one statement (a round trip each on PostgreSQL, at every upload).
  return fmt::format(
      "SELECT h.created_at, st.last_upload_at, st.last_opening_at, st.door_open, st.last_door_at, st.temperature, "
      "st.humidity, st.battery, t.time_zone, h.tenant_id, "
      "(SELECT settings FROM watch_thresholds w WHERE w.tenant_id = h.tenant_id AND w.household_id = 0), "
      "(SELECT settings FROM watch_thresholds w WHERE w.tenant_id = h.tenant_id AND w.household_id = h.id), "
      "r.for_day, r.days, r.hourly "
      "FROM households h JOIN tenants t ON t.id = h.tenant_id "
      "LEFT JOIN {} ON st.household_id = h.id "
      "LEFT JOIN household_rhythm r ON r.household_id = h.id WHERE h.id = $1",
      state);
}

std::vector<std::int64_t> EvaluateHousehold(store::Session& s, std::int64_t household_id, UnixMillis now,
                                            bool refresh_rhythm, const store::Row* read) {
  std::optional<store::Row> row;
  if (read) row = *read;
  else {
    static const std::string kFacts = HouseholdFactsQuery();
    row = s.QueryOne(kFacts, {household_id});
  }
  if (!row) return {};
  std::string zone = row->Text(8);
  Thresholds thresholds = ThresholdsOf(household_id, {OptText(*row, 10), OptText(*row, 11)});
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
  facts.usual = LoadRhythm(s, household_id, now, zone, refresh_rhythm, *row, 12);
  if (facts.usual.known() && facts.last_upload_at) CountRecentOpenings(s, household_id, thresholds, facts);
  std::vector<std::int64_t> opened;
  for (const Finding& finding : Evaluate(thresholds, facts, now)) {
    if (auto id = OpenAlert(s, household_id, finding, now, EscalationTimersOf(thresholds))) opened.push_back(*id);
  }
  auto next = NextDeadline(thresholds, facts, now);
  if (next) {
    s.Execute("INSERT INTO watch_deadlines (household_id, due_at) VALUES ($1, $2) "
              "ON CONFLICT (household_id) DO UPDATE SET due_at = excluded.due_at",
              {household_id, *next});
  } else {
    s.Execute("DELETE FROM watch_deadlines WHERE household_id = $1", {household_id});
  }
  return opened;
}

MonitorPass RunMonitorPass(store::Session& s, UnixMillis now) {
  MonitorPass pass;
  std::string lock = s.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  for (const store::Row& due : s.Query("SELECT household_id FROM watch_deadlines WHERE due_at <= $1 "
                                       "ORDER BY due_at LIMIT 500" + lock, {now})) {
    std::int64_t household = due.Int(0);
    pass.households_evaluated.push_back(household);
    for (std::int64_t id : EvaluateHousehold(s, household, now, true)) pass.alerts_opened.push_back(id);
  }
  pass.alert_timers_fired = FireAlertTimers(s, now, [&s](std::int64_t tenant_id, std::int64_t household_id) {
    return EscalationTimersOf(LoadThresholds(s, tenant_id, household_id));
  });
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
