#pragma once
// The patient summary: care level, medical history, prescriptions, allergies, family doctor,
// next of kin and ACP (人生会議). Each item is an entry whose every change is a new version
// with author and time; nothing is overwritten, removal is a version too. ACP is one entry per
// patient, so its versions are the history of the person's wishes, the newest being current.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::carenet {

// The sections, in display order: care_level history prescriptions allergies family_doctor
// next_of_kin acp.
const std::vector<std::string>& SummarySections();
// The category the policy judges a section by; nullopt for an unknown section.
std::optional<auth::Category> CategoryOf(std::string_view section);

// Checks `data` against the section's fields and returns it normalised (unknown or missing
// required fields, wrong types, bad dates and values out of range → 400 naming "data.<field>").
nlohmann::json ValidateSectionData(std::string_view section, const nlohmann::json& data);

// Each returns the entry as shown in the summary. Revise and Remove are 404 for an entry of
// another patient or section.
nlohmann::json AddEntry(store::Session& s, std::int64_t person_id, std::string_view section,
                        const nlohmann::json& data, std::int64_t author, UnixMillis now);
nlohmann::json ReviseEntry(store::Session& s, std::int64_t person_id, std::string_view section,
                           std::int64_t entry_id, const nlohmann::json& data, std::int64_t author, UnixMillis now);
void RemoveEntry(store::Session& s, std::int64_t person_id, std::string_view section, std::int64_t entry_id,
                 std::int64_t author, UnixMillis now);

// The current entries of the visible sections, and which categories were withheld.
nlohmann::json SummaryJson(store::Session& s, std::int64_t person_id, const std::vector<auth::Category>& visible);
// Every version of the visible sections (or of one), newest first.
nlohmann::json HistoryJson(store::Session& s, std::int64_t person_id, const std::vector<auth::Category>& visible,
                           const std::optional<std::string>& section);

}  // namespace moyakko::carenet
