#include "lifelog/records.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "auth/guard.h"
#include "carenet/people.h"
#include "carenet/timeline.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::lifelog {
namespace {

using nlohmann::json;

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kDay = 24 * 60 * kMinute;
constexpr std::size_t kMaxNoteChars = 4000;
constexpr int kMaxRecordsPerPage = 2000;
constexpr const char* kPhotoOwner = "lifelog_record";

[[noreturn]] void NoSuchRecord() { Fail(ErrorCode::kNotFound, "no_such_record", "no such record of this person"); }

json Parse(const std::string& text) { return json::parse(text, nullptr, false); }

std::vector<std::string> Keys(const json& array) {
  std::vector<std::string> keys;
  for (const json& key : array) keys.push_back(key.get<std::string>());
  return keys;
}

// Who wrote: id, name and role — not the phone or organisation of the care network's card,
// which families, school staff and paramedics have no need of here.
json Author(const carenet::UserCards& cards, std::int64_t user_id) {
  json card = cards.Get(user_id);
  if (card.is_null()) return card;
  return {{"id", card["id"]}, {"name", card["name"]}, {"role", card["role"]}};
}

// The columns RecordFromRow reads, from lifelog_records r.
constexpr const char* kRecordColumns =
    "r.id, r.client_id, r.person_id, r.author_user_id, r.recorded_at, r.record_values, r.note, r.out_of_range, "
    "r.version, r.created_at, r.updated_at";

// Records with their authors, photos and comments, in the order of `rows`.
json RecordsFromRows(store::Session& s, const store::Rows& rows, const std::string& time_zone) {
  std::set<std::int64_t> ids;
  for (const auto& r : rows) ids.insert(r.Int(0));
  std::map<std::int64_t, json> comments;
  store::Rows comment_rows;
  if (!ids.empty()) {
    comment_rows = s.Query(fmt::format("SELECT id, record_id, author_user_id, body, created_at FROM lifelog_comments "
                                       "WHERE record_id IN ({}) ORDER BY id", carenet::IdList(ids)));
  }
  carenet::UserCards cards(s, rows, {3});
  carenet::UserCards commenters(s, comment_rows, {2});
  for (const auto& c : comment_rows) {
    comments[c.Int(1)].push_back({{"id", c.Int(0)}, {"author", Author(commenters, c.Int(2))}, {"body", c.Text(3)},
                                  {"at", FormatRfc3339(c.Int(4))}});
  }
  auto photos = carenet::AttachmentsOf(s, kPhotoOwner, ids);
  json out = json::array();
  for (const auto& r : rows) {
    std::int64_t id = r.Int(0);
    UnixMillis at = r.Int(4);
    auto photo = photos.find(id);
    auto comment = comments.find(id);
    out.push_back({{"client_id", r.Text(1)},
                   {"person_id", r.Int(2)},
                   {"recorded_at", FormatRfc3339(at)},
                   {"local_time", FormatLocalMinute(at, time_zone)},
                   {"local_date", LocalDate(at, time_zone)},
                   {"values", Parse(r.Text(5))},
                   {"note", r.Text(6)},
                   {"out_of_range", Parse(r.Text(7))},
                   {"version", r.Int(8)},
                   {"edited", r.Int(8) > 1},
                   {"author", Author(cards, r.Int(3))},
                   {"created_at", FormatRfc3339(r.Int(9))},
                   {"updated_at", FormatRfc3339(r.Int(10))},
                   {"photos", photo != photos.end() ? photo->second : json::array()},
                   {"comments", comment != comments.end() ? comment->second : json::array()}});
  }
  return out;
}

json OneRecord(store::Session& s, std::int64_t record_id, const std::string& time_zone) {
  auto rows = s.Query(fmt::format("SELECT {} FROM lifelog_records r WHERE r.id = $1", kRecordColumns), {record_id});
  return RecordsFromRows(s, rows, time_zone).at(0);
}

UnixMillis StartOf(const std::string& date, const std::string& time_zone) { return StartOfLocalDate(date, time_zone); }

// Checks a from–to range of local dates of at most `max_days`.
// Dates of records lie between these (years outside would make no sense and, past 9999, no
// date string that sorts).
constexpr const char* kFirstDate = "1900-01-01";
constexpr const char* kLastDate = "2199-12-31";

void CheckDates(const std::string& from, const std::string& to, int max_days) {
  auto valid = [](const std::string& d) { return IsCalendarDate(d) && d >= kFirstDate && d <= kLastDate; };
  if (!valid(to)) Fail(ErrorCode::kInvalidArgument, "invalid_date", "to: YYYY-MM-DD, 1900–2199", "to");
  if (!valid(from)) Fail(ErrorCode::kInvalidArgument, "invalid_date", "from: YYYY-MM-DD, 1900–2199", "from");
  if (to < from) Fail(ErrorCode::kInvalidArgument, "invalid_range", "to: not before from", "to");
  if (to > AddDays(from, max_days - 1)) {
    Fail(ErrorCode::kInvalidArgument, "range_too_long", fmt::format("to: at most {} days after from", max_days), "to");
  }
}

// A notice to the team of the values out of range that were not out of range before.
std::optional<carenet::PostResult> NoticeOutOfRange(store::Session& s, const PersonRef& person, const Template& t,
                                                    const CheckedValues& now_values,
                                                    const std::vector<std::string>& before, UnixMillis at,
                                                    const std::string& author_name, UnixMillis now) {
  if (!t.notify_team) return std::nullopt;
  std::vector<std::string> items;
  for (const std::string& key : now_values.out_of_range) {
    if (std::find(before.begin(), before.end(), key) != before.end()) continue;
    const Field* field = t.Find(key);
    items.push_back(fmt::format("{} {}", field->label, FormatWithRange(*field, now_values.values[key])));
  }
  if (items.empty()) return std::nullopt;
  std::string list;
  for (const std::string& item : items) list += (list.empty() ? "" : "、") + item;
  std::string body = fmt::format("【ここのーと】基準外の値: {}\n{} {}さんの記録", list,
                                 FormatLocalMinute(at, person.time_zone), author_name);
  return carenet::AddSystemPost(s, person.id, "lifelog", body, /*important=*/true, std::nullopt, now);
}

void InsertVersion(store::Session& s, std::int64_t record_id, int version, UnixMillis at, const CheckedValues& v,
                   const std::string& note, std::int64_t editor, UnixMillis now) {
  s.Execute("INSERT INTO lifelog_record_versions (record_id, version, recorded_at, record_values, note, out_of_range, "
            "editor_user_id, edited_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {record_id, std::int64_t{version}, at, v.values.dump(), note, json(v.out_of_range).dump(), editor, now});
}

std::int64_t RecordIdOf(store::Session& s, const PersonRef& person, const std::string& client_id) {
  auto row = s.QueryOne("SELECT id FROM lifelog_records WHERE client_id = $1 AND person_id = $2", {client_id, person.id});
  if (!row) NoSuchRecord();
  return row->Int(0);
}

}  // namespace

PersonRef LoadPerson(store::Session& s, std::int64_t person_id, UnixMillis now) {
  auto person = registry::GetPerson(s, person_id);
  if (!person) Fail(ErrorCode::kNotFound, "no_such_person", "no such person");
  PersonRef ref;
  ref.id = person->id;
  ref.tenant_id = person->tenant_id;
  ref.name = registry::JoinName(person->family_name, person->given_name);
  ref.kana = registry::JoinName(person->family_kana, person->given_kana);
  ref.time_zone = registry::TenantTimeZone(s, person->tenant_id);
  ref.today = LocalDate(now, ref.time_zone);
  ref.age = registry::AgeOn(person->birth_date, ref.today);
  return ref;
}

PersonTemplate CurrentTemplate(store::Session& s, const PersonRef& person) {
  auto row = s.QueryOne("SELECT t.version, t.body, t.created_by, t.created_at, u.display_name FROM lifelog_templates t "
                        "JOIN users u ON u.id = t.created_by WHERE t.person_id = $1 ORDER BY t.version DESC LIMIT 1",
                        {person.id});
  PersonTemplate out;
  if (!row) {
    out.tmpl = PresetForAge(person.age);
    return out;
  }
  out.tmpl = ParseTemplate(Parse(row->Text(1)));
  out.version = static_cast<int>(row->Int(0));
  out.updated_by = row->Int(2);
  out.updated_at = row->Int(3);
  out.updated_by_name = row->Text(4);
  return out;
}

PersonTemplate SaveTemplate(store::Session& s, const PersonRef& person, const Template& t, int base_version,
                            std::int64_t by, UnixMillis now) {
  auto current = s.QueryOne("SELECT MAX(version) FROM lifelog_templates WHERE person_id = $1", {person.id});
  int version = current && !current->IsNull(0) ? static_cast<int>(current->Int(0)) : 0;
  if (base_version != version) {
    Fail(ErrorCode::kConflict, "edit_conflict",
         fmt::format("the template was changed meanwhile (now version {}); reload it and apply your change again", version),
         "base_version");
  }
  // A concurrent save of the same version meets the primary key (person, version) and loses.
  if (!s.QueryOne("INSERT INTO lifelog_templates (person_id, version, body, created_by, created_at) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, version) DO NOTHING RETURNING version",
                  {person.id, std::int64_t{version + 1}, TemplateJson(t).dump(), by, now})) {
    Fail(ErrorCode::kConflict, "edit_conflict", "the template was changed meanwhile; reload it and apply your change again",
         "base_version");
  }
  return CurrentTemplate(s, person);
}

json PersonTemplateJson(const PersonTemplate& t) {
  json out = TemplateJson(t.tmpl);
  out["version"] = t.version;
  out["updated_at"] = t.updated_at ? json(FormatRfc3339(*t.updated_at)) : json(nullptr);
  out["updated_by"] = t.updated_by ? json{{"id", *t.updated_by}, {"name", t.updated_by_name}} : json(nullptr);
  return out;
}

void CheckClientId(const std::string& client_id) {
  bool ok = client_id.size() >= 8 && client_id.size() <= 64 &&
            std::all_of(client_id.begin(), client_id.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            });
  if (!ok) Fail(ErrorCode::kNotFound, "not_found", "a record id is 8–64 characters of A–Z, a–z, 0–9, - and _");
}

