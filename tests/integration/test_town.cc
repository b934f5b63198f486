#include "integration/test_town.h"

#include "auth/password.h"
#include "auth/service.h"
#include "registry/persons.h"

namespace moyakko::testing {

TestTown BuildTestTown(store::Database& db) {
  TestTown town;
  db.Write([&](store::Session& s) {
    std::int64_t seto = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
    std::int64_t asahi = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('owariasahi', '尾張旭市', 0) RETURNING id")->Int(0);
    s.Execute("INSERT INTO organizations (tenant_id, code, kind, name, created_at) VALUES ($1, 'seto-city', 'city_department', '瀬戸市 高齢者福祉課', 0)", {seto});
    town.persons["hanako"] = registry::AddPerson(s, {.tenant_id = seto, .family_name = "鈴木", .given_name = "花子",
                                                    .family_kana = "スズキ", .given_kana = "ハナコ", .sex = "female",
                                                    .birth_date = "1938-04-02"}, 0);
    town.persons["ichiro"] = registry::AddPerson(s, {.tenant_id = seto, .family_name = "加藤", .given_name = "一郎",
                                                    .family_kana = "カトウ", .given_kana = "イチロウ"}, 0);
    town.persons["jiro"] = registry::AddPerson(s, {.tenant_id = asahi, .family_name = "鈴木", .given_name = "次郎"}, 0);
  });
  SystemClock clock;
  auth::AuthService auth(db, clock);
  std::string hash = auth::HashPassword(kPassword);
  auto add = [&](const std::string& name, auth::Role role, const std::string& tenant) {
    town.users[name] = auth.AddUser({.tenant_code = tenant, .username = name, .role = role, .password_hash = hash,
                                     .totp_secret = kTotpSecret}, nullptr, "test").id;
  };
  add("admin", auth::Role::kAdmin, "seto");
  add("doctor", auth::Role::kDoctor, "seto");
  add("family", auth::Role::kFamily, "owariasahi");  // relatives often live elsewhere
  add("officer", auth::Role::kCityOfficer, "seto");
  add("other_admin", auth::Role::kAdmin, "owariasahi");
  add("nurse", auth::Role::kNurse, "seto");                // on no care team
  add("other_doctor", auth::Role::kDoctor, "owariasahi");
  add("local_family", auth::Role::kFamily, "seto");        // a relative of ichiro
  add("paramedic", auth::Role::kParamedic, "seto");
  db.Write([&](store::Session& s) {
    s.Execute("INSERT INTO family_links (user_id, person_id, relationship, created_at) VALUES ($1, $2, '長女', 0)",
              {town.users["family"], town.persons["hanako"]});
    s.Execute("INSERT INTO family_links (user_id, person_id, relationship, created_at) VALUES ($1, $2, '長男', 0)",
              {town.users["local_family"], town.persons["ichiro"]});
  });
  return town;
}

}  // namespace moyakko::testing
