#pragma once
// ここのーと's storage and rules: each person's template (every version kept), life records
// written from phones that may be offline (named by the id the phone made, so a resent record
// is recognised; every version kept; a change made against an old version is a conflict the
// writer sees), comments, daily figures for charts, and the recent records a paramedic sees.
// Callers have checked access at the policy point; these functions check the rest (the
// author, the template, the time).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "carenet/attachments.h"
#include "carenet/timeline.h"
#include "common/clock.h"
#include "lifelog/template.h"
#include "store/database.h"

namespace moyakko::lifelog {

// The person a route is about: tenant, time zone and today's local date there.
struct PersonRef {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string name, kana, time_zone, today;
  std::optional<int> age;
};
// 404 no_such_person (callers check access first, which refuses unknown ids alike).
PersonRef LoadPerson(store::Session& s, std::int64_t person_id, UnixMillis now);

struct PersonTemplate {
  Template tmpl;
  int version = 0;  // 0: the preset of the person's age, never saved
  std::optional<UnixMillis> updated_at;
  std::optional<std::int64_t> updated_by;
  std::string updated_by_name;
};
PersonTemplate CurrentTemplate(store::Session& s, const PersonRef& person);
// Saves version base_version + 1; 409 edit_conflict when base_version is not the current one.
PersonTemplate SaveTemplate(store::Session& s, const PersonRef& person, const Template& t, int base_version,
                            std::int64_t by, UnixMillis now);
nlohmann::json PersonTemplateJson(const PersonTemplate& t);

// A record as a phone sends it.
struct RecordWrite {
  std::string client_id;
  std::optional<UnixMillis> recorded_at;  // absent: now for a new record, unchanged for a change
  nlohmann::json values = nlohmann::json::object();
  std::string note;
  int base_version = 0;  // 0: create
  std::vector<carenet::NamedFile> photos;
};
// 404 for a malformed client id (it is a path parameter).
void CheckClientId(const std::string& client_id);
// Reads the body of PUT …/records/{client_id}: 400 naming the field.
RecordWrite ReadRecordWrite(const nlohmann::json& body, std::string client_id);

enum class WriteKind { kCreated, kChanged, kReplayed, kConflict };
struct WriteOutcome {
  WriteKind kind = WriteKind::kCreated;
  nlohmann::json record;  // the record now (for a conflict: the current one, unchanged)
  std::optional<carenet::PostResult> notice;  // the post telling the team of values out of range
};
// Creates, changes or recognises a resent record of `author` for `person` (see docs/api.md
// 12.3). Throws 409 client_id_taken, 403 not_author, 404 no_such_record, 400 for values
// that do not fit the template or times out of bounds. A value out of its normal range is
// posted to the care team's timeline when the template asks for it. A conflict writes nothing.
WriteOutcome WriteRecord(store::Session& s, const PersonRef& person, const auth::Principal& author,
                         const RecordWrite& write, UnixMillis now);

// Records of local dates [from, to], newest first.
nlohmann::json RecordsJson(store::Session& s, const PersonRef& person, const std::string& from, const std::string& to);
// Every version of one record of the person, oldest first (404 no_such_record).
nlohmann::json HistoryJson(store::Session& s, const PersonRef& person, const std::string& client_id);
// 404 no_such_record; 400 for an empty or too long body.
nlohmann::json AddComment(store::Session& s, const PersonRef& person, const std::string& client_id,
                          std::int64_t author, const std::string& body, UnixMillis now);
// Daily n, sum, low, mean, high of every charted field of the current template.
nlohmann::json DailyJson(store::Session& s, const PersonRef& person, const std::string& from, const std::string& to);
// A photo of one of the person's records (nullopt otherwise).
std::optional<carenet::StoredFile> LoadPhoto(store::Session& s, const PersonRef& person, std::int64_t photo_id);

// The people the principal writes or reads for: a family's own relatives, a team member's
// registered patients; with today's counts.
nlohmann::json PersonsJson(store::Session& s, const auth::Principal& principal, UnixMillis now);

// For the emergency sheet: records of the last 72 hours, newest first, at most 20, as
// local_time, items [{label, value, out_of_range}] and note.
nlohmann::json RecentForSheet(store::Session& s, std::int64_t person_id, UnixMillis now);


}  // namespace moyakko::lifelog
