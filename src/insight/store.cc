#include "insight/store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "carenet/timeline.h"
#include "common/error.h"
#include "registry/persons.h"
#include "watch/readings.h"

namespace moyakko::insight {
namespace {

constexpr UnixMillis kDay = 24 * 3600 * 1000LL;

std::vector<HourCount> Counts(const store::Rows& rows) {
  std::vector<HourCount> counts;
  counts.reserve(rows.size());
  for (const store::Row& r : rows) counts.push_back({r.Int(0), r.Int(1)});
  return counts;
}

RecordedFinding RecordedFrom(const store::Row& r) {
  RecordedFinding f;
  f.id = r.Int(0);
  f.household_id = r.Int(1);
  f.finding = {r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), nlohmann::json::parse(r.Text(7), nullptr, false)};
  f.from = r.Text(8);
  f.to = r.Text(9);
  f.found_at = r.Int(10);
  f.discussed_at = r.OptInt(11);
  f.discussed_by = r.IsNull(12) ? "" : r.Text(12);
  f.discussed_note = r.Text(13);
  f.person_id = r.Int(14);
  return f;
}

constexpr const char* kRecordedColumns =
    "SELECT f.id, f.household_id, f.code, f.text, f.text_en, f.suggestion, f.suggestion_en, f.evidence, f.period_from, "
    "f.period_to, f.found_at, f.discussed_at, u.display_name, f.discussed_note, h.person_id FROM insight_findings f "
    "JOIN households h ON h.id = f.household_id LEFT JOIN users u ON u.id = f.discussed_by ";

}  // namespace

std::optional<HouseholdRef> FindHousehold(store::Session& s, std::int64_t household_id) {
  auto r = s.QueryOne("SELECT h.id, h.tenant_id, p.id, p.family_name, p.given_name, p.family_kana, p.given_kana, "
                      "p.district FROM households h JOIN persons p ON p.id = h.person_id WHERE h.id = $1",
                      {household_id});
  if (!r) return std::nullopt;
  return HouseholdRef{r->Int(0), r->Int(1), r->Int(2), registry::JoinName(r->Text(3), r->Text(4)),
                      registry::JoinName(r->Text(5), r->Text(6)), r->Text(7)};
}

std::vector<Cohort> ListCohorts(store::Session& s, std::int64_t tenant_id) {
  std::vector<Cohort> cohorts;
  auto tenant = FindCohort(s, tenant_id, "tenant");
  if (!tenant) return cohorts;
  cohorts.push_back(std::move(*tenant));
  for (const store::Row& r : s.Query("SELECT p.district, COUNT(*) FROM households h JOIN persons p ON p.id = h.person_id "
                                     "WHERE h.tenant_id = $1 AND p.district <> '' GROUP BY p.district ORDER BY p.district",
                                     {tenant_id})) {
    cohorts.push_back({"district:" + r.Text(0), r.Text(0), r.Text(0), 0, static_cast<int>(r.Int(1))});
  }
  for (const store::Row& r : s.Query("SELECT g.id, g.name, (SELECT COUNT(*) FROM insight_group_members m WHERE "
                                     "m.group_id = g.id) FROM insight_groups g WHERE g.tenant_id = $1 ORDER BY g.name",
                                     {tenant_id})) {
    cohorts.push_back({fmt::format("group:{}", r.Int(0)), r.Text(1), "", r.Int(0), static_cast<int>(r.Int(2))});
  }
  return cohorts;
}

