#pragma once
// What analytics read and keep: a household's and a cohort's hourly openings, hourly room
// climate, named groups, and the findings of the daily analysis with their discussion.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "insight/findings.h"
#include "insight/profile.h"
#include "store/database.h"

namespace moyakko::insight {

struct HouseholdRef {
  std::int64_t id = 0, tenant_id = 0, person_id = 0;
  std::string name, kana, district;
};
std::optional<HouseholdRef> FindHousehold(store::Session& s, std::int64_t household_id);

// A cohort to compare with: "tenant" (every household of the municipality),
// "district:<name>", or "group:<id>".
struct Cohort {
  std::string id, name;
  std::string district;        // for district cohorts
  std::int64_t group_id = 0;   // for groups
  int households = 0;
};
std::vector<Cohort> ListCohorts(store::Session& s, std::int64_t tenant_id);
// nullopt when `id` names no cohort of this municipality.
std::optional<Cohort> FindCohort(store::Session& s, std::int64_t tenant_id, const std::string& id);

std::vector<HourCount> HouseholdCounts(store::Session& s, std::int64_t household_id, const Period& period);
std::vector<HourCount> CohortCounts(store::Session& s, std::int64_t tenant_id, const Cohort& cohort, const Period& period);

// Mean temperature and humidity by local hour of day (nullopt: no reading in that hour).
struct Climate {
  std::array<std::optional<double>, 24> temperature, humidity;
};
Climate ClimateByHour(store::Session& s, std::int64_t household_id, const Period& period, const std::string& time_zone);

// Everything the profile API answers, read and worked out for one household and cohort.
struct Analysis {
  HouseholdRef household;
  std::string time_zone;
  Period period;
  Profile person, cohort;
  Cohort cohort_info;
  Rhythm rhythm;
  Climate climate;
  std::vector<Finding> findings;
};
Analysis Analyse(store::Session& s, const HouseholdRef& household, const Period& period, const Cohort& cohort,
                 const std::string& time_zone);

// A group of households of the municipality, by name (409 if the name is taken; 400 naming
// "households" for one not of this municipality).
Cohort AddGroup(store::Session& s, std::int64_t tenant_id, const std::string& name,
                const std::vector<std::int64_t>& households, std::int64_t created_by, UnixMillis now);

struct RecordedFinding {
  std::int64_t id = 0, household_id = 0, person_id = 0;
  Finding finding;
  std::string from, to;
  UnixMillis found_at = 0;
  std::optional<UnixMillis> discussed_at;
  std::string discussed_by, discussed_note;
};
std::vector<RecordedFinding> RecordedFindings(store::Session& s, std::int64_t household_id);
std::optional<RecordedFinding> FindRecorded(store::Session& s, std::int64_t finding_id);
void MarkDiscussed(store::Session& s, std::int64_t finding_id, std::int64_t user_id, const std::string& note,
                   UnixMillis now);

// The daily analysis: once a local day per municipality (from 09:00, after the gateways'
// 08:00 upload has brought in the evening before), each household's last 28 days are
// analysed against the municipality; a finding not recorded for the household in the last
// 28 days is recorded and posted to the person's care-team timeline. Returns the posts made
// (person, post) for live updates.
inline constexpr int kDailyWindowDays = 28;
inline constexpr int kDailyAnalysisHour = 9;
struct PostedFinding {
  std::int64_t person_id = 0, post_id = 0;
  std::vector<std::int64_t> notify_users;
};
// `any_hour`: also before 09:00 (for the demo town).
std::vector<PostedFinding> RunDailyAnalysis(store::Database& db, UnixMillis now, bool any_hour = false);

}  // namespace moyakko::insight