RecordWrite ReadRecordWrite(const json& body, std::string client_id) {
  RecordWrite w;
  w.client_id = std::move(client_id);
  if (auto at = http::OptionalString(body, "recorded_at", 40)) {
    w.recorded_at = ParseRfc3339(*at);
    if (!w.recorded_at) {
      Fail(ErrorCode::kInvalidArgument, "invalid_time", "recorded_at: an RFC 3339 time with an offset", "recorded_at");
    }
  }
  auto values = body.find("values");
  if (values != body.end() && !values->is_null()) {
    if (!values->is_object()) Fail(ErrorCode::kInvalidArgument, "expected_object", "values: an object", "values");
    w.values = *values;
  }
  w.note = http::OptionalString(body, "note", kMaxNoteChars).value_or("");
  auto base = body.find("base_version");
  if (base != body.end() && !base->is_null()) {
    if (!base->is_number_integer() || base->get<std::int64_t>() < 0 || base->get<std::int64_t>() > 1000000) {
      Fail(ErrorCode::kInvalidArgument, "invalid_type", "base_version: a version number", "base_version");
    }
    w.base_version = base->get<int>();
  }
  w.photos = carenet::ReadAttachments(body, "photos");
  return w;
}

namespace {

std::optional<store::Row> ExistingRecord(store::Session& s, const std::string& client_id) {
  return s.QueryOne(fmt::format("SELECT id, person_id, author_user_id, version, recorded_at, record_values, note, "
                                "out_of_range FROM lifelog_records WHERE client_id = $1{}", s.ForUpdate()),
                    {client_id});
}

// The values as sent, nulls left out: what a resent record is compared by, before the
// template is consulted (it may have changed since the phone first sent it).
json SentValues(const json& values) {
  json out = json::object();
  for (const auto& [key, value] : values.items()) {
    if (!value.is_null()) out[key] = value;
  }
  return out;
}

// Whether `photos` are the files the record already has (a resent create with its photos).
bool SamePhotos(store::Session& s, std::int64_t record_id, const std::vector<carenet::NamedFile>& photos) {
  std::multiset<std::string> stored, sent;
  for (const auto& row : s.Query("SELECT sha256 FROM attachments WHERE owner_kind = $1 AND owner_id = $2",
                                 {std::string(kPhotoOwner), record_id})) {
    stored.insert(row.Text(0));
  }
  for (const auto& photo : photos) sent.insert(Sha256Hex(photo.file.bytes));
  return stored == sent;
}

}  // namespace

