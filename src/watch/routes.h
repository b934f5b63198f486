#pragma once
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"

namespace moyakko::watch {

// POST /api/v1/ingest (device token), /api/v1/watch/status, households and devices.
void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events);

}  // namespace moyakko::watch
