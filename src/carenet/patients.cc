#include "carenet/patients.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "auth/guard.h"
#include "carenet/people.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::carenet {
namespace {

void FillCareTeamRelation(store::Session& s, const auth::Principal& principal, auth::PersonContext& context) {
  auto row = s.QueryOne(
      "SELECT pa.status, m.membership, m.status FROM patients pa LEFT JOIN care_team_members m "
      "ON m.person_id = pa.person_id AND m.user_id = $2 WHERE pa.person_id = $1",
      {context.person_id, principal.user_id});
  if (!row) return;
  context.patient_registered = row->Text(0) == "active";
  bool member = context.patient_registered && row->Text(2) == "active";
  context.care_team_member = context.care_team_member || member;
  context.care_team_lead = member && row->Text(1) == "lead";
  context.care_team_invited = context.patient_registered && row->Text(2) == "invited";
}

// 400 unless `user_id` is an enabled user of a caring role who may work with people of
// `tenant_id`.
void RequireStaffFor(store::Session& s, std::int64_t user_id, std::int64_t tenant_id, const char* field) {
  auto row = s.QueryOne("SELECT role, tenant_id, disabled FROM users WHERE id = $1", {user_id});
  bool ok = row && row->Int(2) == 0;
  if (ok) {
    auto role = auth::ParseRole(row->Text(0));
    ok = role && auth::MayJoinCareTeam(*role);
  }
  if (ok && row->Int(1) != tenant_id) {
    ok = s.QueryOne("SELECT 1 FROM tenant_shares WHERE from_tenant_id = $1 AND to_tenant_id = $2",
                    {tenant_id, row->Int(1)}).has_value();
  }
  if (!ok) Fail(ErrorCode::kInvalidArgument, "invalid_user", "no such professional who may join this team", field);
}

// A name search of the whole municipality starts from the register's trigram index when it
// finds at most this many people; a commoner name fills a page early in list order.
constexpr std::int64_t kFewMatches = 2000;

// "1940-03-02" for 1940-03-02, 1940/3/2, 19400302 (after width folding); else nothing.
std::optional<std::string> AsBirthDate(const std::string& key) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  bool parsed = std::sscanf(key.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
                std::sscanf(key.c_str(), "%4d/%2d/%2d%c", &y, &m, &d, &tail) == 3 ||
                (key.size() == 8 && std::all_of(key.begin(), key.end(), ::isdigit) &&
                 std::sscanf(key.c_str(), "%4d%2d%2d", &y, &m, &d) == 3);
  if (!parsed) return std::nullopt;
  std::string date = fmt::format("{:04}-{:02}-{:02}", y, m, d);
  return IsCalendarDate(date) ? std::optional(date) : std::nullopt;
}

// The digits of a phone number typed with or without hyphens; nothing if it is not one.
std::optional<std::string> AsPhoneDigits(const std::string& key) {
  std::string digits;
  for (char c : key) {
    if (::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c != '-') return std::nullopt;
  }
  return digits.size() >= 4 ? std::optional(digits) : std::nullopt;
}

// The patient's row in patient_search, from the register.
void IndexPatient(store::Session& s, const registry::Person& p) {
  std::string digits;
  for (const auto& phone : p.phones) {
    for (char c : phone) {
      if (::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    digits += ' ';
  }
  std::string search_key = s.QueryOne("SELECT search_key FROM persons WHERE id = $1", {p.id})->Text(0);
  s.Execute("DELETE FROM patient_search WHERE person_id = $1", {p.id});
  s.Execute("INSERT INTO patient_search (tenant_id, sort_key, person_id, search_key, birth_date, phone_digits) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            {p.tenant_id, p.family_kana + '\x01' + p.given_kana, p.id, search_key, store::Opt(p.birth_date), digits});
}

}  // namespace

std::int64_t PatientTenant(store::Session& s, std::int64_t person_id) {
  auto row = s.QueryOne("SELECT tenant_id FROM patients WHERE person_id = $1", {person_id});
  if (!row) Fail(ErrorCode::kNotFound, "not_registered", "this person is not a patient of the care network");
  return row->Int(0);
}

void InstallRelations() {
  static std::once_flag once;
  std::call_once(once, [] { auth::AddRelationSource(FillCareTeamRelation); });
}

Consent ReadConsent(const nlohmann::json& object, const std::string& prefix) {
  if (!object.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_consent", "consent must be an object", "consent");
  auto text = [&](const char* field, std::size_t max, bool required) {
    std::string name = prefix + field;
    auto it = object.find(field);
    if (it == object.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      if (required) Fail(ErrorCode::kInvalidArgument, "missing", name + " is required", name);
      return std::string();
    }
    if (!it->is_string() || !IsValidUtf8(it->get_ref<const std::string&>()) ||
        Utf8Length(it->get_ref<const std::string&>()) > max) {
      Fail(ErrorCode::kInvalidArgument, "invalid_type", fmt::format("{}: a string of at most {} characters", name, max), name);
    }
    return it->get<std::string>();
  };
  Consent c;
  c.given_by = text("given_by", 100, true);
  c.relationship = text("relationship", 20, true);
  c.given_on = text("given_on", 10, true);
  c.scope = text("scope", 30, false);
  if (c.scope.empty()) c.scope = "care_team";
  if (c.relationship != "self" && c.relationship != "family" && c.relationship != "guardian") {
    Fail(ErrorCode::kInvalidArgument, "invalid_relationship", prefix + "relationship: self, family or guardian",
         prefix + "relationship");
  }
  if (!IsCalendarDate(c.given_on)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_date", prefix + "given_on: YYYY-MM-DD", prefix + "given_on");
  }
  if (c.scope != "care_team" && c.scope != "care_team_and_city") {
    Fail(ErrorCode::kInvalidArgument, "invalid_scope", prefix + "scope: care_team or care_team_and_city", prefix + "scope");
  }
  return c;
}

void RecordConsent(store::Session& s, std::int64_t person_id, const Consent& c, std::int64_t by_user, UnixMillis now) {
  // One consent is in force at a time: a new one ends the previous.
  s.Execute("UPDATE patient_consents SET withdrawn_at = $2, withdrawn_by = $3 WHERE person_id = $1 AND withdrawn_at IS NULL",
            {person_id, now, by_user});
  s.Execute("INSERT INTO patient_consents (person_id, given_by, relationship, given_on, scope, recorded_by, recorded_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {person_id, c.given_by, c.relationship, c.given_on, c.scope, by_user, now});
}

void WithdrawConsent(store::Session& s, std::int64_t person_id, std::int64_t by_user, UnixMillis now) {
  if (s.Execute("UPDATE patient_consents SET withdrawn_at = $2, withdrawn_by = $3 "
                "WHERE person_id = $1 AND withdrawn_at IS NULL", {person_id, now, by_user}) == 0) {
    Fail(ErrorCode::kConflict, "no_consent", "no consent is in force");
  }
}

void RequireConsent(store::Session& s, std::int64_t person_id) {
  if (!s.QueryOne("SELECT 1 FROM patient_consents WHERE person_id = $1 AND withdrawn_at IS NULL", {person_id})) {
    Fail(ErrorCode::kConflict, "no_consent", "no consent to share is in force for this patient; record one first");
  }
}

void RegisterPatient(store::Session& s, const auth::Principal& by, std::int64_t person_id, const Consent& consent,
                     std::optional<std::int64_t> lead, UnixMillis now) {
  auto existing = s.QueryOne("SELECT status FROM patients WHERE person_id = $1", {person_id});
  if (existing && existing->Text(0) == "active") {
    Fail(ErrorCode::kConflict, "already_registered", "this person is already a patient of the care network");
  }
  auto person = registry::GetPerson(s, person_id);
  if (!lead && auth::IsStaff(by.role) && by.role != auth::Role::kAdmin) lead = by.user_id;
  if (!lead) Fail(ErrorCode::kInvalidArgument, "missing", "lead: name the professional who leads the team", "lead");
  RequireStaffFor(s, *lead, person->tenant_id, "lead");
  if (existing) {
    s.Execute("UPDATE patients SET status = 'active', registered_at = $2, registered_by = $3, deregistered_at = NULL, "
              "deregistered_by = NULL, deregister_reason = '' WHERE person_id = $1", {person_id, now, by.user_id});
    s.Execute("UPDATE care_team_members SET status = 'removed', ended_at = $2 WHERE person_id = $1 AND status <> 'removed'",
              {person_id, now});
  } else {
    s.Execute("INSERT INTO patients (person_id, tenant_id, status, registered_at, registered_by) VALUES ($1, $2, 'active', $3, $4)",
              {person_id, person->tenant_id, now, by.user_id});
  }
  RecordConsent(s, person_id, consent, by.user_id, now);
  IndexPatient(s, *person);
  s.Execute("DELETE FROM care_team_members WHERE person_id = $1 AND user_id = $2", {person_id, *lead});
  s.Execute("INSERT INTO care_team_members (person_id, user_id, membership, status, invited_by, invited_at, accepted_at) "
            "VALUES ($1, $2, 'lead', 'active', $3, $4, $4)", {person_id, *lead, by.user_id, now});
}

void DeregisterPatient(store::Session& s, std::int64_t person_id, std::int64_t by_user, const std::string& reason,
                       UnixMillis now) {
  if (s.Execute("UPDATE patients SET status = 'deregistered', deregistered_at = $2, deregistered_by = $3, "
                "deregister_reason = $4 WHERE person_id = $1 AND status = 'active'",
                {person_id, now, by_user, reason}) == 0) {
    Fail(ErrorCode::kConflict, "not_registered", "this person is not a registered patient");
  }
}

nlohmann::json PatientJson(store::Session& s, const auth::Principal& viewer, std::int64_t person_id) {
  auto row = s.QueryOne("SELECT status, registered_at, registered_by, deregistered_at, deregister_reason "
                        "FROM patients WHERE person_id = $1", {person_id});
  if (!row) Fail(ErrorCode::kNotFound, "not_registered", "this person is not a patient of the care network");
  auto person = registry::GetPerson(s, person_id);
  std::string today = LocalDate(SystemClock().Now(), registry::TenantTimeZone(s, person->tenant_id));
  auto membership = s.QueryOne("SELECT membership FROM care_team_members WHERE person_id = $1 AND user_id = $2 "
                               "AND status = 'active'", {person_id, viewer.user_id});
  nlohmann::json consents = ConsentsJson(s, person_id);
  nlohmann::json consent = nullptr;
  if (!consents.empty() && consents[0]["withdrawn_at"].is_null()) consent = consents[0];
  return {{"person", registry::ToJson(*person, today)},
          {"status", row->Text(0)},
          {"registered_at", FormatRfc3339(row->Int(1))},
          {"registered_by", UserCard(s, row->Int(2))},
          {"deregistered_at", row->IsNull(3) ? nlohmann::json(nullptr) : nlohmann::json(FormatRfc3339(row->Int(3)))},
          {"deregister_reason", row->Text(4)},
          {"consent", consent},
          {"my_membership", membership ? nlohmann::json(membership->Text(0)) : nlohmann::json(nullptr)}};
}

nlohmann::json ConsentsJson(store::Session& s, std::int64_t person_id) {
  nlohmann::json list = nlohmann::json::array();
  auto rows = s.Query("SELECT id, given_by, relationship, given_on, scope, recorded_by, recorded_at, withdrawn_at "
                      "FROM patient_consents WHERE person_id = $1 ORDER BY id DESC", {person_id});
  UserCards cards(s, rows, {5});
  for (const auto& r : rows) {
    list.push_back({{"id", r.Int(0)}, {"given_by", r.Text(1)}, {"relationship", r.Text(2)}, {"given_on", r.Text(3)},
                    {"scope", r.Text(4)}, {"recorded_by", cards.Get(r.Int(5))}, {"recorded_at", FormatRfc3339(r.Int(6))},
                    {"withdrawn_at", r.IsNull(7) ? nlohmann::json(nullptr) : nlohmann::json(FormatRfc3339(r.Int(7)))}});
  }
  return list;
}

nlohmann::json ListPatients(store::Session& s, const auth::Principal& viewer, const PatientSearch& search) {
  auth::PersonScope scope = auth::ListScope(viewer);
  nlohmann::json list = nlohmann::json::array();
  if (scope == auth::PersonScope::kNone) return list;
  std::string key = SearchKey(search.text);
  std::vector<store::Value> params;
  auto param = [&](store::Value value) {
    params.push_back(std::move(value));
    return fmt::format("${}", params.size());
  };
  std::string member = fmt::format("m.person_id = p.id AND m.user_id = {} AND m.status = 'active'", param(viewer.user_id));
  std::vector<std::string> where;
  std::string from, order, row;  // row: where the search columns are
  std::string joined;  // what the municipality's search joins to patient_search
  std::string phone_digits;
  if (scope == auth::PersonScope::kTenant) {
    // The municipality's patients, read in list order from their narrow index until a page
    // is full.
    // SQLite's CROSS JOIN keeps that order (PostgreSQL takes no ON with it, and plans alone).
    joined = fmt::format(" {} JOIN persons p ON p.id = ps.person_id JOIN patients pa ON pa.person_id = p.id "
                         "LEFT JOIN care_team_members m ON {}",
                         s.dialect() == store::Dialect::kSqlite ? "CROSS" : "", member);
    from = "patient_search ps" + joined;
    where.push_back("ps.tenant_id = " + param(viewer.tenant_id));
    order = "ps.sort_key, ps.person_id";
    row = "ps.";
    phone_digits = "ps.phone_digits";
  } else {
    // One's own teams: a few dozen patients, read through the membership.
    from = "care_team_members m JOIN persons p ON " + member + " JOIN patients pa ON pa.person_id = p.id";
    where.push_back("pa.status = 'active'");
    order = "p.family_kana, p.given_kana, p.id";
    row = "p.";
    phone_digits = "REPLACE(p.phones, '-', '')";
  }
  // Built only when used: PostgreSQL refuses a parameter that no condition mentions.
  auto contains_key = [&] { return row + "search_key LIKE " + param("%" + store::EscapeLike(key) + "%") + " ESCAPE '\\'"; };
  if (auto date = AsBirthDate(key)) {
    where.push_back(row + "birth_date = " + param(*date));
  } else if (auto digits = AsPhoneDigits(key)) {
    where.push_back("(" + contains_key() + " OR " + phone_digits + " LIKE " + param("%" + *digits + "%") + ")");
  } else if (auto phrase = registry::TrigramPhrase(s, key);
             phrase && scope == auth::PersonScope::kTenant &&
             s.QueryOne("SELECT COUNT(*) FROM persons_fts WHERE persons_fts MATCH $1", {*phrase})->Int(0) <= kFewMatches) {
    // A rare name: start from the few people the register's index finds, not from every
    // patient of a large municipality.
    from = "(SELECT rowid AS id FROM persons_fts WHERE persons_fts MATCH " + param(*phrase) +
           ") f CROSS JOIN patient_search ps ON ps.person_id = f.id" + joined;
  } else if (!key.empty()) {
    where.push_back(contains_key());
  }
  std::string sql = fmt::format(
      "SELECT {}, pa.status, m.membership, m.unread, pa.last_post_at, "
      "(SELECT v.data FROM summary_entries e JOIN summary_versions v ON v.entry_id = e.id AND v.version = e.current_version "
      " WHERE e.person_id = p.id AND e.section = 'care_level' AND e.removed = 0 ORDER BY e.id DESC LIMIT 1) "
      "FROM {} WHERE {} ORDER BY {} LIMIT {}",
      registry::kPersonColumns, from, fmt::join(where, " AND "), order,
      param(std::int64_t{std::clamp(search.limit, 1, 200)}));
  std::string today = LocalDate(SystemClock().Now(), registry::TenantTimeZone(s, viewer.tenant_id));
  for (const auto& r : s.Query(sql, params)) {
    constexpr std::size_t c = 15;  // the columns after the person's
    nlohmann::json level = nullptr;
    if (!r.IsNull(c + 4)) level = nlohmann::json::parse(r.Text(c + 4)).value("level", "");
    list.push_back({{"person", registry::ToJson(registry::PersonFromRow(r), today)},
                    {"status", r.Text(c)},
                    {"care_level", level},
                    {"my_membership", r.IsNull(c + 1) ? nlohmann::json(nullptr) : nlohmann::json(r.Text(c + 1))},
                    {"unread", r.Int(c + 2)},
                    {"last_post_at", r.IsNull(c + 3) ? nlohmann::json(nullptr) : nlohmann::json(FormatRfc3339(r.Int(c + 3)))}});
  }
  return list;
}

nlohmann::json RegisterCandidates(store::Session& s, const auth::Principal& principal, const std::string& name,
                                  const std::string& birth_date) {
  std::string key = SearchKey(name);
  if (Utf8Length(key) < 2) Fail(ErrorCode::kInvalidArgument, "missing", "name: at least two characters", "name");
  if (!IsCalendarDate(birth_date)) Fail(ErrorCode::kInvalidArgument, "invalid_date", "birth_date: YYYY-MM-DD", "birth_date");
  auto rows = s.Query(fmt::format("SELECT {} FROM persons p WHERE p.tenant_id = $1 AND p.birth_date = $2 "
                                  "AND p.search_key LIKE $3 ESCAPE '\\' ORDER BY p.id LIMIT 5", registry::kPersonColumns),
                      {principal.tenant_id, birth_date, "%" + store::EscapeLike(key) + "%"});
  std::string today = LocalDate(SystemClock().Now(), registry::TenantTimeZone(s, principal.tenant_id));
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rows) list.push_back(registry::ToJson(registry::PersonFromRow(r), today));
  return list;
}

nlohmann::json UnreadJson(store::Session& s, std::int64_t user_id) {
  auto rows = s.Query(
      "SELECT m.person_id, p.family_name, p.given_name, m.unread FROM care_team_members m "
      "JOIN patients pa ON pa.person_id = m.person_id AND pa.status = 'active' "
      "JOIN persons p ON p.id = m.person_id "
      "WHERE m.user_id = $1 AND m.status = 'active' AND m.unread > 0 ORDER BY m.person_id",
      {user_id});
  nlohmann::json patients = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& r : rows) {
    total += r.Int(3);
    patients.push_back({{"person", {{"id", r.Int(0)}, {"name", registry::JoinName(r.Text(1), r.Text(2))}}},
                        {"unread", r.Int(3)}});
  }
  return {{"total", total}, {"patients", patients}};
}

void InviteMember(store::Session& s, std::int64_t person_id, std::int64_t user_id, std::int64_t by_user, UnixMillis now) {
  RequireStaffFor(s, user_id, PatientTenant(s, person_id), "user");
  auto row = s.QueryOne("SELECT status FROM care_team_members WHERE person_id = $1 AND user_id = $2", {person_id, user_id});
  if (row && row->Text(0) == "active") Fail(ErrorCode::kConflict, "already_member", "already a member of this team");
  if (row && row->Text(0) == "invited") Fail(ErrorCode::kConflict, "already_invited", "already invited to this team");
  s.Execute("DELETE FROM care_team_members WHERE person_id = $1 AND user_id = $2", {person_id, user_id});
  s.Execute("INSERT INTO care_team_members (person_id, user_id, membership, status, invited_by, invited_at) "
            "VALUES ($1, $2, 'member', 'invited', $3, $4)", {person_id, user_id, by_user, now});
}

void AnswerInvitation(store::Session& s, std::int64_t person_id, std::int64_t user_id, bool accept, UnixMillis now) {
  std::int64_t changed =
      accept ? s.Execute("UPDATE care_team_members SET status = 'active', accepted_at = $3, unread = 0 "
                         "WHERE person_id = $1 AND user_id = $2 AND status = 'invited'", {person_id, user_id, now})
             : s.Execute("UPDATE care_team_members SET status = 'declined', ended_at = $3 "
                         "WHERE person_id = $1 AND user_id = $2 AND status = 'invited'", {person_id, user_id, now});
  if (changed == 0) Fail(ErrorCode::kNotFound, "no_invitation", "there is no open invitation to this team");
}

void RemoveMember(store::Session& s, std::int64_t person_id, std::int64_t user_id, UnixMillis now) {
  auto row = s.QueryOne("SELECT membership, status FROM care_team_members WHERE person_id = $1 AND user_id = $2",
                        {person_id, user_id});
  if (!row || (row->Text(1) != "active" && row->Text(1) != "invited")) {
    Fail(ErrorCode::kNotFound, "not_member", "not a member of this team");
  }
  if (row->Text(0) == "lead") {
    Fail(ErrorCode::kConflict, "last_lead", "the team lead cannot leave; make another member the lead first");
  }
  s.Execute("UPDATE care_team_members SET status = 'removed', ended_at = $3 WHERE person_id = $1 AND user_id = $2",
            {person_id, user_id, now});
}

void MakeLead(store::Session& s, std::int64_t person_id, std::int64_t user_id) {
  if (!s.QueryOne("SELECT 1 FROM care_team_members WHERE person_id = $1 AND user_id = $2 AND status = 'active'",
                  {person_id, user_id})) {
    Fail(ErrorCode::kInvalidArgument, "not_member", "the lead must be an active member of the team", "user");
  }
  s.Execute("UPDATE care_team_members SET membership = 'member' WHERE person_id = $1 AND membership = 'lead'", {person_id});
  s.Execute("UPDATE care_team_members SET membership = 'lead' WHERE person_id = $1 AND user_id = $2", {person_id, user_id});
}

nlohmann::json TeamJson(store::Session& s, std::int64_t person_id) {
  auto rows = s.Query("SELECT user_id, membership, status, invited_by, invited_at, accepted_at FROM care_team_members "
                      "WHERE person_id = $1 AND status IN ('active', 'invited') "
                      "ORDER BY CASE membership WHEN 'lead' THEN 0 ELSE 1 END, status, invited_at", {person_id});
  UserCards cards(s, rows, {0, 3});
  nlohmann::json members = nlohmann::json::array();
  for (const auto& r : rows) {
    members.push_back({{"user", cards.Get(r.Int(0))}, {"membership", r.Text(1)}, {"status", r.Text(2)},
                       {"invited_by", cards.Get(r.OptInt(3))}, {"invited_at", FormatRfc3339(r.Int(4))},
                       {"accepted_at", r.IsNull(5) ? nlohmann::json(nullptr) : nlohmann::json(FormatRfc3339(r.Int(5)))}});
  }
  return members;
}

nlohmann::json InvitationsJson(store::Session& s, std::int64_t user_id) {
  auto rows = s.Query("SELECT m.person_id, p.family_name, p.given_name, m.invited_by, m.invited_at "
                      "FROM care_team_members m JOIN patients pa ON pa.person_id = m.person_id AND pa.status = 'active' "
                      "JOIN persons p ON p.id = m.person_id WHERE m.user_id = $1 AND m.status = 'invited' "
                      "ORDER BY m.invited_at DESC", {user_id});
  UserCards cards(s, rows, {3});
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rows) {
    list.push_back({{"patient", {{"id", r.Int(0)}, {"name", registry::JoinName(r.Text(1), r.Text(2))}}},
                    {"invited_by", cards.Get(r.Int(3))}, {"invited_at", FormatRfc3339(r.Int(4))}});
  }
  return list;
}

std::vector<std::int64_t> ActiveMembers(store::Session& s, std::int64_t person_id) {
  std::vector<std::int64_t> ids;
  for (const auto& r : s.Query("SELECT user_id FROM care_team_members WHERE person_id = $1 AND status = 'active' "
                               "ORDER BY user_id", {person_id})) {
    ids.push_back(r.Int(0));
  }
  return ids;
}

}  // namespace moyakko::carenet