std::optional<Cohort> FindCohort(store::Session& s, std::int64_t tenant_id, const std::string& id) {
  // Only the cohort asked for is counted: every profile names one.
  if (id == "tenant") {
    auto r = s.QueryOne("SELECT t.name, (SELECT COUNT(*) FROM households h WHERE h.tenant_id = t.id) FROM tenants t "
                        "WHERE t.id = $1", {tenant_id});
    if (!r) return std::nullopt;
    return Cohort{"tenant", r->Text(0) + " 全体", "", 0, static_cast<int>(r->Int(1))};
  }
  if (id.starts_with("district:") && id.size() > 9) {
    std::string district = id.substr(9);
    std::int64_t n = s.QueryOne("SELECT COUNT(*) FROM persons p JOIN households h ON h.person_id = p.id WHERE "
                                "p.tenant_id = $1 AND p.district = $2 AND h.tenant_id = $1", {tenant_id, district})->Int(0);
    if (!n) return std::nullopt;
    return Cohort{id, district, district, 0, static_cast<int>(n)};
  }
  std::int64_t group = 0;
  if (!id.starts_with("group:") || std::from_chars(id.data() + 6, id.data() + id.size(), group).ptr != id.data() + id.size()) {
    return std::nullopt;
  }
  auto r = s.QueryOne("SELECT g.name, (SELECT COUNT(*) FROM insight_group_members m WHERE m.group_id = g.id) FROM "
                      "insight_groups g WHERE g.id = $1 AND g.tenant_id = $2", {group, tenant_id});
  if (!r) return std::nullopt;
  return Cohort{id, r->Text(0), "", group, static_cast<int>(r->Int(1))};
}

std::vector<HourCount> HouseholdCounts(store::Session& s, std::int64_t household_id, const Period& period) {
  return Counts(s.Query("SELECT hour_at, openings FROM door_hourly WHERE household_id = $1 AND hour_at >= $2 AND "
                        "hour_at < $3", {household_id, period.begin(), period.end()}));
}

std::vector<HourCount> CohortCounts(store::Session& s, std::int64_t tenant_id, const Cohort& cohort, const Period& period) {
  if (cohort.group_id) {
    return Counts(s.Query("SELECT dh.hour_at, SUM(dh.openings) FROM insight_group_members m JOIN door_hourly dh ON "
                          "dh.household_id = m.household_id WHERE m.group_id = $1 AND dh.hour_at >= $2 AND dh.hour_at < $3 "
                          "GROUP BY dh.hour_at", {cohort.group_id, period.begin(), period.end()}));
  }
  if (!cohort.district.empty()) {
    return Counts(s.Query("SELECT hour_at, openings FROM cohort_hourly WHERE tenant_id = $1 AND district = $2 AND "
                          "hour_at >= $3 AND hour_at < $4", {tenant_id, cohort.district, period.begin(), period.end()}));
  }
  return Counts(s.Query("SELECT hour_at, openings FROM tenant_hourly WHERE tenant_id = $1 AND hour_at >= $2 AND "
                        "hour_at < $3", {tenant_id, period.begin(), period.end()}));
}

Climate ClimateByHour(store::Session& s, std::int64_t household_id, const Period& period, const std::string& time_zone) {
  std::array<double, 24> temperature{}, humidity{};
  std::array<int, 24> temperature_n{}, humidity_n{};
  // Summed by local hour in the database (a year is 100,000 readings and 8,760 hours), one
  // query for each stretch of the period with one offset from UTC (one without summer time).
  UtcOffsets offsets(time_zone);
  for (UnixMillis from = period.begin(); from < period.end();) {
    UnixMillis offset = offsets.MinutesAt(from) * 60000LL;
    UnixMillis until = std::min(offsets.HoldsUntil(), period.end());
    for (const store::Row& r : s.Query("SELECT (at + $6) / 3600000, kind, SUM(value), COUNT(*) FROM readings "
                                       "WHERE household_id = $1 AND at >= $2 AND at < $3 AND kind IN ($4, $5) "
                                       "GROUP BY (at + $6) / 3600000, kind",
                                       {household_id, from, until,
                                        std::int64_t{static_cast<int>(watch::ReadingKind::kTemperature)},
                                        std::int64_t{static_cast<int>(watch::ReadingKind::kHumidity)}, offset})) {
      int hour = static_cast<int>((r.Int(0) % 24 + 24) % 24);
      bool temperature_reading = r.Int(1) == static_cast<int>(watch::ReadingKind::kTemperature);
      (temperature_reading ? temperature : humidity)[hour] += r.Real(2);
      (temperature_reading ? temperature_n : humidity_n)[hour] += static_cast<int>(r.Int(3));
    }
    from = until;
  }
  Climate climate;
  for (int hour = 0; hour < 24; ++hour) {
    if (temperature_n[hour]) climate.temperature[hour] = temperature[hour] / temperature_n[hour];
    if (humidity_n[hour]) climate.humidity[hour] = humidity[hour] / humidity_n[hour];
  }
  return climate;
}

