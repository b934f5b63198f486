#include "demo/disaster_drill.h"

#include <array>
#include <string>

#include <fmt/format.h>

#include "auth/policy.h"
#include "disaster/broadcast.h"
#include "disaster/events.h"
#include "disaster/ledger_import.h"
#include "disaster/places.h"
#include "disaster/safety.h"

namespace moyakko::demo {
namespace {

constexpr UnixMillis kMinute = 60'000;
constexpr UnixMillis kHour = 60 * kMinute;

// Why each elderly resident is on the ledger, in turn.
constexpr std::array<std::array<const char*, 2>, 8> kNeeds = {{
    {"living_alone", ""},
    {"bedridden", "living_alone"},
    {"home_oxygen", ""},
    {"dementia", "living_alone"},
    {"wheelchair", ""},
    {"visual_impairment", "living_alone"},
    {"dialysis", ""},
    {"hearing_impairment", ""},
}};

// The designated shelter of a district: its elementary school, or the community centre.
std::string ShelterFor(const std::string& district) {
  if (district == "萩山台" || district == "菱野台") return "萩山台小学校";
  if (district == "品野町") return "品野台小学校";
  if (district == "中水野町") return "水野小学校";
  return "瀬戸市文化センター";
}

// Seto's designated shelters in the demo (approximate positions).
struct ShelterSeed {
  const char* name;
  const char* address;
  const char* district;
  double lat, lon;
  int capacity;
  std::array<const char*, 2> accessibility;
};
constexpr std::array<ShelterSeed, 4> kShelters = {{
    {"萩山台小学校", "瀬戸市萩山台1丁目10番地", "萩山台", 35.2040, 137.1160, 400, {"wheelchair", ""}},
    {"品野台小学校", "瀬戸市品野町3丁目", "品野町", 35.2480, 137.1190, 300, {"", ""}},
    {"水野小学校", "瀬戸市中水野町2丁目", "中水野町", 35.2450, 137.0770, 350, {"wheelchair", ""}},
    {"瀬戸市文化センター", "瀬戸市西茨町113番地の3", "西茨町", 35.2200, 137.0880, 600, {"power", "welfare"}},
}};

auth::Principal PrincipalOf(store::Session& s, const std::string& username) {
  auto row = s.QueryOne("SELECT u.id, u.role, u.tenant_id FROM users u WHERE u.username = $1", {username});
  auth::Principal p;
  p.user_id = row->Int(0);
  p.username = username;
  p.role = *auth::ParseRole(row->Text(1));
  p.tenant_id = row->Int(2);
  p.tenant_code = "seto";
  return p;
}

}  // namespace

DisasterDemo AddDisasterDrill(store::Database& db, UnixMillis now) {
  DisasterDemo demo;
  disaster::ParsedLedger ledger;
  ledger.encoding = "utf-8";
  db.Read([&](store::Session& s) {
    auto people = s.Query(
        "SELECT p.family_name, p.given_name, p.family_kana, p.given_kana, p.sex, p.birth_date, p.address, "
        "p.district, p.phones, p.lat, p.lon FROM persons p JOIN tenants t ON t.id = p.tenant_id "
        "WHERE t.code = 'seto' AND (p.birth_date <= '1950-12-31' OR p.birth_date >= '2010-01-01') ORDER BY p.id");
    for (const store::Row& row : people) {
      int index = ++ledger.rows;
      disaster::LedgerRecord r;
      r.row = index;
      r.resident_number = fmt::format("{:010}", 2204000 + index * 7);
      r.family_name = row.Text(0);
      r.given_name = row.Text(1);
      r.family_kana = row.Text(2);
      r.given_kana = row.Text(3);
      r.sex = row.Text(4);
      r.birth_date = row.Text(5);
      r.address = row.Text(6);
      r.district = row.Text(7);
      auto phones = nlohmann::json::parse(row.Text(8));
      r.phone = phones.empty() ? "" : phones[0].get<std::string>();
      r.lat = row.OptReal(9);
      r.lon = row.OptReal(10);
      bool child = r.birth_date >= "2010-01-01";
      if (child) {
        r.needs = {"ventilator", "physical_disability"};
        r.care_level = "";
      } else {
        const auto& needs = kNeeds[index % kNeeds.size()];
        for (const char* need : needs) {
          if (*need) r.needs.push_back(need);
        }
        r.care_level = index % 3 == 0 ? "要介護2" : "要支援1";
      }
      r.supporter_name = child ? "" : fmt::format("{}町内会 防災担当", r.district);
      r.supporter_phone = child ? "" : fmt::format("0561-8{}-{:04}", index % 10, 3000 + index);
      r.shelter = ShelterFor(r.district);
      r.consent = child || index % 4 != 0;
      ledger.valid.push_back(std::move(r));
    }
  });
  disaster::ImportReport report =
      disaster::ImportLedger(db, ledger, {.tenant_code = "seto", .actor = "(demo)"}, now - 30 * 24 * kHour);
  demo.ledger_entries = report.created + report.updated + report.linked;

  db.Write([&](store::Session& s) {
    auth::Principal city = PrincipalOf(s, "co.hayashi");
    UnixMillis onset = now - 7 * kHour;
    disaster::Event event = disaster::Declare(
        s, city.tenant_id, city.user_id,
        {.kind = "earthquake", .title = "総合防災訓練（地震）", .area = {}, .drill = true, .onset_at = onset},
        onset - 20 * kMinute);
    disaster::AppendLog(s, event, "note", "訓練想定: 猿投山北断層で M6.8、瀬戸市で震度6弱。", city.user_id,
                        onset - 15 * kMinute);
    disaster::AppendLog(s, event, "note", "災害対策本部（訓練）を市役所本庁舎3階に設置。", city.user_id, onset + 10 * kMinute);
    int ticked = 0;
    for (const auto& row : s.Query("SELECT id FROM disaster_checklist WHERE event_id = $1 AND phase IN "
                                   "('preparation', 'warning', 'onset') ORDER BY position",
                                   {event.id})) {
      disaster::SetChecklistDone(s, event, row.Int(0), true, city.user_id, onset + (20 + 15 * ticked++) * kMinute);
    }
    // Confirmations over the hours since: the call centre phones, the nurse visits her patients.
    disaster::SafetySettings settings = disaster::LoadSafetySettings(s, "seto");
    auth::Principal nurse = PrincipalOf(s, "ns.hattori"), operator_ = PrincipalOf(s, "op.takeuchi");
    std::vector<disaster::SafetyRow> people = disaster::EventPeople(s, city, event, settings, now);
    for (std::size_t i = 0; i < people.size(); ++i) {
      if (i % 5 == 4) continue;  // still unconfirmed
      const disaster::SafetyRow& person = people[i];
      bool needs_help = i % 7 == 3;
      bool at_shelter = !needs_help && i % 3 == 0;
      disaster::SafetyPost post{.label = needs_help ? "red" : "blue",
                                .location = at_shelter ? "shelter" : "home",
                                .shelter = at_shelter ? ShelterFor(person.district) : "",
                                .note = needs_help ? "家具が倒れて自力で外に出られない。支援者が向かっています。"
                                                   : (at_shelter ? "支援者と一緒に避難所へ移動済み。" : "電話で無事を確認。"),
                                .client_id = std::nullopt};
      const auth::Principal& author = i % 3 == 1 ? operator_ : (i % 3 == 2 ? nurse : city);
      UnixMillis at = onset + 30 * kMinute + static_cast<UnixMillis>(i) * 6 * kHour / (people.size() + 1);
      disaster::PostSafety(s, author, event, person.person_id, settings, post, at);
      ++demo.safety_posts;
    }

    // The shelters, opened for the drill; the visiting nurses' station reports it is working.
    for (const ShelterSeed& seed : kShelters) {
      disaster::NewShelter shelter{.name = seed.name, .address = seed.address, .district = seed.district,
                                   .lat = seed.lat, .lon = seed.lon, .capacity = seed.capacity, .accessibility = {}};
      for (const char* a : seed.accessibility) {
        if (*a) shelter.accessibility.push_back(a);
      }
      std::int64_t id = disaster::AddShelter(s, city.tenant_id, shelter, onset - 30 * 24 * kHour)["id"];
      disaster::ReportShelter(s, city, event, id, {.open = true, .occupancy = seed.capacity / 20, .message = ""},
                              onset + 40 * kMinute);
    }
    auto station = s.QueryOne("SELECT id FROM organizations WHERE code = 'seto-hagiyama-nursing'");
    disaster::ReportFacility(s, nurse, event, station->Int(0),
                             {.status = "partly", .services = {"訪問看護（緊急のみ）", "電話相談"},
                              .message = "訓練想定: 車両1台が使用不可。緊急訪問のみ対応。"},
                             onset + 50 * kMinute);
    // The call centre's list for those living alone, half of it worked.
    nlohmann::json broadcast = disaster::CreateBroadcast(
        s, city, event, settings, "【訓練】避難指示が発令されました。避難所へ移動できるか確認してください。",
        {.districts = {}, .needs = {"living_alone"}, .labels = {}}, onset + 15 * kMinute);
    nlohmann::json list = disaster::BroadcastJson(s, event, broadcast["id"], settings);
    for (std::size_t i = 0; i < list["calls"].size(); i += 2) {
      disaster::RecordCall(s, operator_, event, settings, broadcast["id"], list["calls"][i]["id"],
                           i % 4 == 0 ? "reached" : "no_answer", "", onset + (30 + 5 * static_cast<int>(i)) * kMinute);
    }
  });
  return demo;
}

}  // namespace moyakko::demo
