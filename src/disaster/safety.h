#pragma once
// Safety confirmation (安否確認) during a disaster event: who of the ledger is where and how,
// as the people working the event post it; the map's and the list's people, a person's
// card, the city's report by district and status (and its CSV), and the watch-over
// households gone silent — many in one district hint at a power cut there.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "carenet/timeline.h"
#include "disaster/events.h"
#include "store/database.h"

namespace moyakko::disaster {

// A watched household is silent during an open event when its gateway missed a scheduled
// upload (the watch-over's missed_upload alert is open) or nothing arrived for this long.
inline constexpr UnixMillis kSilenceMillis = 24 * 3'600'000;

// One person of the event's area on the ledger, with their safety status.
struct SafetyRow {
  std::int64_t person_id = 0;
  std::string name, kana, district, address, phones_json, resident_number, search_key;
  std::optional<double> lat, lon;
  std::string needs_json;  // the ledger's JSON array of need codes, as stored
  bool consent = false;
  std::string label, location, shelter, note, confirmed_by;  // label is the default until a post
  std::optional<UnixMillis> updated_at;
  bool watched = false, silent = false;
};

// A person on a municipality's ledger, as the map and the call lists show them.
struct LedgerPerson {
  std::int64_t person_id = 0;
  std::string name, kana, district, search_key, address, phones_json, resident_number;
  std::optional<double> lat, lon;
  std::string needs_json;
  bool consent = false;
};
using LedgerPeople = std::shared_ptr<const std::vector<LedgerPerson>>;

// The ledgers' people of one database, per municipality, read once and used again while
// the ledger and the register stay as they were: the map of 10,000 people is asked for
// again and again during a disaster, and reading them is most of its time. Whether they
// changed is one row, ledger_version, counted up by triggers on persons and ledger_entries;
// on SQLite, which has only row triggers, new entries are left out (100,000 trigger runs
// would slow a ledger import by a tenth) and told by the municipality's count of entries
// instead. Read in the caller's transaction, so what it returns is never older than what
// the caller's own reads see.
class LedgerPeopleCache {
 public:
  LedgerPeople Get(store::Session& s, std::int64_t tenant_id);

 private:
  struct Kept {
    std::pair<std::int64_t, std::int64_t> version;  // only grows
    LedgerPeople people;
  };
  std::mutex mutex_;
  std::map<std::int64_t, Kept> by_tenant_;
};

// The municipality's ledger people in kana order ("family given"), read from the database.
LedgerPeople LoadLedgerPeople(store::Session& s, std::int64_t tenant_id);

// The ledger's people in the event's area that `principal` may see (auth::Decide per person,
// kDisasterPerson), in kana order; address, phones and resident number only `with_contacts`.
// Through `cache` when given.
std::vector<SafetyRow> EventPeople(store::Session& s, const auth::Principal& principal, const Event& event,
                                   const SafetySettings& settings, UnixMillis now, bool with_contacts = false,
                                   LedgerPeopleCache* cache = nullptr);

struct PeopleFilter {
  std::vector<std::string> labels;  // any of; empty = all
  std::string need, district, q;    // q: name or kana, width- and kana-insensitive
};
// {"labels","default_label","count","people":[…],"districts":[…],"outages":[…]}, written
// straight to text: 10,000 people are 2.5 MB.
std::string PeopleJson(const std::vector<SafetyRow>& rows, const PeopleFilter& filter, const SafetySettings& settings);

// Districts with at least 3 watched households of which half or more are silent.
nlohmann::json OutagesJson(const std::vector<SafetyRow>& rows);

// 404 not_in_event unless the person is on the ledger of the event's municipality and area.
void RequireInEvent(store::Session& s, const Event& event, std::int64_t person_id);
// One person's card: identity, needs, contacts, supporter, status and post history, care team.
nlohmann::json PersonCard(store::Session& s, const Event& event, std::int64_t person_id,
                          const SafetySettings& settings, UnixMillis now);

struct SafetyPost {
  std::string label, location, shelter, note;
  std::optional<std::string> client_id;  // the device's id for the post: a resend is answered, not stored again
};
// 400 invalid_label, invalid_location, invalid_shelter, invalid_note, invalid_client_id.
SafetyPost ParseSafetyPost(const nlohmann::json& body, const SafetySettings& settings);

struct PostOutcome {
  nlohmann::json body;  // {"post","status","replayed"}
  bool replayed = false;
  std::optional<carenet::PostResult> notice;  // the care team's timeline post
};
// Stores the post and the person's new status and tells the care team on its timeline.
// 409 event_ended; 409 client_id_conflict when the id was used for another post.
PostOutcome PostSafety(store::Session& s, const auth::Principal& principal, const Event& event,
                       std::int64_t person_id, const SafetySettings& settings, const SafetyPost& post, UnixMillis now);

// The city's report: counts by label, by district and label, hourly progress, outages.
nlohmann::json DashboardJson(store::Session& s, const Event& event, const std::vector<SafetyRow>& rows,
                             const SafetySettings& settings, UnixMillis now);
// The same people as CSV for Excel: UTF-8 with BOM, CRLF, cells that could be read as a
// formula (= + - @ tab CR) prefixed with '.
std::string SafetyCsv(const std::vector<SafetyRow>& rows, const SafetySettings& settings, const std::string& time_zone);
// The first of a person's phones (persons.phones, a JSON array), or "".
std::string FirstPhone(const std::string& phones_json);
// One CSV cell, quoted when needed and defused against formula injection.
std::string CsvCell(std::string_view text);

}  // namespace moyakko::disaster