namespace {

// A person's side of an analysis, against a cohort's profile read once for many.
struct PersonPart {
  Profile profile;
  Rhythm rhythm;
  std::vector<Finding> findings;
};
PersonPart ReadPerson(store::Session& s, std::int64_t household_id, const Period& period, const Profile& cohort,
                      int cohort_households, const std::string& time_zone) {
  std::vector<HourCount> counts = HouseholdCounts(s, household_id, period);
  PersonPart part;
  part.profile = BuildProfile(period, counts, time_zone);
  part.rhythm = ReadRhythm(period, part.profile);
  auto [first, second] = Halves(period);
  part.findings = FindAll({period, part.profile, part.rhythm, BuildProfile(first, counts, time_zone),
                           BuildProfile(second, counts, time_zone), cohort, cohort_households});
  return part;
}

}  // namespace

Analysis Analyse(store::Session& s, const HouseholdRef& household, const Period& period, const Cohort& cohort,
                 const std::string& time_zone) {
  Analysis a{household, time_zone, period, {}, {}, cohort, {}, {}, {}};
  a.cohort = BuildProfile(period, CohortCounts(s, household.tenant_id, cohort, period), time_zone);
  PersonPart person = ReadPerson(s, household.id, period, a.cohort, cohort.households, time_zone);
  a.person = std::move(person.profile);
  a.rhythm = std::move(person.rhythm);
  a.findings = std::move(person.findings);
  a.climate = ClimateByHour(s, household.id, period, time_zone);
  return a;
}

Cohort AddGroup(store::Session& s, std::int64_t tenant_id, const std::string& name,
                const std::vector<std::int64_t>& households, std::int64_t created_by, UnixMillis now) {
  if (s.QueryOne("SELECT 1 FROM insight_groups WHERE tenant_id = $1 AND name = $2", {tenant_id, name})) {
    Fail(ErrorCode::kConflict, "group_exists", "a group of that name exists", "name");
  }
  std::int64_t id = s.QueryOne("INSERT INTO insight_groups (tenant_id, name, created_by, created_at) VALUES ($1, $2, $3, $4) "
                               "RETURNING id", {tenant_id, name, created_by, now})->Int(0);
  std::vector<std::int64_t> members = households;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  for (std::int64_t household : members) {
    auto row = s.QueryOne("SELECT tenant_id FROM households WHERE id = $1", {household});
    if (!row || row->Int(0) != tenant_id) {
      Fail(ErrorCode::kInvalidArgument, "unknown_household", fmt::format("households: no household {} here", household),
           "households");
    }
    s.Execute("INSERT INTO insight_group_members (group_id, household_id) VALUES ($1, $2)", {id, household});
  }
  return {fmt::format("group:{}", id), name, "", id, static_cast<int>(members.size())};
}

std::vector<RecordedFinding> RecordedFindings(store::Session& s, std::int64_t household_id) {
  std::vector<RecordedFinding> findings;
  for (const store::Row& r : s.Query(std::string(kRecordedColumns) + "WHERE f.household_id = $1 ORDER BY f.found_at DESC, "
                                     "f.id DESC LIMIT 100", {household_id})) {
    findings.push_back(RecordedFrom(r));
  }
  return findings;
}

std::optional<RecordedFinding> FindRecorded(store::Session& s, std::int64_t finding_id) {
  auto r = s.QueryOne(std::string(kRecordedColumns) + "WHERE f.id = $1", {finding_id});
  if (!r) return std::nullopt;
  return RecordedFrom(*r);
}

void MarkDiscussed(store::Session& s, std::int64_t finding_id, std::int64_t user_id, const std::string& note,
                   UnixMillis now) {
  s.Execute("UPDATE insight_findings SET discussed_at = $2, discussed_by = $3, discussed_note = $4 WHERE id = $1",
            {finding_id, now, user_id, note});
}