WriteOutcome WriteRecord(store::Session& s, const PersonRef& person, const auth::Principal& author,
                         const RecordWrite& w, UnixMillis now) {
  if (w.recorded_at && *w.recorded_at > now + 5 * kMinute) {
    Fail(ErrorCode::kInvalidArgument, "invalid_time", "recorded_at: not in the future", "recorded_at");
  }
  if (w.recorded_at && *w.recorded_at < now - 400 * kDay) {
    Fail(ErrorCode::kInvalidArgument, "invalid_time", "recorded_at: at most 400 days back", "recorded_at");
  }
  bool has_text = w.note.find_first_not_of(" \t\r\n") != std::string::npos;
  PersonTemplate tmpl = CurrentTemplate(s, person);
  auto existing = ExistingRecord(s, w.client_id);
  if (!existing) {
    if (w.base_version > 0) NoSuchRecord();
    CheckedValues checked = CheckValues(tmpl.tmpl, w.values);
    if (checked.values.empty() && !has_text && w.photos.empty()) {
      Fail(ErrorCode::kInvalidArgument, "empty_record", "values: a value, a note or a photo is needed", "values");
    }
    UnixMillis at = w.recorded_at.value_or(now);
    // Two sends of the same new record at once: the second waits for the first and then
    // finds it (below), instead of failing on the unique client id.
    auto inserted = s.QueryOne(
        "INSERT INTO lifelog_records (tenant_id, person_id, client_id, author_user_id, recorded_at, record_values, note, "
        "out_of_range, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) "
        "ON CONFLICT (client_id) DO NOTHING RETURNING id",
        {person.tenant_id, person.id, w.client_id, author.user_id, at, checked.values.dump(), w.note,
         json(checked.out_of_range).dump(), now});
    if (inserted) {
      std::int64_t id = inserted->Int(0);
      InsertVersion(s, id, 1, at, checked, w.note, author.user_id, now);
      carenet::SaveAttachments(s, person.tenant_id, kPhotoOwner, id, w.photos, author.user_id, now);
      WriteOutcome out{WriteKind::kCreated, OneRecord(s, id, person.time_zone), {}};
      out.notice = NoticeOutOfRange(s, person, tmpl.tmpl, checked, {}, at, out.record["author"].value("name", ""), now);
      return out;
    }
    existing = ExistingRecord(s, w.client_id);
    if (!existing) Fail(ErrorCode::kConflict, "retry", "a concurrent change got in the way, try again");
  }
  std::int64_t id = existing->Int(0);
  if (existing->Int(1) != person.id) {
    Fail(ErrorCode::kConflict, "client_id_taken", "this record id is used by another person's record; make a new one");
  }
  if (existing->Int(2) != author.user_id) {
    Fail(ErrorCode::kForbidden, "not_author", "only the author of a record changes it; add a comment instead");
  }
  int version = static_cast<int>(existing->Int(3));
  bool same = Parse(existing->Text(5)) == SentValues(w.values) && existing->Text(6) == w.note &&
              (!w.recorded_at || *w.recorded_at == existing->Int(4));
  // What is already there is what was sent: a phone resending after a lost answer. Photos
  // come only with a create, so a resent create must bring the same ones.
  if (same && (w.photos.empty() || SamePhotos(s, id, w.photos))) {
    return {WriteKind::kReplayed, OneRecord(s, id, person.time_zone), {}};
  }
  if (w.base_version != version) return {WriteKind::kConflict, OneRecord(s, id, person.time_zone), {}};
  if (!w.photos.empty()) {
    Fail(ErrorCode::kInvalidArgument, "photos_only_on_create", "photos: added only with a new record", "photos");
  }
  CheckedValues checked = CheckValues(tmpl.tmpl, w.values);
  bool has_photos = !carenet::AttachmentsOf(s, kPhotoOwner, {id}).empty();
  if (checked.values.empty() && !has_text && !has_photos) {
    Fail(ErrorCode::kInvalidArgument, "empty_record", "values: a value, a note or a photo is needed", "values");
  }
  UnixMillis at = w.recorded_at.value_or(existing->Int(4));
  s.Execute("UPDATE lifelog_records SET recorded_at = $2, record_values = $3, note = $4, out_of_range = $5, "
            "version = $6, updated_at = $7 WHERE id = $1",
            {id, at, checked.values.dump(), w.note, json(checked.out_of_range).dump(), std::int64_t{version + 1}, now});
  InsertVersion(s, id, version + 1, at, checked, w.note, author.user_id, now);
  WriteOutcome out{WriteKind::kChanged, OneRecord(s, id, person.time_zone), {}};
  out.notice = NoticeOutOfRange(s, person, tmpl.tmpl, checked, Keys(Parse(existing->Text(7))), at,
                                out.record["author"].value("name", ""), now);
  return out;
}

