#include "disaster/ledger.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include "common/error.h"

namespace moyakko::disaster {
namespace {

constexpr char kToday[] = "2026-11-26";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ParsedLedger Parse(const std::string& text, Encoding encoding = Encoding::kAuto) {
  return ParseLedger(text, encoding, {}, kToday);
}

// The error's slug, or "" when parsing succeeds.
std::string FileError(const std::string& text, Encoding encoding = Encoding::kAuto) {
  try {
    Parse(text, encoding);
  } catch (const Failure& f) {
    return f.error().slug;
  }
  return "";
}

TEST(Ledger, BirthDatesInEveryUsualForm) {
  struct Case {
    const char* text;
    const char* date;  // "" for none
  };
  for (const Case& c : {Case{"1940/03/02", "1940-03-02"}, Case{"1940-3-2", "1940-03-02"}, Case{"1940.03.02", "1940-03-02"},
                        Case{"19400302", "1940-03-02"}, Case{"昭和15年3月2日", "1940-03-02"}, Case{"S15.03.02", "1940-03-02"},
                        Case{"s15/3/2", "1940-03-02"}, Case{"Ｓ１５．０３．０２", "1940-03-02"}, Case{"１９４０／３／２", "1940-03-02"},
                        Case{"大正14年5月1日", "1925-05-01"}, Case{"T14.05.01", "1925-05-01"}, Case{"平成元年1月8日", "1989-01-08"},
                        Case{"H31.04.30", "2019-04-30"}, Case{"令和2年2月9日", "2020-02-09"}, Case{"明治45年7月29日", "1912-07-29"},
                        // Impossible days, years outside their era, and what is no date at all.
                        Case{"1940/02/30", ""}, Case{"昭和64年1月8日", ""}, Case{"平成元年1月7日", ""}, Case{"大正16年1月1日", ""},
                        Case{"40/03/02", ""}, Case{"S15.03", ""}, Case{"不明", ""}, Case{"1940/03/02 10:00", ""},
                        Case{"X15.03.02", ""}, Case{"", ""}}) {
    auto parsed = ParseBirthDate(c.text);
    EXPECT_EQ(parsed.value_or(""), c.date) << c.text;
  }
}

TEST(Ledger, HeadersAreRecognisedInTheirUsualVariants) {
  EXPECT_EQ(FieldForHeader("住民番号"), LedgerField::kResidentNumber);
  EXPECT_EQ(FieldForHeader("宛名番号"), LedgerField::kResidentNumber);
  EXPECT_EQ(FieldForHeader(" 氏名（漢字） "), LedgerField::kName);
  EXPECT_EQ(FieldForHeader("ﾌﾘｶﾞﾅ"), LedgerField::kKana);
  EXPECT_EQ(FieldForHeader("避難支援者"), LedgerField::kSupporterName);
  EXPECT_EQ(FieldForHeader("同意の有無"), LedgerField::kConsent);
  EXPECT_EQ(FieldForHeader("備考"), std::nullopt);
}

TEST(Ledger, TheSampleFileIsReadWithItsDefectsReportedByRecordAndColumn) {
  std::string bytes = ReadFile(MOYAKKO_TEST_DATA "/ledger_seto_sample_cp932.csv");
  ASSERT_FALSE(bytes.empty());
  ParsedLedger ledger = Parse(bytes);
  EXPECT_EQ(ledger.encoding, "cp932");
  EXPECT_EQ(ledger.rows, 200);
  EXPECT_TRUE(ledger.unknown_columns.empty());
  EXPECT_EQ(ledger.valid.size() + [&] {
    std::set<int> rows;
    for (const auto& e : ledger.errors) rows.insert(e.row);
    return rows.size();
  }(), 200u);
  EXPECT_GE(ledger.errors.size(), 3u) << "the sample holds a few defective records";
  for (const LedgerError& e : ledger.errors) {
    EXPECT_GE(e.row, 1);
    EXPECT_FALSE(e.code.empty());
    EXPECT_FALSE(e.message.empty()) << e.code;
  }
  const LedgerRecord& first = ledger.valid[0];
  EXPECT_EQ(first.row, 1);
  EXPECT_EQ(first.resident_number, "23204100000");
  EXPECT_EQ(first.family_name, "加藤");
  EXPECT_EQ(first.given_name, "勇");
  EXPECT_EQ(first.family_kana, "カトウ");  // half-width kana made full-width
  EXPECT_EQ(first.given_kana, "イサム");
  EXPECT_EQ(first.birth_date, "1932-08-25");
  EXPECT_EQ(first.needs, (std::vector<std::string>{"wheelchair", "home_oxygen"}));
  EXPECT_FALSE(first.consent);
  EXPECT_NEAR(*first.lat, 35.222407, 1e-9);
  // A quoted address with a line break, and a phone number in full-width digits.
  auto asai = std::find_if(ledger.valid.begin(), ledger.valid.end(), [](const LedgerRecord& r) {
    return r.resident_number == "23204100045";
  });
  ASSERT_NE(asai, ledger.valid.end());
  EXPECT_EQ(asai->address, "愛知県瀬戸市陶原町8丁目16番地 (離れ)");
  EXPECT_EQ(asai->phone, "0561-25-2820");
  EXPECT_EQ(asai->birth_date, "1928-02-16");
  EXPECT_TRUE(asai->consent);
}

TEST(Ledger, TheSameFileInUtf8WithBomReadsTheSame) {
  std::string utf8 = "\xEF\xBB\xBF住民番号,氏名,フリガナ,生年月日,情報提供同意\r\n"
                     "1001,\"瀬戸　花子\",せと　はなこ,昭和8年2月18日,有\r\n"
                     "1002,尾張 太郎,ｵﾜﾘ ﾀﾛｳ,１９４０／０３／０２,無\r\n";
  ParsedLedger ledger = Parse(utf8);
  EXPECT_EQ(ledger.encoding, "utf-8");
  ASSERT_EQ(ledger.valid.size(), 2u) << (ledger.errors.empty() ? "" : ledger.errors[0].message);
  EXPECT_EQ(ledger.valid[0].family_kana, "セト");
  EXPECT_EQ(ledger.valid[0].birth_date, "1933-02-18");
  EXPECT_EQ(ledger.valid[1].birth_date, "1940-03-02");
  // Columns in any order, and a mapping for a municipality's own header.
  std::string own = "生まれ,番号,氏名\n1940-03-02,1003,瀬戸 三郎\n";
  EXPECT_EQ(FileError(own), "missing_column");
  ParsedLedger mapped = ParseLedger(own, Encoding::kAuto, {{"番号", LedgerField::kResidentNumber},
                                                           {"生まれ", LedgerField::kBirthDate}}, kToday);
  ASSERT_EQ(mapped.valid.size(), 1u);
  EXPECT_EQ(mapped.valid[0].resident_number, "1003");
}

TEST(Ledger, RecordProblemsNameRowColumnAndReason) {
  std::string text = "住民番号,氏名,生年月日,性別,緯度,経度,要介護度,情報提供同意\n"
                     "1001,瀬戸 一,1940/02/30,男,,,,有\n"          // 1: no such day
                     ",瀬戸 二,1940/02/03,女,,,,有\n"                // 2: no resident number
                     "1003,瀬戸 三,1940/02/03,不明,,,,有\n"          // 3: sex
                     "1004,瀬戸 四,1940/02/03,男,35.2,,,有\n"        // 4: latitude without longitude
                     "1005,瀬戸 五,1940/02/03,男,,,要介護9,たぶん\n"  // 5: care level and consent
                     "1006,瀬戸 六\n"                                 // 6: ragged
                     "1001,瀬戸 七,1940/02/03,男,,,,有\n"            // 7: number used twice
                     "1008,瀬戸 八,2030/01/01,男,,,,有\n"            // 8: born in the future
                     "1009,瀬戸 九,S15.03.02,男,35.2,137.1,要介護3,無\n";
  ParsedLedger ledger = Parse(text);
  std::vector<std::string> got;
  for (const auto& e : ledger.errors) got.push_back(fmt::format("{} {} {}", e.row, e.column, e.code));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "1 生年月日 invalid_date", "2 住民番号 missing", "3 性別 invalid_sex", "4 経度 invalid_location",
                     "5 要介護度 invalid_care_level", "5 情報提供同意 invalid_consent", "6  ragged_row",
                     "7 住民番号 duplicate_resident_number", "8 生年月日 invalid_date"}));
  EXPECT_EQ(ledger.rows, 9);
  ASSERT_EQ(ledger.valid.size(), 1u);
  EXPECT_EQ(ledger.valid[0].row, 9);
  EXPECT_EQ(ledger.valid[0].care_level, "要介護3");
}

