#pragma once
// The demo town's care network: ten Seto residents registered as patients with consent, their
// care teams (dr.kato and ns.suzuki among them), summaries, a few days of timeline, an open
// invitation, two collaboration boards, and what the organisations offer.
#include <string>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::demo {

struct CareNetworkDemo {
  int patients = 0, posts = 0;
};

CareNetworkDemo AddCareNetwork(store::Database& db, UnixMillis now);

// The demo user `username` as a principal (id, tenant, role).
auth::Principal PrincipalOf(store::Session& s, const std::string& username);

}  // namespace moyakko::demo
