#pragma once
#include <string>

#include "common/clock.h"
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"

namespace moyakko::emergency {

// /api/v1/emergency/… (find, break-glass grants, the sheet, transports, fridge kits, review,
// settings). Installs the grant relation source of the policy point, judged at `clock`.
// `public_url` ("https://moyakko.example.jp") is where kit QR codes point; without it, the
// Host the request came to.
void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, const Clock& clock,
               std::string public_url);

}  // namespace moyakko::emergency
