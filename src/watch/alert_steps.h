#pragma once
// What other parts may learn of watch-over alerts: each step (opened, calls, hand-over to
// the city, timers, close) as it is recorded, inside the transaction that records it, so
// that a copy elsewhere (the care team's timeline) exists exactly when the step does.
// watch/ knows nothing of who listens.
#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::watch {

struct AlertStepEvent {
  std::int64_t alert_id = 0;
  std::int64_t person_id = 0;
  std::string kind;        // the alert's kind: no_activity, heat, …
  std::string alert_text;  // the finding's Japanese text
  std::string action;      // opened, claim, call_resident, call_family, handover_city, city_visit,
                           // call_119, note, renotify, escalate, close
  std::string target, outcome, note;
  UnixMillis at = 0;
};

using AlertStepObserver = std::function<void(store::Session&, const AlertStepEvent&)>;
// Register at start-up. An observer that throws rolls the step back with it.
void ObserveAlertSteps(AlertStepObserver observer);

}  // namespace moyakko::watch
