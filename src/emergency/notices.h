#pragma once
// Who hears of an emergency about a person, by e-mail through the outbox: the active care
// team (its lead is usually the family doctor), the doctors of the clinic the summary names
// as family doctor, and for break-glass also the municipality's city officers. Only users
// who gave an e-mail address; the mail says what happened and where to look, never what the
// sheet holds.
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::emergency {

struct Notice {
  std::string subject, body;
  std::string dedup_prefix;  // "emergency:<grant>:opened": one mail per recipient
  bool to_city = false;
};
void SendNotice(store::Session& s, std::int64_t person_id, const Notice& notice, UnixMillis now);

}  // namespace moyakko::emergency
