#pragma once
// Collaboration boards (連携プロジェクト・掲示板): spaces across teams and organisations — a
// disaster drill, a regional study group — with members, threads, posts and files. Boards
// are about work, not about one patient; who may enter is decided by auth::DecideBoard.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "carenet/attachments.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::carenet {

// nullopt when there is no such board.
std::optional<auth::BoardContext> LoadBoardContext(store::Session& s, std::int64_t board_id, std::int64_t user_id);

nlohmann::json ListBoards(store::Session& s, std::int64_t user_id);
std::int64_t CreateBoard(store::Session& s, const auth::Principal& owner, const std::string& title,
                         const std::string& description, UnixMillis now);
nlohmann::json BoardJson(store::Session& s, std::int64_t board_id);
void AddBoardMember(store::Session& s, std::int64_t board_id, std::int64_t user_id, UnixMillis now);
void RemoveBoardMember(store::Session& s, std::int64_t board_id, std::int64_t user_id);

std::int64_t CreateThread(store::Session& s, std::int64_t board_id, std::int64_t author, const std::string& title,
                          const std::string& body, const std::vector<NamedFile>& files, UnixMillis now);
// 404 for a thread of another board.
nlohmann::json ThreadJson(store::Session& s, std::int64_t board_id, std::int64_t thread_id);
std::int64_t AddBoardPost(store::Session& s, std::int64_t board_id, std::int64_t thread_id, std::int64_t author,
                          const std::string& body, const std::vector<NamedFile>& files, UnixMillis now);
bool AttachmentOfBoard(store::Session& s, std::int64_t board_id, const StoredFile& file);

}  // namespace moyakko::carenet
