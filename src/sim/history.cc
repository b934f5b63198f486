#include "sim/history.h"

#include <algorithm>
#include <cmath>

#include "watch/rules.h"

namespace moyakko::sim {
namespace {

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;

// Relative likelihood of opening the fridge in each local hour, for the cohort: the seed's
// peaks at 6:30–7:30, 12:00 and 17:00–18:00.
constexpr double kCohortHourly[24] = {0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.6, 2.4, 1.0, 0.8, 0.9, 1.4,
                                      2.0, 1.0, 0.7, 0.8, 1.1, 2.0, 2.2, 1.2, 0.9, 0.6, 0.3, 0.15};

bool Covers(const Anomaly& a, UnixMillis at) { return at >= a.start && at < a.end; }

}  // namespace

std::string_view ToString(AnomalyKind kind) {
  switch (kind) {
    case AnomalyKind::kCollapse: return "collapse";
    case AnomalyKind::kHeat: return "heat";
    case AnomalyKind::kDoorLeftOpen: return "door_left_open";
    case AnomalyKind::kAbsence: return "absence";
    case AnomalyKind::kSlowDecline: return "slow_decline";
    case AnomalyKind::kNightWandering: return "night_wandering";
  }
  return "unknown";
}

std::vector<watch::Reading> GenerateHistory(const Persona& p, std::span<const Anomaly> anomalies, UnixMillis from,
                                            UnixMillis to, int utc_offset_minutes, std::mt19937& rng,
                                            std::int64_t first_seq) {
  std::vector<watch::Reading> events;
  std::normal_distribution<double> per_day(p.openings_per_day, p.day_to_day_sd);
  std::uniform_real_distribution<double> unit(0, 1);
  auto active = [&](AnomalyKind kind, UnixMillis at) {
    return std::any_of(anomalies.begin(), anomalies.end(), [&](const Anomaly& a) { return a.kind == kind && Covers(a, at); });
  };
  // Nobody opens and closes the door: collapsed, away, or the door already stands open.
  auto no_openings = [&](UnixMillis at) {
    return active(AnomalyKind::kCollapse, at) || active(AnomalyKind::kAbsence, at) || active(AnomalyKind::kDoorLeftOpen, at);
  };
  auto decline = [&](UnixMillis at) {
    double factor = 1;
    for (const Anomaly& a : anomalies) {
      if (a.kind == AnomalyKind::kSlowDecline && at >= a.start) {
        factor = std::min(factor, 1 - 2.0 / 3 * std::min(1.0, static_cast<double>(at - a.start) / (21 * kDay)));
      }
    }
    return factor;
  };
  auto door = [&](UnixMillis at, UnixMillis open_for) {
    if (at < from || at >= to) return;
    events.push_back({0, at, watch::ReadingKind::kDoor, 1});
    if (at + open_for < to) events.push_back({0, at + open_for, watch::ReadingKind::kDoor, 0});
  };
  double weights[24];
  for (int h = 0; h < 24; ++h) weights[h] = kCohortHourly[h] + (p.night_owl && (h <= 4 || h >= 23) ? 1.2 : 0);
  std::discrete_distribution<int> hour_of(std::begin(weights), std::end(weights));

  for (UnixMillis day = LocalMidnight(from, utc_offset_minutes); day < to; day += kDay) {
    int weekday = watch::HourOfWeek(utc_offset_minutes, day) / 24;
    bool away = std::find(p.away_weekdays.begin(), p.away_weekdays.end(), weekday) != p.away_weekdays.end();
    int openings = away ? 0 : std::max(3, static_cast<int>(std::lround(per_day(rng) * decline(day + 12 * kHour))));
    for (int i = 0; i < openings; ++i) {
      UnixMillis at = day + hour_of(rng) * kHour + static_cast<UnixMillis>(unit(rng) * kHour) + p.shift_minutes * kMinute;
      if (!no_openings(at)) door(at, static_cast<UnixMillis>(20000 + unit(rng) * 60000));
    }
    for (const Anomaly& a : anomalies) {  // wandering between midnight and 04:00
      if (a.kind != AnomalyKind::kNightWandering || !Covers(a, day)) continue;
      int wanderings = std::uniform_int_distribution<int>(6, 12)(rng);
      for (int i = 0; i < wanderings; ++i) door(day + static_cast<UnixMillis>(unit(rng) * 4 * kHour), 30000);
    }
    for (UnixMillis at = day; at < day + kDay; at += p.climate_every_minutes * kMinute) {
      if (at < from || at >= to) continue;
      double hour = static_cast<double>(at - day) / kHour;
      double celsius = p.room_celsius + 4 * std::sin((hour - 9) / 24 * 2 * M_PI) + unit(rng);
      double humidity = 45 + 10 * unit(rng);
      if (active(AnomalyKind::kHeat, at)) {
        celsius = 32.5 + 1.5 * unit(rng);
        humidity = 65 + 10 * unit(rng);
      }
      events.push_back({0, at, watch::ReadingKind::kTemperature, std::round(celsius * 10) / 10});
      events.push_back({0, at, watch::ReadingKind::kHumidity, std::round(humidity)});
    }
    UnixMillis battery_at = day + 8 * kHour;
    if (battery_at >= from && battery_at < to) {
      events.push_back({0, battery_at, watch::ReadingKind::kBattery, std::round(95 - (battery_at - from) / kDay * 0.1)});
    }
  }
  for (const Anomaly& a : anomalies) {
    if (a.kind == AnomalyKind::kDoorLeftOpen) door(a.start, a.end - a.start);
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  for (watch::Reading& r : events) r.seq = first_seq++;
  return events;
}

Persona RandomPersona(std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  Persona p;
  p.openings_per_day = 15 + 25 * unit(rng);
  p.day_to_day_sd = 0.18 * p.openings_per_day;
  p.shift_minutes = std::uniform_int_distribution<int>(-40, 40)(rng);
  p.night_owl = unit(rng) < 0.08;
  if (unit(rng) < 0.07) {  // a weekly short stay of one or two days
    int first = std::uniform_int_distribution<int>(0, 6)(rng);
    p.away_weekdays = {first};
    if (unit(rng) < 0.5) p.away_weekdays.push_back((first + 1) % 7);
  }
  p.room_celsius = 14 + 5 * unit(rng);
  return p;
}

Anomaly RandomAnomaly(AnomalyKind kind, UnixMillis earliest, UnixMillis latest, int utc_offset_minutes,
                      std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  UnixMillis day = LocalMidnight(earliest + static_cast<UnixMillis>(unit(rng) * static_cast<double>(latest - earliest)),
                                 utc_offset_minutes);
  auto between = [&](double from_hours, double to_hours) {
    return static_cast<UnixMillis>((from_hours + (to_hours - from_hours) * unit(rng)) * kHour);
  };
  switch (kind) {
    case AnomalyKind::kCollapse: {  // in waking hours, found a day later
      UnixMillis start = day + between(7, 20);
      return {kind, start, start + kDay};
    }
    case AnomalyKind::kHeat: {
      UnixMillis start = day + between(11, 15);
      return {kind, start, start + between(4, 8)};
    }
    case AnomalyKind::kDoorLeftOpen: {
      UnixMillis start = day + between(7, 21);
      return {kind, start, start + between(1, 4)};
    }
    case AnomalyKind::kAbsence: {
      UnixMillis start = day + between(8, 18);
      return {kind, start, start + between(48, 96)};
    }
    case AnomalyKind::kSlowDecline: return {kind, day, day + 45 * kDay};
    case AnomalyKind::kNightWandering:
      return {kind, day, day + std::uniform_int_distribution<int>(3, 7)(rng) * kDay};
  }
  return {kind, day, day};
}

}  // namespace moyakko::sim