json RecordsJson(store::Session& s, const PersonRef& person, const std::string& from, const std::string& to) {
  CheckDates(from, to, 93);
  auto rows = s.Query(fmt::format("SELECT {} FROM lifelog_records r WHERE r.person_id = $1 AND r.recorded_at >= $2 "
                                  "AND r.recorded_at < $3 ORDER BY r.recorded_at DESC, r.id DESC LIMIT $4",
                                  kRecordColumns),
                      {person.id, StartOf(from, person.time_zone), StartOf(AddDays(to, 1), person.time_zone),
                       std::int64_t{kMaxRecordsPerPage + 1}});
  bool truncated = rows.size() > kMaxRecordsPerPage;
  if (truncated) rows.pop_back();
  return {{"time_zone", person.time_zone}, {"from", from}, {"to", to},
          {"records", RecordsFromRows(s, rows, person.time_zone)}, {"truncated", truncated}};
}

json HistoryJson(store::Session& s, const PersonRef& person, const std::string& client_id) {
  std::int64_t id = RecordIdOf(s, person, client_id);
  auto rows = s.Query("SELECT version, recorded_at, record_values, note, out_of_range, editor_user_id, edited_at "
                      "FROM lifelog_record_versions WHERE record_id = $1 ORDER BY version", {id});
  carenet::UserCards editors(s, rows, {5});
  json versions = json::array();
  for (const auto& r : rows) {
    versions.push_back({{"version", r.Int(0)}, {"recorded_at", FormatRfc3339(r.Int(1))},
                        {"local_time", FormatLocalMinute(r.Int(1), person.time_zone)}, {"values", Parse(r.Text(2))},
                        {"note", r.Text(3)}, {"out_of_range", Parse(r.Text(4))}, {"editor", Author(editors, r.Int(5))},
                        {"edited_at", FormatRfc3339(r.Int(6))}});
  }
  return {{"client_id", client_id}, {"versions", versions}};
}

