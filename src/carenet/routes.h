#pragma once
#include "carenet/timeline.h"
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace moyakko::carenet {

// /api/v1/carenet/… (patients, consents, summary, care team, timeline, boards) and
// /api/v1/directory/…. Installs the care-team relation source of the policy point and the
// link that puts watch-over alert steps on the timeline.
// `commits` is the process's group commit, shared by the audit records of reads.
void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, store::GroupCommit& commits);

// Tells the members in `result` live that the patient's timeline has a new post.
void PublishPost(http::EventHub& events, std::int64_t person_id, const PostResult& result);

}  // namespace moyakko::carenet
