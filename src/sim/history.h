#pragma once
// Believable fridge-door and room readings for one household: a persona (how much and when
// the resident uses the fridge) and labelled anomalies injected into it. The demo town and
// `moyakko simulate` both draw their histories from here.
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "watch/readings.h"

namespace moyakko::sim {

struct Persona {
  double openings_per_day = 28;
  double day_to_day_sd = 5;
  int shift_minutes = 0;            // the person's whole day earlier (-) or later (+) than the cohort's
  bool night_owl = false;           // habitually up and about between 23:00 and 05:00
  std::vector<int> away_weekdays;   // habitual short stays (Monday 0 … Sunday 6)
  double room_celsius = 15;         // the room's daily mean
  int climate_every_minutes = 120;  // the gateway's temperature/humidity period (a heartbeat too)
};

enum class AnomalyKind { kCollapse, kHeat, kDoorLeftOpen, kAbsence, kSlowDecline, kNightWandering };
inline constexpr AnomalyKind kAnomalyKinds[] = {AnomalyKind::kCollapse,     AnomalyKind::kHeat,
                                                AnomalyKind::kDoorLeftOpen, AnomalyKind::kAbsence,
                                                AnomalyKind::kSlowDecline,  AnomalyKind::kNightWandering};
std::string_view ToString(AnomalyKind kind);

// What happens, from `start` to `end`:
//   collapse       no door activity (the resident cannot reach the fridge)
//   heat           the room at 32–34 °C and 65–75 %RH
//   door_left_open the door opened at `start`, closed at `end`
//   absence        nobody home (an unannounced stay away), no door activity
//   slow_decline   openings fall steadily to a third of usual by `start` + 21 days, then stay low
//   night_wandering 6–12 openings between 00:00 and 04:00 every night
struct Anomaly {
  AnomalyKind kind;
  UnixMillis start = 0, end = 0;
};

// Readings seen in [from, to), in time order, seq numbered from `first_seq`. Times are
// laid out in the local time of `utc_offset_minutes`.
std::vector<watch::Reading> GenerateHistory(const Persona& persona, std::span<const Anomaly> anomalies, UnixMillis from,
                                            UnixMillis to, int utc_offset_minutes, std::mt19937& rng,
                                            std::int64_t first_seq = 0);

// A resident drawn from the variety of a town: 15–40 openings a day, ±40 min, a few night owls
// and a few with a weekly short stay.
Persona RandomPersona(std::mt19937& rng);

// One anomaly of `kind` starting at a random time in [earliest, latest], with a random but
// typical duration (a collapse in waking hours; night wandering over 3–7 nights).
Anomaly RandomAnomaly(AnomalyKind kind, UnixMillis earliest, UnixMillis latest, int utc_offset_minutes,
                      std::mt19937& rng);

}  // namespace moyakko::sim
