#include "carenet/boards.h"

#include <set>

#include <fmt/format.h>

#include "carenet/people.h"
#include "common/error.h"

namespace moyakko::carenet {
namespace {

std::int64_t BoardTenant(store::Session& s, std::int64_t board_id) {
  return s.QueryOne("SELECT tenant_id FROM boards WHERE id = $1", {board_id})->Int(0);
}

void RequireThread(store::Session& s, std::int64_t board_id, std::int64_t thread_id) {
  if (!s.QueryOne("SELECT 1 FROM board_threads WHERE id = $1 AND board_id = $2", {thread_id, board_id})) {
    Fail(ErrorCode::kNotFound, "no_such_thread", "no such thread on this board");
  }
}

std::int64_t InsertPost(store::Session& s, std::int64_t board_id, std::int64_t thread_id, std::int64_t author,
                        const std::string& body, const std::vector<NamedFile>& files, UnixMillis now) {
  std::int64_t id = s.QueryOne("INSERT INTO board_posts (thread_id, author_user_id, body, created_at) "
                               "VALUES ($1, $2, $3, $4) RETURNING id", {thread_id, author, body, now})->Int(0);
  SaveAttachments(s, BoardTenant(s, board_id), "board_post", id, files, author, now);
  s.Execute("UPDATE board_threads SET last_post_at = $2 WHERE id = $1", {thread_id, now});
  s.Execute("UPDATE boards SET last_activity_at = $2 WHERE id = $1", {board_id, now});
  return id;
}

}  // namespace

std::optional<auth::BoardContext> LoadBoardContext(store::Session& s, std::int64_t board_id, std::int64_t user_id) {
  auto row = s.QueryOne("SELECT b.tenant_id, m.owner FROM boards b LEFT JOIN board_members m "
                        "ON m.board_id = b.id AND m.user_id = $2 WHERE b.id = $1", {board_id, user_id});
  if (!row) return std::nullopt;
  return auth::BoardContext{row->Int(0), !row->IsNull(1), row->Int(1) != 0};
}

nlohmann::json ListBoards(store::Session& s, std::int64_t user_id) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : s.Query(
           "SELECT b.id, b.title, b.description, b.last_activity_at, "
           "(SELECT COUNT(*) FROM board_members x WHERE x.board_id = b.id), "
           "(SELECT COUNT(*) FROM board_threads t WHERE t.board_id = b.id) "
           "FROM boards b JOIN board_members m ON m.board_id = b.id AND m.user_id = $1 "
           "ORDER BY b.last_activity_at DESC", {user_id})) {
    list.push_back({{"id", r.Int(0)}, {"title", r.Text(1)}, {"description", r.Text(2)},
                    {"last_activity_at", FormatRfc3339(r.Int(3))}, {"members", r.Int(4)}, {"threads", r.Int(5)}});
  }
  return list;
}

