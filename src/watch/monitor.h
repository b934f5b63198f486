#pragma once
// Runs the rules: for one household when its readings arrive (inside the ingest
// transaction), and for every household whose next deadline has passed when nothing arrives
// (a schedule kept in the database, so "no upload by 09:00" fires on time and after a
// restart). The background loop also fires alert timers. Claiming is through the database:
// several app nodes may run the loop; each due item is handled once.
#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "http/events.h"
#include "notify/outbox.h"
#include "store/database.h"
#include "watch/alerts.h"
#include "watch/rules.h"

namespace moyakko::watch {

// The thresholds in force for a household: defaults, then the municipality's settings, then
// the household's own.
Thresholds LoadThresholds(store::Session& s, std::int64_t tenant_id, std::int64_t household_id);

// The person's usual rhythm as of `now`'s local day, from the hourly door counts.
UsualRhythm ComputeRhythm(store::Session& s, std::int64_t household_id, UnixMillis now, const std::string& time_zone);

// The escalation timers of the household an alert belongs to.
EscalationTimers TimersForAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id);

// Evaluates the household's rules at `now`, opens alerts for new findings and schedules its
// next deadline. Returns the ids of alerts opened. The stored rhythm is recomputed when it is
// from an earlier day and `refresh_rhythm` (the monitor's scheduled passes, off the ingest
// path); otherwise the stored one is used, however old, and computed only if missing.
// Given `read` (a row of HouseholdFactsQuery, read in this transaction) nothing is read again.
std::vector<std::int64_t> EvaluateHousehold(store::Session& s, std::int64_t household_id, UnixMillis now,
                                            bool refresh_rhythm = false, const store::Row* read = nullptr);

// Everything the rules read about the household $1, in one statement: its state taken from
// `state` (the household_state table, or a CTE of its columns named st).
std::string HouseholdFactsQuery(std::string_view state = "household_state st");
// A household's hourly means as household_rhythm stores them ("[0.5,1.25,…]", as
// nlohmann::json::dump() writes them), read with from_chars: this runs at every upload, and a
// JSON parser took half the rules' time. False, and `hourly` unspecified, for anything else.
bool ReadHourlyMeans(std::string_view stored, std::array<double, 168>& hourly);

struct MonitorPass {
  std::vector<std::int64_t> households_evaluated;
  std::vector<std::int64_t> alerts_opened;
  std::vector<std::int64_t> alert_timers_fired;
};
// One pass: due deadlines, then due alert timers.
MonitorPass RunMonitorPass(store::Session& s, UnixMillis now);

class Monitor {
 public:
  // `sender` delivers the notification outbox (null: leave it to another node).
  Monitor(store::Database& db, http::EventHub& events, const Clock& clock, notify::Sender* sender = nullptr);
  ~Monitor();
  void Start();  // a background thread, one pass every 250 ms
  void Stop();

 private:
  void Loop();
  store::Database& db_;
  http::EventHub& events_;
  const Clock& clock_;
  notify::Sender* sender_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

// Who receives watch-over live events: the roles that may see the status list.
inline const std::vector<std::string> kWatchRoles = {"admin", "city_officer", "call_operator"};

// Publishes "watch.alert" for each alert to its tenant's live streams.
// `reason` says what happened: opened, timer (re-notified or escalated), claim, step, close.
void PublishAlerts(store::Database& db, http::EventHub& events, const std::vector<std::int64_t>& alert_ids,
                   const std::string& reason);

}  // namespace moyakko::watch