TEST(Ledger, FilesThatCannotBeALedgerAreRefusedWhole) {
  EXPECT_EQ(FileError(""), "empty_file");
  EXPECT_EQ(FileError("\xEF\xBB\xBF\r\n"), "empty_file");
  EXPECT_EQ(FileError("住民番号,氏名\r\n"), "header_only");
  EXPECT_EQ(FileError(std::string("PK\x03\x04\0\0binary", 12)), "binary_file");
  EXPECT_EQ(FileError("住民番号,氏名\n1,\"瀬戸\n"), "not_csv");
  EXPECT_EQ(FileError("住民番号,氏名,宛名番号\n1,a,2\n"), "duplicate_column");
  EXPECT_EQ(FileError("name,phone\nSeto,1\n"), "missing_column");
  // CP932 bytes read as UTF-8 on request, and bytes that are neither.
  std::string cp932 = "\x8F\x5A\x96\xAF\x94\xD4\x8D\x86,\x8E\x81\x96\xBC\r\n1,\x90\xA3\x8C\xCB\r\n";  // 住民番号,氏名 / 1,瀬戸
  EXPECT_EQ(FileError(cp932), "");
  EXPECT_EQ(FileError(cp932, Encoding::kUtf8), "invalid_encoding");
  EXPECT_EQ(FileError("\x81\xFF\xFF,\x82\n", Encoding::kAuto), "invalid_encoding");
}

}  // namespace
}  // namespace moyakko::disaster
