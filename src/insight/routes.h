#pragma once
// /api/v1/insight/…: a household's life-rhythm profile against a cohort (JSON and CSV), the
// cohorts, named groups, and the recorded findings with their discussion.
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace moyakko::insight {

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits);

}  // namespace moyakko::insight
