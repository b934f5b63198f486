#pragma once
// Watch-over alerts on the care team's timeline: each step of a patient's alert (opened,
// calls, hand-over to the city, escalation, close) becomes a system post, written in the
// transaction that records the step.
namespace moyakko::carenet {

// Registers the observer with watch/ (once per process).
void LinkWatchAlerts();

}  // namespace moyakko::carenet
