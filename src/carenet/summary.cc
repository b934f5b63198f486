#include "carenet/summary.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "carenet/people.h"
#include "common/error.h"
#include "common/text.h"

namespace moyakko::carenet {
namespace {

enum class Kind { kText, kDate, kChoice, kOrder, kPhones };

struct Field {
  std::string_view name;
  Kind kind = Kind::kText;
  bool required = false;
  std::size_t max_chars = 200;
  std::vector<std::string_view> choices = {};
};

struct Section {
  std::string name;
  auth::Category category;
  std::vector<Field> fields;
};

const std::vector<Section>& Sections() {
  using auth::Category;
  static const std::vector<Section> sections = {
      {"care_level", Category::kCareLevel,
       {{"level", Kind::kChoice, true, 10,
         {"要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5", "非該当"}},
        {"certified_on", Kind::kDate, true},
        {"valid_from", Kind::kDate},
        {"valid_until", Kind::kDate}}},
      {"history", Category::kClinical,
       {{"condition", Kind::kText, true, 200},
        {"since", Kind::kText, false, 30},
        {"status", Kind::kChoice, false, 10, {"active", "resolved", "unknown"}},
        {"note", Kind::kText, false, 1000}}},
      {"prescriptions", Category::kClinical,
       {{"drug", Kind::kText, true, 200},
        {"dose", Kind::kText, false, 100},
        {"schedule", Kind::kText, false, 200},
        {"prescriber", Kind::kText, false, 100},
        {"pharmacy", Kind::kText, false, 100},
        {"from", Kind::kDate},
        {"until", Kind::kDate}}},
      {"allergies", Category::kClinical,
       {{"substance", Kind::kText, true, 200},
        {"reaction", Kind::kText, false, 200},
        {"severity", Kind::kChoice, false, 10, {"mild", "moderate", "severe", "unknown"}}}},
      {"family_doctor", Category::kContacts,
       {{"name", Kind::kText, true, 100}, {"clinic", Kind::kText, false, 100}, {"phone", Kind::kText, false, 30}}},
      {"next_of_kin", Category::kContacts,
       {{"name", Kind::kText, true, 100},
        {"relationship", Kind::kText, false, 30},
        {"phones", Kind::kPhones},
        {"order", Kind::kOrder}}},
      {"acp", Category::kAcp,
       {{"resuscitation", Kind::kChoice, false, 12, {"wanted", "not_wanted", "undecided"}},
        {"life_sustaining", Kind::kText, false, 1000},
        {"place_of_care", Kind::kText, false, 200},
        {"place_of_death", Kind::kText, false, 200},
        {"decision_maker", Kind::kText, false, 200},
        {"note", Kind::kText, false, 2000},
        {"confirmed_on", Kind::kDate, true}}},
  };
  return sections;
}

const Section& RequireSection(std::string_view name) {
  for (const auto& section : Sections()) {
    if (section.name == name) return section;
  }
  Fail(ErrorCode::kNotFound, "no_such_section", fmt::format("no summary section '{}'", name));
}

[[noreturn]] void BadField(std::string_view field, const std::string& message) {
  std::string path = fmt::format("data.{}", field);
  Fail(ErrorCode::kInvalidArgument, "invalid_field", fmt::format("{}: {}", path, message), path);
}

nlohmann::json ValidateField(const Field& f, const nlohmann::json& value) {
  switch (f.kind) {
    case Kind::kOrder:
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 99) {
        BadField(f.name, "a whole number from 1 to 99");
      }
      return value;
    case Kind::kPhones: {
      if (!value.is_array() || value.size() > 5) BadField(f.name, "up to 5 phone numbers");
      for (const auto& phone : value) {
        if (!phone.is_string() || !IsValidUtf8(phone.get_ref<const std::string&>()) ||
            Utf8Length(phone.get_ref<const std::string&>()) > 30) {
          BadField(f.name, "phone numbers of at most 30 characters");
        }
      }
      return value;
    }
    default:
      break;
  }
  if (!value.is_string()) BadField(f.name, "must be a string");
  const auto& text = value.get_ref<const std::string&>();
  if (!IsValidUtf8(text) || Utf8Length(text) > f.max_chars) {
    BadField(f.name, fmt::format("at most {} characters", f.max_chars));
  }
  if (f.required && text.empty()) BadField(f.name, "is required");
  if (f.kind == Kind::kDate && !text.empty() && !IsCalendarDate(text)) BadField(f.name, "a date, YYYY-MM-DD");
  if (f.kind == Kind::kChoice && !text.empty() &&
      std::find(f.choices.begin(), f.choices.end(), text) == f.choices.end()) {
    BadField(f.name, fmt::format("one of {}", fmt::join(f.choices, ", ")));
  }
  return value;
}

// `row` from `first` on: version, data, author_user_id, created_at.
nlohmann::json EntryJson(std::int64_t entry_id, const store::Row& row, std::size_t first, const UserCards& cards) {
  return {{"id", entry_id},
          {"version", row.Int(first)},
          {"data", row.IsNull(first + 1) ? nlohmann::json(nullptr) : nlohmann::json::parse(row.Text(first + 1))},
          {"author", cards.Get(row.Int(first + 2))},
          {"at", FormatRfc3339(row.Int(first + 3))}};
}

bool Visible(const std::vector<auth::Category>& visible, std::string_view section) {
  auto category = CategoryOf(section);
  return category && std::find(visible.begin(), visible.end(), *category) != visible.end();
}

nlohmann::json LoadEntry(store::Session& s, std::int64_t entry_id, std::int64_t version) {
  auto row = s.QueryOne("SELECT version, data, author_user_id, created_at FROM summary_versions "
                        "WHERE entry_id = $1 AND version = $2", {entry_id, version});
  return EntryJson(entry_id, *row, 0, UserCards(s, {row->Int(2)}));
}

std::int64_t AppendVersion(store::Session& s, std::int64_t entry_id, const std::optional<std::string>& data,
                           std::int64_t author, UnixMillis now) {
  auto entry = s.QueryOne("SELECT current_version FROM summary_entries WHERE id = $1", {entry_id});
  std::int64_t version = entry->Int(0) + 1;
  s.Execute("INSERT INTO summary_versions (entry_id, version, data, author_user_id, created_at) VALUES ($1, $2, $3, $4, $5)",
            {entry_id, version, store::Opt(data), author, now});
  s.Execute("UPDATE summary_entries SET current_version = $2, removed = $3 WHERE id = $1",
            {entry_id, version, std::int64_t{data ? 0 : 1}});
  return version;
}

std::int64_t RequireEntry(store::Session& s, std::int64_t person_id, std::string_view section, std::int64_t entry_id) {
  auto row = s.QueryOne("SELECT removed FROM summary_entries WHERE id = $1 AND person_id = $2 AND section = $3",
                        {entry_id, person_id, std::string(section)});
  if (!row || row->Int(0) != 0) Fail(ErrorCode::kNotFound, "no_such_entry", "no such entry in this summary");
  return entry_id;
}

}  // namespace

