#pragma once
// Disaster events (災害・訓練): a municipality declares one — real or a drill — with its kind,
// area and onset; its timeline runs from 120 hours before the onset to 120 hours after,
// through six phases, each with a checklist copied from the defaults when the event is
// declared, and a log of what happened when. A drill runs the same flow; everything that
// happens during an event hangs off it, so drill data never mixes with a real event's.
// Also the municipality's safety labels (three colours by default, names configurable).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::disaster {

struct PhaseInfo {
  const char* key;
  const char* name;     // Japanese
  const char* name_en;
  int starts_hours;     // from onset
  std::optional<int> ends_hours;
};
// preparation −120 h, warning −24 h, onset 0, safety_confirmation +6 h, recovery +72 h,
// back_to_normal +120 h (open-ended).
std::span<const PhaseInfo> Phases();
bool IsPhase(const std::string& key);

struct Event {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string kind, title;
  std::vector<std::string> area;  // districts; empty = the whole municipality
  bool drill = false;
  UnixMillis onset_at = 0, declared_at = 0;
  std::int64_t declared_by = 0;
  std::string declared_by_name;
  std::optional<UnixMillis> ended_at;

  bool Covers(const std::string& district) const;
  // The phase at `now` ("ended" once ended).
  std::string PhaseAt(UnixMillis now) const;
};

struct NewEvent {
  std::string kind, title;
  std::vector<std::string> area;
  bool drill = true;
  UnixMillis onset_at = 0;
};
// Validates (400 invalid_kind, invalid_title, invalid_area, invalid_onset: more than 120 h
// from now), stores the event with the default checklists and a first log entry.
Event Declare(store::Session& s, std::int64_t tenant_id, std::int64_t user_id, const NewEvent& event, UnixMillis now);
// 404 no_such_event unless the event belongs to the tenant.
Event LoadEvent(store::Session& s, std::int64_t event_id, std::int64_t tenant_id);
// 409 event_ended for changes to an ended event.
void RequireOpen(const Event& event);
void EndEvent(store::Session& s, const Event& event, std::int64_t user_id, UnixMillis now);
std::vector<Event> ListEvents(store::Session& s, std::int64_t tenant_id);

nlohmann::json EventJson(const Event& event, UnixMillis now);
// EventJson with its phases (windows and checklists) and the newest 500 log entries.
nlohmann::json EventDetailJson(store::Session& s, const Event& event, UnixMillis now);

// kind: declared, phase, checklist, note, ended. Returns the entry's JSON.
nlohmann::json AppendLog(store::Session& s, const Event& event, const std::string& kind, const std::string& text,
                         std::optional<std::int64_t> author, UnixMillis now);
nlohmann::json AddChecklistItem(store::Session& s, const Event& event, const std::string& phase,
                                const std::string& text, std::int64_t user_id, UnixMillis now);
// 404 no_such_item unless the item is the event's.
nlohmann::json SetChecklistDone(store::Session& s, const Event& event, std::int64_t item_id, bool done,
                                std::int64_t user_id, UnixMillis now);

// Whether a real (not drill) event is open for `district` of the tenant: what lifts the
// ledger's consent rule (auth::DecideDisaster).
bool DisasterDeclared(store::Session& s, std::int64_t tenant_id, const std::string& district);
// Registers the ledger relation (in_ledger, ledger_consent, disaster_declared) with the
// policy point's person checks.
void InstallRelations();

// The municipality's safety labels.
struct SafetyLabel {
  std::string key, color, name, name_en;
};
struct SafetySettings {
  std::vector<SafetyLabel> labels;
  std::string default_label;  // what a person is before anyone confirmed them
  const SafetyLabel* Find(const std::string& key) const;
};
SafetySettings LoadSafetySettings(store::Session& s, const std::string& tenant_code);
// 400 invalid_labels / invalid_label / invalid_default naming the field.
SafetySettings ParseSafetySettings(const nlohmann::json& body);
void SaveSafetySettings(store::Session& s, const std::string& tenant_code, const SafetySettings& settings);
nlohmann::json LabelsJson(const SafetySettings& settings);  // {"labels":[…],"default_label":…}

}  // namespace moyakko::disaster
