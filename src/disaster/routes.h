#pragma once
// /api/v1/disaster/…: the ledger — importing the municipality's register of people who need
// help to evacuate from its CSV file (dry run first), the municipality's own header
// mapping, the records waiting for review — and disaster events: declaring them, their
// timeline, checklists and log, the people on the map with their safety status, safety
// posts, the city's report and its CSV.
#include <string>

#include "common/clock.h"
#include "http/events.h"
#include "http/router.h"
#include "store/database.h"

namespace moyakko::disaster {

// The map's background tiles, an operator's setting ("" = none: a plain background).
struct MapTiles {
  std::string url = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png";
  std::string attribution = "国土地理院";
};

void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, const Clock& clock,
               MapTiles tiles = {});

}  // namespace moyakko::disaster
