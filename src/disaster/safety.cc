#include "disaster/safety.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"
#include "disaster/ledger.h"
#include "registry/persons.h"

namespace moyakko::disaster {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 5> kLocations = {"home", "shelter", "hospital", "other", "unknown"};
constexpr const char* kLocationNames[] = {"自宅", "避難所", "病院", "その他", "不明"};

std::string LocationName(const std::string& location) {
  for (std::size_t i = 0; i < kLocations.size(); ++i) {
    if (location == kLocations[i]) return kLocationNames[i];
  }
  return location;
}

std::string LabelName(const SafetySettings& settings, const std::string& key) {
  const SafetyLabel* label = settings.Find(key);
  return label ? label->name : key;
}

const char* const kPostColumns =
    "SELECT sp.id, sp.person_id, sp.label, sp.location, sp.shelter, sp.note, sp.at, u.id, u.display_name, u.role "
    "FROM safety_posts sp JOIN users u ON u.id = sp.author_user_id";

json PostJson(const store::Row& row) {
  return {{"id", row.Int(0)},
          {"label", row.Text(2)},
          {"location", row.Text(3)},
          {"shelter", row.Text(4)},
          {"note", row.Text(5)},
          {"at", FormatRfc3339(row.Int(6))},
          {"author", {{"id", row.Int(7)}, {"name", row.Text(8)}, {"role", row.Text(9)}}}};
}

json StatusJson(store::Session& s, const Event& event, std::int64_t person_id, const SafetySettings& settings) {
  auto row = s.QueryOne("SELECT st.label, st.location, st.shelter, sp.note, st.updated_at, u.id, u.display_name "
                        "FROM safety_status st JOIN safety_posts sp ON sp.id = st.post_id "
                        "JOIN users u ON u.id = sp.author_user_id WHERE st.event_id = $1 AND st.person_id = $2",
                        {event.id, person_id});
  if (!row) {
    return {{"label", settings.default_label}, {"location", "unknown"}, {"shelter", ""},
            {"note", ""},  {"updated_at", nullptr},                {"by", nullptr}};
  }
  return {{"label", row->Text(0)},
          {"location", row->Text(1)},
          {"shelter", row->Text(2)},
          {"note", row->Text(3)},
          {"updated_at", FormatRfc3339(row->Int(4))},
          {"by", {{"id", row->Int(5)}, {"name", row->Text(6)}}}};
}

std::string TextField(const json& body, const char* name, std::size_t max_chars, const char* code) {
  auto value = body.find(name);
  if (value == body.end() || value->is_null()) return "";
  if (!value->is_string() || Utf8Length(value->get<std::string>()) > max_chars) {
    Fail(ErrorCode::kInvalidArgument, code, fmt::format("{}: text of at most {} characters", name, max_chars), name);
  }
  return Trim(value->get<std::string>());
}

// The instants of the progress chart: `from`, every hour after it (every few hours when that
// would be over 240 points), and `to`.
std::vector<UnixMillis> ProgressSteps(UnixMillis from, UnixMillis to) {
  constexpr UnixMillis kHour = 3'600'000;
  UnixMillis hours = (to - from + kHour - 1) / kHour;
  UnixMillis step = std::max<UnixMillis>(1, (hours + 239) / 240) * kHour;
  std::vector<UnixMillis> steps = {from};
  for (UnixMillis at = from + step; at < to; at += step) steps.push_back(at);
  if (to > from) steps.push_back(to);
  return steps;
}

}  // namespace

std::string FirstPhone(const std::string& phones_json) {
  json phones = json::parse(phones_json);
  return phones.is_array() && !phones.empty() ? phones[0].get<std::string>() : "";
}

