#include "interop/fhir_resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "auth/policy.h"
#include "lifelog/records.h"

namespace moyakko::interop {
namespace {

using nlohmann::json;

constexpr std::string_view kJpCore = "http://jpfhir.jp/fhir/core/StructureDefinition/";
constexpr std::string_view kNameRepresentation = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr int kObservationDays = 90;  // daily sensor figures reach back this far

json Ref(std::string_view type, const std::string& id) { return {{"reference", fmt::format("{}/{}", type, id)}}; }
json Ref(std::string_view type, std::int64_t id) { return Ref(type, std::to_string(id)); }

json Meta(std::string_view type, UnixMillis updated_at) {
  json meta = {{"lastUpdated", FormatRfc3339(updated_at)}};
  if (auto profile = ProfileOf(type); !profile.empty()) meta["profile"] = {std::string(profile)};
  return meta;
}

json Resource(std::string_view type, const std::string& id, UnixMillis updated_at) {
  return {{"resourceType", type}, {"id", id}, {"meta", Meta(type, updated_at)}};
}

json Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json coding = {{"system", system}, {"code", code}};
  if (!display.empty()) coding["display"] = display;
  return coding;
}

json Concept(json coding, std::string_view text = {}) {
  json codeable = {{"coding", {std::move(coding)}}};
  if (!text.empty()) codeable["text"] = text;
  return codeable;
}

json Local(std::string_view code_system, std::string_view code, std::string_view display = {}) {
  return Coding(fmt::format("urn:moyakko:codes:{}", code_system), code, display);
}

std::string Escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Human-readable lines as the resource's narrative (what a receiving system shows as is).
json Narrative(const std::vector<std::string>& lines) {
  std::string div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";
  for (const auto& line : lines) div += "<p>" + Escaped(line) + "</p>";
  return {{"status", "generated"}, {"div", div + "</div>"}};
}

// A Japanese name: as written (IDE) and, when known, in kana (SYL), as JP Core asks.
json Names(const std::string& family, const std::string& given, const std::string& family_kana,
           const std::string& given_kana) {
  auto name = [](std::string_view representation, const std::string& f, const std::string& g) {
    json n = {{"extension", {{{"url", kNameRepresentation}, {"valueCode", representation}}}},
              {"use", "official"},
              {"text", g.empty() ? f : f + " " + g},
              {"family", f}};
    if (!g.empty()) n["given"] = {g};
    return n;
  };
  json names = {name("IDE", family, given)};
  if (!family_kana.empty()) names.push_back(name("SYL", family_kana, given_kana));
  return names;
}

json Phones(const json& phones) {
  json telecom = json::array();
  if (phones.is_array()) {
    for (const auto& phone : phones) {
      if (phone.is_string() && !phone.get_ref<const std::string&>().empty()) {
        telecom.push_back({{"system", "phone"}, {"value", phone}});
      }
    }
  }
  return telecom;
}

std::optional<std::int64_t> AsId(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// The id after `prefix` ("share-12" → 12).
std::optional<std::int64_t> AsPrefixedId(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return std::nullopt;
  return AsId(text.substr(prefix.size()));
}

std::optional<std::int64_t> OwnerBy(store::Session& s, std::string_view sql, std::optional<std::int64_t> id) {
  if (!id) return std::nullopt;
  auto row = s.QueryOne(sql, {*id});
  if (!row || row->IsNull(0)) return std::nullopt;
  return row->Int(0);
}

// ---- the patient and their summary ---------------------------------------------------

json PatientResource(const store::Row& r) {
  // id, family, given, family_kana, given_kana, sex, birth_date, postal_code, address, phones, updated_at
  json p = Resource("Patient", std::to_string(r.Int(0)), r.Int(10));
  p["identifier"] = {{{"system", "urn:moyakko:person"}, {"value", std::to_string(r.Int(0))}}};
  p["active"] = true;
  p["name"] = Names(r.Text(1), r.Text(2), r.Text(3), r.Text(4));
  if (json telecom = Phones(json::parse(r.Text(9), nullptr, false)); !telecom.empty()) p["telecom"] = telecom;
  p["gender"] = r.Text(5);
  if (!r.IsNull(6)) p["birthDate"] = r.Text(6);
  if (!r.Text(8).empty()) {
    json address = {{"use", "home"}, {"text", r.Text(8)}, {"country", "JP"}};
    if (!r.Text(7).empty()) address["postalCode"] = r.Text(7);
    p["address"] = {address};
  }
  return p;
}

std::vector<json> PatientOf(store::Session& s, const PatientScope& scope) {
  auto row = s.QueryOne("SELECT id, family_name, given_name, family_kana, given_kana, sex, birth_date, postal_code, "
                        "address, phones, updated_at FROM persons WHERE id = $1",
                        {scope.person_id});
  if (!row) return {};
  return {PatientResource(*row)};
}

std::optional<std::int64_t> PatientOwner(store::Session& s, std::string_view id) {
  return OwnerBy(s, "SELECT person_id FROM patients WHERE person_id = $1", AsId(id));
}

struct SummaryEntry {
  std::int64_t id = 0;
  json data;
  UnixMillis updated_at = 0;
};

std::vector<SummaryEntry> Entries(store::Session& s, std::int64_t person_id, std::string_view section) {
  std::vector<SummaryEntry> entries;
  for (const auto& r : s.Query("SELECT e.id, v.data, v.created_at FROM summary_entries e JOIN summary_versions v "
                               "ON v.entry_id = e.id AND v.version = e.current_version "
                               "WHERE e.person_id = $1 AND e.section = $2 AND e.removed = 0 AND v.data IS NOT NULL "
                               "ORDER BY e.id",
                               {person_id, std::string(section)})) {
    entries.push_back({r.Int(0), json::parse(r.Text(1), nullptr, false), r.Int(2)});
  }
  return entries;
}

std::string Field(const json& data, const char* name) {
  auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> EntryOwner(store::Session& s, std::string_view section, std::optional<std::int64_t> id) {
  if (!id) return std::nullopt;
  auto row = s.QueryOne("SELECT person_id FROM summary_entries WHERE id = $1 AND section = $2 AND removed = 0",
                        {*id, std::string(section)});
  return row ? std::optional(row->Int(0)) : std::nullopt;
}

// One resource of `type` per current entry of a summary section, `fill` adding the rest.
template <class Fill>
std::vector<json> FromSection(store::Session& s, const PatientScope& scope, std::string_view section,
                              std::string_view type, Fill fill) {
  std::vector<json> out;
  for (const auto& e : Entries(s, scope.person_id, section)) {
    json resource = Resource(type, std::to_string(e.id), e.updated_at);
    fill(resource, e);
    out.push_back(std::move(resource));
  }
  return out;
}

std::vector<json> ConditionsOf(store::Session& s, const PatientScope& scope) {
  return FromSection(s, scope, "history", "Condition", [&](json& c, const SummaryEntry& e) {
    std::string status = Field(e.data, "status");
    if (status == "active" || status == "resolved") {
      c["clinicalStatus"] = Concept(Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", status));
    }
    c["category"] = {Concept(Coding("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item"))};
    c["code"] = {{"text", Field(e.data, "condition")}};
    c["subject"] = Ref("Patient", scope.person_id);
    if (auto since = Field(e.data, "since"); !since.empty()) c["onsetString"] = since;
    c["recordedDate"] = FormatRfc3339(e.updated_at);
    if (auto note = Field(e.data, "note"); !note.empty()) c["note"] = {{{"text", note}}};
  });
}

std::vector<json> MedicationsOf(store::Session& s, const PatientScope& scope) {
  std::string today = LocalDate(scope.now, scope.time_zone);
  return FromSection(s, scope, "prescriptions", "MedicationStatement", [&](json& m, const SummaryEntry& e) {
    std::string from = Field(e.data, "from"), until = Field(e.data, "until");
    m["status"] = !until.empty() && until < today ? "completed" : "active";
    m["medicationCodeableConcept"] = {{"text", Field(e.data, "drug")}};
    m["subject"] = Ref("Patient", scope.person_id);
    if (!from.empty() || !until.empty()) {
      json period = json::object();
      if (!from.empty()) period["start"] = from;
      if (!until.empty()) period["end"] = until;
      m["effectivePeriod"] = period;
    }
    m["dateAsserted"] = FormatRfc3339(e.updated_at);
    std::string dosage = fmt::format("{} {}", Field(e.data, "dose"), Field(e.data, "schedule"));
    if (dosage != " ") m["dosage"] = {{{"text", dosage}}};
    std::vector<std::string> notes;
    if (auto prescriber = Field(e.data, "prescriber"); !prescriber.empty()) notes.push_back("処方医: " + prescriber);
    if (auto pharmacy = Field(e.data, "pharmacy"); !pharmacy.empty()) notes.push_back("薬局: " + pharmacy);
    if (!notes.empty()) m["note"] = {{{"text", fmt::format("{}", fmt::join(notes, " / "))}}};
  });
}

std::vector<json> AllergiesOf(store::Session& s, const PatientScope& scope) {
  return FromSection(s, scope, "allergies", "AllergyIntolerance", [&](json& a, const SummaryEntry& e) {
    a["clinicalStatus"] =
        Concept(Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"));
    a["code"] = {{"text", Field(e.data, "substance")}};
    a["patient"] = Ref("Patient", scope.person_id);
    a["recordedDate"] = FormatRfc3339(e.updated_at);
    if (auto reaction = Field(e.data, "reaction"); !reaction.empty()) {
      json r = {{"manifestation", {{{"text", reaction}}}}};
      std::string severity = Field(e.data, "severity");
      if (severity == "mild" || severity == "moderate" || severity == "severe") r["severity"] = severity;
      a["reaction"] = {r};
    }
  });
}

std::vector<json> RelatedPersonsOf(store::Session& s, const PatientScope& scope) {
  return FromSection(s, scope, "next_of_kin", "RelatedPerson", [&](json& r, const SummaryEntry& e) {
    r["active"] = true;
    r["patient"] = Ref("Patient", scope.person_id);
    if (auto relationship = Field(e.data, "relationship"); !relationship.empty()) {
      r["relationship"] = {{{"text", relationship}}};
    }
    r["name"] = {{{"text", Field(e.data, "name")}}};
    if (json telecom = Phones(e.data.value("phones", json::array())); !telecom.empty()) r["telecom"] = telecom;
  });
}

std::vector<json> ConsentsOf(store::Session& s, const PatientScope& scope) {
  std::vector<json> out;
  json sharing = json::array({Concept(Coding(kLoinc, "59284-0", "Patient Consent"))});
  for (const auto& r : s.Query("SELECT id, given_by, relationship, given_on, scope, recorded_at, withdrawn_at "
                               "FROM patient_consents WHERE person_id = $1 ORDER BY id",
                               {scope.person_id})) {
    json c = Resource("Consent", fmt::format("share-{}", r.Int(0)), r.IsNull(6) ? r.Int(5) : r.Int(6));
    c["status"] = r.IsNull(6) ? "active" : "inactive";
    c["scope"] = Concept(Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"));
    c["category"] = sharing;
    c["patient"] = Ref("Patient", scope.person_id);
    c["dateTime"] = r.Text(3);
    c["performer"] = {{{"display", fmt::format("{} ({})", r.Text(1), r.Text(2))}}};
    c["policyRule"] = Concept(Local("consent-scope", r.Text(4)), "在宅医療介護連携での情報共有");
    c["provision"] = {{"type", "permit"}};
    out.push_back(std::move(c));
  }
  // ACP (人生会議): the person's wishes as a narrative, the newest version being current.
  for (const auto& e : Entries(s, scope.person_id, "acp")) {
    json c = Resource("Consent", fmt::format("acp-{}", e.id), e.updated_at);
    std::vector<std::string> lines;
    for (const char* field : {"resuscitation", "life_sustaining", "place_of_care", "place_of_death", "decision_maker",
                              "note"}) {
      if (auto value = Field(e.data, field); !value.empty()) lines.push_back(fmt::format("{}: {}", field, value));
    }
    if (lines.empty()) lines.emplace_back("(no wishes recorded)");
    c["text"] = Narrative(lines);
    c["status"] = "active";
    c["scope"] = Concept(Coding("http://terminology.hl7.org/CodeSystem/consentscope", "adr", "Advanced Care Directive"));
    c["category"] = {Concept(Coding(kLoinc, "75320-2", "Advance directive"))};
    c["patient"] = Ref("Patient", scope.person_id);
    c["dateTime"] = Field(e.data, "confirmed_on");
    c["policyRule"] = Concept(Local("consent-scope", "acp"), "人生会議 (ACP)");
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<std::int64_t> ConsentOwner(store::Session& s, std::string_view id) {
  if (auto share = AsPrefixedId(id, "share-")) {
    return OwnerBy(s, "SELECT person_id FROM patient_consents WHERE id = $1", share);
  }
  return EntryOwner(s, "acp", AsPrefixedId(id, "acp-"));
}

std::vector<json> CareTeamOf(store::Session& s, const PatientScope& scope) {
  auto patient = s.QueryOne("SELECT status, registered_at, COALESCE(deregistered_at, registered_at) FROM patients "
                            "WHERE person_id = $1",
                            {scope.person_id});
  if (!patient) return {};
  json team = Resource("CareTeam", std::to_string(scope.person_id), patient->Int(2));
  team["status"] = patient->Text(0) == "active" ? "active" : "inactive";
  team["name"] = "在宅医療介護連携チーム";
  team["subject"] = Ref("Patient", scope.person_id);
  json participants = json::array();
  for (const auto& m : s.Query("SELECT m.user_id, m.membership, u.role, u.organization_id, m.accepted_at "
                               "FROM care_team_members m JOIN users u ON u.id = m.user_id "
                               "WHERE m.person_id = $1 AND m.status = 'active' ORDER BY m.user_id",
                               {scope.person_id})) {
    json p = {{"role", {Concept(Local("role", m.Text(2)), m.Text(1) == "lead" ? "lead" : "")}},
              {"member", Ref("Practitioner", m.Int(0))}};
    if (!m.IsNull(3)) p["onBehalfOf"] = Ref("Organization", m.Int(3));
    if (!m.IsNull(4)) p["period"] = {{"start", FormatRfc3339(m.Int(4))}};
    participants.push_back(std::move(p));
  }
  if (!participants.empty()) team["participant"] = participants;
  return {team};
}

// ---- watch-over, ここのーと and the timeline ---------------------------------------------

std::vector<json> FlagsOf(store::Session& s, const PatientScope& scope) {
  std::vector<json> out;
  for (const auto& r : s.Query("SELECT id, kind, text, opened_at, updated_at, level FROM alerts "
                               "WHERE person_id = $1 AND state <> 'closed' ORDER BY id",
                               {scope.person_id})) {
    json f = Resource("Flag", std::to_string(r.Int(0)), r.Int(4));
    f["status"] = "active";
    f["category"] = {Concept(Coding("http://terminology.hl7.org/CodeSystem/flag-category", "safety", "Safety"))};
    f["code"] = Concept(Local("watch-alert", r.Text(1)), r.Text(2));
    f["subject"] = Ref("Patient", scope.person_id);
    f["period"] = {{"start", FormatRfc3339(r.Int(3))}};
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<json> CommunicationsOf(store::Session& s, const PatientScope& scope) {
  std::vector<json> out;
  for (const auto& r : s.Query("SELECT id, kind, author_user_id, body, important, created_at, "
                               "COALESCE(edited_at, created_at) FROM timeline_posts WHERE person_id = $1 ORDER BY id",
                               {scope.person_id})) {
    json c = Resource("Communication", std::to_string(r.Int(0)), r.Int(6));
    c["status"] = "completed";
    c["category"] = {Concept(Local("timeline-post", r.Text(1)))};
    c["priority"] = r.Int(4) ? "urgent" : "routine";
    c["subject"] = Ref("Patient", scope.person_id);
    c["sent"] = FormatRfc3339(r.Int(5));
    if (!r.IsNull(2)) c["sender"] = Ref("Practitioner", r.Int(2));
    c["payload"] = {{{"contentString", r.Text(3)}}};
    out.push_back(std::move(c));
  }
  return out;
}

json Quantity(double value, std::string_view unit, std::string_view ucum) {
  json q = {{"value", value}, {"unit", unit}};
  if (!ucum.empty()) q["system"] = kUcum, q["code"] = ucum;
  return q;
}

json ObservationBase(const std::string& id, UnixMillis updated_at, std::int64_t person_id, std::string_view category) {
  json o = Resource("Observation", id, updated_at);
  o["status"] = "final";
  o["category"] = {Concept(Coding("http://terminology.hl7.org/CodeSystem/observation-category", category))};
  o["subject"] = Ref("Patient", person_id);
  return o;
}

// Daily fridge-door openings, the watch-over sensors' main figure, per local day.
void DoorObservations(store::Session& s, const PatientScope& scope, std::vector<json>& out) {
  auto household = s.QueryOne("SELECT id FROM households WHERE person_id = $1", {scope.person_id});
  if (!household) return;
  std::string first_day = AddDays(LocalDate(scope.now, scope.time_zone), -kObservationDays);
  std::vector<std::pair<std::string, std::int64_t>> days;  // in date order
  for (const auto& r : s.Query("SELECT hour_at, openings FROM door_hourly WHERE household_id = $1 AND hour_at >= $2 "
                               "ORDER BY hour_at",
                               {household->Int(0), StartOfLocalDate(first_day, scope.time_zone)})) {
    std::string day = LocalDate(r.Int(0), scope.time_zone);
    if (days.empty() || days.back().first != day) days.emplace_back(day, 0);
    days.back().second += r.Int(1);
  }
  for (const auto& [day, openings] : days) {
    std::string compact = day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
    UnixMillis start = StartOfLocalDate(day, scope.time_zone), end = StartOfLocalDate(AddDays(day, 1), scope.time_zone);
    json o = ObservationBase(fmt::format("door-{}-{}", household->Int(0), compact), std::min(end, scope.now),
                             scope.person_id, "activity");
    o["code"] = Concept(Local("observation", "fridge-door-openings", "冷蔵庫の開閉回数（1日）"), "冷蔵庫の開閉回数");
    o["effectivePeriod"] = {{"start", FormatRfc3339(start)}, {"end", FormatRfc3339(end)}};
    o["valueQuantity"] = Quantity(static_cast<double>(openings), "回/日", "/d");
    out.push_back(std::move(o));
  }
}

struct Vital {
  std::string_view key, loinc, display, ucum;
};
constexpr Vital kVitals[] = {
    {"temperature", "8310-5", "Body temperature", "Cel"},
    {"pulse", "8867-4", "Heart rate", "/min"},
    {"spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"},
};

// A life record (ここのーと) as one Observation with a component per value, and its vital
// signs each as a vital-signs Observation with its LOINC code.
void LifelogObservations(store::Session& s, const PatientScope& scope, std::vector<json>& out) {
  lifelog::PersonRef person = lifelog::LoadPerson(s, scope.person_id, scope.now);
  lifelog::Template tmpl = lifelog::CurrentTemplate(s, person).tmpl;
  for (const auto& r : s.Query("SELECT id, recorded_at, record_values, note, version, updated_at FROM lifelog_records "
                               "WHERE person_id = $1 ORDER BY recorded_at, id",
                               {scope.person_id})) {
    json values = json::parse(r.Text(2), nullptr, false);
    if (!values.is_object()) continue;
    std::string id = fmt::format("lifelog-{}", r.Int(0));
    std::string at = FormatRfc3339(r.Int(1));
    json record = ObservationBase(id, r.Int(5), scope.person_id, "survey");
    if (r.Int(4) > 1) record["status"] = "amended";
    record["code"] = Concept(Local("observation", "life-record", "ここのーと 生活記録"), "ここのーと");
    record["effectiveDateTime"] = at;
    json components = json::array();
    for (const auto& [key, value] : values.items()) {
      const lifelog::Field* field = tmpl.Find(key);
      json component = {{"code", Concept(Local("life-record-field", key, field ? field->label : ""))}};
      if (value.is_number()) {
        component["valueQuantity"] = {{"value", value}};
        if (field && !field->unit.empty()) component["valueQuantity"]["unit"] = field->unit;
      } else if (value.is_string()) {
        component["valueString"] = value;
      } else {
        continue;
      }
      components.push_back(std::move(component));
    }
    if (!components.empty()) record["component"] = components;
    if (!r.Text(3).empty()) record["note"] = {{{"text", r.Text(3)}}};
    out.push_back(record);

    auto vital = [&](std::string_view suffix) {
      json o = ObservationBase(fmt::format("{}-{}", id, suffix), r.Int(5), scope.person_id, "vital-signs");
      o["meta"]["profile"] = {fmt::format("{}JP_Observation_VitalSigns", kJpCore)};
      o["effectiveDateTime"] = at;
      o["derivedFrom"] = {Ref("Observation", id)};
      return o;
    };
    for (const Vital& v : kVitals) {
      auto it = values.find(std::string(v.key));
      if (it == values.end() || !it->is_number()) continue;
      json o = vital(v.key);
      o["code"] = Concept(Coding(kLoinc, v.loinc, v.display));
      o["valueQuantity"] = Quantity(it->get<double>(), v.ucum, v.ucum);
      out.push_back(std::move(o));
    }
    auto systolic = values.find("bp_systolic"), diastolic = values.find("bp_diastolic");
    if (systolic != values.end() && diastolic != values.end() && systolic->is_number() && diastolic->is_number()) {
      json o = vital("bp");
      o["code"] = Concept(Coding(kLoinc, "85354-9", "Blood pressure panel with all children optional"));
      o["component"] = {
          {{"code", Concept(Coding(kLoinc, "8480-6", "Systolic blood pressure"))},
           {"valueQuantity", Quantity(systolic->get<double>(), "mm[Hg]", "mm[Hg]")}},
          {{"code", Concept(Coding(kLoinc, "8462-4", "Diastolic blood pressure"))},
           {"valueQuantity", Quantity(diastolic->get<double>(), "mm[Hg]", "mm[Hg]")}}};
      out.push_back(std::move(o));
    }
  }
}

std::vector<json> ObservationsOf(store::Session& s, const PatientScope& scope) {
  std::vector<json> out;
  DoorObservations(s, scope, out);
  LifelogObservations(s, scope, out);
  return out;
}

std::optional<std::int64_t> ObservationOwner(store::Session& s, std::string_view id) {
  if (id.starts_with("door-")) {
    auto dash = id.find('-', 5);
    if (dash == std::string_view::npos) return std::nullopt;
    return OwnerBy(s, "SELECT person_id FROM households WHERE id = $1", AsId(id.substr(5, dash - 5)));
  }
  if (id.starts_with("lifelog-")) {
    std::string_view rest = id.substr(8);
    return OwnerBy(s, "SELECT person_id FROM lifelog_records WHERE id = $1", AsId(rest.substr(0, rest.find('-'))));
  }
  return std::nullopt;
}

std::vector<json> AuditEventsOf(store::Session& s, const PatientScope& scope) {
  std::vector<json> out;
  for (const auto& r : s.Query("SELECT seq, at, actor_username, actor_role, action, outcome, reason FROM audit_events "
                               "WHERE person_id = $1 ORDER BY seq DESC LIMIT 500",
                               {scope.person_id})) {
    json a = Resource("AuditEvent", std::to_string(r.Int(0)), r.Int(1));
    a["type"] = Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record");
    a["subtype"] = {Local("audit-action", r.Text(4))};
    a["recorded"] = FormatRfc3339(r.Int(1));
    bool allowed = r.Text(5) == "allowed";
    a["outcome"] = allowed ? "0" : "4";
    if (!r.Text(6).empty()) a["outcomeDesc"] = r.Text(6);
    a["agent"] = {{{"type", Concept(Local("role", r.Text(3)))}, {"who", {{"display", r.Text(2)}}}, {"requestor", true}}};
    a["source"] = {{"observer", {{"display", "moyakko"}}}};
    a["entity"] = {{{"what", Ref("Patient", scope.person_id)}}};
    out.push_back(std::move(a));
  }
  return out;
}

// ---- the directory ---------------------------------------------------------------------

json OrganizationResource(const store::Row& r) {
  // id, code, kind, name, phone, address, created_at
  json o = Resource("Organization", std::to_string(r.Int(0)), r.Int(6));
  o["identifier"] = {{{"system", "urn:moyakko:organization"}, {"value", r.Text(1)}}};
  o["active"] = true;
  o["type"] = {Concept(Local("organization-kind", r.Text(2)))};
  o["name"] = r.Text(3);
  if (!r.Text(4).empty()) o["telecom"] = {{{"system", "phone"}, {"value", r.Text(4)}}};
  if (!r.Text(5).empty()) o["address"] = {{{"text", r.Text(5)}, {"country", "JP"}}};
  return o;
}

std::vector<json> OrganizationsIn(store::Session& s, std::int64_t tenant_id) {
  std::vector<json> out;
  for (const auto& r : s.Query("SELECT id, code, kind, name, phone, address, created_at FROM organizations "
                               "WHERE tenant_id = $1 ORDER BY id",
                               {tenant_id})) {
    out.push_back(OrganizationResource(r));
  }
  return out;
}

// The professionals who may be on a care team: the people CareTeam and Communication name.
store::Rows Professionals(store::Session& s, std::int64_t tenant_id) {
  store::Rows professionals;
  for (auto& r : s.Query("SELECT id, display_name, display_kana, role, organization_id, disabled, updated_at "
                         "FROM users WHERE tenant_id = $1 ORDER BY id",
                         {tenant_id})) {
    auto role = auth::ParseRole(r.Text(3));
    if (role && auth::MayJoinCareTeam(*role)) professionals.push_back(std::move(r));
  }
  return professionals;
}

// Each professional as a Practitioner (who) or a PractitionerRole (what they are, where).
std::vector<json> ProfessionalsAs(store::Session& s, std::int64_t tenant_id, std::string_view type) {
  std::vector<json> out;
  for (const auto& r : Professionals(s, tenant_id)) {
    json p = Resource(type, std::to_string(r.Int(0)), r.Int(6));
    p["active"] = r.Int(5) == 0;
    if (type == "Practitioner") {
      p["name"] = Names(r.Text(1), "", r.Text(2), "");
    } else {
      p["practitioner"] = Ref("Practitioner", r.Int(0));
      if (!r.IsNull(4)) p["organization"] = Ref("Organization", r.Int(4));
      p["code"] = {Concept(Local("role", r.Text(3)))};
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<json> PractitionersIn(store::Session& s, std::int64_t tenant_id) {
  return ProfessionalsAs(s, tenant_id, "Practitioner");
}

std::vector<json> PractitionerRolesIn(store::Session& s, std::int64_t tenant_id) {
  return ProfessionalsAs(s, tenant_id, "PractitionerRole");
}

// Shelters, and the organisations that have a place on the map (care facilities, clinics).
std::vector<json> LocationsIn(store::Session& s, std::int64_t tenant_id) {
  std::vector<json> out;
  auto position = [](const store::Row& r, int lat) {
    return json{{"latitude", r.Real(lat)}, {"longitude", r.Real(lat + 1)}};
  };
  for (const auto& r : s.Query("SELECT id, name, address, lat, lon, capacity, accessibility, created_at FROM shelters "
                               "WHERE tenant_id = $1 ORDER BY id",
                               {tenant_id})) {
    json l = Resource("Location", fmt::format("shelter-{}", r.Int(0)), r.Int(7));
    l["status"] = "active";
    l["name"] = r.Text(1);
    l["description"] = fmt::format("収容人数 {} 人{}{}", r.Int(5), r.Text(6).empty() ? "" : " / ", r.Text(6));
    l["type"] = {Concept(Local("location-kind", "shelter", "指定避難所"))};
    l["address"] = {{"text", r.Text(2)}, {"country", "JP"}};
    if (!r.IsNull(3) && !r.IsNull(4)) l["position"] = position(r, 3);
    out.push_back(std::move(l));
  }
  for (const auto& r : s.Query("SELECT id, name, address, lat, lon, kind, created_at FROM organizations "
                               "WHERE tenant_id = $1 AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id",
                               {tenant_id})) {
    json l = Resource("Location", fmt::format("org-{}", r.Int(0)), r.Int(6));
    l["status"] = "active";
    l["name"] = r.Text(1);
    l["type"] = {Concept(Local("organization-kind", r.Text(5)))};
    if (!r.Text(2).empty()) l["address"] = {{"text", r.Text(2)}, {"country", "JP"}};
    l["position"] = position(r, 3);
    l["managingOrganization"] = Ref("Organization", r.Int(0));
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

std::string_view ProfileOf(std::string_view type) {
  static const std::vector<std::pair<std::string_view, std::string>> profiles = [] {
    std::vector<std::pair<std::string_view, std::string>> out;
    for (std::string_view t : {"Patient", "Practitioner", "PractitionerRole", "Organization", "Condition",
                               "AllergyIntolerance", "Observation"}) {
      std::string name = t == "Observation" ? "JP_Observation_Common" : fmt::format("JP_{}", t);
      out.emplace_back(t, fmt::format("{}{}", kJpCore, name));
    }
    return out;
  }();
  for (const auto& [t, profile] : profiles) {
    if (t == type) return profile;
  }
  return {};
}

const std::vector<ResourceType>& ResourceTypes() {
  static const std::vector<ResourceType> types = {
      {"Patient", PatientOf, PatientOwner},
      {"RelatedPerson", RelatedPersonsOf,
       [](store::Session& s, std::string_view id) { return EntryOwner(s, "next_of_kin", AsId(id)); }},
      {"CareTeam", CareTeamOf, PatientOwner},
      {"Condition", ConditionsOf,
       [](store::Session& s, std::string_view id) { return EntryOwner(s, "history", AsId(id)); }},
      {"MedicationStatement", MedicationsOf,
       [](store::Session& s, std::string_view id) { return EntryOwner(s, "prescriptions", AsId(id)); }},
      {"AllergyIntolerance", AllergiesOf,
       [](store::Session& s, std::string_view id) { return EntryOwner(s, "allergies", AsId(id)); }},
      {"Observation", ObservationsOf, ObservationOwner},
      {"Flag", FlagsOf,
       [](store::Session& s, std::string_view id) {
         return OwnerBy(s, "SELECT person_id FROM alerts WHERE id = $1 AND state <> 'closed'", AsId(id));
       }},
      {"Consent", ConsentsOf, ConsentOwner},
      {"Communication", CommunicationsOf,
       [](store::Session& s, std::string_view id) {
         return OwnerBy(s, "SELECT person_id FROM timeline_posts WHERE id = $1", AsId(id));
       }},
      {"AuditEvent", AuditEventsOf,
       [](store::Session& s, std::string_view id) {
         return OwnerBy(s, "SELECT person_id FROM audit_events WHERE seq = $1", AsId(id));
       },
       nullptr, false},
      {"Practitioner", nullptr, nullptr, PractitionersIn},
      {"PractitionerRole", nullptr, nullptr, PractitionerRolesIn},
      {"Organization", nullptr, nullptr, OrganizationsIn},
      {"Location", nullptr, nullptr, LocationsIn},
  };
  return types;
}

const ResourceType* FindType(std::string_view name) {
  for (const auto& type : ResourceTypes()) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

}  // namespace moyakko::interop