const std::vector<std::string>& SummarySections() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& section : Sections()) list.push_back(section.name);
    return list;
  }();
  return names;
}

std::optional<auth::Category> CategoryOf(std::string_view name) {
  for (const auto& section : Sections()) {
    if (section.name == name) return section.category;
  }
  return std::nullopt;
}

nlohmann::json ValidateSectionData(std::string_view name, const nlohmann::json& data) {
  const Section& section = RequireSection(name);
  if (!data.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_field", "data must be an object", "data");
  for (const auto& [key, value] : data.items()) {
    bool known = std::any_of(section.fields.begin(), section.fields.end(), [&](const Field& f) { return f.name == key; });
    if (!known) BadField(key, fmt::format("not a field of {}", section.name));
  }
  nlohmann::json normalised = nlohmann::json::object();
  for (const Field& f : section.fields) {
    auto it = data.find(f.name);
    if (it == data.end() || it->is_null()) {
      if (f.required) BadField(f.name, "is required");
      continue;
    }
    normalised[std::string(f.name)] = ValidateField(f, *it);
  }
  return normalised;
}

nlohmann::json AddEntry(store::Session& s, std::int64_t person_id, std::string_view section,
                        const nlohmann::json& data, std::int64_t author, UnixMillis now) {
  nlohmann::json valid = ValidateSectionData(section, data);
  if (section == "acp") {
    // One ACP per person: a new one is the next version of the same entry.
    if (auto acp = s.QueryOne("SELECT id FROM summary_entries WHERE person_id = $1 AND section = 'acp'", {person_id})) {
      std::int64_t version = AppendVersion(s, acp->Int(0), valid.dump(), author, now);
      return LoadEntry(s, acp->Int(0), version);
    }
  }
  std::int64_t entry_id = s.QueryOne("INSERT INTO summary_entries (person_id, section, current_version) "
                                     "VALUES ($1, $2, 0) RETURNING id", {person_id, std::string(section)})->Int(0);
  std::int64_t version = AppendVersion(s, entry_id, valid.dump(), author, now);
  return LoadEntry(s, entry_id, version);
}

nlohmann::json ReviseEntry(store::Session& s, std::int64_t person_id, std::string_view section, std::int64_t entry_id,
                           const nlohmann::json& data, std::int64_t author, UnixMillis now) {
  nlohmann::json valid = ValidateSectionData(section, data);
  RequireEntry(s, person_id, section, entry_id);
  std::int64_t version = AppendVersion(s, entry_id, valid.dump(), author, now);
  return LoadEntry(s, entry_id, version);
}

void RemoveEntry(store::Session& s, std::int64_t person_id, std::string_view section, std::int64_t entry_id,
                 std::int64_t author, UnixMillis now) {
  RequireSection(section);
  if (section == "acp") {
    Fail(ErrorCode::kInvalidArgument, "acp_not_removable", "an ACP is never removed; record a new version instead", "section");
  }
  RequireEntry(s, person_id, section, entry_id);
  AppendVersion(s, entry_id, std::nullopt, author, now);
}

nlohmann::json SummaryJson(store::Session& s, std::int64_t person_id, const std::vector<auth::Category>& visible) {
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& name : SummarySections()) {
    if (Visible(visible, name)) summary[name] = nlohmann::json::array();
  }
  // Current versions of every live entry, and every version of the ACP.
  auto rows = s.Query(
      "SELECT e.id, e.section, v.version, v.data, v.author_user_id, v.created_at, e.current_version "
      "FROM summary_entries e JOIN summary_versions v ON v.entry_id = e.id "
      "WHERE e.person_id = $1 AND e.removed = 0 AND (v.version = e.current_version OR e.section = 'acp') "
      "ORDER BY e.id, v.version DESC", {person_id});
  UserCards cards(s, rows, {4});
  for (const auto& r : rows) {
    std::string section = r.Text(1);
    if (!summary.contains(section)) continue;
    nlohmann::json entry = EntryJson(r.Int(0), r, 2, cards);
    if (section == "acp") entry["current"] = r.Int(2) == r.Int(6);
    summary[section].push_back(std::move(entry));
  }
  nlohmann::json withheld = nlohmann::json::array();
  for (auto category : {auth::Category::kCareLevel, auth::Category::kContacts, auth::Category::kClinical,
                        auth::Category::kAcp}) {
    if (std::find(visible.begin(), visible.end(), category) == visible.end()) withheld.push_back(auth::ToString(category));
  }
  summary["withheld"] = withheld;
  return summary;
}

nlohmann::json HistoryJson(store::Session& s, std::int64_t person_id, const std::vector<auth::Category>& visible,
                           const std::optional<std::string>& section) {
  if (section) RequireSection(*section);
  auto rows = s.Query(
      "SELECT e.id, e.section, v.version, v.data, v.author_user_id, v.created_at FROM summary_entries e "
      "JOIN summary_versions v ON v.entry_id = e.id WHERE e.person_id = $1 ORDER BY v.created_at DESC, e.id DESC, "
      "v.version DESC", {person_id});
  UserCards cards(s, rows, {4});
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& r : rows) {
    std::string name = r.Text(1);
    if (!Visible(visible, name) || (section && *section != name)) continue;
    changes.push_back({{"section", name}, {"entry", r.Int(0)}, {"version", r.Int(2)},
                       {"data", r.IsNull(3) ? nlohmann::json(nullptr) : nlohmann::json::parse(r.Text(3))},
                       {"author", cards.Get(r.Int(4))}, {"at", FormatRfc3339(r.Int(5))}});
  }
  return changes;
}

}  // namespace moyakko::carenet
