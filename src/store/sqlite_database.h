#pragma once
#include <memory>
#include <string>

#include "store/database.h"

namespace moyakko::store {

// WAL, synchronous=FULL, foreign keys on, busy timeout 5 s; one writer at a time.
std::unique_ptr<Database> OpenSqlite(const std::string& path, const OpenOptions& options);
// "$12" → "?12"; leaves quoted text alone.
std::string SqlitePlaceholders(std::string_view sql);

}  // namespace moyakko::store
