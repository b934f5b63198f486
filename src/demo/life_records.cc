#include "demo/life_records.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "carenet/patients.h"
#include "carenet/summary.h"
#include "demo/care_network.h"
#include "lifelog/records.h"

namespace moyakko::demo {
namespace {

using nlohmann::json;

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;

std::int64_t PersonId(store::Session& s, const char* family_name, const char* given_name) {
  return s.QueryOne("SELECT id FROM persons WHERE family_name = $1 AND given_name = $2",
                    {std::string(family_name), std::string(given_name)})->Int(0);
}

struct ChildSeed {
  const char* family_name;
  const char* given_name;
  const char* parent;  // the family user who records
  const char* parent_name;
  const char* phone;
  const char* carer;   // school nurse or day-care staff who writes the day's note
  const char* carer_note;
  std::vector<const char*> members;  // besides the lead, dr.okada
  std::vector<std::array<const char*, 2>> history;
  std::vector<std::array<const char*, 3>> prescriptions;
};

void RegisterChild(store::Session& s, const ChildSeed& seed, std::int64_t child, UnixMillis registered) {
  auth::Principal lead = PrincipalOf(s, "dr.okada");
  carenet::RegisterPatient(s, lead, child, {fmt::format("{}（保護者）", seed.parent_name), "guardian",
                                            LocalDate(registered, "Asia/Tokyo"), "care_team"},
                           std::nullopt, registered);
  for (const char* member : seed.members) {
    std::int64_t id = PrincipalOf(s, member).user_id;
    carenet::InviteMember(s, child, id, lead.user_id, registered);
    carenet::AnswerInvitation(s, child, id, true, registered + kHour);
  }
  UnixMillis at = registered + 2 * kHour;
  for (const auto& [condition, since] : seed.history) {
    carenet::AddEntry(s, child, "history", {{"condition", condition}, {"since", since}, {"status", "active"}}, lead.user_id, at);
  }
  for (const auto& [drug, dose, schedule] : seed.prescriptions) {
    carenet::AddEntry(s, child, "prescriptions", {{"drug", drug}, {"dose", dose}, {"schedule", schedule},
                                                  {"prescriber", "岡田 浩之"}, {"from", "2026-10-01"}}, lead.user_id, at);
  }
  carenet::AddEntry(s, child, "family_doctor", {{"name", "岡田 浩之"}, {"clinic", "幡山みなみ病院 小児科"},
                                                {"phone", "0561-85-1231"}}, lead.user_id, at);
  carenet::AddEntry(s, child, "next_of_kin", {{"name", seed.parent_name}, {"relationship", "保護者"},
                                              {"phones", {seed.phone}}, {"order", 1}}, lead.user_id, at);
}

class Recorder {
 public:
  Recorder(store::Session& s, std::int64_t person, UnixMillis now) : s_(s), now_(now) {
    person_ = lifelog::LoadPerson(s, person, now);
  }
  // A record written a few minutes after `at` by `username`.
  void Add(const std::string& username, UnixMillis at, json values, std::string note = "") {
    if (at > now_) return;
    lifelog::RecordWrite w;
    w.client_id = fmt::format("demo-{}-{}", person_.id, ++count_);
    w.recorded_at = at;
    w.values = std::move(values);
    w.note = std::move(note);
    lifelog::WriteRecord(s_, person_, PrincipalOf(s_, username), w, std::min(now_, at + 3 * kMinute));
  }
  const lifelog::PersonRef& person() const { return person_; }
  int count() const { return count_; }

