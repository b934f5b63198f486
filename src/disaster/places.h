#pragma once
// Places on the disaster map: the municipality's evacuation shelters (capacity, what they
// offer — power for home oxygen, wheelchair access, a welfare shelter) with their opening and
// occupancy during an event, and the care facilities of the directory (clinics, hospitals,
// pharmacies, nursing and care services) with the damage and recovery status their own staff
// report. Reports belong to an event, so a drill's never show in a real one.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "carenet/attachments.h"
#include "disaster/events.h"
#include "store/database.h"

namespace moyakko::disaster {

struct NewShelter {
  std::string name, address, district;
  std::optional<double> lat, lon;
  int capacity = 0;
  std::vector<std::string> accessibility;  // e.g. power, wheelchair, welfare, oxygen, pets
};
// 400 invalid_name, invalid_capacity, invalid_position, invalid_accessibility (from ParseShelter).
NewShelter ParseShelter(const nlohmann::json& body);
// 409 shelter_exists (the same name in the municipality).
nlohmann::json AddShelter(store::Session& s, std::int64_t tenant_id, const NewShelter& shelter, UnixMillis now);
nlohmann::json SheltersJson(store::Session& s, std::int64_t tenant_id);

// {"shelters":[… with "report"],"facilities":[… with "report"]}: the latest report of each
// during the event (null when none).
nlohmann::json PlacesJson(store::Session& s, const Event& event);

struct ShelterReport {
  bool open = false;
  int occupancy = 0;
  std::string message;
};
ShelterReport ParseShelterReport(const nlohmann::json& body);  // 400 invalid_open, invalid_occupancy, invalid_message
// 404 no_such_shelter; 409 event_ended.
nlohmann::json ReportShelter(store::Session& s, const auth::Principal& principal, const Event& event,
                             std::int64_t shelter_id, const ShelterReport& report, UnixMillis now);

inline constexpr const char* kFacilityStatuses[] = {"open", "partly", "closed"};
struct FacilityReport {
  std::string status;
  std::vector<std::string> services;  // what it offers now, as the staff word it
  std::string message;
  std::vector<carenet::NamedFile> photos;  // of the damage, up to 4 (location removed)
};
// 400 invalid_status, invalid_services, invalid_message, and the photos' 400/413 (photos[i]).
FacilityReport ParseFacilityReport(const nlohmann::json& body);
// The organisation's tenant, for the policy (auth::DecideFacility); 404 no_such_facility
// unless it is a care facility of the event's municipality.
std::int64_t FacilityTenant(store::Session& s, const Event& event, std::int64_t organization_id);
// A photo of a facility's report in the event; nullopt unless it is one.
std::optional<carenet::StoredFile> FacilityPhoto(store::Session& s, const Event& event, std::int64_t organization_id,
                                                 std::int64_t photo_id);
// 409 event_ended.
nlohmann::json ReportFacility(store::Session& s, const auth::Principal& principal, const Event& event,
                              std::int64_t organization_id, const FacilityReport& report, UnixMillis now);

}  // namespace moyakko::disaster
