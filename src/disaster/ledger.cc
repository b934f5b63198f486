#include "disaster/ledger.h"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/text.h"

namespace moyakko::disaster {
namespace {

struct FieldNameEntry {
  LedgerField field;
  std::string_view name;
};
constexpr std::array kFieldNames = {
    FieldNameEntry{LedgerField::kResidentNumber, "resident_number"}, FieldNameEntry{LedgerField::kName, "name"},
    FieldNameEntry{LedgerField::kKana, "kana"},                       FieldNameEntry{LedgerField::kSex, "sex"},
    FieldNameEntry{LedgerField::kBirthDate, "birth_date"},            FieldNameEntry{LedgerField::kAddress, "address"},
    FieldNameEntry{LedgerField::kDistrict, "district"},               FieldNameEntry{LedgerField::kPhone, "phone"},
    FieldNameEntry{LedgerField::kLat, "lat"},                         FieldNameEntry{LedgerField::kLon, "lon"},
    FieldNameEntry{LedgerField::kCareLevel, "care_level"},            FieldNameEntry{LedgerField::kNeeds, "needs"},
    FieldNameEntry{LedgerField::kSupporterName, "supporter_name"},
    FieldNameEntry{LedgerField::kSupporterPhone, "supporter_phone"},
    FieldNameEntry{LedgerField::kShelter, "shelter"},                 FieldNameEntry{LedgerField::kConsent, "consent"},
};

// Headers as municipal systems write them, after HeaderKey (NFKC, no spaces or brackets).
struct HeaderEntry {
  std::string_view header;
  LedgerField field;
};
constexpr std::array kHeaders = {
    HeaderEntry{"住民番号", LedgerField::kResidentNumber}, HeaderEntry{"住民コード", LedgerField::kResidentNumber},
    HeaderEntry{"宛名番号", LedgerField::kResidentNumber}, HeaderEntry{"個人番号", LedgerField::kResidentNumber},
    HeaderEntry{"住民票コード", LedgerField::kResidentNumber},
    HeaderEntry{"氏名", LedgerField::kName}, HeaderEntry{"名前", LedgerField::kName},
    HeaderEntry{"氏名漢字", LedgerField::kName}, HeaderEntry{"漢字氏名", LedgerField::kName},
    HeaderEntry{"フリガナ", LedgerField::kKana}, HeaderEntry{"ふりがな", LedgerField::kKana},
    HeaderEntry{"カナ氏名", LedgerField::kKana}, HeaderEntry{"氏名カナ", LedgerField::kKana},
    HeaderEntry{"氏名フリガナ", LedgerField::kKana}, HeaderEntry{"カナ", LedgerField::kKana},
    HeaderEntry{"性別", LedgerField::kSex},
    HeaderEntry{"生年月日", LedgerField::kBirthDate}, HeaderEntry{"生年月日和暦", LedgerField::kBirthDate},
    HeaderEntry{"誕生日", LedgerField::kBirthDate},
    HeaderEntry{"住所", LedgerField::kAddress}, HeaderEntry{"現住所", LedgerField::kAddress},
    HeaderEntry{"住所地", LedgerField::kAddress},
    HeaderEntry{"地区", LedgerField::kDistrict}, HeaderEntry{"地区名", LedgerField::kDistrict},
    HeaderEntry{"行政区", LedgerField::kDistrict}, HeaderEntry{"町内会", LedgerField::kDistrict},
    HeaderEntry{"自治会", LedgerField::kDistrict},
    HeaderEntry{"電話番号", LedgerField::kPhone}, HeaderEntry{"電話", LedgerField::kPhone},
    HeaderEntry{"連絡先", LedgerField::kPhone}, HeaderEntry{"連絡先電話番号", LedgerField::kPhone},
    HeaderEntry{"緯度", LedgerField::kLat}, HeaderEntry{"経度", LedgerField::kLon},
    HeaderEntry{"要介護度", LedgerField::kCareLevel}, HeaderEntry{"介護度", LedgerField::kCareLevel},
    HeaderEntry{"要介護状態区分", LedgerField::kCareLevel},
    HeaderEntry{"支援が必要な理由", LedgerField::kNeeds}, HeaderEntry{"要支援理由", LedgerField::kNeeds},
    HeaderEntry{"避難支援が必要な理由", LedgerField::kNeeds}, HeaderEntry{"支援を要する事由", LedgerField::kNeeds},
    HeaderEntry{"要配慮事項", LedgerField::kNeeds}, HeaderEntry{"必要な支援", LedgerField::kNeeds},
    HeaderEntry{"避難支援者氏名", LedgerField::kSupporterName}, HeaderEntry{"避難支援者", LedgerField::kSupporterName},
    HeaderEntry{"避難支援者名", LedgerField::kSupporterName}, HeaderEntry{"支援者氏名", LedgerField::kSupporterName},
    HeaderEntry{"支援者", LedgerField::kSupporterName},
    HeaderEntry{"避難支援者電話番号", LedgerField::kSupporterPhone}, HeaderEntry{"避難支援者電話", LedgerField::kSupporterPhone},
    HeaderEntry{"避難支援者連絡先", LedgerField::kSupporterPhone}, HeaderEntry{"支援者電話番号", LedgerField::kSupporterPhone},
    HeaderEntry{"支援者連絡先", LedgerField::kSupporterPhone},
    HeaderEntry{"指定避難所", LedgerField::kShelter}, HeaderEntry{"避難所", LedgerField::kShelter},
    HeaderEntry{"避難先", LedgerField::kShelter},
    HeaderEntry{"情報提供同意", LedgerField::kConsent}, HeaderEntry{"情報提供の同意", LedgerField::kConsent},
    HeaderEntry{"同意", LedgerField::kConsent}, HeaderEntry{"同意の有無", LedgerField::kConsent},
    HeaderEntry{"名簿提供同意", LedgerField::kConsent}, HeaderEntry{"平常時情報提供同意", LedgerField::kConsent},
};

struct NeedEntry {
  std::string_view word;
  std::string_view code;
};
constexpr std::array kNeeds = {
    NeedEntry{"在宅酸素", "home_oxygen"},     NeedEntry{"酸素", "home_oxygen"},
    NeedEntry{"人工呼吸器", "ventilator"},    NeedEntry{"人工透析", "dialysis"},
    NeedEntry{"透析", "dialysis"},            NeedEntry{"寝たきり", "bedridden"},
    NeedEntry{"車いす", "wheelchair"},        NeedEntry{"車椅子", "wheelchair"},
    NeedEntry{"肢体不自由", "physical_disability"}, NeedEntry{"視覚障害", "visual_impairment"},
    NeedEntry{"聴覚障害", "hearing_impairment"},    NeedEntry{"認知症", "dementia"},
    NeedEntry{"独居高齢者", "living_alone"},  NeedEntry{"独居", "living_alone"},
    NeedEntry{"一人暮らし", "living_alone"},
};

constexpr std::array<std::string_view, 9> kCareLevels = {"要支援1", "要支援2", "要介護1", "要介護2", "要介護3",
                                                        "要介護4", "要介護5", "事業対象者", "非該当"};

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Hiragana ぁ..ゖ to katakana (0x60 above): kana are kept in katakana.
std::string Katakana(const std::string& text) {
  if (IsAscii(text)) return text;
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT_OR_FFFD(bytes, i, length, c);
    if (c >= 0x3041 && c <= 0x3096) c += 0x60;
    char encoded[U8_MAX_LENGTH];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(encoded, n, c);
    out.append(encoded, n);
  }
  return out;
}

// The key a header is looked up by: NFKC, without spaces, brackets and their contents' marks.
std::string HeaderKey(std::string_view header) {
  std::string key;
  for (char c : NormalizeText(header)) {
    if (c != ' ' && c != '(' && c != ')' && c != '"') key += c;
  }
  // 「（漢字）」 becomes "(漢字)" under NFKC; full-width 【】 and 「」 stay and are removed here.
  for (std::string_view mark : {"【", "】", "「", "」", "・"}) {
    for (std::size_t at = key.find(mark); at != std::string::npos; at = key.find(mark)) key.erase(at, mark.size());
  }
  return key;
}

// Splits "加藤 勇" at its first space (full-width spaces are spaces after NFKC).
std::pair<std::string, std::string> SplitName(const std::string& name) {
  std::size_t space = name.find(' ');
  if (space == std::string::npos) return {name, ""};
  return {name.substr(0, space), Trim(name.substr(space + 1))};
}

struct Era {
  std::string_view kanji;
  char letter;
  int first_year;        // the Western year of its year 1
  std::string_view from;  // first day
  std::string_view to;    // last day
};
constexpr std::array kEras = {
    Era{"明治", 'M', 1868, "1868-01-25", "1912-07-29"}, Era{"大正", 'T', 1912, "1912-07-30", "1926-12-24"},
    Era{"昭和", 'S', 1926, "1926-12-25", "1989-01-07"}, Era{"平成", 'H', 1989, "1989-01-08", "2019-04-30"},
    Era{"令和", 'R', 2019, "2019-05-01", "9999-12-31"},
};

std::optional<std::string> Date(int year, int month, int day) {
  if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::string date = fmt::format("{:04}-{:02}-{:02}", year, month, day);
  return IsCalendarDate(date) ? std::optional(date) : std::nullopt;
}

std::string Utf8Of(std::string_view bytes, Encoding encoding, std::string& name) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    if (encoding == Encoding::kCp932) {
      Fail(ErrorCode::kInvalidArgument, "invalid_encoding", "the file starts with a UTF-8 mark but CP932 was asked for", "encoding");
    }
    bytes.remove_prefix(3);
    encoding = Encoding::kUtf8;
  }
  if (encoding != Encoding::kCp932 && IsValidUtf8(bytes)) {
    name = "utf-8";
    return std::string(bytes);
  }
  if (encoding == Encoding::kUtf8) {
    Fail(ErrorCode::kInvalidArgument, "invalid_encoding", "the file is not valid UTF-8 (try --encoding cp932)", "encoding");
  }
  iconv_t cd = iconv_open("UTF-8", "CP932");
  if (cd == reinterpret_cast<iconv_t>(-1)) Fail(ErrorCode::kInternal, "internal", "CP932 is not available");
  std::string out(bytes.size() * 3 / 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  std::size_t result = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (result == static_cast<std::size_t>(-1)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_encoding",
         fmt::format("the file is neither UTF-8 nor CP932 (Shift_JIS): byte {} cannot be read", bytes.size() - in_left),
         "encoding");
  }
  out.resize(out.size() - out_left);
  name = "cp932";
  return out;
}

