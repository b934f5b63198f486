#pragma once
// The disaster part in the demo town: Seto's ledger of people who need help to evacuate —
// its elderly residents and the two children with medical care needs, a quarter of them
// without consent to share — brought in through the real import, and an earthquake drill
// declared seven hours ago: checklists partly done, a log, safety confirmations posted by the
// city, the call centre and a visiting nurse over the hours since, the shelters opened, a
// nursing station's status and a broadcast's call list half worked.
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::demo {

struct DisasterDemo {
  int ledger_entries = 0, safety_posts = 0;
};

// Needs the care network (teams) in place.
DisasterDemo AddDisasterDrill(store::Database& db, UnixMillis now);

}  // namespace moyakko::demo
