#include "emergency/notices.h"

#include <set>

#include <fmt/format.h>

#include "carenet/summary.h"
#include "notify/outbox.h"

namespace moyakko::emergency {
namespace {

// Doctors of the clinic the summary names as the family doctor's, when it is an
// organisation of the person's municipality (the summary keeps the name as written).
std::set<std::int64_t> FamilyDoctorClinicDoctors(store::Session& s, std::int64_t person_id, std::int64_t tenant_id) {
  nlohmann::json entries = carenet::SummaryJson(s, person_id, {auth::Category::kContacts})["family_doctor"];
  std::set<std::int64_t> doctors;
  for (const auto& entry : entries) {
    std::string clinic = entry["data"].value("clinic", "");
    if (clinic.empty()) continue;
    for (const auto& r : s.Query("SELECT u.id FROM users u JOIN organizations o ON o.id = u.organization_id "
                                 "WHERE o.tenant_id = $1 AND o.name = $2 AND u.role = 'doctor' AND u.disabled = 0",
                                 {tenant_id, clinic})) {
      doctors.insert(r.Int(0));
    }
  }
  return doctors;
}

}  // namespace

void SendNotice(store::Session& s, std::int64_t person_id, const Notice& notice, UnixMillis now) {
  std::int64_t tenant = s.QueryOne("SELECT tenant_id FROM persons WHERE id = $1", {person_id})->Int(0);
  std::set<std::int64_t> users = FamilyDoctorClinicDoctors(s, person_id, tenant);
  for (const auto& r : s.Query("SELECT m.user_id FROM care_team_members m JOIN patients pa ON pa.person_id = m.person_id "
                               "AND pa.status = 'active' WHERE m.person_id = $1 AND m.status = 'active'", {person_id})) {
    users.insert(r.Int(0));
  }
  if (notice.to_city) {
    for (const auto& r : s.Query("SELECT id FROM users WHERE tenant_id = $1 AND role = 'city_officer'", {tenant})) {
      users.insert(r.Int(0));
    }
  }
  for (std::int64_t user : users) {
    auto address = s.QueryOne("SELECT np.address FROM notify_preferences np JOIN users u ON u.id = np.user_id "
                              "WHERE np.user_id = $1 AND np.channel = 'email' AND u.disabled = 0", {user});
    if (!address) continue;
    notify::Enqueue(s, {tenant, "email", address->Text(0), notice.subject, notice.body,
                        fmt::format("{}:user:{}", notice.dedup_prefix, user), ""},
                    now);
  }
}

}  // namespace moyakko::emergency