LedgerPeople LoadLedgerPeople(store::Session& s, std::int64_t tenant_id) {
  auto rows = s.Query("SELECT p.id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.district, "
                      "p.search_key, p.lat, p.lon, l.needs, l.consent, p.address, p.phones, p.resident_number "
                      "FROM ledger_entries l JOIN persons p ON p.id = l.person_id WHERE l.tenant_id = $1",
                      {tenant_id});
  auto people = std::make_shared<std::vector<LedgerPerson>>();
  people->reserve(rows.size());
  for (auto& row : rows) {
    LedgerPerson& person = people->emplace_back();
    person.person_id = row.Int(0);
    person.name = row.TakeText(1).append(" ").append(row.Text(2));
    person.kana = row.TakeText(3).append(" ").append(row.Text(4));
    person.district = row.TakeText(5);
    person.search_key = row.TakeText(6);
    person.lat = row.OptReal(7);
    person.lon = row.OptReal(8);
    person.needs_json = row.TakeText(9);
    person.consent = row.Int(10) != 0;
    person.address = row.TakeText(11);
    person.phones_json = row.TakeText(12);
    person.resident_number = row.TakeText(13);
  }
  // Kana order: "family given" sorts as the family name alone would (the space sorts before
  // any kana), then the id.
  std::sort(people->begin(), people->end(), [](const LedgerPerson& a, const LedgerPerson& b) {
    int kana = a.kana.compare(b.kana);
    return kana != 0 ? kana < 0 : a.person_id < b.person_id;
  });
  return people;
}

LedgerPeople LedgerPeopleCache::Get(store::Session& s, std::int64_t tenant_id) {
  // With the version fixed, entries are only ever added: their count tells.
  auto row = s.dialect() == store::Dialect::kSqlite
                 ? s.QueryOne("SELECT version, (SELECT COUNT(*) FROM ledger_entries WHERE tenant_id = $1) "
                              "FROM ledger_version", {tenant_id})
                 : s.QueryOne("SELECT version, 0 FROM ledger_version");
  std::pair<std::int64_t, std::int64_t> version{row->Int(0), row->Int(1)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto kept = by_tenant_.find(tenant_id);
    if (kept != by_tenant_.end() && kept->second.version == version) return kept->second.people;
  }
  LedgerPeople people = LoadLedgerPeople(s, tenant_id);
  std::lock_guard<std::mutex> lock(mutex_);
  Kept& kept = by_tenant_[tenant_id];
  // A transaction that began before a change may finish reading after one that began later.
  if (!kept.people || version > kept.version) kept = {version, people};
  return people;
}

