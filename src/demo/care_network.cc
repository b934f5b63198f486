#include "demo/care_network.h"

#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "auth/policy.h"
#include "carenet/boards.h"
#include "carenet/directory.h"
#include "carenet/patients.h"
#include "carenet/summary.h"
#include "carenet/timeline.h"
#include "demo/town_data.h"

namespace moyakko::demo {

auth::Principal PrincipalOf(store::Session& s, const std::string& username) {
  auto row = s.QueryOne("SELECT id, tenant_id, role FROM users WHERE username = $1", {username});
  auth::Principal p;
  p.user_id = row->Int(0);
  p.username = username;
  p.tenant_id = row->Int(1);
  p.role = *auth::ParseRole(row->Text(2));
  return p;
}

namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kDay = 24 * kHour;

struct PatientSeed {
  int resident;              // index into Residents()
  const char* lead;          // username
  std::vector<const char*> members;
  const char* care_level;
  std::vector<std::array<const char*, 2>> history;        // condition, since
  std::vector<std::array<const char*, 3>> prescriptions;  // drug, dose, schedule
  const char* allergy;       // "" for none
  const char* resuscitation; // wanted | not_wanted | undecided
  const char* place_of_care;
};

const std::vector<PatientSeed>& Patients() {
  static const std::vector<PatientSeed> seeds = {
      {0, "dr.kato", {"ns.suzuki", "ph.ando", "cm.yamada", "cw.ota"}, "要介護3",
       {{"心不全", "2018"}, {"高血圧症", "2005"}, {"大腿骨頸部骨折（術後）", "2025-09"}},
       {{"フロセミド錠20mg", "1錠", "1日1回 朝食後"}, {"アムロジピン錠5mg", "1錠", "1日1回 朝食後"},
        {"酸化マグネシウム錠330mg", "2錠", "1日2回 朝夕食後"}},
       "ペニシリン系抗菌薬", "not_wanted", "自宅（長女が週3回訪問）"},
      {1, "dr.kato", {"ns.suzuki", "ph.ando", "cm.yamada"}, "要介護1",
       {{"2型糖尿病", "2010"}, {"軽度認知障害", "2024"}},
       {{"メトホルミン錠250mg", "1錠", "1日2回 朝夕食後"}, {"ドネペジル錠5mg", "1錠", "1日1回 朝食後"}},
       "", "undecided", "自宅"},
      {2, "dr.mizuno", {"ns.suzuki", "ph.noguchi", "cm.morita", "cw.hirano"}, "要介護4",
       {{"アルツハイマー型認知症", "2019"}, {"骨粗鬆症", "2015"}},
       {{"メマンチン錠20mg", "1錠", "1日1回 夕食後"}, {"アレンドロン酸錠35mg", "1錠", "週1回 起床時"}},
       "卵", "not_wanted", "自宅、難しくなれば施設"},
      {3, "dr.kato", {"ns.suzuki", "cm.yamada", "cw.miyazaki"}, "要介護2",
       {{"慢性閉塞性肺疾患（在宅酸素）", "2016"}},
       {{"チオトロピウム吸入", "1吸入", "1日1回"}}, "", "wanted", "自宅"},
      {4, "dr.mizuno", {"ns.suzuki", "ph.ando", "cm.morita"}, "要支援2",
       {{"変形性膝関節症", "2012"}, {"高脂血症", "2008"}},
       {{"ロスバスタチン錠2.5mg", "1錠", "1日1回 夕食後"}}, "造影剤", "undecided", "自宅"},
      {5, "dr.kato", {"ns.suzuki", "ph.noguchi", "cm.yamada"}, "要介護2",
       {{"パーキンソン病", "2017"}},
       {{"レボドパ・カルビドパ配合錠", "1錠", "1日3回 毎食後"}}, "", "undecided", "自宅"},
      {6, "dr.mizuno", {"ns.suzuki", "cm.morita", "cw.ota"}, "要介護1",
       {{"脳梗塞後遺症（左片麻痺）", "2021"}, {"心房細動", "2021"}},
       {{"アピキサバン錠2.5mg", "1錠", "1日2回 朝夕食後"}}, "", "wanted", "自宅"},
      {7, "dr.kato", {"ns.suzuki", "ph.ando", "cm.yamada", "cw.hirano"}, "要介護5",
       {{"末期膵がん", "2026-08"}},
       {{"オキシコドン徐放錠5mg", "1錠", "1日2回 12時間毎"}, {"酸化マグネシウム錠330mg", "2錠", "1日2回"}},
       "", "not_wanted", "自宅での看取りを希望"},
      {8, "dr.mizuno", {"ns.hattori", "cm.morita"}, "要支援1",
       {{"高血圧症", "2011"}}, {{"カンデサルタン錠4mg", "1錠", "1日1回 朝食後"}}, "", "undecided", "自宅"},
      {9, "dr.kato", {"ns.hattori", "ph.noguchi", "cm.yamada"}, "要介護3",
       {{"慢性腎臓病（ステージ4）", "2020"}, {"貧血", "2022"}},
       {{"フェブキソスタット錠10mg", "1錠", "1日1回 朝食後"}}, "", "undecided", "自宅"},
  };
  return seeds;
}

// A few days of the team's notes, oldest first: {author ("lead" or a member's index), hours
// before now, text, important}.
struct NoteSeed {
  int author;  // -1 = the lead, otherwise an index into members
  int hours_ago;
  const char* text;
  bool important;
};
const std::vector<NoteSeed>& Notes() {
  static const std::vector<NoteSeed> notes = {
      {0, 100, "定期訪問。血圧 138/76、SpO2 96%。下肢のむくみは先週より軽減。食事は半量程度。", false},
      {-1, 96, "内服変更なし。むくみが増えるようなら体重と合わせて連絡ください。", false},
      {1, 74, "お薬カレンダーを確認。昨日の夕食後の分が残っていました。声かけをお願いします。", false},
      {2, 50, "来月のサービス担当者会議の日程調整をお願いします。候補: 12/8(火)14時、12/10(木)10時。", false},
      {0, 26, "本日、右足のかかとに発赤あり（褥瘡の初期の可能性）。除圧とマットの確認をお願いします。", true},
      {-1, 20, "発赤確認しました。明日の往診時に診ます。ヘルパーさんは体位の声かけをお願いします。", false},
  };
  return notes;
}

std::int64_t UserId(store::Session& s, const std::string& username) { return PrincipalOf(s, username).user_id; }

void AddPatient(store::Session& s, const PatientSeed& seed, std::int64_t person_id, UnixMillis now, CareNetworkDemo& demo) {
  using carenet::AddEntry;
  const ResidentSeed& resident = Residents()[seed.resident];
  auth::Principal lead = PrincipalOf(s, seed.lead);
  UnixMillis registered = now - 30 * kDay;
  carenet::RegisterPatient(s, lead, person_id, {"本人", "self", LocalDate(registered, "Asia/Tokyo"), "care_team_and_city"},
                           std::nullopt, registered);
  std::vector<std::int64_t> members;
  for (const char* username : seed.members) {
    std::int64_t id = UserId(s, username);
    carenet::InviteMember(s, person_id, id, lead.user_id, registered);
    carenet::AnswerInvitation(s, person_id, id, true, registered + kHour);
    members.push_back(id);
  }
  UnixMillis at = registered + 2 * kHour;
  auto doctor = s.QueryOne("SELECT u.display_name, o.name, o.phone FROM users u JOIN organizations o ON o.id = u.organization_id "
                           "WHERE u.id = $1", {lead.user_id});
  AddEntry(s, person_id, "care_level", {{"level", seed.care_level}, {"certified_on", "2026-04-01"},
                                         {"valid_from", "2026-04-01"}, {"valid_until", "2027-03-31"}}, lead.user_id, at);
  for (const auto& [condition, since] : seed.history) {
    AddEntry(s, person_id, "history", {{"condition", condition}, {"since", since}, {"status", "active"}}, lead.user_id, at);
  }
  for (const auto& [drug, dose, schedule] : seed.prescriptions) {
    AddEntry(s, person_id, "prescriptions", {{"drug", drug}, {"dose", dose}, {"schedule", schedule},
                                             {"prescriber", doctor->Text(0)}, {"from", "2026-10-01"}}, lead.user_id, at);
  }
  if (*seed.allergy) {
    AddEntry(s, person_id, "allergies", {{"substance", seed.allergy}, {"severity", "moderate"}}, lead.user_id, at);
  }
  AddEntry(s, person_id, "family_doctor", {{"name", doctor->Text(0)}, {"clinic", doctor->Text(1)}, {"phone", doctor->Text(2)}},
           lead.user_id, at);
  AddEntry(s, person_id, "next_of_kin", {{"name", std::string(resident.family_name) + " 家族"}, {"relationship", "長女"},
                                         {"phones", {"090-1234-" + std::to_string(5600 + seed.resident)}}, {"order", 1}},
           lead.user_id, at);
  // The first conference left the decision open; the second recorded the person's wish.
  AddEntry(s, person_id, "acp", {{"resuscitation", "undecided"}, {"place_of_care", "自宅"}, {"confirmed_on", "2026-06-15"},
                                 {"decision_maker", "本人（長女同席）"}}, lead.user_id, now - 20 * kDay);
  if (std::string(seed.resuscitation) != "undecided") {
    AddEntry(s, person_id, "acp", {{"resuscitation", seed.resuscitation}, {"place_of_care", seed.place_of_care},
                                   {"life_sustaining", "胃ろう・人工呼吸器は希望しない"}, {"confirmed_on", "2026-11-10"},
                                   {"decision_maker", "本人（長女同席）"}}, lead.user_id, now - 16 * kDay);
  }
  for (const NoteSeed& note : Notes()) {
    std::int64_t author = note.author < 0 ? lead.user_id : members[note.author % members.size()];
    UnixMillis posted = now - note.hours_ago * kHour;
    auto result = carenet::AddPost(s, person_id, author, {note.text, note.important, {}, {}}, posted);
    // Everyone but the newest reader has caught up on the older notes.
    if (note.hours_ago > 30) carenet::MarkRead(s, person_id, lead.user_id, {result.post_id}, posted + kHour);
    ++demo.posts;
  }
  ++demo.patients;
}

void AddBoards(store::Session& s, UnixMillis now) {
  auto board = [&](const char* owner, const char* title, const char* description, std::vector<const char*> members,
                   const char* thread, std::vector<std::pair<const char*, const char*>> posts) {
    auth::Principal p = PrincipalOf(s, owner);
    std::int64_t id = carenet::CreateBoard(s, p, title, description, now - 10 * kDay);
    for (const char* member : members) carenet::AddBoardMember(s, id, UserId(s, member), now - 10 * kDay);
    UnixMillis at = now - 9 * kDay;
    std::int64_t thread_id = carenet::CreateThread(s, id, p.user_id, thread, posts[0].second, {}, at);
    for (std::size_t i = 1; i < posts.size(); ++i) {
      carenet::AddBoardPost(s, id, thread_id, UserId(s, posts[i].first), posts[i].second, {}, at + i * 5 * kHour);
    }
  };
  board("co.hayashi", "瀬戸市 在宅医療・介護連携 防災訓練 2026",
        "避難行動要支援者の安否確認を、市・医療・介護で合同で行う訓練の準備です。",
        {"dr.kato", "ns.suzuki", "cm.yamada", "ph.ando", "dr.mizuno"}, "12月の合同訓練の日程と役割",
        {{"co.hayashi", "12月13日(土) 9時からで調整しています。各事業所から担当者1名の参加をお願いします。"},
         {"ns.suzuki", "こもれび萩山は鈴木が参加します。在宅酸素の方の電源確保の確認も訓練に入れたいです。"},
         {"dr.kato", "窯神在宅クリニックも参加します。安否確認の優先順位表を事前に共有してください。"}});
  board("dr.mizuno", "瀬戸 在宅ケア勉強会", "月1回、症例をもとに多職種で学ぶ会です。",
        {"dr.kato", "ns.suzuki", "ns.hattori", "cm.morita"}, "11月: 在宅での看取りと家族支援",
        {{"dr.mizuno", "11月28日(金) 19時から、品野の里ホームクリニックで行います。オンライン参加も可能です。"},
         {"cm.morita", "ケアマネの立場から、看取り期のサービス調整について話題提供します。"}});
}

void AddDirectoryDetails(store::Session& s) {
  struct Offer {
    const char* kind;
    const char* hours;
    std::vector<std::string> services;
  };
  const std::vector<Offer> offers = {
      {"clinic", "月–金 9:00–12:00 / 15:00–18:00（訪問診療は午後）", {"home_visits", "24h", "terminal_care"}},
      {"hospital", "月–土 8:30–11:30（外来）", {"rehabilitation", "pediatric", "dementia", "short_stay"}},
      {"dental_clinic", "月–土 9:00–12:30 / 14:00–18:00", {"dental_visits"}},
      {"pharmacy", "月–土 9:00–19:00", {"medication_delivery", "home_visits"}},
      {"visiting_nursing", "24時間対応（緊急時）", {"home_visits", "24h", "terminal_care", "pediatric"}},
      {"care_management", "月–金 8:30–17:30", {}},
      {"care_service", "7:00–21:00", {"home_visits"}},
      {"day_care", "月–土 9:00–16:30", {"day_care", "dementia"}},
  };
  for (const Offer& offer : offers) {
    s.Execute("UPDATE organizations SET hours = $2, services = $3 WHERE kind = $1",
              {std::string(offer.kind), std::string(offer.hours), nlohmann::json(offer.services).dump()});
  }
  // Professionals are reached through their organisation's number.
  s.Execute("UPDATE users SET phone = (SELECT o.phone FROM organizations o WHERE o.id = users.organization_id) "
            "WHERE organization_id IS NOT NULL");
}

}  // namespace

CareNetworkDemo AddCareNetwork(store::Database& db, UnixMillis now) {
  CareNetworkDemo demo;
  db.Write([&](store::Session& s) {
    AddDirectoryDetails(s);
    std::vector<std::int64_t> person_ids;
    for (const PatientSeed& seed : Patients()) {
      const ResidentSeed& r = Residents()[seed.resident];
      auto person = s.QueryOne("SELECT id FROM persons WHERE family_name = $1 AND given_name = $2 AND birth_date = $3",
                               {std::string(r.family_name), std::string(r.given_name), std::string(r.birth_date)});
      AddPatient(s, seed, person->Int(0), now, demo);
      person_ids.push_back(person->Int(0));
    }
    // An open invitation, so that the visiting nurse sees one on her first login.
    carenet::InviteMember(s, person_ids[8], UserId(s, "ns.suzuki"), UserId(s, "dr.mizuno"), now - 5 * kHour);
    AddBoards(s, now);
  });
  return demo;
}

}  // namespace moyakko::demo