json AddComment(store::Session& s, const PersonRef& person, const std::string& client_id, std::int64_t author,
                const std::string& body, UnixMillis now) {
  std::int64_t record_id = RecordIdOf(s, person, client_id);
  std::int64_t id = s.QueryOne("INSERT INTO lifelog_comments (record_id, author_user_id, body, created_at) "
                               "VALUES ($1, $2, $3, $4) RETURNING id", {record_id, author, body, now})->Int(0);
  return {{"id", id}, {"author", Author(carenet::UserCards(s, {author}), author)}, {"body", body},
          {"at", FormatRfc3339(now)}};
}

json DailyJson(store::Session& s, const PersonRef& person, const std::string& from, const std::string& to) {
  CheckDates(from, to, 366);
  Template t = CurrentTemplate(s, person).tmpl;
  std::vector<std::string> dates = {from};
  while (dates.back() < to) dates.push_back(AddDays(dates.back(), 1));
  std::map<std::string, std::size_t> day_of;
  for (std::size_t i = 0; i < dates.size(); ++i) day_of[dates[i]] = i;
  struct Day {
    int n = 0;
    double sum = 0, low = 0, high = 0;
  };
  std::vector<const Field*> charted;
  for (const Field& f : t.fields) {
    if (!f.chart.empty()) charted.push_back(&f);
  }
  std::vector<std::vector<Day>> days(charted.size(), std::vector<Day>(dates.size()));
  auto rows = s.Query("SELECT recorded_at, record_values FROM lifelog_records WHERE person_id = $1 "
                      "AND recorded_at >= $2 AND recorded_at < $3",
                      {person.id, StartOf(from, person.time_zone), StartOf(AddDays(to, 1), person.time_zone)});
  for (const auto& r : rows) {
    std::size_t day = day_of.at(LocalDate(r.Int(0), person.time_zone));
    json values = Parse(r.Text(1));
    for (std::size_t f = 0; f < charted.size(); ++f) {
      auto v = values.find(charted[f]->key);
      if (v == values.end() || !v->is_number()) continue;
      double x = v->get<double>();
      Day& d = days[f][day];
      d.low = d.n ? std::min(d.low, x) : x;
      d.high = d.n ? std::max(d.high, x) : x;
      d.sum += x;
      ++d.n;
    }
  }
  auto bound = [](const std::optional<double>& b) { return b ? json(*b) : json(nullptr); };
  json series = json::array();
  for (std::size_t f = 0; f < charted.size(); ++f) {
    const Field& field = *charted[f];
    json out = json::array();
    for (const Day& d : days[f]) {
      if (!d.n) {
        out.push_back({{"n", 0}, {"sum", nullptr}, {"low", nullptr}, {"mean", nullptr}, {"high", nullptr}});
        continue;
      }
      auto round2 = [](double x) { return std::round(x * 100) / 100; };
      out.push_back({{"n", d.n}, {"sum", round2(d.sum)}, {"low", d.low}, {"mean", round2(d.sum / d.n)}, {"high", d.high}});
    }
    series.push_back({{"key", field.key}, {"label", field.label}, {"label_en", field.label_en}, {"unit", field.unit},
                      {"chart", field.chart}, {"min", bound(field.min)}, {"max", bound(field.max)}, {"days", out}});
  }
  return {{"from", from}, {"to", to}, {"time_zone", person.time_zone}, {"dates", dates}, {"series", series}};
}