std::vector<PostedFinding> RunDailyAnalysis(store::Database& db, UnixMillis now, bool any_hour) {
  std::vector<PostedFinding> posted;
  auto tenants = db.Read([](store::Session& s) { return s.Query("SELECT id, time_zone FROM tenants ORDER BY id"); });
  for (const store::Row& tenant : tenants) {
    std::int64_t tenant_id = tenant.Int(0);
    std::string zone = tenant.Text(1);
    std::string today = LocalDate(now, zone);
    // After the morning upload (08:00 and its grace), so that yesterday's evening is in.
    if (!any_hour && now - StartOfLocalDay(now, zone) < kDailyAnalysisHour * 3600000LL) continue;
    // Claimed once per local day, even with several app nodes checking at the same moment.
    bool due = db.Write([&](store::Session& s) {
      if (s.Execute("INSERT INTO insight_runs (tenant_id, last_date) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING",
                    {tenant_id, today}) == 1) {
        return true;
      }
      return s.Execute("UPDATE insight_runs SET last_date = $2 WHERE tenant_id = $1 AND last_date < $2",
                       {tenant_id, today}) == 1;
    });
    if (!due) continue;
    // The last whole days: 28 for the rhythm, 12 weeks for a decline.
    UnixMillis yesterday_noon = StartOfLocalDay(now, zone) - kDay / 2;
    std::string to = LocalDate(yesterday_noon, zone);
    Period recent = MakePeriod(LocalDate(yesterday_noon - (kDailyWindowDays - 1) * kDay, zone), to, zone);
    Period quarter = MakePeriod(LocalDate(yesterday_noon - (12 * 7 - 1) * kDay, zone), to, zone);
    auto households = db.Read([&](store::Session& s) {
      return s.Query("SELECT id, person_id FROM households WHERE tenant_id = $1 ORDER BY id", {tenant_id});
    });
    Cohort cohort = *db.Read([&](store::Session& s) { return FindCohort(s, tenant_id, "tenant"); });
    auto [recent_cohort, quarter_cohort] = db.Read([&](store::Session& s) {
      return std::pair{BuildProfile(recent, CohortCounts(s, tenant_id, cohort, recent), zone),
                       BuildProfile(quarter, CohortCounts(s, tenant_id, cohort, quarter), zone)};
    });
    for (const store::Row& row : households) {
      std::int64_t household_id = row.Int(0), person_id = row.Int(1);
      auto findings = db.Read([&](store::Session& s) {
        std::vector<Finding> findings =
            ReadPerson(s, household_id, recent, recent_cohort, cohort.households, zone).findings;
        std::erase_if(findings, [](const Finding& f) { return f.code == "decline" || !CallsForAttention(f); });
        for (Finding& f : ReadPerson(s, household_id, quarter, quarter_cohort, cohort.households, zone).findings) {
          if (f.code == "decline") findings.push_back(std::move(f));
        }
        return findings;
      });
      if (findings.empty()) continue;
      db.Write([&](store::Session& s) {
        for (const Finding& f : findings) {
          if (s.QueryOne("SELECT 1 FROM insight_findings WHERE household_id = $1 AND code = $2 AND found_at > $3",
                         {household_id, f.code, now - kDailyWindowDays * kDay})) {
            continue;  // already told within the window
          }
          const std::string& from = f.code == "decline" ? quarter.from : recent.from;
          auto post = carenet::AddSystemPost(
              s, person_id, "insight", fmt::format("【生活リズム分析】{}\n{}（{}〜{}）", f.text, f.suggestion, from, to),
              false, std::nullopt, now);
          s.Execute("INSERT INTO insight_findings (tenant_id, household_id, code, period_from, period_to, text, text_en, "
                    "suggestion, suggestion_en, evidence, found_at, post_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                    "$10, $11, $12)",
                    {tenant_id, household_id, f.code, from, to, f.text, f.text_en,
                     f.suggestion, f.suggestion_en, f.evidence.dump(), now,
                     post ? store::Value{post->post_id} : store::Value{store::Null{}}});
          if (post) posted.push_back({person_id, post->post_id, post->notify_users});
        }
      });
    }
    spdlog::info("insight: daily analysis of tenant {} for {} done", tenant_id, to);
  }
  return posted;
}

}  // namespace moyakko::insight
