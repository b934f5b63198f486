#include "common/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace moyakko {

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    std::size_t extra;
    char32_t min;
    char32_t cp;
    if (c < 0x80) {
      ++p;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1; min = 0x80; cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2; min = 0x800; cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3; min = 0x10000; cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= extra) return false;
    for (std::size_t i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

std::size_t Utf8Length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string SearchKey(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString key = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Removing white space can bring a mark next to its letter again ("ｽ\fﾞ" → "す" U+3099),
  // and lower case can undo NFKC: repeat until the key is NFKC after folding, so that the
  // key of a key is the key (folding NFKC text again changes nothing). One round for
  // ordinary text, a few at most.
  for (int round = 0; round < 4; ++round) {
    icu::UnicodeString normalized = nfkc->normalize(key, status);
    if (U_FAILURE(status)) return std::string(text);
    icu::UnicodeString folded(normalized.length(), 0, 0);  // capacity only
    for (int32_t i = 0; i < normalized.length();) {
      UChar32 c = normalized.char32At(i);
      i += U16_LENGTH(c);
      if (u_isUWhiteSpace(c)) continue;
      // Katakana ァ..ヶ sit exactly 0x60 above their hiragana.
      if (c >= 0x30A1 && c <= 0x30F6) c -= 0x60;
      folded.append(static_cast<UChar32>(u_tolower(c)));
    }
    key = std::move(folded);
    if (nfkc->isNormalized(key, status) && U_SUCCESS(status)) break;
  }
  std::string out;
  key.toUTF8String(out);
  return out;
}

std::string Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  // Runs of characters that need no escape go in whole: most text has none.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

}  // namespace moyakko
