#pragma once
#include "http/router.h"
#include "store/database.h"

namespace moyakko::registry {

// /api/v1/persons…, /api/v1/organizations
void AddRoutes(http::Router& router, store::Database& db);

}  // namespace moyakko::registry
