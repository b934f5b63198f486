// Data for the care-network benchmarks, added to a demo town:
//   carenet_bench setup <db> <persons> <patient-every> <team-user> <posts>
// adds <persons> residents to Seto, registers every <patient-every>th of them as a patient
// (1: all of them, so that a search by the city runs over all), puts <team-user> on the team
// of every 2,500th person (40 teams, a visiting nurse's case load),
// and gives the first of those <posts> timeline posts (every 5th with a comment, every 50th
// with a photo, half of them read by <team-user>). Prints the id of the patient with the posts.
#include <chrono>
#include <iostream>
#include <random>

#include <fmt/format.h>
#include <string>

#include "carenet/patients.h"
#include "carenet/timeline.h"
#include "common/crypto.h"
#include "registry/persons.h"
#include "store/database.h"
#include "store/migrations.h"

namespace {

using namespace moyakko;

constexpr const char* kFamilyNames[][2] = {{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"},
                                            {"伊藤", "イトウ"}, {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"},
                                            {"小林", "コバヤシ"}, {"加藤", "カトウ"}, {"吉田", "ヨシダ"}, {"山田", "ヤマダ"},
                                            {"水野", "ミズノ"}, {"長谷川", "ハセガワ"}, {"近藤", "コンドウ"}, {"梶田", "カジタ"}};
constexpr const char* kGivenNames[][2] = {{"花子", "ハナコ"}, {"一郎", "イチロウ"}, {"とし", "トシ"}, {"清", "キヨシ"},
                                           {"静子", "シズコ"}, {"勝", "マサル"}, {"和子", "カズコ"}, {"正雄", "マサオ"}};
// A 1×1 PNG.
constexpr unsigned char kPng[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
                                  0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49,
                                  0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xfc, 0xcf, 0xc0, 0x50, 0x0f, 0, 0x04, 0x85, 0x01,
                                  0x80, 0x84, 0xa9, 0x8c, 0x21, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

int Setup(const std::string& path, int persons, int patient_every, const std::string& team_username, int posts) {
  InitCrypto();
  carenet::InstallRelations();
  auto db = store::Open(path);
  store::Migrate(*db);
  std::mt19937 rng(7);
  auto started = std::chrono::steady_clock::now();
  std::int64_t timeline_patient = db->Write([&](store::Session& s) {
    auto tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    auto user = [&](const std::string& name) {
      auto row = s.QueryOne("SELECT id, tenant_id, role FROM users WHERE username = $1", {name});
      auth::Principal p;
      p.user_id = row->Int(0);
      p.tenant_id = row->Int(1);
      p.role = *auth::ParseRole(row->Text(2));
      return p;
    };
    auth::Principal member = user(team_username), lead = user("dr.mizuno");
    std::vector<std::int64_t> authors = {lead.user_id, user("ns.suzuki").user_id, user("ph.ando").user_id,
                                         user("cm.yamada").user_id, member.user_id};
    std::int64_t first_team_patient = 0;
    UnixMillis now = SystemClock().Now();
    for (int i = 0; i < persons; ++i) {
      const auto& family = kFamilyNames[rng() % std::size(kFamilyNames)];
      const auto& given = kGivenNames[rng() % std::size(kGivenNames)];
      registry::Person p;
      p.tenant_id = tenant;
      p.family_name = family[0];
      p.given_name = given[0];
      p.family_kana = family[1];
      p.given_kana = given[1];
      p.birth_date = fmt::format("{}-{:02}-{:02}", 1925 + rng() % 40, 1 + rng() % 12, 1 + rng() % 28);
      p.address = fmt::format("瀬戸市陶本町{}丁目{}番地", 1 + rng() % 5, 1 + rng() % 99);
      p.phones = {fmt::format("0561-{:02}-{:04}", 10 + rng() % 90, rng() % 10000)};
      std::int64_t id = registry::AddPerson(s, p, now);
      if (i % patient_every != 0 && i % 2500 != 0) continue;
      carenet::RegisterPatient(s, lead, id, {"本人", "self", "2026-11-01", "care_team"}, std::nullopt, now);
      if (i % 2500 == 0) {
        carenet::InviteMember(s, id, member.user_id, lead.user_id, now);
        carenet::AnswerInvitation(s, id, member.user_id, true, now);
        if (!first_team_patient) first_team_patient = id;
      }
    }
    std::string png(reinterpret_cast<const char*>(kPng), sizeof kPng);
    for (int i = 0; i < posts; ++i) {
      UnixMillis at = now - (posts - i) * 60'000LL;
      carenet::NewPost post{fmt::format("訪問記録 {}: 血圧 13{}/7{}、食事は半量。夕方に再訪予定。", i, i % 10, i % 10),
                            i % 20 == 0, {}, {}};
      if (i % 50 == 0) post.files.push_back({"photo.png", carenet::CleanAttachment(png, "f")});
      auto result = carenet::AddPost(s, first_team_patient, authors[i % authors.size()], post, at);
      if (i % 5 == 0) carenet::AddComment(s, first_team_patient, result.post_id, lead.user_id, "確認しました。", at + 1000);
      if (i % 2 == 0) carenet::MarkRead(s, first_team_patient, member.user_id, {result.post_id}, at + 2000);
    }
    return first_team_patient;
  });
  std::cerr << "set up in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s\n";
  std::cout << timeline_patient << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "setup" && argc == 7) {
    return Setup(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), argv[5], std::stoi(argv[6]));
  }
  std::cerr << "usage: carenet_bench setup <db> <persons> <patient-every> <team-user> <posts>\n";
  return 2;
}
