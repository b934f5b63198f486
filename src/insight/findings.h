#pragma once
// Findings: what a professional should notice in a person's life rhythm, each in plain
// Japanese and English with the numbers behind it and a suggestion for the next visit.
// They are hints for a conversation, not diagnoses. Pure: profiles in, findings out.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "insight/profile.h"

namespace moyakko::insight {

struct Finding {
  std::string code;  // weekday_dip, no_night_activity, night_activity, late_night_weekday,
                     // meal_irregular, decline, low_vs_cohort, silent_days
  std::string text, text_en;
  std::string suggestion, suggestion_en;
  nlohmann::json evidence;
};

struct FindingInputs {
  const Period& period;
  const Profile& person;
  const Rhythm& rhythm;
  const Profile& first_half;   // the person over the period's first and second halves
  const Profile& second_half;
  const Profile& cohort;       // summed over its households
  int cohort_households = 0;
};
std::vector<Finding> FindAll(const FindingInputs& in);
// Whether a finding asks something of the team (posted to its timeline by the daily
// analysis) or is an observation that only the profile shows ("no openings at night").
bool CallsForAttention(const Finding& finding);

// The period's first and second halves (the second has the odd day).
std::pair<Period, Period> Halves(const Period& period);

// A robust weekly trend: Theil–Sen slope of openings per day, week by week (weeks with at
// least 4 days in the period), and the Mann–Kendall test's one-sided p-value for a fall.
struct Trend {
  int weeks = 0;
  double start = 0, end = 0;  // fitted openings per day in the first and last week
  double p_falling = 1;
};
std::optional<Trend> WeeklyTrend(const std::vector<Week>& weeks);
// A decline is called when the fall is significant (p < 0.01) and at least 30 % over the
// weeks: one in a few hundred stable households a quarter (measured, docs/performance.md).
inline constexpr double kDeclineP = 0.01;
inline constexpr double kDeclineShare = 0.3;
inline constexpr int kDeclineMinWeeks = 6;

}  // namespace moyakko::insight