using Records = std::vector<std::vector<std::string>>;

Records SplitCsv(const std::string& text) {
  struct State {
    Records records;
    std::vector<std::string> current;
  } state;
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) Fail(ErrorCode::kInternal, "internal", "csv parser");
  auto on_field = [](void* field, std::size_t length, void* data) {
    static_cast<State*>(data)->current.emplace_back(static_cast<const char*>(field), length);
  };
  auto on_record = [](int, void* data) {
    auto* s = static_cast<State*>(data);
    s->records.push_back(std::move(s->current));
    s->current.clear();
  };
  bool ok = csv_parse(&parser, text.data(), text.size(), on_field, on_record, &state) == text.size() &&
            csv_fini(&parser, on_field, on_record, &state) == 0;
  int error = csv_error(&parser);
  csv_free(&parser);
  if (!ok) {
    Fail(ErrorCode::kInvalidArgument, "not_csv",
         fmt::format("the file is not CSV as expected ({}) after record {}", csv_strerror(error), state.records.size()),
         "file");
  }
  return std::move(state.records);
}

class RecordReader {
 public:
  RecordReader(const std::vector<std::string>& headers, const std::vector<std::optional<LedgerField>>& fields,
               const std::vector<std::string>& values, int row, std::vector<LedgerError>& errors)
      : headers_(headers), fields_(fields), values_(values), row_(row), errors_(errors) {}

