#pragma once
// Patients of the care network: registration with a recorded consent to share,
// de-registration, consents, and each patient's care team (invite → accept, remove, lead).
// Who may do what is decided by auth::Decide through the relations added here
// (InstallRelations); these functions only keep the records consistent.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::carenet {

// The municipality of a registered patient (404 not_registered otherwise).
std::int64_t PatientTenant(store::Session& s, std::int64_t person_id);

// Adds the care-team relation source to the policy point (once per process).
void InstallRelations();

struct Consent {
  std::string given_by;      // "本人", "長女 鈴木 恵"
  std::string relationship;  // self | family | guardian
  std::string given_on;      // YYYY-MM-DD
  std::string scope;         // care_team | care_team_and_city
};
// Reads and validates a consent object (400 naming "<prefix><field>", e.g. "consent.given_on").
Consent ReadConsent(const nlohmann::json& object, const std::string& prefix);

// The registering user becomes the team's lead unless `lead` names another staff user.
void RegisterPatient(store::Session& s, const auth::Principal& by, std::int64_t person_id,
                     const Consent& consent, std::optional<std::int64_t> lead, UnixMillis now);
void DeregisterPatient(store::Session& s, std::int64_t person_id, std::int64_t by_user,
                       const std::string& reason, UnixMillis now);
void RecordConsent(store::Session& s, std::int64_t person_id, const Consent& consent,
                   std::int64_t by_user, UnixMillis now);
void WithdrawConsent(store::Session& s, std::int64_t person_id, std::int64_t by_user, UnixMillis now);
// 409 no_consent unless a consent is in force: clinical data is stored only with one.
void RequireConsent(store::Session& s, std::int64_t person_id);

nlohmann::json PatientJson(store::Session& s, const auth::Principal& viewer, std::int64_t person_id);
nlohmann::json ConsentsJson(store::Session& s, std::int64_t person_id);

struct PatientSearch {
  std::string text;  // name, kana, birth date (1940-03-02, 1940/3/2, 19400302) or phone digits
  int limit = 50;
};
// The patients `viewer` may see: their care teams', or the whole tenant's for the register
// roles (policy ListScope).
nlohmann::json ListPatients(store::Session& s, const auth::Principal& viewer, const PatientSearch& search);
// For registering a patient without seeing the register: people of the principal's
// municipality whose name or kana contains `name` and who were born on `birth_date` (at most 5).
nlohmann::json RegisterCandidates(store::Session& s, const auth::Principal& principal, const std::string& name,
                                  const std::string& birth_date);

// Unread timeline posts per patient of the viewer's teams (posts since they joined).
nlohmann::json UnreadJson(store::Session& s, std::int64_t user_id);

// The care team.
void InviteMember(store::Session& s, std::int64_t person_id, std::int64_t user_id, std::int64_t by_user, UnixMillis now);
void AnswerInvitation(store::Session& s, std::int64_t person_id, std::int64_t user_id, bool accept, UnixMillis now);
void RemoveMember(store::Session& s, std::int64_t person_id, std::int64_t user_id, UnixMillis now);
void MakeLead(store::Session& s, std::int64_t person_id, std::int64_t user_id);
nlohmann::json TeamJson(store::Session& s, std::int64_t person_id);
nlohmann::json InvitationsJson(store::Session& s, std::int64_t user_id);
// Active members' user ids (for mentions and live updates).
std::vector<std::int64_t> ActiveMembers(store::Session& s, std::int64_t person_id);

}  // namespace moyakko::carenet