 private:
  store::Session& s_;
  UnixMillis now_;
  lifelog::PersonRef person_;
  int count_ = 0;
};

// Two weeks of a child's day at home and at school: feeds, suction, seizures, vital signs,
// medicines. The day before yesterday the child had a bad morning (SpO2 89, a long seizure).
int RecordChild(store::Session& s, const ChildSeed& seed, std::int64_t child, UnixMillis now, unsigned random_seed) {
  Recorder r(s, child, now);
  std::mt19937 random(random_seed);
  auto between = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  UnixMillis today = StartOfLocalDay(now, r.person().time_zone);
  for (int day = 13; day >= 0; --day) {
    UnixMillis midnight = today - day * kDay;
    bool bad_morning = day == 2;
    bool school_day = WeekdayOf(LocalDate(midnight, r.person().time_zone)) < 5;
    r.Add(seed.parent, midnight + 6 * kHour + between(30, 55) * kMinute,
          {{"spo2", bad_morning ? 89 : between(94, 98)}, {"pulse", between(88, 112)},
           {"temperature", between(364, 374) / 10.0}, {"suction", between(1, 3)}},
          bad_morning ? "朝から痰が多く、ぜろぜろしています。吸引後に SpO2 95 まで戻りました。" : "");
    r.Add(seed.parent, midnight + 7 * kHour + between(0, 20) * kMinute,
          {{"feeding_ml", 200}, {"medicine", "朝の薬（バルプロ酸・整腸剤）"}});
    if (bad_morning) {
      r.Add(seed.parent, midnight + 8 * kHour + 12 * kMinute, {{"seizure_sec", 135}},
            "強直発作。2分以上続いたので頓用薬を使いました。その後は眠っています。");
    }
    if (school_day && !bad_morning) {
      r.Add(seed.carer, midnight + 12 * kHour + between(0, 15) * kMinute,
            {{"feeding_ml", 150}, {"suction", between(1, 2)}, {"school", seed.carer_note}});
    } else {
      r.Add(seed.parent, midnight + 12 * kHour + between(0, 30) * kMinute, {{"feeding_ml", 150}, {"suction", between(1, 3)}});
    }
    for (int seizure = between(0, 2); seizure > 0; --seizure) {
      r.Add(seed.parent, midnight + between(14, 20) * kHour + between(0, 59) * kMinute, {{"seizure_sec", between(15, 70)}});
    }
    r.Add(seed.parent, midnight + 18 * kHour + between(0, 30) * kMinute,
          {{"feeding_ml", 200}, {"medicine", "夕の薬（バルプロ酸）"}, {"spo2", between(95, 99)}});
    r.Add(seed.parent, midnight + 21 * kHour + between(0, 30) * kMinute,
          {{"feeding_ml", 100}, {"suction", between(1, 3)}, {"ventilator", "夜間 BiPAP 装着（設定変更なし）"}});
  }
  return r.count();
}

int RecordElder(store::Session& s, std::int64_t person, UnixMillis now) {
  Recorder r(s, person, now);
  std::mt19937 random(4117);
  auto between = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  const char* meals[] = {"全量", "全量", "半分", "少し"};
  UnixMillis today = StartOfLocalDay(now, r.person().time_zone);
  for (int day = 6; day >= 0; --day) {
    UnixMillis midnight = today - day * kDay;
    r.Add("fam.ito.hanako", midnight + 8 * kHour + between(0, 40) * kMinute,
          {{"breakfast", meals[between(0, 3)]}, {"temperature", between(358, 369) / 10.0},
           {"bp_systolic", between(124, 148)}, {"bp_diastolic", between(68, 84)}, {"pulse", between(62, 84)},
           {"mood", day == 1 ? "不安" : "普通"}},
          day == 1 ? "夜中に何度か起きて、朝は少し不安そうでした。" : "");
    r.Add("fam.ito.hanako", midnight + 12 * kHour + between(10, 40) * kMinute,
          {{"lunch", meals[between(0, 3)]}, {"fluids_ml", 200 + 50 * between(0, 4)}, {"urine", between(2, 4)}});
    r.Add("fam.ito.hanako", midnight + 18 * kHour + between(0, 40) * kMinute,
          {{"dinner", meals[between(0, 3)]}, {"fluids_ml", 150 + 50 * between(0, 3)}, {"stool", "普通"}});
  }
  return r.count();
}

}  // namespace

LifeRecordsDemo AddLifeRecords(store::Database& db, UnixMillis now) {
  LifeRecordsDemo demo;
  const std::vector<ChildSeed> children = {
      {"山崎", "陽向", "fam.yamazaki.asuka", "山崎 明日香", "090-2247-6618", "sch.uchida",
       "学校: 給食の時間に注入。授業中も落ち着いて過ごせました。", {"ns.hattori", "sch.uchida", "ph.ando"},
       {{"低酸素性虚血性脳症", "2016"}, {"症候性てんかん", "2017"}, {"胃ろう造設", "2019"}},
       {{"バルプロ酸ナトリウムシロップ5%", "6mL", "1日2回 朝夕"}, {"ビフィズス菌製剤", "1包", "1日2回 朝夕"}}},
      {"古川", "結衣", "fam.furukawa.shota", "古川 翔太", "090-6630-1184", "cw.hirano",
       "デイ: 昼の注入は問題なし。お昼寝中の SpO2 も安定していました。", {"ns.kimura", "cw.hirano"},
       {{"18トリソミー", "2020"}, {"慢性肺疾患（在宅酸素）", "2020"}},
       {{"フロセミド細粒", "2mg", "1日2回 朝夕"}}},
  };
  db.Write([&](store::Session& s) {
    unsigned seed = 20261;
    for (const ChildSeed& child : children) {
      std::int64_t id = PersonId(s, child.family_name, child.given_name);
      RegisterChild(s, child, id, now - 40 * kDay);
      ++demo.patients;
      // The pediatrician saved the preset for the team when the child joined ここのーと.
      lifelog::PersonRef ref = lifelog::LoadPerson(s, id, now);
      lifelog::SaveTemplate(s, ref, lifelog::PresetForAge(ref.age), 0, PrincipalOf(s, "dr.okada").user_id, now - 15 * kDay);
      demo.records += RecordChild(s, child, id, now, seed++);
    }
    demo.records += RecordElder(s, PersonId(s, "伊藤", "とし"), now);
  });
  return demo;
}

}  // namespace moyakko::demo
