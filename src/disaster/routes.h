#pragma once
// /api/v1/disaster/…: so far the ledger — importing the municipality's register of people
// who need help to evacuate from its CSV file (dry run first), the municipality's own
// header mapping, and the records waiting for review.
#include "common/clock.h"
#include "http/router.h"
#include "store/database.h"

namespace moyakko::disaster {

void AddRoutes(http::Router& router, store::Database& db, const Clock& clock);

}  // namespace moyakko::disaster
