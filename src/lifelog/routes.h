#pragma once
// /api/v1/lifelog/…: ここのーと — the people one records for, templates, life records
// (idempotent writes from phones that may have been offline), their history and comments,
// daily figures for charts and photos. Times are judged at `clock`.
#include "common/clock.h"
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace moyakko::lifelog {

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits, http::EventHub& events,
               const Clock& clock);

}  // namespace moyakko::lifelog
