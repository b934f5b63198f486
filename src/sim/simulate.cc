#include "sim/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "common/error.h"
#include "registry/persons.h"
#include "watch/monitor.h"
#include "watch/store.h"

namespace moyakko::sim {
namespace {

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;
constexpr int kHouseholdsPerTransaction = 100;  // bulk loading: one commit per hundred homes

struct Name {
  const char *name, *kana;
};
constexpr Name kFamilyNames[] = {{"佐藤", "サトウ"},   {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"},
                                 {"伊藤", "イトウ"},   {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"},
                                 {"小林", "コバヤシ"}, {"加藤", "カトウ"}, {"水野", "ミズノ"},   {"近藤", "コンドウ"}};
constexpr Name kGivenNames[] = {{"花子", "ハナコ"}, {"節子", "セツコ"}, {"和子", "カズコ"}, {"幸子", "サチコ"},
                                {"清", "キヨシ"},   {"茂", "シゲル"},   {"正雄", "マサオ"}, {"武", "タケシ"}};

std::int64_t EnsureTenant(store::Session& s, const std::string& code, UnixMillis now) {
  if (auto row = s.QueryOne("SELECT id FROM tenants WHERE code = $1", {code})) return row->Int(0);
  return s.QueryOne("INSERT INTO tenants (code, name, name_kana, time_zone, created_at) "
                    "VALUES ($1, 'シミュレーション市', 'シミュレーションシ', 'Asia/Tokyo', $2) RETURNING id", {code, now})->Int(0);
}

watch::DeviceIdentity AddResident(store::Session& s, std::int64_t tenant_id, int index, UnixMillis since,
                                  std::mt19937& rng) {
  const Name& family = kFamilyNames[rng() % std::size(kFamilyNames)];
  const Name& given = kGivenNames[rng() % std::size(kGivenNames)];
  registry::Person person;
  person.tenant_id = tenant_id;
  person.family_name = family.name;
  person.given_name = given.name;
  person.family_kana = family.kana;
  person.given_kana = given.kana;
  person.birth_date = fmt::format("19{}-0{}-1{}", 30 + rng() % 20, 1 + rng() % 9, rng() % 10);
  person.address = fmt::format("シミュレーション市 {}番地", index + 1);
  person.district = fmt::format("第{}地区", index % 10 + 1);
  std::int64_t person_id = registry::AddPerson(s, person, since);
  std::int64_t household = watch::AddHousehold(
      s, {.tenant_id = tenant_id, .person_id = person_id,
          .contacts = {{"family", fmt::format("{} 家族", family.name), "長男", fmt::format("090-0000-{:04}", index % 10000)},
                       {"city", "高齢者福祉課", "", "0561-00-0000"}},
          .plan_name = "見守り", .plan_monthly_yen = 980, .plan_started_on = std::nullopt},
      since);
  watch::DeviceCredential credential = watch::AddDevice(s, tenant_id, household, since);
  return *watch::FindDeviceByToken(s, credential.token);
}

std::vector<UnixMillis> UploadTimes(Gateway gateway, UnixMillis from, UnixMillis to, int utc_offset_minutes) {
  std::vector<UnixMillis> times;
  if (gateway == Gateway::kHourly) {
    for (UnixMillis at = from / kHour * kHour + kHour; at <= to; at += kHour) times.push_back(at);
    return times;
  }
  for (UnixMillis day = LocalMidnight(from, utc_offset_minutes); day <= to; day += kDay) {
    for (int hour : {8, 14}) {
      if (day + hour * kHour > from && day + hour * kHour <= to) times.push_back(day + hour * kHour);
    }
  }
  return times;
}

// The household's history as it would have arrived: each upload carries what the sensor saw
// since the previous one, the monitor runs every deadline that passes between uploads, and a
// simulated operator closes each alert an hour after it opened.
void Replay(store::Session& s, const watch::DeviceIdentity& device, const std::vector<watch::Reading>& readings,
            const std::vector<UnixMillis>& uploads) {
  auto settle = [&](UnixMillis now) {
    s.Execute("UPDATE alerts SET state = 'closed', open_key = NULL, closed_at = $2, outcome = 'simulated', "
              "timer_at = NULL, updated_at = $2 WHERE household_id = $1 AND open_key IS NOT NULL AND opened_at <= $3",
              {device.household_id, now, now - kHour});
  };
  auto next = readings.begin();
  for (UnixMillis upload : uploads) {
    while (true) {
      auto due = s.QueryOne("SELECT due_at FROM watch_deadlines WHERE household_id = $1", {device.household_id});
      if (!due || due->Int(0) >= upload) break;
      settle(due->Int(0));
      watch::EvaluateHousehold(s, device.household_id, due->Int(0), true);
    }
    auto last = std::find_if(next, readings.end(), [&](const watch::Reading& r) { return r.at > upload; });
    std::vector<watch::Reading> batch(next, last);
    next = last;
    settle(upload);
    watch::StoreReadings(s, device, batch, upload);
    watch::EvaluateHousehold(s, device.household_id, upload);
  }
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5)];
}

void MeasureDetection(store::Session& s, std::int64_t tenant_id, const std::set<std::int64_t>& ours, UnixMillis learnt_at,
                      SimulationReport& report) {
  std::map<std::int64_t, const GroundTruth*> truth_of;
  for (const GroundTruth& t : report.truth) truth_of[t.household_id] = &t;
  std::map<const GroundTruth*, UnixMillis> first_alert;
  for (const store::Row& a : s.Query("SELECT household_id, kind, opened_at FROM alerts WHERE tenant_id = $1 "
                                     "ORDER BY opened_at", {tenant_id})) {
    if (!ours.count(a.Int(0))) continue;
    ++report.alerts;
    auto found = truth_of.find(a.Int(0));
    const GroundTruth* truth = found == truth_of.end() ? nullptr : found->second;
    UnixMillis opened = a.Int(2);
    bool during = truth && opened >= truth->anomaly.start && opened <= truth->anomaly.end + MatchingTail(a.Text(1));
    if (during && AlertPointsTo(a.Text(1), truth->anomaly.kind)) {
      first_alert.emplace(truth, opened);  // keeps the earliest
    } else {
      ++report.false_alarms[a.Text(1)];
      if (opened < learnt_at) ++report.false_alarms_learning;
    }
  }
  for (AnomalyKind kind : kAnomalyKinds) {
    DetectionRow row{std::string(ToString(kind))};
    std::vector<double> delays;
    for (const GroundTruth& t : report.truth) {
      if (t.anomaly.kind != kind) continue;
      ++row.injected;
      if (auto found = first_alert.find(&t); found != first_alert.end()) {
        ++row.detected;
        delays.push_back(static_cast<double>(found->second - t.anomaly.start) / kHour);
      }
    }
    row.median_delay_hours = Percentile(delays, 0.5);
    row.p90_delay_hours = Percentile(delays, 0.9);
    if (row.injected) report.detection.push_back(row);
  }
}

}  // namespace

UnixMillis MatchingTail(std::string_view alert_kind) { return alert_kind == "low_activity" ? 7 * kDay : kDay; }

bool AlertPointsTo(std::string_view alert_kind, AnomalyKind anomaly) {
  switch (anomaly) {
    case AnomalyKind::kCollapse:
    case AnomalyKind::kAbsence:
    case AnomalyKind::kSlowDecline: return alert_kind == "no_activity" || alert_kind == "low_activity";
    case AnomalyKind::kHeat: return alert_kind == "heat";
    case AnomalyKind::kDoorLeftOpen: return alert_kind == "door_left_open";
    case AnomalyKind::kNightWandering: return alert_kind == "night_activity";
  }
  return false;
}

SimulationReport Simulate(store::Database& db, const SimulateOptions& o) {
  if (o.households < 1 || o.households > 200000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_households", "--households: 1–200000", "households");
  }
  if (o.days < 1 || o.days > 400) Fail(ErrorCode::kInvalidArgument, "invalid_days", "--days: 1–400", "days");
  // Anomalies start once the person's rhythm is known (four weeks) and slow decline needs
  // three more weeks to show.
  if (o.anomalies && o.days < 50) {
    Fail(ErrorCode::kInvalidArgument, "invalid_days", "--anomalies needs --days of 50 or more", "days");
  }
  auto started = std::chrono::steady_clock::now();
  SimulationReport report;
  // A replay measures the rules, so the same seed must give the same table on every run: its
  // period ends at a fixed instant. Households for benchmarks end now, with fresh data.
  constexpr UnixMillis kReplayEnd = 1767538800000;  // 2026-01-05 00:00 in Japan, a Monday
  UnixMillis end = o.end ? o.end : o.evaluate ? kReplayEnd : SystemClock().Now();
  UnixMillis from = end - o.days * kDay;
  constexpr int kJapan = 9 * 60;  // the simulated town's zone, Asia/Tokyo
  std::mt19937 rng(o.seed);
  watch::Thresholds checked;
  watch::ApplySettings(checked, o.thresholds);  // 400 naming the setting, before anything is written
  std::int64_t tenant_id = db.Write([&](store::Session& s) {
    std::int64_t id = EnsureTenant(s, o.tenant_code, end);
    if (!o.thresholds.empty()) {
      s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, 0, $2, $3) "
                "ON CONFLICT (tenant_id, household_id) DO UPDATE SET settings = excluded.settings, "
                "updated_at = excluded.updated_at", {id, o.thresholds.dump(), end});
    }
    return id;
  });
  int existing = static_cast<int>(db.Read([&](store::Session& s) {
    return s.QueryOne("SELECT COUNT(*) FROM households WHERE tenant_id = $1", {tenant_id})->Int(0);
  }));
  std::vector<UnixMillis> uploads = UploadTimes(o.gateway, from, end, kJapan);
  int per_transaction = o.evaluate ? 1 : kHouseholdsPerTransaction;
  std::set<std::int64_t> created;  // this run's households: only their alerts are measured
  for (int first = 0; first < o.households; first += per_transaction) {
    db.Write([&](store::Session& s) {
      for (int i = first; i < std::min(o.households, first + per_transaction); ++i) {
        watch::DeviceIdentity device = AddResident(s, tenant_id, existing + i, from, rng);
        created.insert(device.household_id);
        Persona persona = RandomPersona(rng);
        persona.climate_every_minutes = o.gateway == Gateway::kHourly ? 60 : 120;
        std::vector<Anomaly> anomalies;
        if (o.anomalies) {
          AnomalyKind kind = kAnomalyKinds[i % std::size(kAnomalyKinds)];
          UnixMillis latest = end - (kind == AnomalyKind::kSlowDecline ? 21 : 5) * kDay;
          anomalies.push_back(RandomAnomaly(kind, from + 28 * kDay, latest, kJapan, rng));
          report.truth.push_back({device.household_id, anomalies.back()});
        }
        std::vector<watch::Reading> readings = GenerateHistory(persona, anomalies, from, end, kJapan, rng);
        report.readings += static_cast<std::int64_t>(readings.size());
        if (o.evaluate) {
          Replay(s, device, readings, uploads);
        } else {
          watch::StoreReadings(s, device, readings, uploads.empty() ? end : uploads.back());
          watch::EvaluateHousehold(s, device.household_id, end);
        }
      }
    });
  }
  report.households = o.households;
  report.household_days = static_cast<double>(o.households) * o.days;
  // A rhythm is known once a week lies before the most recent week.
  UnixMillis learnt_at = from + watch::kRhythmGap + watch::kRhythmMinDays * kDay;
  report.learning_household_days = static_cast<double>(o.households) * std::min(o.days, 14);
  if (o.evaluate) db.Read([&](store::Session& s) { MeasureDetection(s, tenant_id, created, learnt_at, report); });
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