std::int64_t CreateBoard(store::Session& s, const auth::Principal& owner, const std::string& title,
                         const std::string& description, UnixMillis now) {
  std::int64_t id = s.QueryOne("INSERT INTO boards (tenant_id, title, description, created_by, created_at, last_activity_at) "
                               "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                               {owner.tenant_id, title, description, owner.user_id, now})->Int(0);
  s.Execute("INSERT INTO board_members (board_id, user_id, owner, added_at) VALUES ($1, $2, 1, $3)", {id, owner.user_id, now});
  return id;
}

nlohmann::json BoardJson(store::Session& s, std::int64_t board_id) {
  auto board = s.QueryOne("SELECT title, description, created_at, last_activity_at FROM boards WHERE id = $1", {board_id});
  auto members = s.Query("SELECT user_id, owner FROM board_members WHERE board_id = $1 ORDER BY owner DESC, added_at", {board_id});
  auto threads = s.Query("SELECT t.id, t.title, t.author_user_id, t.created_at, t.last_post_at, "
                         "(SELECT COUNT(*) FROM board_posts p WHERE p.thread_id = t.id) "
                         "FROM board_threads t WHERE t.board_id = $1 ORDER BY t.last_post_at DESC", {board_id});
  UserCards members_cards(s, members, {0}), thread_cards(s, threads, {2});
  nlohmann::json member_list = nlohmann::json::array(), thread_list = nlohmann::json::array();
  for (const auto& r : members) member_list.push_back({{"user", members_cards.Get(r.Int(0))}, {"owner", r.Int(1) != 0}});
  for (const auto& r : threads) {
    thread_list.push_back({{"id", r.Int(0)}, {"title", r.Text(1)}, {"author", thread_cards.Get(r.Int(2))},
                           {"created_at", FormatRfc3339(r.Int(3))}, {"last_post_at", FormatRfc3339(r.Int(4))},
                           {"posts", r.Int(5)}});
  }
  return {{"board", {{"id", board_id}, {"title", board->Text(0)}, {"description", board->Text(1)},
                     {"created_at", FormatRfc3339(board->Int(2))}, {"last_activity_at", FormatRfc3339(board->Int(3))},
                     {"members", member_list}}},
          {"threads", thread_list}};
}

void AddBoardMember(store::Session& s, std::int64_t board_id, std::int64_t user_id, UnixMillis now) {
  auto user = s.QueryOne("SELECT role, disabled FROM users WHERE id = $1", {user_id});
  auto role = user ? auth::ParseRole(user->Text(0)) : std::nullopt;
  if (!role || !auth::IsStaff(*role) || user->Int(1) != 0) {
    Fail(ErrorCode::kInvalidArgument, "invalid_user", "no such professional", "user");
  }
  if (s.QueryOne("SELECT 1 FROM board_members WHERE board_id = $1 AND user_id = $2", {board_id, user_id})) {
    Fail(ErrorCode::kConflict, "already_member", "already a member of this board");
  }
  s.Execute("INSERT INTO board_members (board_id, user_id, owner, added_at) VALUES ($1, $2, 0, $3)", {board_id, user_id, now});
}

void RemoveBoardMember(store::Session& s, std::int64_t board_id, std::int64_t user_id) {
  auto row = s.QueryOne("SELECT owner FROM board_members WHERE board_id = $1 AND user_id = $2", {board_id, user_id});
  if (!row) Fail(ErrorCode::kNotFound, "not_member", "not a member of this board");
  if (row->Int(0) != 0 &&
      s.QueryOne("SELECT COUNT(*) FROM board_members WHERE board_id = $1 AND owner = 1", {board_id})->Int(0) == 1) {
    Fail(ErrorCode::kConflict, "last_owner", "the last owner of a board cannot leave it");
  }
  s.Execute("DELETE FROM board_members WHERE board_id = $1 AND user_id = $2", {board_id, user_id});
}

std::int64_t CreateThread(store::Session& s, std::int64_t board_id, std::int64_t author, const std::string& title,
                          const std::string& body, const std::vector<NamedFile>& files, UnixMillis now) {
  std::int64_t id = s.QueryOne("INSERT INTO board_threads (board_id, title, author_user_id, created_at, last_post_at) "
                               "VALUES ($1, $2, $3, $4, $4) RETURNING id", {board_id, title, author, now})->Int(0);
  InsertPost(s, board_id, id, author, body, files, now);
  return id;
}

nlohmann::json ThreadJson(store::Session& s, std::int64_t board_id, std::int64_t thread_id) {
  RequireThread(s, board_id, thread_id);
  auto thread = s.QueryOne("SELECT title, author_user_id, created_at FROM board_threads WHERE id = $1", {thread_id});
  auto posts = s.Query("SELECT id, author_user_id, body, created_at FROM board_posts WHERE thread_id = $1 ORDER BY id",
                       {thread_id});
  std::set<std::int64_t> users{thread->Int(1)}, ids;
  for (const auto& r : posts) {
    users.insert(r.Int(1));
    ids.insert(r.Int(0));
  }
  UserCards cards(s, users);
  auto files = AttachmentsOf(s, "board_post", ids);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : posts) {
    list.push_back({{"id", r.Int(0)}, {"author", cards.Get(r.Int(1))}, {"body", r.Text(2)},
                    {"created_at", FormatRfc3339(r.Int(3))},
                    {"attachments", files.count(r.Int(0)) ? files[r.Int(0)] : nlohmann::json::array()}});
  }
  return {{"thread", {{"id", thread_id}, {"title", thread->Text(0)}, {"author", cards.Get(thread->Int(1))},
                      {"created_at", FormatRfc3339(thread->Int(2))}}},
          {"posts", list}};
}

std::int64_t AddBoardPost(store::Session& s, std::int64_t board_id, std::int64_t thread_id, std::int64_t author,
                          const std::string& body, const std::vector<NamedFile>& files, UnixMillis now) {
  RequireThread(s, board_id, thread_id);
  return InsertPost(s, board_id, thread_id, author, body, files, now);
}

bool AttachmentOfBoard(store::Session& s, std::int64_t board_id, const StoredFile& file) {
  return file.owner_kind == "board_post" &&
         s.QueryOne("SELECT 1 FROM board_posts p JOIN board_threads t ON t.id = p.thread_id "
                    "WHERE p.id = $1 AND t.board_id = $2", {file.owner_id, board_id});
}

}  // namespace moyakko::carenet
