#include "insight/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "watch/rules.h"

namespace moyakko::insight {
namespace {

constexpr const char* kWeekdayJa[] = {"月", "火", "水", "木", "金", "土", "日"};
constexpr const char* kWeekdayEn[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

double Round1(double value) { return std::round(value * 10) / 10; }
double Round3(double value) { return std::round(value * 1000) / 1000; }

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// How many times each weekday occurs in the period.
std::array<int, 7> WeekdayOccurrences(const Period& period) {
  std::array<int, 7> occurrences{};
  for (int weekday : period.weekdays) ++occurrences[weekday];
  return occurrences;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : separator) + part;
  return joined;
}

std::string Percent(double share) { return fmt::format("{:.0f}%", share * 100); }

double ShareIn(const Profile& profile, const std::vector<Window>& windows) {
  if (!profile.total) return 0;
  std::int64_t in = 0;
  for (const Window& w : windows) {
    for (int hour = w.from_hour; hour < w.to_hour; ++hour) in += profile.hourly[hour];
  }
  return static_cast<double>(in) / static_cast<double>(profile.total);
}

void WeekdayDip(const FindingInputs& in, std::vector<Finding>& out) {
  auto occurrences = WeekdayOccurrences(in.period);
  if (*std::min_element(occurrences.begin(), occurrences.end()) < 2) return;
  std::array<double, 7> rate{};
  for (int d = 0; d < 7; ++d) rate[d] = static_cast<double>(in.person.weekday[d]) / occurrences[d];
  double median = Median({rate.begin(), rate.end()});
  if (median < 2) return;  // too few openings to compare days
  std::vector<std::string> ja, en;
  std::vector<std::string> shares;
  nlohmann::json weekdays = nlohmann::json::array(), openings = nlohmann::json::array();
  for (int d = 0; d < 7; ++d) {
    if (rate[d] >= 0.6 * median) continue;
    ja.push_back(kWeekdayJa[d]);
    en.push_back(kWeekdayEn[d]);
    shares.push_back(Percent(rate[d] / median));
    weekdays.push_back(d);
    openings.push_back(in.person.weekday[d]);
  }
  if (ja.empty()) return;
  out.push_back({"weekday_dip",
                 fmt::format("{}曜日の開閉が他の曜日より少なくなっています（普段の曜日の{}）", Join(ja, "・"), Join(shares, "・")),
                 fmt::format("Far fewer openings on {} ({} of a usual day)", Join(en, "/"), Join(shares, ", ")),
                 "その曜日にショートステイ・デイサービス・家族宅への外泊などがないか確認してください",
                 "Ask whether the person is away on those days (short stay, day care, family)",
                 {{"weekdays", weekdays}, {"openings", openings}, {"weekday_openings", in.person.weekday},
                  {"usual_per_day", Round1(median)}}});
}

void Night(const FindingInputs& in, std::vector<Finding>& out) {
  std::int64_t night = std::accumulate(in.person.hourly.begin() + kNightFromHour,
                                       in.person.hourly.begin() + kNightToHour, std::int64_t{0});
  double share = NightShare(in.person.hourly), cohort_share = NightShare(in.cohort.hourly);
  nlohmann::json evidence = {{"night_openings", night}, {"night_share", Round3(share)},
                             {"cohort_night_share", Round3(cohort_share)},
                             {"from", "00:00"}, {"to", "05:00"}};
  if (night == 0 && in.period.days() >= 7 && in.person.total >= 5LL * in.period.days()) {
    out.push_back({"no_night_activity", "夜間（0:00〜5:00）の開閉はありません",
                   "No openings at night (0:00–5:00)",
                   "夜はよく眠れている様子です。睡眠や夜間のトイレについて変化がないか、次の訪問で確かめてください",
                   "Nights look undisturbed; check at the next visit that sleep has not changed", evidence});
  } else if (night >= 5 && share >= std::max(3 * cohort_share, 0.08)) {
    out.push_back({"night_activity",
                   fmt::format("夜間（0:00〜5:00）の開閉が全体の{}を占めています（比較集団は{}）", Percent(share), Percent(cohort_share)),
                   fmt::format("{} of openings are at night (0:00–5:00), against {} in the cohort", Percent(share), Percent(cohort_share)),
                   "眠れていない・昼夜逆転の可能性があります。次の訪問で睡眠について尋ねてください",
                   "Possible poor sleep or a reversed day; ask about sleep at the next visit", evidence});
  }
}

void LateNightWeekday(const FindingInputs& in, std::vector<Finding>& out) {
  auto occurrences = WeekdayOccurrences(in.period);
  if (*std::min_element(occurrences.begin(), occurrences.end()) < 2) return;
  // The night after day d: 22:00–24:00 of d and 0:00–2:00 of the next day.
  std::array<std::int64_t, 7> late{};
  std::array<double, 7> rate{};
  for (int d = 0; d < 7; ++d) {
    const auto& evening = in.person.by_hour_weekday[d];
    const auto& morning = in.person.by_hour_weekday[(d + 1) % 7];
    late[d] = evening[22] + evening[23] + morning[0] + morning[1];
    rate[d] = static_cast<double>(late[d]) / occurrences[d];
  }
  for (int d = 0; d < 7; ++d) {
    double others = 0;
    for (int o = 0; o < 7; ++o) others += o == d ? 0 : rate[o] / 6;
    // Far above the other nights, and more than chance: a few openings after midnight on
    // the day back from a short stay are not a pattern.
    double expected = std::max(others, 0.25) * occurrences[d];
    if (late[d] < 4 || rate[d] < 3 * std::max(others, 0.25) || watch::PoissonTailAtLeast(late[d], expected) >= 0.001) {
      continue;
    }
    out.push_back({"late_night_weekday",
                   fmt::format("{}曜日の夜遅く（22時〜翌2時）の開閉が多くなっています（1晩{:.1f}回、他の曜日は{:.1f}回）",
                               kWeekdayJa[d], rate[d], others),
                   fmt::format("Many openings late on {} nights (22:00–2:00): {:.1f} a night, {:.1f} on other nights",
                               kWeekdayEn[d], rate[d], others),
                   "日中の活動が少なく眠りが浅い可能性があります。その日の過ごし方を尋ね、日中の運動や地域活動への参加を勧めてみてください",
                   "Little activity in the day may be leading to poor sleep; ask about that day and suggest exercise "
                   "or community activities",
                   {{"weekday", d}, {"openings", late[d]}, {"per_night", Round1(rate[d])}, {"other_nights", Round1(others)}}});
  }
}

void MealRegularity(const FindingInputs& in, std::vector<Finding>& out) {
  if (in.period.days() < 28 || in.second_half.total < 50) return;
  std::vector<Window> meals = BusyWindows(in.first_half.hourly);
  if (meals.empty()) return;
  double before = ShareIn(in.first_half, meals), after = ShareIn(in.second_half, meals);
  if (before - after < 0.15) return;
  out.push_back({"meal_irregular",
                 fmt::format("食事どきの開閉の集中が弱まっています（期間前半{} → 後半{}）", Percent(before), Percent(after)),
                 fmt::format("Openings are less concentrated at meal times (first half {}, second half {})",
                             Percent(before), Percent(after)),
                 "食事の時間が不規則になっていないか、食欲や食事の準備について確認してください",
                 "Check whether meal times have become irregular; ask about appetite and preparing meals",
                 {{"share_before", Round3(before)}, {"share_after", Round3(after)}}});
}

void Decline(const FindingInputs& in, std::vector<Finding>& out) {
  auto trend = WeeklyTrend(in.person.weekly);
  if (!trend || trend->weeks < kDeclineMinWeeks || trend->p_falling >= kDeclineP || trend->start <= 0) return;
  double fall = (trend->start - trend->end) / trend->start;
  if (fall < kDeclineShare) return;
  out.push_back({"decline",
                 fmt::format("この{}週間で冷蔵庫の開閉が減り続けています（1日{:.1f}回 → {:.1f}回、{}減）", trend->weeks,
                             trend->start, trend->end, Percent(fall)),
                 fmt::format("Openings have fallen steadily over {} weeks ({:.1f} → {:.1f} a day, down {})", trend->weeks,
                             trend->start, trend->end, Percent(fall)),
                 "食欲の低下、体調の変化、気分の落ち込みがないか確認してください。認知機能の変化の兆しのこともあります",
                 "Ask about appetite, health and mood; it can also be an early sign of cognitive change",
                 {{"weeks", trend->weeks}, {"per_day_start", Round1(trend->start)}, {"per_day_end", Round1(trend->end)},
                  {"p_value", trend->p_falling}}});
}

void LowVersusCohort(const FindingInputs& in, std::vector<Finding>& out) {
  if (in.cohort_households < 5 || in.period.days() < 7) return;
  double days = in.period.days();
  double person = static_cast<double>(in.person.total) / days;
  double cohort = static_cast<double>(in.cohort.total) / in.cohort_households / days;
  if (cohort <= 0 || person >= 0.5 * cohort || in.person.total == 0) return;
  out.push_back({"low_vs_cohort",
                 fmt::format("1日の開閉回数が比較集団の平均の半分以下です（1日{:.1f}回、平均{:.1f}回）", person, cohort),
                 fmt::format("Fewer than half the cohort's openings a day ({:.1f} against {:.1f})", person, cohort),
                 "活動量が少ない可能性があります。運動や地域のサロン・通いの場への参加を勧めてみてください",
                 "Activity may be low; suggest exercise or taking part in a community salon",
                 {{"per_day", Round1(person)}, {"cohort_per_day", Round1(cohort)}, {"households", in.cohort_households}}});
}

void SilentDays(const FindingInputs& in, std::vector<Finding>& out) {
  if (in.rhythm.silent_days.empty()) return;
  std::vector<std::string> dates;
  for (int day : in.rhythm.silent_days) dates.push_back(in.period.dates[day]);
  std::vector<std::string> short_dates;
  for (const std::string& date : dates) {
    short_dates.push_back(fmt::format("{}/{}", std::stoi(date.substr(5, 2)), std::stoi(date.substr(8, 2))));
  }
  out.push_back({"silent_days",
                 fmt::format("開閉が1回もない日がありました（{}）", Join(short_dates, "、")),
                 fmt::format("Days without a single opening ({})", Join(short_dates, ", ")),
                 "その日の様子（外出・入院・体調不良・センサーの不調）を確認してください",
                 "Find out what happened on those days (away, in hospital, unwell, or a sensor fault)",
                 {{"dates", dates}}});
}

}  // namespace

std::pair<Period, Period> Halves(const Period& period) {
  int half = period.days() / 2;
  auto slice = [&](int from, int to) {
    Period part;
    part.dates.assign(period.dates.begin() + from, period.dates.begin() + to);
    part.weekdays.assign(period.weekdays.begin() + from, period.weekdays.begin() + to);
    part.starts.assign(period.starts.begin() + from, period.starts.begin() + to + 1);
    part.from = part.dates.empty() ? period.from : part.dates.front();
    part.to = part.dates.empty() ? period.from : part.dates.back();
    return part;
  };
  return {slice(0, half), slice(half, period.days())};
}

std::optional<Trend> WeeklyTrend(const std::vector<Week>& weeks) {
  std::vector<double> x;
  for (const Week& week : weeks) {
    if (week.days >= 4) x.push_back(static_cast<double>(week.openings) / week.days);
  }
  int n = static_cast<int>(x.size());
  if (n < 3) return std::nullopt;
  std::vector<double> slopes;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      slopes.push_back((x[j] - x[i]) / (j - i));
      s += (x[j] > x[i]) - (x[j] < x[i]);
    }
  }
  double slope = Median(slopes);
  std::vector<double> intercepts;
  for (int i = 0; i < n; ++i) intercepts.push_back(x[i] - slope * i);
  double intercept = Median(intercepts);
  // Mann–Kendall: the variance of S without ties (counts of openings rarely tie exactly).
  double variance = n * (n - 1.0) * (2 * n + 5.0) / 18;
  double z = s < 0 ? (s + 1) / std::sqrt(variance) : (s > 0 ? (s - 1) / std::sqrt(variance) : 0);
  Trend trend;
  trend.weeks = n;
  trend.start = intercept;
  trend.end = intercept + slope * (n - 1);
  trend.p_falling = 0.5 * std::erfc(-z / std::sqrt(2.0));  // P(Z <= z)
  return trend;
}

bool CallsForAttention(const Finding& finding) { return finding.code != "no_night_activity"; }

std::vector<Finding> FindAll(const FindingInputs& in) {
  std::vector<Finding> findings;
  WeekdayDip(in, findings);
  Night(in, findings);
  LateNightWeekday(in, findings);
  MealRegularity(in, findings);
  Decline(in, findings);
  LowVersusCohort(in, findings);
  SilentDays(in, findings);
  return findings;
}

}  // namespace moyakko::insight
