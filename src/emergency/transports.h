#pragma once
// The transport record: when the paramedics left, for which hospital, in what condition.
// The care team sees it on the person's timeline and is told by e-mail; a hospital chosen
// from the directory may read the emergency sheet for a day (grants.h).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "carenet/timeline.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::emergency {

struct NewTransport {
  UnixMillis departed_at = 0;
  std::optional<std::string> hospital;  // organisation code in the directory
  std::string hospital_name;            // required without a code; the organisation's name with one
  std::string condition;
};
// Reads and checks a transport (400 naming the field); departed_at defaults to `now`.
NewTransport ReadNewTransport(const nlohmann::json& body, UnixMillis now);

struct RecordedTransport {
  nlohmann::json transport;
  std::optional<carenet::PostResult> post;  // the timeline post, to tell the care team live
};
// Records a transport under the paramedic's live grant (403 no_grant without one).
RecordedTransport RecordTransport(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                                  NewTransport transport, const std::string& request_id, UnixMillis now);

// The person's transports, newest first.
nlohmann::json TransportsJson(store::Session& s, std::int64_t person_id);

}  // namespace moyakko::emergency
