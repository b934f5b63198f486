// Importing ledgers against both databases: dry runs write nothing, records with errors stop
// an import unless told otherwise, re-imports update by resident number, and people the care
// network already has are linked — or, when unsure, put up for review.
#include "disaster/ledger_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "audit/audit_log.h"
#include "common/error.h"
#include "registry/persons.h"
#include "store/testing.h"

namespace moyakko::disaster {
namespace {

constexpr UnixMillis kNow = 1795000000000;

class LedgerImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    db().Write([&](store::Session& s) {
      seto_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
    });
  }
  store::Database& db() { return test_->db(); }
  std::int64_t Count(const std::string& table) {
    return db().Read([&](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM " + table)->Int(0); });
  }
  ImportReport Import(const std::string& text, bool dry_run = false, bool skip_invalid = false) {
    ParsedLedger parsed = ParseLedger(text, Encoding::kAuto, {}, "2026-11-20");
    return ImportLedger(db(), parsed, {.tenant_code = "seto", .dry_run = dry_run, .skip_invalid = skip_invalid}, kNow);
  }

  std::unique_ptr<store::TestDatabase> test_;
  std::int64_t seto_ = 0;
};

TEST_P(LedgerImportTest, TheSampleImportsOnceAndUpdatesOnTheSecondRun) {
  std::ifstream in(MOYAKKO_TEST_DATA "/ledger_seto_sample_cp932.csv", std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ImportReport dry = Import(bytes, /*dry_run=*/true);
  EXPECT_FALSE(dry.written);
  EXPECT_EQ(dry.rows, 200);
  EXPECT_EQ(dry.created, dry.valid);
  EXPECT_EQ(Count("persons"), 0);
  // Records with errors stop the import until the operator says to skip them.
  ImportReport stopped = Import(bytes);
  EXPECT_FALSE(stopped.written);
  EXPECT_FALSE(stopped.json["errors"].empty());
  EXPECT_EQ(Count("persons"), 0);
  ImportReport first = Import(bytes, false, /*skip_invalid=*/true);
  EXPECT_TRUE(first.written);
  EXPECT_EQ(first.created, first.valid);
  EXPECT_EQ(Count("persons"), first.valid);
  EXPECT_EQ(Count("ledger_entries"), first.valid);
  ImportReport second = Import(bytes, false, true);
  EXPECT_EQ(second.created, 0);
  EXPECT_EQ(second.updated, second.valid);
  EXPECT_EQ(second.json["updated"], second.valid);
  EXPECT_EQ(Count("persons"), first.valid) << "no duplicates on re-import";
  EXPECT_EQ(audit::Search(db(), {.action = "ledger.import"}).size(), 2u);
  auto entry = db().Read([&](store::Session& s) {
    return s.QueryOne("SELECT e.needs, e.consent, p.family_kana FROM ledger_entries e JOIN persons p ON p.id = e.person_id "
                      "WHERE p.resident_number = '23204100000'");
  });
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->Text(0), R"(["wheelchair","home_oxygen"])");
  EXPECT_EQ(entry->Int(1), 0);
  EXPECT_EQ(entry->Text(2), "カトウ");
}

TEST_P(LedgerImportTest, PeopleAlreadyKnownAreLinkedOrPutUpForReview) {
  db().Write([&](store::Session& s) {
    auto add = [&](const char* family, const char* given, const char* kana, std::optional<std::string> number) {
      return registry::AddPerson(s, {.tenant_id = seto_, .family_name = family, .given_name = given,
                                     .family_kana = kana, .given_kana = "", .birth_date = "1933-02-18",
                                     .resident_number = number}, 0);
    };
    add("伊藤", "とし", "イトウ", std::nullopt);         // the care network's patient
    add("水野", "ふさ", "ミズノ", std::nullopt);         // same name, other kana below
    add("加藤", "勝", "カトウ", std::string("999"));    // another resident, numbered
  });
  std::string text = "住民番号,氏名,フリガナ,生年月日\n"
                     "101,伊藤 とし,イトウ,1933-02-18\n"
                     "102,水野 ふさ,ミヅノ,1933-02-18\n"
                     "103,加藤 勝,カトウ,1933-02-18\n";
  ImportReport report = Import(text);
  EXPECT_EQ(report.linked, 1);
  EXPECT_EQ(report.review, 1);
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(report.json["review"][0]["reason"], "kana_differs");
  EXPECT_EQ(report.json["review"][0]["row"], 2);
  EXPECT_EQ(Count("persons"), 4);
  EXPECT_EQ(Count("ledger_reviews"), 1);
  EXPECT_EQ(db().Read([&](store::Session& s) {
    return s.QueryOne("SELECT resident_number FROM persons WHERE family_name = '伊藤'")->Text(0);
  }), "101");
  // Imported again, the linked person is found by number and the review is not doubled.
  ImportReport again = Import(text);
  EXPECT_EQ(again.updated, 2);
  EXPECT_EQ(again.review, 1);
  EXPECT_EQ(Count("ledger_reviews"), 1);
  EXPECT_EQ(Count("persons"), 4);

  // Someone decides: 水野 ふさ of the file is the one the care network knows.
  std::int64_t review = db().Read([&](store::Session& s) { return s.QueryOne("SELECT id FROM ledger_reviews")->Int(0); });
  auto resolve = [&](const std::string& decision) {
    return db().Write([&](store::Session& s) { return ResolveReview(s, seto_, review, decision, std::nullopt, kNow); });
  };
  EXPECT_THROW(resolve("merge"), Failure);
  std::int64_t entries = Count("ledger_entries");
  ReviewOutcome linked = resolve("link");
  ASSERT_TRUE(linked.person_id.has_value());
  EXPECT_EQ(Count("ledger_entries"), entries + 1);
  EXPECT_EQ(Count("persons"), 4);
  EXPECT_EQ(db().Read([&](store::Session& s) {
    return s.QueryOne("SELECT resident_number || family_kana FROM persons WHERE id = $1", {*linked.person_id})->Text(0);
  }), "102ミヅノ");
  EXPECT_THROW(resolve("dismiss"), Failure);  // settled once
  // Imported again, the record now updates the linked person.
  EXPECT_EQ(Import(text).updated, 3);
  EXPECT_EQ(Count("persons"), 4);
}

TEST_P(LedgerImportTest, AnUnchangedRecordIsLeftAloneAndAChangedOrEditedOneIsWrittenAgain) {
  auto import = [&](const std::string& text, UnixMillis at) {
    return ImportLedger(db(), ParseLedger(text, Encoding::kAuto, {}, "2026-11-20"), {.tenant_code = "seto"}, at);
  };
  auto person = [&](const char* number) {
    return db().Read([&](store::Session& s) {
      return *s.QueryOne("SELECT p.updated_at, p.address, e.needs, e.updated_at FROM persons p "
                         "JOIN ledger_entries e ON e.person_id = p.id WHERE p.resident_number = $1",
                         {std::string(number)});
    });
  };
  auto found = [&](const std::string& text) {
    auth::Principal city;
    city.role = auth::Role::kCityOfficer;
    city.tenant_id = seto_;
    return db().Read([&](store::Session& s) { return registry::SearchPersons(s, city, {.text = text}).size(); });
  };
  std::string header = "住民番号,氏名,フリガナ,生年月日,住所,支援が必要な理由\n";
  std::string first = header + "201,山田 花,ヤマダ ハナ,1940-01-01,瀬戸市陶原町1丁目,車いす\n"
                               "202,佐藤 一,サトウ ハジメ,1941-02-02,瀬戸市西長根町,独居\n";
  ASSERT_EQ(import(first, kNow).created, 2);

  // The same file: both matched, neither written.
  ImportReport same = import(first, kNow + 1000);
  EXPECT_EQ(same.updated, 2);
  EXPECT_EQ(same.unchanged, 2);
  EXPECT_EQ(same.json["unchanged"], 2);
  EXPECT_EQ(person("201").Int(0), kNow);
  EXPECT_EQ(person("201").Int(3), kNow);

  // One moved and now also needs oxygen: that one is written, address searchable at once.
  std::string moved = header + "201,山田 花,ヤマダ ハナ,1940-01-01,瀬戸市品野町3丁目,車いす 在宅酸素\n"
                               "202,佐藤 一,サトウ ハジメ,1941-02-02,瀬戸市西長根町,独居\n";
  ImportReport changed = import(moved, kNow + 2000);
  EXPECT_EQ(changed.updated, 2);
  EXPECT_EQ(changed.unchanged, 1);
  EXPECT_EQ(person("201").Text(1), "瀬戸市品野町3丁目");
  EXPECT_EQ(person("201").Text(2), R"(["wheelchair","home_oxygen"])");
  EXPECT_EQ(person("201").Int(3), kNow + 2000);
  EXPECT_EQ(person("202").Int(0), kNow);
  EXPECT_EQ(found("品野町3丁目"), 1u);
  EXPECT_EQ(found("陶原町1丁目"), 0u);

  // Someone changed 佐藤's address in the register since: the ledger's is written again.
  db().Write([&](store::Session& s) {
    s.Execute("UPDATE persons SET address = '手入力の住所', updated_at = $1 WHERE resident_number = '202'", {kNow + 3000});
  });
  ImportReport again = import(moved, kNow + 4000);
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(person("202").Text(1), "瀬戸市西長根町");
  EXPECT_EQ(person("202").Int(0), kNow + 4000);
  EXPECT_EQ(import(moved, kNow + 5000).unchanged, 2);
}

TEST_P(LedgerImportTest, TwoRecordsFittingOnePersonLinkOnceAndTheOtherWaitsForReview) {
  db().Write([&](store::Session& s) {
    registry::AddPerson(s, {.tenant_id = seto_, .family_name = "伊藤", .given_name = "とし", .family_kana = "イトウ",
                            .birth_date = "1933-02-18"}, 0);
  });
  ImportReport report = Import("住民番号,氏名,フリガナ,生年月日\n"
                               "101,伊藤 とし,イトウ,1933-02-18\n"
                               "104,伊藤 とし,イトウ,1933-02-18\n");
  EXPECT_EQ(report.linked, 1);
  EXPECT_EQ(report.review, 1);
  EXPECT_EQ(report.json["review"][0]["reason"], "matched_twice");
  EXPECT_EQ(report.json["review"][0]["resident_number"], "104");
  EXPECT_EQ(Count("persons"), 1);
  EXPECT_EQ(Count("ledger_entries"), 1);
  EXPECT_EQ(db().Read([&](store::Session& s) { return s.QueryOne("SELECT resident_number FROM persons")->Text(0); }), "101");
}

TEST_P(LedgerImportTest, AnUnknownMunicipalityIsRefused) {
  ParsedLedger parsed = ParseLedger("住民番号,氏名,生年月日\n1,瀬戸 一,1940-01-01\n", Encoding::kAuto, {}, "2026-11-20");
  EXPECT_THROW(ImportLedger(db(), parsed, {.tenant_code = "nowhere"}, kNow), Failure);
  EXPECT_EQ(Count("persons"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerImportTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::disaster