nlohmann::json ToJson(const SimulationReport& r) {
  nlohmann::json truth = nlohmann::json::array();
  for (const GroundTruth& t : r.truth) {
    truth.push_back({{"household", t.household_id}, {"kind", ToString(t.anomaly.kind)},
                     {"start", FormatRfc3339(t.anomaly.start)}, {"end", FormatRfc3339(t.anomaly.end)}});
  }
  nlohmann::json detection = nlohmann::json::array();
  for (const DetectionRow& d : r.detection) {
    detection.push_back({{"kind", d.kind}, {"injected", d.injected}, {"detected", d.detected},
                         {"median_delay_hours", d.median_delay_hours}, {"p90_delay_hours", d.p90_delay_hours}});
  }
  int false_alarms = 0;
  for (const auto& [kind, n] : r.false_alarms) false_alarms += n;
  return {{"households", r.households}, {"readings", r.readings}, {"household_days", r.household_days},
          {"seconds", r.seconds}, {"truth", truth}, {"detection", detection}, {"alerts", r.alerts},
          {"false_alarms", r.false_alarms}, {"false_alarms_total", false_alarms},
          {"false_alarms_per_30_household_months", r.household_days > 0 ? false_alarms * 900.0 / r.household_days : 0},
          {"false_alarms_learning", r.false_alarms_learning}, {"learning_household_days", r.learning_household_days}};
}

