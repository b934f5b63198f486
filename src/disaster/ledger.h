#pragma once
// Reading a municipality's register of people who need help to evacuate
// (避難行動要支援者名簿 / 災害時支援台帳) from the CSV file its resident system exports:
// UTF-8 with or without BOM or CP932 (Shift_JIS), CRLF, quoted fields with commas and line
// breaks, the usual Japanese column names in any order, Western and Japanese-era birth
// dates, full-width digits and half-width kana. Every problem is reported by record number,
// column and reason; nothing here touches storage. Pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moyakko::disaster {

enum class LedgerField {
  kResidentNumber, kName, kKana, kSex, kBirthDate, kAddress, kDistrict, kPhone, kLat, kLon,
  kCareLevel, kNeeds, kSupporterName, kSupporterPhone, kShelter, kConsent,
};
// "resident_number", "name", … (the names a saved mapping uses).
std::string_view FieldName(LedgerField field);
std::optional<LedgerField> ParseFieldName(std::string_view name);
// The field a column header means: 住民番号, 氏名, フリガナ, 生年月日, … and their common
// variants (宛名番号, ふりがな, カナ氏名, 避難支援者, 同意の有無, …), compared after NFKC with
// spaces and brackets removed. nullopt for a header it does not know.
std::optional<LedgerField> FieldForHeader(std::string_view header);

// A birth date as municipal files write it: 1940/03/02, 1940-3-2, 1940.03.02, 19400302,
// 昭和15年3月2日, S15.03.02, S15/3/2, 昭和元年…, for 明治 大正 昭和 平成 令和 (M T S H R);
// full-width digits allowed. nullopt for anything else, an impossible day (2月30日) or a
// year outside its era.
std::optional<std::string> ParseBirthDate(std::string_view text);

// NFKC (full-width digits and letters to ASCII, half-width kana to full-width), trimmed;
// ASCII passes through untouched.
std::string NormalizeText(std::string_view text);

struct LedgerError {
  int row = 0;         // the data record's 1-based number (0: the header)
  std::string column;  // the header as written in the file; "" for the whole record
  std::string code;    // machine-readable: missing, invalid_date, ragged_row, …
  std::string message;
};

// Why a person needs help, as codes: home_oxygen, ventilator, dialysis, bedridden,
// wheelchair, physical_disability, visual_impairment, hearing_impairment, dementia,
// living_alone; words it does not know are kept as written.
// The Japanese word for a need code (home_oxygen → 在宅酸素); a word kept as written is itself.
std::string NeedName(std::string_view code);

struct LedgerRecord {
  int row = 0;
  std::string resident_number;  // digits
  std::string family_name, given_name, family_kana, given_kana;  // kana in katakana
  std::string sex = "unknown";  // female | male | other | unknown
  std::optional<std::string> birth_date;
  std::string address, district, phone;
  std::optional<double> lat, lon;
  std::string care_level;  // 要支援1–2, 要介護1–5, 事業対象者, 非該当 or ""
  std::vector<std::string> needs;
  std::string supporter_name, supporter_phone, shelter;
  bool consent = false;  // 情報提供同意: shared beyond the city in normal times
};

enum class Encoding { kAuto, kUtf8, kCp932 };
std::optional<Encoding> ParseEncoding(std::string_view name);  // auto | utf-8 | cp932 (shift_jis, sjis)

struct ParsedLedger {
  std::string encoding;  // "utf-8" or "cp932", as read
  int rows = 0;          // data records in the file
  std::vector<LedgerRecord> valid;
  std::vector<LedgerError> errors;
  std::vector<std::string> unknown_columns;  // headers no field was found for: ignored
};

inline constexpr std::size_t kMaxLedgerBytes = 256 << 20;

// Reads a whole file. `mapping` (header as written → field) comes before the usual names,
// for a municipality's own headers. `today` (YYYY-MM-DD) bounds birth dates. Throws
// Failure 400 when the file cannot be a ledger at all — empty_file, binary_file,
// invalid_encoding, not_csv (unbalanced quotes), header_only, missing_column (no resident
// number or name column), duplicate_column — and 413 file_too_large; record-level problems
// are in `errors`, and such records are not in `valid`.
ParsedLedger ParseLedger(std::string_view bytes, Encoding encoding,
                         const std::map<std::string, LedgerField>& mapping, const std::string& today);

}  // namespace moyakko::disaster