  // The normalised value of `field` ("" when the file has no such column), and its header.
  std::string Get(LedgerField field) {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i] == field) {
        column_ = headers_[i];
        return NormalizeText(values_[i]);
      }
    }
    column_ = std::string(FieldName(field));
    return "";
  }
  void Error(const std::string& code, const std::string& message) {
    errors_.push_back({row_, column_, code, message});
  }

 private:
  const std::vector<std::string>& headers_;
  const std::vector<std::optional<LedgerField>>& fields_;
  const std::vector<std::string>& values_;
  int row_;
  std::vector<LedgerError>& errors_;
  std::string column_;
};

bool IsPhone(const std::string& phone) {
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != '-' && c != '(' && c != ')') return false;
  }
  return digits >= 10 && digits <= 11;
}

std::optional<double> Number(const std::string& text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

LedgerRecord ReadRecord(RecordReader& r, int row, const std::string& today) {
  LedgerRecord out;
  out.row = row;
  std::string number = r.Get(LedgerField::kResidentNumber);
  number.erase(std::remove(number.begin(), number.end(), '-'), number.end());
  if (number.empty()) r.Error("missing", "住民番号がありません (resident number missing)");
  else if (number.size() > 20 || !std::all_of(number.begin(), number.end(), ::isdigit)) {
    r.Error("invalid_resident_number", "住民番号は数字で書いてください (digits only)");
  }
  out.resident_number = number;

  std::string name = r.Get(LedgerField::kName);
  if (name.empty()) r.Error("missing", "氏名がありません (name missing)");
  else if (Utf8Length(name) > 60) r.Error("too_long", "氏名が長すぎます (at most 60 characters)");
  std::tie(out.family_name, out.given_name) = SplitName(name);
  std::string kana = Katakana(r.Get(LedgerField::kKana));
  if (Utf8Length(kana) > 100) r.Error("too_long", "フリガナが長すぎます (at most 100 characters)");
  std::tie(out.family_kana, out.given_kana) = SplitName(kana);

  std::string sex = r.Get(LedgerField::kSex);
  if (sex == "男" || sex == "男性" || sex == "M" || sex == "m" || sex == "1") out.sex = "male";
  else if (sex == "女" || sex == "女性" || sex == "F" || sex == "f" || sex == "2") out.sex = "female";
  else if (sex == "その他") out.sex = "other";
  else if (!sex.empty()) r.Error("invalid_sex", "性別は 男・女 で書いてください (男, 女 or blank)");

  std::string birth = r.Get(LedgerField::kBirthDate);
  if (birth.empty()) {
    r.Error("missing", "生年月日がありません (birth date missing)");
  } else {
    out.birth_date = ParseBirthDate(birth);
    if (!out.birth_date) r.Error("invalid_date", fmt::format("生年月日「{}」が読めません (not a date)", birth));
    else if (*out.birth_date > today) r.Error("invalid_date", fmt::format("生年月日「{}」が未来です (in the future)", birth));
  }

  out.address = r.Get(LedgerField::kAddress);
  // Addresses keep their line breaks as spaces: one line on the map card.
  std::replace(out.address.begin(), out.address.end(), '\n', ' ');
  out.address.erase(std::remove(out.address.begin(), out.address.end(), '\r'), out.address.end());
  if (Utf8Length(out.address) > 200) r.Error("too_long", "住所が長すぎます (at most 200 characters)");
  out.district = r.Get(LedgerField::kDistrict);
  if (Utf8Length(out.district) > 50) r.Error("too_long", "地区が長すぎます (at most 50 characters)");
  out.phone = r.Get(LedgerField::kPhone);
  if (!out.phone.empty() && !IsPhone(out.phone)) r.Error("invalid_phone", fmt::format("電話番号「{}」が読めません", out.phone));

  std::string lat = r.Get(LedgerField::kLat);
  std::optional<double> lat_value = Number(lat);
  if (!lat.empty() && (!lat_value || *lat_value < 20 || *lat_value > 46)) {
    r.Error("invalid_location", "緯度は日本の範囲の数値で書いてください (20–46)");
  }
  std::string lon = r.Get(LedgerField::kLon);
  std::optional<double> lon_value = Number(lon);
  if (!lon.empty() && (!lon_value || *lon_value < 122 || *lon_value > 154)) {
    r.Error("invalid_location", "経度は日本の範囲の数値で書いてください (122–154)");
  }
  if (lat.empty() != lon.empty()) r.Error("invalid_location", "緯度と経度は両方書いてください (both or neither)");
  if (!lat.empty() && !lon.empty()) {
    out.lat = lat_value;
    out.lon = lon_value;
  }

  out.care_level = r.Get(LedgerField::kCareLevel);
  if (!out.care_level.empty() &&
      std::find(kCareLevels.begin(), kCareLevels.end(), out.care_level) == kCareLevels.end()) {
    r.Error("invalid_care_level", fmt::format("要介護度「{}」が読めません (要支援1–2, 要介護1–5, 事業対象者, 非該当)", out.care_level));
  }

  std::string needs = r.Get(LedgerField::kNeeds);
  for (std::string_view mark : {"・", "、"}) {
    for (std::size_t at = needs.find(mark); at != std::string::npos; at = needs.find(mark)) needs.replace(at, mark.size(), ",");
  }
  std::replace(needs.begin(), needs.end(), '/', ',');
  std::replace(needs.begin(), needs.end(), ' ', ',');
  for (std::size_t start = 0; start <= needs.size();) {
    std::size_t end = std::min(needs.find(',', start), needs.size());
    std::string word = Trim(std::string_view(needs).substr(start, end - start));
    start = end + 1;
    if (word.empty()) continue;
    auto known = std::find_if(kNeeds.begin(), kNeeds.end(), [&](const NeedEntry& e) { return e.word == word; });
    std::string code = known != kNeeds.end() ? std::string(known->code) : word;
    if (std::find(out.needs.begin(), out.needs.end(), code) == out.needs.end()) out.needs.push_back(code);
  }

  out.supporter_name = r.Get(LedgerField::kSupporterName);
  out.supporter_phone = r.Get(LedgerField::kSupporterPhone);
  if (!out.supporter_phone.empty() && !IsPhone(out.supporter_phone)) {
    r.Error("invalid_phone", fmt::format("避難支援者の電話番号「{}」が読めません", out.supporter_phone));
  }
  out.shelter = r.Get(LedgerField::kShelter);

  std::string consent = r.Get(LedgerField::kConsent);
  static const std::set<std::string> kYes = {"有", "あり", "同意", "同意あり", "同意する", "はい", "済", "1", "○", "〇"};
  static const std::set<std::string> kNo = {"無", "なし", "不同意", "同意なし", "同意しない", "いいえ", "未", "0", "×", ""};
  if (kYes.contains(consent)) out.consent = true;
  else if (!kNo.contains(consent)) r.Error("invalid_consent", fmt::format("情報提供同意「{}」が読めません (有 or 無)", consent));
  return out;
}

// One record as read, with its problems.
struct ReadRow {
  LedgerRecord record;
  std::vector<LedgerError> errors;
};

ReadRow ReadOne(const std::vector<std::string>& headers, const std::vector<std::optional<LedgerField>>& fields,
                const std::vector<std::string>& values, int row, const std::string& today) {
  ReadRow out;
  out.record.row = row;
  if (values.size() != headers.size()) {
    out.errors.push_back({row, "", "ragged_row", fmt::format("{} fields where the header has {}", values.size(), headers.size())});
    return out;
  }
  RecordReader reader(headers, fields, values, row, out.errors);
  out.record = ReadRecord(reader, row, today);
  return out;
}

}  // namespace

