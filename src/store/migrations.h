#pragma once
// Numbered schema migrations, applied in order, each in its own transaction, recorded in
// schema_migrations. Safe to run from several nodes at once (PostgreSQL advisory lock).
#include "store/database.h"

namespace moyakko::store {

// Returns the number of migrations applied now (0 when the schema was current).
int Migrate(Database& db);
int LatestSchemaVersion();

}  // namespace moyakko::store
