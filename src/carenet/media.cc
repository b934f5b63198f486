#include "carenet/media.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <libexif/exif-data.h>

#include "common/error.h"

namespace moyakko::carenet {
namespace {

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};
constexpr std::string_view kExifHeader{"Exif\0\0", 6};

[[noreturn]] void Broken(const std::string& what) {
  Fail(ErrorCode::kInvalidArgument, "unsupported_type", what);
}

std::uint32_t BigEndian(std::string_view bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = 0; i < width; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

// The Exif APP1 payload with GPS data and maker notes removed; empty if nothing is left
// that fits in a segment.
std::string CleanExif(std::string_view payload) {
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> exif(
      exif_data_new_from_data(reinterpret_cast<const unsigned char*>(payload.data()),
                              static_cast<unsigned int>(payload.size())),
      &exif_data_unref);
  if (!exif) return {};
  ExifContent* gps = exif->ifd[EXIF_IFD_GPS];
  while (gps && gps->count > 0) exif_content_remove_entry(gps, gps->entries[0]);
  // Maker notes are vendor blobs that may hold a location of their own.
  while (ExifEntry* note = exif_data_get_entry(exif.get(), EXIF_TAG_MAKER_NOTE)) {
    exif_content_remove_entry(note->parent, note);
  }
  unsigned char* saved = nullptr;
  unsigned int size = 0;
  exif_data_save_data(exif.get(), &saved, &size);
  std::unique_ptr<unsigned char, decltype(&std::free)> owner(saved, &std::free);
  if (!saved || size + 2 > 0xFFFF) return {};
  return std::string(reinterpret_cast<const char*>(saved), size);
}

void AppendSegment(std::string& out, unsigned char marker, std::string_view payload) {
  std::size_t length = payload.size() + 2;
  out += '\xFF';
  out += static_cast<char>(marker);
  out += static_cast<char>(length >> 8);
  out += static_cast<char>(length & 0xFF);
  out += payload;
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<std::string> DetectMediaType(std::string_view b) {
  if (b.size() >= 3 && StartsWith(b, "\xFF\xD8\xFF")) return "image/jpeg";
  if (StartsWith(b, kPngSignature)) return "image/png";
  if (StartsWith(b, "%PDF-")) return "application/pdf";
  return std::nullopt;
}

std::string StripJpegMetadata(std::string_view in) {
  if (!StartsWith(in, "\xFF\xD8")) Broken("not a JPEG image");
  std::string out("\xFF\xD8", 2);
  std::size_t at = 2;
  while (true) {
    if (at + 2 > in.size() || static_cast<unsigned char>(in[at]) != 0xFF) Broken("a broken JPEG image");
    while (at < in.size() && static_cast<unsigned char>(in[at]) == 0xFF) ++at;  // fill bytes
    if (at >= in.size()) Broken("a broken JPEG image");
    auto marker = static_cast<unsigned char>(in[at++]);
    if (marker == 0xD9) Broken("a JPEG image without picture data");
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      out += '\xFF';
      out += static_cast<char>(marker);
      continue;
    }
    if (at + 2 > in.size()) Broken("a broken JPEG image");
    std::size_t length = BigEndian(in, at, 2);
    if (length < 2 || at + length > in.size()) Broken("a broken JPEG image");
    std::string_view payload = in.substr(at + 2, length - 2);
    at += length;
    if (marker == 0xDA) {  // start of scan: the picture follows; copy it and the rest as they are
      AppendSegment(out, marker, payload);
      out.append(in.substr(at));
      if (in.size() - at < 2) Broken("a broken JPEG image");
      return out;
    }
    if (marker == 0xE1 && StartsWith(payload, kExifHeader)) {
      std::string exif = CleanExif(payload);
      if (!exif.empty()) AppendSegment(out, marker, exif);
      continue;
    }
    // Other APP1 (XMP), APP13 (IPTC/Photoshop) and comments may carry places and names.
    if (marker == 0xE1 || marker == 0xED || marker == 0xFE) continue;
    AppendSegment(out, marker, payload);
  }
}

std::string StripPngMetadata(std::string_view in) {
  if (!StartsWith(in, kPngSignature)) Broken("not a PNG image");
  std::string out(kPngSignature);
  std::size_t at = kPngSignature.size();
  bool header = false, end = false;
  while (!end) {
    if (at + 12 > in.size()) Broken("a broken PNG image");
    std::size_t length = BigEndian(in, at, 4);
    if (length > in.size() - at - 12) Broken("a broken PNG image");
    std::string_view type = in.substr(at + 4, 4);
    std::string_view chunk = in.substr(at, length + 12);
    at += length + 12;
    if (!header && type != "IHDR") Broken("a broken PNG image");
    header = true;
    end = type == "IEND";
    // eXIf holds EXIF (with GPS); text chunks may hold anything, places included.
    if (type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt") continue;
    out.append(chunk);
  }
  return out;
}

CleanFile CleanAttachment(std::string_view bytes, const std::string& field) {
  if (bytes.size() > kMaxAttachmentBytes) {
    Fail(ErrorCode::kPayloadTooLarge, "file_too_large",
         fmt::format("{}: a file may be at most {} MiB", field, kMaxAttachmentBytes >> 20), field);
  }
  auto type = DetectMediaType(bytes);
  if (!type) {
    Fail(ErrorCode::kInvalidArgument, "unsupported_type", fmt::format("{}: only JPEG, PNG and PDF files", field), field);
  }
  try {
    if (*type == "image/jpeg") return {*type, StripJpegMetadata(bytes)};
    if (*type == "image/png") return {*type, StripPngMetadata(bytes)};
  } catch (const Failure& failure) {
    Fail(ErrorCode::kInvalidArgument, "unsupported_type", fmt::format("{}: {}", field, failure.error().message), field);
  }
  if (bytes.find("%%EOF") == std::string_view::npos) {
    Fail(ErrorCode::kInvalidArgument, "unsupported_type", fmt::format("{}: a broken PDF file", field), field);
  }
  return {*type, std::string(bytes)};
}

}  // namespace moyakko::carenet
