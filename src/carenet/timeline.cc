#include "carenet/timeline.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "carenet/patients.h"
#include "carenet/people.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "notify/outbox.h"

namespace moyakko::carenet {
namespace {

std::optional<std::string> Instant(const store::Row& r, std::size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return FormatRfc3339(r.Int(i));
}

nlohmann::json OrNull(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

void RequirePost(store::Session& s, std::int64_t person_id, std::int64_t post_id) {
  if (!s.QueryOne("SELECT 1 FROM timeline_posts WHERE id = $1 AND person_id = $2", {post_id, person_id})) {
    Fail(ErrorCode::kNotFound, "no_such_post", "no such post on this timeline");
  }
}

// A new post: the patient's last activity, and one more unread post for every member but
// its author (counted here so that unread badges never count posts).
void Touch(store::Session& s, std::int64_t person_id, std::optional<std::int64_t> author, UnixMillis now) {
  s.Execute("UPDATE patients SET last_post_at = $2 WHERE person_id = $1", {person_id, now});
  s.Execute("UPDATE care_team_members SET unread = unread + 1 WHERE person_id = $1 AND status = 'active' "
            "AND user_id <> $2", {person_id, author.value_or(0)});
}

// The mentioned get an e-mail that says where to look, never what was written: mail is not
// the place for a patient's details.
void NotifyMentioned(store::Session& s, std::int64_t tenant_id, std::int64_t person_id, std::int64_t post_id,
                     const std::vector<std::int64_t>& users, UnixMillis now) {
  for (std::int64_t user : users) {
    auto address = s.QueryOne("SELECT address FROM notify_preferences WHERE user_id = $1 AND channel = 'email'", {user});
    if (!address) continue;
    notify::Enqueue(s,
                    {tenant_id, "email", address->Text(0), "moyakko: 連絡帳でメンションされました",
                     fmt::format("連絡帳の投稿であなたがメンションされました。moyakko にログインして確認してください。\n"
                                 "/carenet/patients/{}#post-{}\n",
                                 person_id, post_id),
                     fmt::format("carenet:mention:{}:{}", post_id, user), ""},
                    now);
  }
}

}  // namespace

NewPost ReadNewPost(const nlohmann::json& body) {
  NewPost post;
  post.body = http::RequiredText(body, "body", kMaxPostChars);
  if (auto it = body.find("important"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) Fail(ErrorCode::kInvalidArgument, "invalid_type", "important must be true or false", "important");
    post.important = it->get<bool>();
  }
  if (auto it = body.find("mentions"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 50) {
      Fail(ErrorCode::kInvalidArgument, "invalid_mentions", "mentions: up to 50 user ids", "mentions");
    }
    for (const auto& id : *it) {
      if (!id.is_number_integer()) Fail(ErrorCode::kInvalidArgument, "invalid_mentions", "mentions: user ids", "mentions");
      post.mentions.push_back(id.get<std::int64_t>());
    }
    std::sort(post.mentions.begin(), post.mentions.end());
    post.mentions.erase(std::unique(post.mentions.begin(), post.mentions.end()), post.mentions.end());
  }
  post.files = ReadAttachments(body);
  return post;
}

PostResult AddPost(store::Session& s, std::int64_t person_id, std::int64_t author, const NewPost& post, UnixMillis now) {
  RequireConsent(s, person_id);
  std::vector<std::int64_t> members = ActiveMembers(s, person_id);
  for (std::int64_t user : post.mentions) {
    if (!std::binary_search(members.begin(), members.end(), user)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_mentions", "mentions: only members of the care team", "mentions");
    }
  }
  std::int64_t tenant = PatientTenant(s, person_id);
  std::int64_t id = s.QueryOne("INSERT INTO timeline_posts (person_id, kind, author_user_id, body, important, created_at) "
                               "VALUES ($1, 'note', $2, $3, $4, $5) RETURNING id",
                               {person_id, author, post.body, std::int64_t{post.important}, now})->Int(0);
  for (std::int64_t user : post.mentions) {
    s.Execute("INSERT INTO timeline_mentions (post_id, user_id) VALUES ($1, $2)", {id, user});
  }
  // The author has read their own post.
  s.Execute("INSERT INTO timeline_reads (post_id, user_id, read_at) VALUES ($1, $2, $3)", {id, author, now});
  SaveAttachments(s, tenant, "timeline_post", id, post.files, author, now);
  NotifyMentioned(s, tenant, person_id, id, post.mentions, now);
  Touch(s, person_id, author, now);
  return {id, members};
}

void EditPost(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t editor,
              const std::string& body, std::optional<bool> important, UnixMillis now) {
  auto row = s.QueryOne("SELECT author_user_id, body, important, COALESCE(edited_at, created_at) FROM timeline_posts "
                        "WHERE id = $1 AND person_id = $2", {post_id, person_id});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_post", "no such post on this timeline");
  if (row->IsNull(0) || row->Int(0) != editor) Fail(ErrorCode::kForbidden, "not_author", "only the author may edit a post");
  if (body.empty() || Utf8Length(body) > kMaxPostChars) {
    Fail(ErrorCode::kInvalidArgument, "invalid_body", fmt::format("body: 1 to {} characters", kMaxPostChars), "body");
  }
  std::int64_t version = s.QueryOne("SELECT COUNT(*) FROM timeline_post_versions WHERE post_id = $1", {post_id})->Int(0) + 1;
  s.Execute("INSERT INTO timeline_post_versions (post_id, version, body, important, editor_user_id, edited_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            {post_id, version, row->Text(1), row->Int(2), editor, row->Int(3)});
  s.Execute("UPDATE timeline_posts SET body = $2, important = $3, edited_at = $4 WHERE id = $1",
            {post_id, body, std::int64_t{important.value_or(row->Int(2) != 0)}, now});
}

PostResult AddComment(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t author,
                      const std::string& body, UnixMillis now) {
  RequireConsent(s, person_id);
  RequirePost(s, person_id, post_id);
  if (body.find_first_not_of(" \t\r\n") == std::string::npos || Utf8Length(body) > kMaxPostChars) {
    Fail(ErrorCode::kInvalidArgument, "invalid_body", fmt::format("body: 1 to {} characters", kMaxPostChars), "body");
  }
  std::int64_t id = s.QueryOne("INSERT INTO timeline_comments (post_id, author_user_id, body, created_at) "
                               "VALUES ($1, $2, $3, $4) RETURNING id", {post_id, author, body, now})->Int(0);
  s.Execute("UPDATE patients SET last_post_at = $2 WHERE person_id = $1", {person_id, now});
  return {id, ActiveMembers(s, person_id)};
}

void MarkRead(store::Session& s, std::int64_t person_id, std::int64_t user_id, const std::vector<std::int64_t>& posts,
              UnixMillis now) {
  std::set<std::int64_t> ids(posts.begin(), posts.end());
  if (ids.empty()) return;
  // Newly read posts of this patient; those that were counted unread (written by others
  // since the member joined) come off the member's count.
  auto fresh = s.Query(fmt::format("SELECT t.id, CASE WHEN t.created_at >= m.accepted_at AND COALESCE(t.author_user_id, 0) <> $2 THEN 1 ELSE 0 END "
                                   "FROM timeline_posts t JOIN care_team_members m ON m.person_id = t.person_id "
                                   "AND m.user_id = $2 WHERE t.person_id = $1 AND t.id IN ({}) AND t.id NOT IN "
                                   "(SELECT post_id FROM timeline_reads WHERE user_id = $2)", IdList(ids)),
                       {person_id, user_id});
  std::int64_t counted = 0;
  for (const auto& r : fresh) {
    s.Execute("INSERT INTO timeline_reads (post_id, user_id, read_at) VALUES ($1, $2, $3)", {r.Int(0), user_id, now});
    counted += r.Int(1) != 0;
  }
  if (counted > 0) {
    s.Execute("UPDATE care_team_members SET unread = CASE WHEN unread > $3 THEN unread - $3 ELSE 0 END "
              "WHERE person_id = $1 AND user_id = $2", {person_id, user_id, counted});
  }
}

std::optional<PostResult> AddSystemPost(store::Session& s, std::int64_t person_id, const std::string& kind,
                                        const std::string& body, bool important, std::optional<std::int64_t> alert_id,
                                        UnixMillis now) {
  if (!s.QueryOne("SELECT 1 FROM patients pa JOIN patient_consents c ON c.person_id = pa.person_id "
                  "AND c.withdrawn_at IS NULL WHERE pa.person_id = $1 AND pa.status = 'active'", {person_id})) {
    return std::nullopt;
  }
  std::int64_t id = s.QueryOne("INSERT INTO timeline_posts (person_id, kind, body, important, alert_id, created_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                               {person_id, kind, body, std::int64_t{important}, store::Opt(alert_id), now})->Int(0);
  Touch(s, person_id, std::nullopt, now);
  return PostResult{id, ActiveMembers(s, person_id)};
}

nlohmann::json TimelinePage(store::Session& s, std::int64_t person_id, std::int64_t viewer,
                            std::optional<std::int64_t> before, int limit) {
  limit = std::clamp(limit, 1, 100);
  auto rows = s.Query("SELECT id, kind, author_user_id, body, important, created_at, edited_at, alert_id "
                      "FROM timeline_posts WHERE person_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
                      {person_id, before.value_or(INT64_MAX), std::int64_t{limit + 1}});
  bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.pop_back();
  std::set<std::int64_t> ids, users;
  for (const auto& r : rows) {
    ids.insert(r.Int(0));
    if (!r.IsNull(2)) users.insert(r.Int(2));
  }
  nlohmann::json posts = nlohmann::json::array();
  if (ids.empty()) return {{"posts", posts}, {"next_before", nullptr}};
  std::string in = IdList(ids);
  auto comments = s.Query(fmt::format("SELECT id, post_id, author_user_id, body, created_at FROM timeline_comments "
                                      "WHERE post_id IN ({}) ORDER BY id", in));
  auto mentions = s.Query(fmt::format("SELECT post_id, user_id FROM timeline_mentions WHERE post_id IN ({})", in));
  auto reads = s.Query(fmt::format("SELECT post_id, user_id, read_at FROM timeline_reads WHERE post_id IN ({}) "
                                   "ORDER BY read_at", in));
  for (const auto& r : comments) users.insert(r.Int(2));
  for (const auto& r : mentions) users.insert(r.Int(1));
  for (const auto& r : reads) users.insert(r.Int(1));
  UserCards cards(s, users);
  auto files = AttachmentsOf(s, "timeline_post", ids);
  std::map<std::int64_t, nlohmann::json> by_post;
  for (const auto& r : rows) {
    std::int64_t id = r.Int(0);
    bool mine = !r.IsNull(2) && r.Int(2) == viewer;
    by_post[id] = {{"id", id},
                   {"kind", r.Text(1)},
                   {"author", cards.Get(r.OptInt(2))},
                   {"body", r.Text(3)},
                   {"important", r.Int(4) != 0},
                   {"created_at", FormatRfc3339(r.Int(5))},
                   {"edited_at", OrNull(Instant(r, 6))},
                   {"alert_id", r.IsNull(7) ? nlohmann::json(nullptr) : nlohmann::json(r.Int(7))},
                   {"attachments", files.count(id) ? files[id] : nlohmann::json::array()},
                   {"mentions", nlohmann::json::array()},
                   {"comments", nlohmann::json::array()},
                   {"read_count", 0},
                   {"read_by_me", false}};
    if (mine) by_post[id]["read_by"] = nlohmann::json::array();
  }
  for (const auto& r : comments) {
    by_post[r.Int(1)]["comments"].push_back({{"id", r.Int(0)}, {"author", cards.Get(r.Int(2))}, {"body", r.Text(3)},
                                             {"created_at", FormatRfc3339(r.Int(4))}});
  }
  for (const auto& r : mentions) by_post[r.Int(0)]["mentions"].push_back(cards.Get(r.Int(1)));
  for (const auto& r : reads) {
    auto& post = by_post[r.Int(0)];
    bool by_author = !post["author"].is_null() && post["author"]["id"] == r.Int(1);
    if (r.Int(1) == viewer) post["read_by_me"] = true;
    if (by_author) continue;  // the author's own reading is not a receipt
    post["read_count"] = post["read_count"].get<std::int64_t>() + 1;
    if (post.contains("read_by")) post["read_by"].push_back({{"user", cards.Get(r.Int(1))}, {"at", FormatRfc3339(r.Int(2))}});
  }
  for (const auto& r : rows) posts.push_back(std::move(by_post[r.Int(0)]));
  return {{"posts", posts}, {"next_before", more ? nlohmann::json(rows.back().Int(0)) : nlohmann::json(nullptr)}};
}

nlohmann::json PostJson(store::Session& s, std::int64_t person_id, std::int64_t post_id, std::int64_t viewer) {
  RequirePost(s, person_id, post_id);
  return TimelinePage(s, person_id, viewer, post_id + 1, 1)["posts"][0];
}

nlohmann::json PostHistory(store::Session& s, std::int64_t person_id, std::int64_t post_id) {
  auto post = s.QueryOne("SELECT body, important, COALESCE(edited_at, created_at), author_user_id FROM timeline_posts "
                         "WHERE id = $1 AND person_id = $2", {post_id, person_id});
  if (!post) Fail(ErrorCode::kNotFound, "no_such_post", "no such post on this timeline");
  auto rows = s.Query("SELECT body, important, edited_at, editor_user_id FROM timeline_post_versions "
                      "WHERE post_id = $1 ORDER BY version DESC", {post_id});
  UserCards cards(s, rows, {3});
  nlohmann::json author = post->IsNull(3) ? nlohmann::json(nullptr) : UserCard(s, post->Int(3));
  nlohmann::json versions = nlohmann::json::array();
  versions.push_back({{"body", post->Text(0)}, {"important", post->Int(1) != 0}, {"edited_at", FormatRfc3339(post->Int(2))},
                      {"editor", author}, {"current", true}});
  for (const auto& r : rows) {
    versions.push_back({{"body", r.Text(0)}, {"important", r.Int(1) != 0}, {"edited_at", FormatRfc3339(r.Int(2))},
                        {"editor", cards.Get(r.OptInt(3))}, {"current", false}});
  }
  return versions;
}

bool AttachmentOfPatient(store::Session& s, std::int64_t person_id, const StoredFile& file) {
  return file.owner_kind == "timeline_post" &&
         s.QueryOne("SELECT 1 FROM timeline_posts WHERE id = $1 AND person_id = $2", {file.owner_id, person_id});
}

}  // namespace moyakko::carenet
