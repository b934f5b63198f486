#include "carenet/attachments.h"

#include <fmt/format.h>
#include <sodium.h>

#include "carenet/people.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"

namespace moyakko::carenet {
namespace {

std::string DecodeBase64(const std::string& text, const std::string& field) {
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        "\r\n", &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    Fail(ErrorCode::kInvalidArgument, "invalid_base64", fmt::format("{}: not base64", field), field);
  }
  bytes.resize(length);
  return bytes;
}

std::string EncodeBase64(const std::string& bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

}  // namespace

std::vector<NamedFile> ReadAttachments(const nlohmann::json& body, const std::string& member) {
  std::vector<NamedFile> files;
  auto list = body.find(member);
  if (list == body.end() || list->is_null()) return files;
  if (!list->is_array() || list->size() > kMaxAttachmentsPerPost) {
    Fail(ErrorCode::kInvalidArgument, "invalid_attachments",
         fmt::format("{}: up to {} files", member, kMaxAttachmentsPerPost), member);
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    std::string field = fmt::format("{}[{}]", member, i);
    if (!item.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_attachments", field + ": an object", field);
    auto name = item.find("filename");
    std::string filename = name != item.end() && name->is_string() ? name->get<std::string>() : "";
    if (filename.empty() || !IsValidUtf8(filename) || Utf8Length(filename) > 200 ||
        filename.find_first_of("/\\\r\n\"") != std::string::npos) {
      Fail(ErrorCode::kInvalidArgument, "invalid_filename", field + ".filename: a plain file name", field + ".filename");
    }
    auto data = item.find("data");
    if (data == item.end() || !data->is_string()) {
      Fail(ErrorCode::kInvalidArgument, "invalid_base64", field + ".data: the file as base64", field + ".data");
    }
    // Routes with files read the body allowing strings of this size (json_body.h).
    if (data->get_ref<const std::string&>().size() > kMaxAttachmentBytes / 3 * 4 + 8) {
      Fail(ErrorCode::kPayloadTooLarge, "file_too_large",
           fmt::format("{}: a file may be at most {} MiB", field, kMaxAttachmentBytes >> 20), field + ".data");
    }
    std::string bytes = DecodeBase64(data->get<std::string>(), field + ".data");
    files.push_back({std::move(filename), CleanAttachment(bytes, field + ".data")});
  }
  return files;
}

void SaveAttachments(store::Session& s, std::int64_t tenant_id, const std::string& owner_kind, std::int64_t owner_id,
                     const std::vector<NamedFile>& files, std::int64_t by_user, UnixMillis now) {
  for (const auto& f : files) {
    std::int64_t id = s.QueryOne(
        "INSERT INTO attachments (tenant_id, owner_kind, owner_id, filename, media_type, size, sha256, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {tenant_id, owner_kind, owner_id, f.filename, f.file.media_type, static_cast<std::int64_t>(f.file.bytes.size()),
         Sha256Hex(f.file.bytes), by_user, now})->Int(0);
    s.Execute("INSERT INTO attachment_content (attachment_id, base64) VALUES ($1, $2)", {id, EncodeBase64(f.file.bytes)});
  }
}

std::map<std::int64_t, nlohmann::json> AttachmentsOf(store::Session& s, const std::string& owner_kind,
                                                     const std::set<std::int64_t>& owner_ids) {
  std::map<std::int64_t, nlohmann::json> by_owner;
  if (owner_ids.empty()) return by_owner;
  for (const auto& r : s.Query(fmt::format("SELECT id, owner_id, filename, media_type, size FROM attachments "
                                           "WHERE owner_kind = $1 AND owner_id IN ({}) ORDER BY id", IdList(owner_ids)),
                               {owner_kind})) {
    auto& list = by_owner[r.Int(1)];
    if (list.is_null()) list = nlohmann::json::array();
    list.push_back({{"id", r.Int(0)}, {"filename", r.Text(2)}, {"media_type", r.Text(3)}, {"size", r.Int(4)}});
  }
  return by_owner;
}

std::optional<StoredFile> LoadAttachment(store::Session& s, std::int64_t attachment_id) {
  auto row = s.QueryOne("SELECT a.owner_kind, a.owner_id, a.filename, a.media_type, c.base64 FROM attachments a "
                        "JOIN attachment_content c ON c.attachment_id = a.id WHERE a.id = $1", {attachment_id});
  if (!row) return std::nullopt;
  return StoredFile{row->Text(0), row->Int(1), row->Text(2), row->Text(3), DecodeBase64(row->Text(4), "content")};
}

}  // namespace moyakko::carenet