std::string_view FieldName(LedgerField field) {
  for (const auto& entry : kFieldNames) {
    if (entry.field == field) return entry.name;
  }
  return "";
}

std::optional<LedgerField> ParseFieldName(std::string_view name) {
  for (const auto& entry : kFieldNames) {
    if (entry.name == name) return entry.field;
  }
  return std::nullopt;
}

std::optional<LedgerField> FieldForHeader(std::string_view header) {
  std::string key = HeaderKey(header);
  for (const auto& entry : kHeaders) {
    if (entry.header == key) return entry.field;
  }
  return std::nullopt;
}

std::string NormalizeText(std::string_view text) {
  if (IsAscii(text)) return Trim(text);
  // In UTF-8 throughout: a ledger has a million fields, and most are NFKC already.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::StringPiece source(text.data(), static_cast<int32_t>(text.size()));
  if (U_SUCCESS(status) && nfkc->isNormalizedUTF8(source, status) && U_SUCCESS(status)) return Trim(text);
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out);
  status = U_ZERO_ERROR;
  nfkc->normalizeUTF8(0, source, sink, nullptr, status);
  if (U_FAILURE(status)) return Trim(text);
  return Trim(out);
}

std::optional<std::string> ParseBirthDate(std::string_view raw) {
  std::string text = NormalizeText(raw);
  std::string_view rest = text;
  const Era* era = nullptr;
  for (const Era& e : kEras) {
    if (rest.starts_with(e.kanji)) {
      era = &e;
      rest.remove_prefix(e.kanji.size());
    } else if (!rest.empty() && (rest[0] == e.letter || rest[0] == e.letter + ('a' - 'A'))) {
      era = &e;
      rest.remove_prefix(1);
    }
    if (era) break;
  }
  std::vector<int> numbers;
  std::vector<std::size_t> widths;
  while (!rest.empty()) {
    if (rest[0] >= '0' && rest[0] <= '9') {
      std::size_t n = 0;
      int value = 0;
      while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9' && n < 8) value = value * 10 + (rest[n++] - '0');
      if (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') return std::nullopt;
      numbers.push_back(value);
      widths.push_back(n);
      rest.remove_prefix(n);
    } else if (rest.starts_with("元")) {
      numbers.push_back(1);
      widths.push_back(1);
      rest.remove_prefix(std::string_view("元").size());
    } else if (rest[0] == '/' || rest[0] == '-' || rest[0] == '.' || rest[0] == ' ') {
      rest.remove_prefix(1);
    } else if (rest.starts_with("年") || rest.starts_with("月") || rest.starts_with("日")) {
      rest.remove_prefix(3);
    } else {
      return std::nullopt;
    }
  }
  if (!era && numbers.size() == 1 && widths[0] == 8) {  // 19400302
    return Date(numbers[0] / 10000, numbers[0] / 100 % 100, numbers[0] % 100);
  }
  if (numbers.size() != 3) return std::nullopt;
  if (!era) return widths[0] == 4 ? Date(numbers[0], numbers[1], numbers[2]) : std::nullopt;
  auto date = Date(era->first_year + numbers[0] - 1, numbers[1], numbers[2]);
  if (!date || *date < era->from || *date > era->to) return std::nullopt;
  return date;
}

std::optional<Encoding> ParseEncoding(std::string_view name) {
  if (name == "auto") return Encoding::kAuto;
  if (name == "utf-8" || name == "utf8") return Encoding::kUtf8;
  if (name == "cp932" || name == "shift_jis" || name == "sjis") return Encoding::kCp932;
  return std::nullopt;
}

std::string NeedName(std::string_view code) {
  auto entry = std::find_if(kNeeds.begin(), kNeeds.end(), [&](const NeedEntry& e) { return e.code == code; });
  return std::string(entry != kNeeds.end() ? entry->word : code);
}

ParsedLedger ParseLedger(std::string_view bytes, Encoding encoding, const std::map<std::string, LedgerField>& mapping,
                         const std::string& today) {
  if (bytes.size() > kMaxLedgerBytes) {
    Fail(ErrorCode::kPayloadTooLarge, "file_too_large", fmt::format("a ledger file may be at most {} MiB", kMaxLedgerBytes >> 20), "file");
  }
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos ||
      (bytes.starts_with("\xEF\xBB\xBF") && bytes.substr(3).find_first_not_of(" \t\r\n") == std::string_view::npos)) {
    Fail(ErrorCode::kInvalidArgument, "empty_file", "the file is empty", "file");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    Fail(ErrorCode::kInvalidArgument, "binary_file", "the file is not text (it holds NUL bytes): export the ledger as CSV", "file");
  }
  ParsedLedger out;
  Records records = SplitCsv(Utf8Of(bytes, encoding, out.encoding));
  if (records.size() < 2) Fail(ErrorCode::kInvalidArgument, "header_only", "the file has a header but no records", "file");
  const std::vector<std::string>& headers = records[0];
  std::vector<std::optional<LedgerField>> fields;
  std::set<LedgerField> seen;
  for (const std::string& header : headers) {
    auto mapped = mapping.find(Trim(header));
    std::optional<LedgerField> field = mapped != mapping.end() ? std::optional(mapped->second) : FieldForHeader(header);
    if (field && !seen.insert(*field).second) {
      Fail(ErrorCode::kInvalidArgument, "duplicate_column",
           fmt::format("two columns mean {}: \"{}\" is one of them", FieldName(*field), header), "file");
    }
    if (!field && !Trim(header).empty()) out.unknown_columns.push_back(header);
    fields.push_back(field);
  }
  for (LedgerField required : {LedgerField::kResidentNumber, LedgerField::kName}) {
    if (!seen.contains(required)) {
      Fail(ErrorCode::kInvalidArgument, "missing_column",
           fmt::format("no column for {} (e.g. 住民番号, 氏名); the header is: {}", FieldName(required),
                       fmt::join(headers, ",")),
           "file");
    }
  }
  // Records are read on every core, each on its own; what depends on earlier records (a
  // resident number twice) is checked after, in file order.
  std::vector<ReadRow> read(records.size() - 1);
  auto read_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) read[i] = ReadOne(headers, fields, records[i + 1], static_cast<int>(i + 1), today);
  };
  std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::size_t per_worker = (read.size() + workers - 1) / workers;
  std::vector<std::jthread> threads;
  for (std::size_t begin = per_worker; begin < read.size(); begin += per_worker) {
    threads.emplace_back(read_range, begin, std::min(begin + per_worker, read.size()));
  }
  read_range(0, std::min(per_worker, read.size()));
  threads.clear();  // joins

  std::string number_header = headers[std::find(fields.begin(), fields.end(), LedgerField::kResidentNumber) - fields.begin()];
  std::unordered_set<std::string> numbers;
  numbers.reserve(read.size());
  out.valid.reserve(read.size());
  for (ReadRow& row : read) {
    ++out.rows;
    std::move(row.errors.begin(), row.errors.end(), std::back_inserter(out.errors));
    const std::string& number = row.record.resident_number;
    if (!number.empty() && !numbers.insert(number).second) {
      out.errors.push_back({row.record.row, number_header, "duplicate_resident_number",
                            fmt::format("住民番号 {} が前の行にもあります (twice in the file)", number)});
      continue;
    }
    if (row.errors.empty()) out.valid.push_back(std::move(row.record));
  }
  return out;
}

}  // namespace moyakko::disaster