std::optional<carenet::StoredFile> LoadPhoto(store::Session& s, const PersonRef& person, std::int64_t photo_id) {
  auto file = carenet::LoadAttachment(s, photo_id);
  if (!file || file->owner_kind != kPhotoOwner) return std::nullopt;
  if (!s.QueryOne("SELECT 1 FROM lifelog_records WHERE id = $1 AND person_id = $2", {file->owner_id, person.id})) {
    return std::nullopt;
  }
  return file;
}

namespace {
bool MayEditTemplate(store::Session& s, const auth::Principal& principal, std::int64_t person_id) {
  auto context = auth::LoadPersonContext(s, principal, person_id);
  return context && auth::Decide(principal, auth::Action::kLifelogTemplate, &*context).allowed;
}
}  // namespace

json PersonsJson(store::Session& s, const auth::Principal& principal, UnixMillis now) {
  bool family = principal.role == auth::Role::kFamily || principal.role == auth::Role::kResident;
  store::Rows rows =
      family ? s.Query("SELECT fl.person_id, fl.relationship FROM family_links fl JOIN persons p ON p.id = fl.person_id "
                       "WHERE fl.user_id = $1 ORDER BY p.family_kana, p.given_kana, p.id", {principal.user_id})
             : s.Query("SELECT m.person_id, m.membership FROM care_team_members m "
                       "JOIN patients pa ON pa.person_id = m.person_id AND pa.status = 'active' "
                       "JOIN persons p ON p.id = m.person_id WHERE m.user_id = $1 AND m.status = 'active' "
                       "AND (p.tenant_id = $2 OR p.tenant_id IN (SELECT from_tenant_id FROM tenant_shares "
                       "WHERE to_tenant_id = $2)) ORDER BY p.family_kana, p.given_kana, p.id",
                       {principal.user_id, principal.tenant_id});
  json persons = json::array();
  for (const auto& row : rows) {
    PersonRef person = LoadPerson(s, row.Int(0), now);
    UnixMillis today = StartOf(person.today, person.time_zone);
    auto counts = s.QueryOne("SELECT COUNT(*), SUM(CASE WHEN out_of_range <> '[]' THEN 1 ELSE 0 END) "
                             "FROM lifelog_records WHERE person_id = $1 AND recorded_at >= $2", {person.id, today});
    auto last = s.QueryOne("SELECT MAX(recorded_at) FROM lifelog_records WHERE person_id = $1", {person.id});
    PersonTemplate tmpl = CurrentTemplate(s, person);
    persons.push_back({{"id", person.id},
                       {"name", person.name},
                       {"kana", person.kana},
                       {"age", person.age ? json(*person.age) : json(nullptr)},
                       {"kind", tmpl.tmpl.kind},
                       {"relation", family ? "family" : "care_team"},
                       {"relationship", row.Text(1)},
                       {"may_edit_template", MayEditTemplate(s, principal, person.id)},
                       {"records_today", counts->Int(0)},
                       {"out_of_range_today", counts->Int(1)},
                       {"last_record_at", last->IsNull(0) ? json(nullptr) : json(FormatRfc3339(last->Int(0)))}});
  }
  return {{"persons", persons}};
}

