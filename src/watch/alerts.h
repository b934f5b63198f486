#pragma once
// Alerts and their escalation. A finding opens at most one alert per household and kind
// while it is open (persisted before anything else happens); every call the call centre
// makes is an appended step; timers kept in the database re-notify an unclaimed alert and
// escalate one that makes no progress, once, whichever node gets there first.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "store/database.h"
#include "watch/rules.h"

namespace moyakko::watch {

struct EscalationTimers {
  UnixMillis renotify_unclaimed = 10 * 60 * 1000;  // unclaimed this long → notify again
  UnixMillis escalate_idle = 30 * 60 * 1000;       // no step this long → next level
};
inline EscalationTimers EscalationTimersOf(const Thresholds& t) {
  return {t.renotify_unclaimed_minutes * 60 * 1000LL, t.escalate_idle_minutes * 60 * 1000LL};
}
// The timers in force for an alert's household (see LoadThresholds).
using TimersFor = std::function<EscalationTimers(std::int64_t tenant_id, std::int64_t household_id)>;

struct AlertStep {
  int seq = 0;
  UnixMillis at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string actor_name;  // "system" for timers
  std::string action, target, outcome, note;
};

struct Alert {
  std::int64_t id = 0, tenant_id = 0, household_id = 0, person_id = 0;
  std::string kind, text, state;  // state: open, claimed, city, closed
  nlohmann::json evidence;
  int urgency = 1, level = 1;
  UnixMillis opened_at = 0, updated_at = 0;
  std::optional<std::int64_t> claimed_by;
  std::optional<std::string> claimed_by_name;
  std::optional<UnixMillis> closed_at, timer_at;
  std::optional<std::string> outcome;
  std::vector<AlertStep> steps;  // filled by GetAlert only
};

// Queues the notifications of a new alert in the caller's transaction: e-mail to the
// municipality's call operators and city officers and to this person's family (those who
// chose e-mail), and a signed webhook to each of the municipality's endpoints.
void NotifyAlertOpened(store::Session& s, std::int64_t alert_id, UnixMillis now);

// Opens an alert for `finding` unless one of that kind is open for the household.
// Returns the new alert's id, or nullopt when deduplicated.
std::optional<std::int64_t> OpenAlert(store::Session& s, std::int64_t household_id, const Finding& finding,
                                      UnixMillis now, const EscalationTimers& timers = {});

struct AlertQuery {
  std::int64_t tenant_id = 0;
  bool open_only = true;
  std::optional<std::int64_t> household_id;
  int limit = 100;
};
// Most urgent first, then oldest.
std::vector<Alert> ListAlerts(store::Session& s, const AlertQuery& query);
std::optional<Alert> GetAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id);

struct Actor {
  std::int64_t user_id = 0;
  std::string name;
  std::string role;
};

// Claims an open alert. Throws 409 "already_claimed" when another operator holds it,
// 409 "closed" when closed.
void ClaimAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor,
                UnixMillis now, const EscalationTimers& timers = {});

struct StepInput {
  std::string action;   // call_resident, call_family, handover_city, city_visit, call_119, note
  std::string target;   // contact position or free text (e.g. hospital)
  std::string outcome;  // depends on action
  std::string note;
};
// Validates (400 naming the field) and appends; moves the level/state as the step implies.
void RecordStep(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor,
                const StepInput& step, UnixMillis now, const EscalationTimers& timers = {});
// Closing needs an outcome. Throws 409 when already closed.
void CloseAlert(store::Session& s, std::int64_t tenant_id, std::int64_t alert_id, const Actor& actor,
                const std::string& outcome, const std::string& note, UnixMillis now);

// Fires every alert timer that is due at `now`: re-notify or escalate, each exactly once
// (a conditional update guards against a second node). Returns the alerts touched.
// `timers_for` gives each alert's timers (empty: the defaults).
std::vector<std::int64_t> FireAlertTimers(store::Session& s, UnixMillis now, const TimersFor& timers_for = {});

nlohmann::json AlertJson(const Alert& alert);

}  // namespace moyakko::watch
