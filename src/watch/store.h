#pragma once
// Watch-over storage: households with their contacts and plan, device credentials, and
// readings with the aggregates kept beside them.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/database.h"
#include "watch/readings.h"
#include "watch/status.h"

namespace moyakko::watch {

struct Contact {
  std::string kind;  // family | city | other
  std::string name, relationship, phone;
};

struct NewHousehold {
  std::int64_t tenant_id = 0;
  std::int64_t person_id = 0;
  std::vector<Contact> contacts;  // in call order
  std::string plan_name;
  std::optional<std::int64_t> plan_monthly_yen;
  std::optional<std::string> plan_started_on;  // YYYY-MM-DD
};

// Validates (400 naming the field; 409 when the person already has a household) and inserts.
std::int64_t AddHousehold(store::Session& s, const NewHousehold& household, UnixMillis now);

struct DeviceCredential {
  std::string device;  // public id, "dev-…"
  std::string token;   // shown once; only its SHA-256 is stored
};
// 404 when the household does not exist in `tenant_id`.
DeviceCredential AddDevice(store::Session& s, std::int64_t tenant_id, std::int64_t household_id, UnixMillis now);
// Returns false when there is no such live device in the tenant.
bool RevokeDevice(store::Session& s, std::int64_t tenant_id, const std::string& device, UnixMillis now);

struct DeviceIdentity {
  std::string device;
  std::int64_t household_id = 0;
  std::int64_t tenant_id = 0;
  std::int64_t person_id = 0;
  bool revoked = false;
  std::string tenant_code;  // the municipality's code, as in MQTT topics and audit rows
  std::string district;     // the resident's, for the cohort counts of analytics
};
std::optional<DeviceIdentity> FindDeviceByToken(store::Session& s, std::string_view token);

struct IngestResult {
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
};
// Inserts the readings not seen before (by device and seq) and updates the hourly door
// counts and the household's latest state, all in the caller's transaction. With `facts`,
// on PostgreSQL, the same statement reads what the rules need next (HouseholdFactsQuery).
IngestResult StoreReadings(store::Session& s, const DeviceIdentity& device, const std::vector<Reading>& readings,
                           UnixMillis now, std::optional<store::Row>* facts = nullptr);

struct StatusRow {
  std::int64_t household_id = 0;
  std::int64_t person_id = 0;
  std::string name, kana, district;
  HouseholdState state = HouseholdState::kOffline;
  std::optional<UnixMillis> last_upload_at;
  std::int64_t door_openings_today = 0;
  std::optional<double> temperature, humidity, battery;
  int open_alerts = 0;
};

struct StatusQuery {
  std::int64_t tenant_id = 0;
  std::string text;                     // name or kana, width/kana-insensitive
  std::optional<std::int64_t> household_id;  // only this household
  std::optional<HouseholdState> state;  // only this colour
  bool by_severity = false;             // alert, attention, offline, ok; else by kana
  int limit = 100;
  int offset = 0;
};
struct StatusPage {
  std::vector<StatusRow> households;
  std::int64_t total = 0;  // matching every filter, before paging
  std::array<std::int64_t, 4> counts{};  // per HouseholdState (enum order), matching the text filter
};
StatusPage ListStatus(store::Session& s, const StatusQuery& query, UnixMillis now, const std::string& time_zone);

// Households of a municipality with everything their tiles show, in kana order: what a
// status page is cut from. Reading all 10,000 of them costs more than a page is allowed
// to, so the status route keeps one per municipality and patches it household by household
// as changes are published (status_cache.h).
struct StatusSnapshot {
  struct Entry {
    std::string search_key;  // the person's, as registry::SearchPersons matches it
    StatusRow row;           // all but the colour, which depends on the time of asking
    StatusFacts facts;       // what the colour is worked out from
  };
  UnixMillis day_start = 0;  // the local midnight "door openings today" counts from
  std::vector<std::shared_ptr<const Entry>> entries;
  // The colour of every entry at the second of `now`, worked out once for all the readers
  // of that second (the time alone can turn a household offline).
  std::shared_ptr<const std::vector<HouseholdState>> ColoursAt(UnixMillis now) const;
  // The entries whose search key holds `key` (a SearchKey), by index: a screen that searches
  // asks the same again on every live update, so the last few answers are kept.
  std::shared_ptr<const std::vector<std::uint32_t>> Matching(const std::string& key) const;

 private:
  struct Memo {
    std::mutex mutex;
    UnixMillis second = -1;
    std::shared_ptr<const std::vector<HouseholdState>> states;
    std::map<std::string, std::shared_ptr<const std::vector<std::uint32_t>>> matches;
  };
  std::shared_ptr<Memo> memo_ = std::make_shared<Memo>();
};
// Every household of the municipality, or only `household_ids` when given.
StatusSnapshot LoadStatusSnapshot(store::Session& s, std::int64_t tenant_id, UnixMillis day_start,
                                  const std::vector<std::int64_t>& household_ids = {});
// The snapshot with `changed` (a LoadStatusSnapshot of some households) in place of their
// entries; households of `changed_ids` missing from it are gone. Nothing when a changed
// household is new to the snapshot: its place in kana order needs a whole read.
std::optional<StatusSnapshot> PatchStatusSnapshot(const StatusSnapshot& snapshot, const StatusSnapshot& changed,
                                                  const std::vector<std::int64_t>& changed_ids);
StatusPage ListStatus(const StatusSnapshot& snapshot, const StatusQuery& query, UnixMillis now);

}  // namespace moyakko::watch

namespace moyakko::watch {

// What a family member (or the call centre) sees of one person: today's state, the last
// seven days' door openings, and recent alerts with their outcomes.
struct PersonWatchSummary {
  std::int64_t household_id = 0;
  StatusRow today;
  std::vector<std::pair<std::string, std::int64_t>> last_days;  // local date → openings, oldest first
};
std::optional<PersonWatchSummary> SummaryForPerson(store::Session& s, std::int64_t person_id, UnixMillis now,
                                                   const std::string& time_zone);

}  // namespace moyakko::watch
