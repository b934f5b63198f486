#pragma once
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"
#include "watch/ingest_writer.h"

namespace moyakko::watch {

// POST /api/v1/ingest (device token), /api/v1/watch/status, households and devices.
// `writer` is the process's one ingest writer, shared with the MQTT listener.
// `commits` is the process's group commit, for the audit rows of frequent reads.
void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, IngestWriter& writer,
               store::GroupCommit& commits);

}  // namespace moyakko::watch