std::vector<SafetyRow> EventPeople(store::Session& s, const auth::Principal& principal, const Event& event,
                                   const SafetySettings& settings, UnixMillis now, bool with_contacts,
                                   LedgerPeopleCache* cache) {
  // Four plain queries joined here: one query with every join took 50 ms for 10,000 people.
  struct Status {
    std::string label, location, shelter, note, by;
    UnixMillis at = 0;
  };
  std::unordered_map<std::int64_t, Status> statuses;
  for (const auto& row : s.Query("SELECT st.person_id, st.label, st.location, st.shelter, sp.note, u.display_name, "
                                 "st.updated_at FROM safety_status st JOIN safety_posts sp ON sp.id = st.post_id "
                                 "JOIN users u ON u.id = sp.author_user_id WHERE st.event_id = $1",
                                 {event.id})) {
    statuses[row.Int(0)] = {row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5), row.Int(6)};
  }
  std::unordered_set<std::int64_t> on_team;
  if (auth::MayJoinCareTeam(principal.role)) {
    for (const auto& row : s.Query("SELECT m.person_id FROM care_team_members m JOIN patients pa ON pa.person_id = "
                                   "m.person_id AND pa.status = 'active' WHERE m.user_id = $1 AND m.status = 'active'",
                                   {principal.user_id})) {
      on_team.insert(row.Int(0));
    }
  }
  // Watched households (with a device in service): silent when a scheduled upload was
  // missed or nothing came for a day.
  std::unordered_map<std::int64_t, bool> watched;
  for (const auto& row : s.Query(
           "SELECT h.person_id, hs.last_upload_at, (SELECT COUNT(*) FROM alerts a WHERE a.household_id = h.id "
           "AND a.kind = 'missed_upload' AND a.closed_at IS NULL) FROM households h "
           "JOIN ledger_entries l ON l.person_id = h.person_id LEFT JOIN household_state hs ON hs.household_id = h.id "
           "WHERE l.tenant_id = $1 AND EXISTS (SELECT 1 FROM devices d WHERE d.household_id = h.id "
           "AND d.revoked_at IS NULL)",
           {event.tenant_id})) {
    watched[row.Int(0)] = !event.ended_at && (row.Int(2) > 0 || row.OptInt(1).value_or(0) < now - kSilenceMillis);
  }
  LedgerPeople ledger = cache ? cache->Get(s, event.tenant_id) : LoadLedgerPeople(s, event.tenant_id);
  bool declared = !event.drill && !event.ended_at;
  std::vector<SafetyRow> people;
  people.reserve(ledger->size());
  for (const LedgerPerson& entry : *ledger) {
    if (!event.Covers(entry.district)) continue;
    auth::PersonContext context;
    context.person_id = entry.person_id;
    context.tenant_id = event.tenant_id;
    context.in_ledger = true;
    context.ledger_consent = entry.consent;
    context.patient_registered = context.care_team_member = on_team.contains(entry.person_id);
    context.disaster_declared = declared;  // the event covers the district
    if (!auth::Decide(principal, auth::Action::kDisasterPerson, &context).allowed) continue;
    SafetyRow& person = people.emplace_back();
    person.person_id = entry.person_id;
    person.name = entry.name;
    person.kana = entry.kana;
    person.district = entry.district;
    person.search_key = entry.search_key;
    person.lat = entry.lat;
    person.lon = entry.lon;
    person.needs_json = entry.needs_json;
    person.consent = entry.consent;
    if (with_contacts) {
      person.address = entry.address;
      person.phones_json = entry.phones_json;
      person.resident_number = entry.resident_number;
    }
    auto status = statuses.find(entry.person_id);
    if (status == statuses.end()) {
      person.label = settings.default_label;
      person.location = "unknown";
    } else {
      Status& st = status->second;
      person.label = std::move(st.label);
      person.location = std::move(st.location);
      person.shelter = std::move(st.shelter);
      person.note = std::move(st.note);
      person.confirmed_by = std::move(st.by);
      person.updated_at = st.at;
    }
    auto household = watched.find(entry.person_id);
    person.watched = household != watched.end();
    person.silent = person.watched && household->second;
  }
  return people;
}

json OutagesJson(const std::vector<SafetyRow>& rows) {
  std::map<std::string, std::pair<int, int>> by_district;  // watched, silent
  for (const SafetyRow& r : rows) {
    if (!r.watched) continue;
    auto& [watched, silent] = by_district[r.district];
    ++watched;
    silent += r.silent ? 1 : 0;
  }
  json outages = json::array();
  for (const auto& [district, counts] : by_district) {
    if (counts.first >= 3 && counts.second * 2 >= counts.first) {
      outages.push_back({{"district", district}, {"watched", counts.first}, {"silent", counts.second}});
    }
  }
  return outages;
}

