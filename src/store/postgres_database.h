#pragma once
#include <memory>
#include <string>

#include "store/database.h"

namespace moyakko::store {

// A pool of libpq connections; a broken connection is reset on next use, and while the
// server is unreachable every call fails with kUnavailable (503) instead of crashing.
std::unique_ptr<Database> OpenPostgres(const std::string& url, const OpenOptions& options);

}  // namespace moyakko::store
