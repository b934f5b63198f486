#pragma once
// Attachments of timeline posts and board posts, stored in the database with their post (one
// transaction: a post is never half-saved, one backup holds everything, and every node of a
// scale-out serves them). Bytes are kept base64-encoded in attachment_content, apart from the
// metadata, so that pages of posts never read them.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "carenet/media.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::carenet {

// Four files of 10 MiB as base64 in one JSON body, with room for the text: the body limit of
// routes that take files, and the longest string they read (ReadAttachments answers 413 per file).
inline constexpr std::size_t kMaxFilesBodyBytes =
    kMaxAttachmentsPerPost * (kMaxAttachmentBytes / 3 * 4 + 8) + (1 << 20);

struct NamedFile {
  std::string filename;
  CleanFile file;
};

// Reads "attachments":[{"filename","data":<base64>}…] (or the list named `member`) from a
// request body (optional; up to kMaxAttachmentsPerPost), checking and cleaning each file:
// 400/413 naming <member>[i].
std::vector<NamedFile> ReadAttachments(const nlohmann::json& body, const std::string& member = "attachments");

void SaveAttachments(store::Session& s, std::int64_t tenant_id, const std::string& owner_kind, std::int64_t owner_id,
                     const std::vector<NamedFile>& files, std::int64_t by_user, UnixMillis now);
// owner id → [{"id","filename","media_type","size"}…]
std::map<std::int64_t, nlohmann::json> AttachmentsOf(store::Session& s, const std::string& owner_kind,
                                                     const std::set<std::int64_t>& owner_ids);

struct StoredFile {
  std::string owner_kind;
  std::int64_t owner_id = 0;
  std::string filename, media_type, bytes;
};
std::optional<StoredFile> LoadAttachment(store::Session& s, std::int64_t attachment_id);

}  // namespace moyakko::carenet