json RecentForSheet(store::Session& s, std::int64_t person_id, UnixMillis now) {
  PersonRef person = LoadPerson(s, person_id, now);
  Template t = CurrentTemplate(s, person).tmpl;
  auto rows = s.Query("SELECT recorded_at, record_values, note, out_of_range FROM lifelog_records WHERE person_id = $1 "
                      "AND recorded_at >= $2 ORDER BY recorded_at DESC, id DESC LIMIT 20",
                      {person_id, now - 3 * kDay});
  json out = json::array();
  for (const auto& r : rows) {
    json values = Parse(r.Text(1));
    std::vector<std::string> flagged = Keys(Parse(r.Text(3)));
    json items = json::array();
    auto item = [&](const std::string& label, const std::string& value, const std::string& key) {
      bool out_of_range = std::find(flagged.begin(), flagged.end(), key) != flagged.end();
      items.push_back({{"label", label}, {"value", value}, {"out_of_range", out_of_range}});
    };
    for (const Field& field : t.fields) {
      if (values.contains(field.key)) item(field.label, FormatValue(field, values[field.key]), field.key);
    }
    // A field since removed from the template is still shown, under its key.
    for (const auto& [key, value] : values.items()) {
      if (!t.Find(key)) item(key, value.is_string() ? value.get<std::string>() : value.dump(), key);
    }
    out.push_back({{"local_time", FormatLocalMinute(r.Int(0), person.time_zone)}, {"items", items}, {"note", r.Text(2)}});
  }
  return out;
}

}  // namespace moyakko::lifelog