std::string DetectionTable(const SimulationReport& r) {
  std::string table = "| anomaly | injected | detected | median delay | p90 delay |\n|---|---:|---:|---:|---:|\n";
  for (const DetectionRow& d : r.detection) {
    table += fmt::format("| {} | {} | {} | {:.1f} h | {:.1f} h |\n", d.kind, d.injected, d.detected,
                         d.median_delay_hours, d.p90_delay_hours);
  }
  int false_alarms = 0;
  std::string kinds;
  for (const auto& [kind, n] : r.false_alarms) {
    false_alarms += n;
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, n);
  }
  double learnt_days = r.household_days - r.learning_household_days;
  table += fmt::format("\nFalse alarms: {} in {:.0f} household-days = {:.2f} per 30 household-months{}\n", false_alarms,
                       r.household_days, r.household_days > 0 ? false_alarms * 900.0 / r.household_days : 0,
                       kinds.empty() ? "" : " (" + kinds + ")");
  table += fmt::format("  of which {} in the first two weeks (rhythms being learnt); after them {:.2f} per 30 "
                       "household-months\n", r.false_alarms_learning,
                       learnt_days > 0 ? (false_alarms - r.false_alarms_learning) * 900.0 / learnt_days : 0);
  return table;
}

}  // namespace moyakko::sim