std::string PeopleJson(const std::vector<SafetyRow>& rows, const PeopleFilter& filter,
                       const SafetySettings& settings) {
  std::set<std::string> districts;
  std::string key = filter.q.empty() ? "" : SearchKey(filter.q);
  std::string need = filter.need.empty() ? "" : json(filter.need).dump();  // as it stands in needs_json
  std::string people = "[";
  people.reserve(rows.size() * 260);
  std::size_t count = 0;
  for (const SafetyRow& r : rows) {
    districts.insert(r.district);
    bool keep = (filter.labels.empty() ||
                 std::find(filter.labels.begin(), filter.labels.end(), r.label) != filter.labels.end()) &&
                (need.empty() || r.needs_json.find(need) != std::string::npos) &&
                (filter.district.empty() || r.district == filter.district) &&
                (key.empty() || r.search_key.find(key) != std::string::npos);
    if (!keep) continue;
    auto text = [&](const char* name, std::string_view value) {
      people += name;
      AppendJsonString(people, value);
    };
    auto number = [&](const char* name, const std::optional<double>& value) {
      people += name;
      if (!value) {
        people += "null";
        return;
      }
      char digits[32];  // the shortest form that reads back as the same number
      people.append(digits, std::to_chars(digits, digits + sizeof digits, *value).ptr);
    };
    people += count++ ? ",{\"id\":" : "{\"id\":";
    people += std::to_string(r.person_id);
    text(",\"name\":", r.name);
    text(",\"kana\":", r.kana);
    text(",\"district\":", r.district);
    number(",\"lat\":", r.lat);
    number(",\"lon\":", r.lon);
    people += ",\"needs\":" + r.needs_json;
    people += r.consent ? ",\"consent\":true" : ",\"consent\":false";
    text(",\"label\":", r.label);
    text(",\"location\":", r.location);
    text(",\"shelter\":", r.shelter);
    people += ",\"updated_at\":";
    if (r.updated_at) AppendJsonString(people, FormatRfc3339(*r.updated_at));
    else people += "null";
    people += r.silent ? ",\"silent\":true}" : ",\"silent\":false}";
  }
  people += "]";
  json head = LabelsJson(settings);
  head["count"] = count;
  head["total"] = rows.size();
  head["districts"] = districts;
  head["outages"] = OutagesJson(rows);
  std::string out = head.dump();
  out.pop_back();  // the closing brace: the people follow
  out += ",\"people\":" + people + "}";
  return out;
}

void RequireInEvent(store::Session& s, const Event& event, std::int64_t person_id) {
  auto person = s.QueryOne("SELECT p.district FROM ledger_entries l JOIN persons p ON p.id = l.person_id "
                           "WHERE l.person_id = $1 AND p.tenant_id = $2",
                           {person_id, event.tenant_id});
  if (!person || !event.Covers(person->Text(0))) {
    Fail(ErrorCode::kNotFound, "not_in_event", "this person is not on the ledger of the event's area");
  }
}

json PersonCard(store::Session& s, const Event& event, std::int64_t person_id, const SafetySettings& settings,
                UnixMillis now) {
  RequireInEvent(s, event, person_id);
  auto person = registry::GetPerson(s, person_id);
  auto ledger = s.QueryOne("SELECT care_level, needs, supporter_name, supporter_phone, shelter, consent "
                           "FROM ledger_entries WHERE person_id = $1",
                           {person_id});
  std::string today = LocalDate(now, registry::TenantTimeZone(s, event.tenant_id));
  auto age = registry::AgeOn(person->birth_date, today);
  json posts = json::array();
  for (const auto& row : s.Query(std::string(kPostColumns) + " WHERE sp.event_id = $1 AND sp.person_id = $2 "
                                                             "ORDER BY sp.id DESC LIMIT 100",
                                 {event.id, person_id})) {
    posts.push_back(PostJson(row));
  }
  json team = json::array();
  for (const auto& row : s.Query("SELECT u.display_name, u.role, COALESCE(o.name, ''), COALESCE(o.phone, '') "
                                 "FROM care_team_members m JOIN users u ON u.id = m.user_id "
                                 "LEFT JOIN organizations o ON o.id = u.organization_id "
                                 "WHERE m.person_id = $1 AND m.status = 'active' ORDER BY m.membership DESC, u.id",
                                 {person_id})) {
    team.push_back({{"name", row.Text(0)}, {"role", row.Text(1)}, {"organization", row.Text(2)}, {"phone", row.Text(3)}});
  }
  return {{"id", person->id},
          {"name", person->family_name + " " + person->given_name},
          {"kana", person->family_kana + " " + person->given_kana},
          {"sex", person->sex},
          {"age", age ? json(*age) : json(nullptr)},
          {"address", person->address},
          {"district", person->district},
          {"lat", person->lat ? json(*person->lat) : json(nullptr)},
          {"lon", person->lon ? json(*person->lon) : json(nullptr)},
          {"phones", person->phones},
          {"care_level", ledger->Text(0)},
          {"needs", json::parse(ledger->Text(1))},
          {"supporter", {{"name", ledger->Text(2)}, {"phone", ledger->Text(3)}}},
          {"designated_shelter", ledger->Text(4)},
          {"consent", ledger->Int(5) != 0},
          {"status", StatusJson(s, event, person_id, settings)},
          {"posts", posts},
          {"care_team", team}};
}

