#pragma once
// The care team's timeline (連絡帳) of one patient: posts with files, an importance flag and
// mentions, comments, read receipts and edit history. Watch-over alerts of the person appear
// as posts of kind "watch_alert" written by the system (AddAlertPost).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "carenet/attachments.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::carenet {

inline constexpr std::size_t kMaxPostChars = 10000;

struct NewPost {
  std::string body;
  bool important = false;
  std::vector<std::int64_t> mentions;  // user ids; each must be an active team member
  std::vector<NamedFile> files;
};
// Reads and checks a post from a request body (400 naming the field).
NewPost ReadNewPost(const nlohmann::json& body);

struct PostResult {
  std::int64_t post_id = 0;
  std::vector<std::int64_t> notify_users;  // who should get a live update
};

// Stores a post of `author` on the patient's timeline (consent must be in force), notifies
// those mentioned through the outbox.
PostResult AddPost(store::Session& s, std::int64_t person_id, std::int64_t author, const NewPost& post, UnixMillis now);
// A new text for the author's own post; the previous text stays in the edit history.
// `important` nullopt keeps the flag as it is.
void EditPost(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t editor,
              const std::string& body, std::optional<bool> important, UnixMillis now);
PostResult AddComment(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t author,
                      const std::string& body, UnixMillis now);
// Marks the viewer's reading of posts of this patient; ids of other patients are ignored.
void MarkRead(store::Session& s, std::int64_t person_id, std::int64_t user_id, const std::vector<std::int64_t>& posts,
              UnixMillis now);
// A post written by the system (no author), e.g. a watch-over alert step. Nothing if the
// person is not a registered patient with a consent in force.
std::optional<PostResult> AddSystemPost(store::Session& s, std::int64_t person_id, const std::string& kind,
                                        const std::string& body, bool important, std::optional<std::int64_t> alert_id,
                                        UnixMillis now);

// Newest first, `limit` posts with ids below `before` (all when nullopt).
nlohmann::json TimelinePage(store::Session& s, std::int64_t person_id, std::int64_t viewer,
                            std::optional<std::int64_t> before, int limit);
nlohmann::json PostJson(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t viewer);
nlohmann::json PostHistory(store::Session& s, std::int64_t person_id, std::int64_t post_id);
// Whether the attachment belongs to a post of this patient.
bool AttachmentOfPatient(store::Session& s, std::int64_t person_id, const StoredFile& file);

}  // namespace moyakko::carenet
