#include "registry/persons.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "store/testing.h"

namespace moyakko::registry {
namespace {

class PersonsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    test_->db().Write([&](store::Session& s) {
      tenant_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
      other_tenant_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('owariasahi', '尾張旭市', 0) RETURNING id")->Int(0);
      hanako_ = AddPerson(s, Person{.tenant_id = tenant_, .family_name = "鈴木", .given_name = "花子",
                                    .family_kana = "スズキ", .given_kana = "ハナコ", .sex = "female",
                                    .birth_date = "1938-04-02", .address = "瀬戸市陶本町1丁目",
                                    .phones = {"0561-21-0000"}}, 0);
      AddPerson(s, Person{.tenant_id = tenant_, .family_name = "加藤", .given_name = "一郎",
                          .family_kana = "カトウ", .given_kana = "イチロウ"}, 0);
      AddPerson(s, Person{.tenant_id = other_tenant_, .family_name = "鈴木", .given_name = "次郎",
                          .family_kana = "スズキ", .given_kana = "ジロウ"}, 0);
      family_user_ = s.QueryOne("INSERT INTO users (tenant_id, username, display_name, role, password_hash, "
                                "created_at, updated_at) VALUES ($1, 'fam', 'fam', 'family', 'x', 0, 0) RETURNING id",
                                {tenant_})->Int(0);
      s.Execute("INSERT INTO family_links (user_id, person_id, created_at) VALUES ($1, $2, 0)", {family_user_, hanako_});
    });
  }
  std::vector<Person> Search(auth::Role role, const std::string& text, std::int64_t user_id = 99) {
    auth::Principal p;
    p.role = role;
    p.tenant_id = tenant_;
    p.user_id = user_id;
    return test_->db().Read([&](store::Session& s) { return SearchPersons(s, p, {text, 50}); });
  }
  std::unique_ptr<store::TestDatabase> test_;
  std::int64_t tenant_ = 0, other_tenant_ = 0, hanako_ = 0, family_user_ = 0;
};

TEST_P(PersonsTest, SearchIgnoresWidthAndKanaAndStaysInTheTenant) {
  auto found = Search(auth::Role::kCityOfficer, "ｽｽﾞｷ");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].given_name, "花子");
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "すずき はなこ").size(), 1u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "０５６１−２１").size(), 0u);  // U+2212 is not '-'
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "０５６１-２１").size(), 1u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "").size(), 2u);
}

TEST_P(PersonsTest, AnyPartOfTheKeyMatchesAndSearchSyntaxIsPlainText) {
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "ずきは").size(), 1u);       // across family and given kana
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "陶本町1丁目").size(), 1u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "す%き").size(), 0u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "\"すずき\" OR 加藤").size(), 0u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "ず").size(), 1u);          // shorter than a trigram
}

TEST_P(PersonsTest, PeopleAddedInABatchAreFoundByAnyPartOfTheirKey) {
  std::vector<Person> batch;
  for (int i = 0; i < 5003; ++i) {  // more than one statement of the search index
    batch.push_back({.tenant_id = tenant_, .family_name = "水野", .given_name = "次郎" + std::to_string(i),
                     .address = "瀬戸市南山町" + std::to_string(i) + "番地", .resident_number = std::to_string(40000 + i)});
  }
  test_->db().Write([&](store::Session& s) { AddNumberedPersons(s, batch, 0); });
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "南山町5002番").size(), 1u);
  EXPECT_EQ(Search(auth::Role::kCityOfficer, "南山町0番").size(), 1u);
  if (test_->db().dialect() == store::Dialect::kSqlite) {
    // FTS5 compares the index with the register and fails the statement on any difference.
    test_->db().Write([](store::Session& s) {
      s.Execute("INSERT INTO persons_fts (persons_fts, rank) VALUES ('integrity-check', 1)");
    });
  }
}

TEST_P(PersonsTest, UnrelatedStaffSeeNoOne) {
  EXPECT_TRUE(Search(auth::Role::kDoctor, "").empty());
  EXPECT_TRUE(Search(auth::Role::kFamily, "").empty());
}

TEST_P(PersonsTest, RoundTripsAndComputesAge) {
  auto person = test_->db().Read([&](store::Session& s) { return GetPerson(s, hanako_); });
  ASSERT_TRUE(person);
  EXPECT_EQ(person->phones, std::vector<std::string>{"0561-21-0000"});
  auto json = ToJson(*person, "2026-04-01");
  EXPECT_EQ(json["age"], 87);
  EXPECT_EQ(ToJson(*person, "2026-04-02")["age"], 88);
  EXPECT_EQ(json["kana"], "スズキ ハナコ");
}

TEST_P(PersonsTest, RejectsBadInputNamingTheField) {
  auto field_of = [&](Person p) {
    try {
      test_->db().Write([&](store::Session& s) { AddPerson(s, p, 0); });
    } catch (const Failure& f) {
      return f.error().field;
    }
    return std::string("ok");
  };
  EXPECT_EQ(field_of({.tenant_id = tenant_, .family_name = ""}), "family_name");
  EXPECT_EQ(field_of({.tenant_id = tenant_, .family_name = "a", .birth_date = "1940-02-30"}), "birth_date");
  EXPECT_EQ(field_of({.tenant_id = tenant_, .family_name = "a", .sex = "x"}), "sex");
  EXPECT_EQ(field_of({.tenant_id = tenant_, .family_name = "a", .lat = 91.0}), "lat");
}

INSTANTIATE_TEST_SUITE_P(Backends, PersonsTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::registry