SafetyPost ParseSafetyPost(const json& body, const SafetySettings& settings) {
  SafetyPost post;
  auto label = body.find("label");
  post.label = label != body.end() && label->is_string() ? label->get<std::string>() : "";
  if (!settings.Find(post.label)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_label", "label: one of the municipality's labels", "label");
  }
  auto location = body.find("location");
  post.location = location != body.end() && location->is_string() ? location->get<std::string>() : "unknown";
  if (std::find_if(kLocations.begin(), kLocations.end(), [&](const char* l) { return post.location == l; }) ==
      kLocations.end()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_location", "location: home, shelter, hospital, other or unknown",
         "location");
  }
  post.shelter = TextField(body, "shelter", 100, "invalid_shelter");
  post.note = TextField(body, "note", 2000, "invalid_note");
  auto client_id = body.find("client_id");
  if (client_id != body.end() && !client_id->is_null()) {
    static const std::regex pattern("[A-Za-z0-9_-]{8,64}");
    if (!client_id->is_string() || !std::regex_match(client_id->get<std::string>(), pattern)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_client_id", "client_id: 8–64 letters, digits, - or _", "client_id");
    }
    post.client_id = client_id->get<std::string>();
  }
  return post;
}

PostOutcome PostSafety(store::Session& s, const auth::Principal& principal, const Event& event,
                       std::int64_t person_id, const SafetySettings& settings, const SafetyPost& post, UnixMillis now) {
  if (!settings.Find(post.label)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_label", "label: one of the municipality's labels", "label");
  }
  PostOutcome outcome;
  if (post.client_id) {
    auto sent = s.QueryOne(std::string(kPostColumns) + " WHERE sp.event_id = $1 AND sp.client_id = $2",
                           {event.id, *post.client_id});
    if (sent) {
      bool same = sent->Int(1) == person_id && sent->Text(2) == post.label && sent->Text(3) == post.location &&
                  sent->Text(4) == post.shelter && sent->Text(5) == post.note;
      if (!same) {
        Fail(ErrorCode::kConflict, "client_id_conflict", "this client_id was used for another post", "client_id");
      }
      outcome.replayed = true;
      outcome.body = {{"post", PostJson(*sent)}, {"status", StatusJson(s, event, person_id, settings)}, {"replayed", true}};
      return outcome;
    }
  }
  RequireOpen(event);
  std::int64_t id = s.QueryOne("INSERT INTO safety_posts (event_id, person_id, client_id, label, location, shelter, "
                               "note, author_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                               {event.id, person_id, store::Opt(post.client_id), post.label, post.location,
                                post.shelter, post.note, principal.user_id, now})
                       ->Int(0);
  s.Execute("DELETE FROM safety_status WHERE event_id = $1 AND person_id = $2", {event.id, person_id});
  s.Execute("INSERT INTO safety_status (event_id, person_id, post_id, label, location, shelter, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {event.id, person_id, id, post.label, post.location, post.shelter, now});
  std::string where = LocationName(post.location) + (post.shelter.empty() ? "" : "（" + post.shelter + "）");
  std::string text = fmt::format("【安否確認{}】{}: {} / 居場所: {}{}", event.drill ? "・訓練" : "", event.title,
                                 LabelName(settings, post.label), where,
                                 post.note.empty() ? "" : "\n" + post.note);
  bool important = post.label != settings.default_label && post.label == settings.labels.front().key;
  outcome.notice = carenet::AddSystemPost(s, person_id, "safety", text, important, std::nullopt, now);
  outcome.body = {{"post", PostJson(*s.QueryOne(std::string(kPostColumns) + " WHERE sp.id = $1", {id}))},
                  {"status", StatusJson(s, event, person_id, settings)},
                  {"replayed", false}};
  return outcome;
}

