#pragma once
// Files people attach (photos of a wound, a PDF of a care plan): the type is read from the
// content, never from the name or a claimed type, and photos lose what would tell where they
// were taken (EXIF GPS and maker notes, XMP, IPTC, comments; orientation and the rest of EXIF
// stay, so photos still show upright). Pure functions.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace moyakko::carenet {

inline constexpr std::size_t kMaxAttachmentBytes = 10 << 20;
inline constexpr std::size_t kMaxAttachmentsPerPost = 4;

// "image/jpeg", "image/png" or "application/pdf" by content; nullopt for anything else.
std::optional<std::string> DetectMediaType(std::string_view bytes);

struct CleanFile {
  std::string media_type;
  std::string bytes;
};
// Checks type and structure and removes location metadata. Throws Failure 400
// unsupported_type (not JPEG/PNG/PDF, or a broken one) naming `field`, 413 for too large.
CleanFile CleanAttachment(std::string_view bytes, const std::string& field);

// The parts, exposed for tests. Both throw Failure 400 on a malformed file.
std::string StripJpegMetadata(std::string_view jpeg);
std::string StripPngMetadata(std::string_view png);

}  // namespace moyakko::carenet