json DashboardJson(store::Session& s, const Event& event, const std::vector<SafetyRow>& rows,
                   const SafetySettings& settings, UnixMillis now) {
  auto zero = [&] {
    json counts = json::object();
    for (const SafetyLabel& l : settings.labels) counts[l.key] = 0;
    return counts;
  };
  json totals = zero();
  std::map<std::string, json> districts;
  std::unordered_map<std::int64_t, std::string> label_at;  // person → label as the posts replay
  for (const SafetyRow& r : rows) {
    totals[r.label] = totals.value(r.label, 0) + 1;
    json& d = districts.try_emplace(r.district, json{{"district", r.district}, {"total", 0}, {"counts", zero()}})
                  .first->second;
    d["total"] = d["total"].get<int>() + 1;
    d["counts"][r.label] = d["counts"].value(r.label, 0) + 1;
    label_at[r.person_id] = settings.default_label;
  }
  // Progress: replay the posts in time order over hour steps.
  auto posts = s.Query("SELECT person_id, label, at FROM safety_posts WHERE event_id = $1 ORDER BY at, id", {event.id});
  UnixMillis end = event.ended_at.value_or(now);
  UnixMillis start = posts.empty() ? event.onset_at : std::min(event.onset_at, posts.front().Int(2));
  std::map<std::string, int> current;
  for (const SafetyLabel& l : settings.labels) current[l.key] = 0;
  current[settings.default_label] = static_cast<int>(label_at.size());
  json progress = json::array();
  std::size_t next = 0;
  for (UnixMillis step : ProgressSteps(start, std::max(start, end))) {
    for (; next < posts.size() && posts[next].Int(2) <= step; ++next) {
      auto person = label_at.find(posts[next].Int(0));
      if (person == label_at.end()) continue;  // not among the people reported on
      --current[person->second];
      person->second = posts[next].Text(1);
      ++current[person->second];
    }
    progress.push_back({{"at", FormatRfc3339(step)}, {"counts", current}});
  }
  json by_district = json::array();
  for (auto& [name, d] : districts) by_district.push_back(std::move(d));
  json out = LabelsJson(settings);
  out["total"] = rows.size();
  out["counts"] = totals;
  out["districts"] = by_district;
  out["progress"] = progress;
  out["outages"] = OutagesJson(rows);
  return out;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) cell.insert(0, "'");
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string SafetyCsv(const std::vector<SafetyRow>& rows, const SafetySettings& settings, const std::string& time_zone) {
  std::string csv = "\xEF\xBB\xBF";
  csv += "住民番号,氏名,フリガナ,地区,住所,電話番号,支援が必要な理由,状態,居場所,避難先,最終確認,確認者,メモ\r\n";
  for (const SafetyRow& r : rows) {
    std::string needs;
    for (const json& need : json::parse(r.needs_json)) needs += (needs.empty() ? "" : "・") + NeedName(need.get<std::string>());
    std::vector<std::string> cells = {r.resident_number, r.name, r.kana, r.district, r.address, FirstPhone(r.phones_json), needs,
                                      LabelName(settings, r.label), LocationName(r.location), r.shelter,
                                      r.updated_at ? FormatLocalMinute(*r.updated_at, time_zone) : "",
                                      r.confirmed_by, r.note};
    for (std::size_t i = 0; i < cells.size(); ++i) csv += (i ? "," : "") + CsvCell(cells[i]);
    csv += "\r\n";
  }
  return csv;
}

}  // namespace moyakko::disaster
