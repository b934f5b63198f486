#pragma once
// The directory of organisations (clinics, pharmacies, visiting nursing, care management, the
// city…) and professionals: kind, address, phones, hours and what they offer. Searchable by
// name, kana and address, tolerant of width and kana (common/text.h SearchKey).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace moyakko::carenet {

// home_visits 24h terminal_care pediatric dementia rehabilitation dental_visits
// medication_delivery short_stay day_care
const std::vector<std::string>& ServiceVocabulary();

struct DirectoryQuery {
  std::string text;
  std::string kind;          // organisations: clinic, pharmacy, …; professionals: role
  std::string service;       // organisations only
  std::string organization;  // professionals only: organisation code
};

nlohmann::json SearchOrganizations(store::Session& s, const DirectoryQuery& query);
// 404 for an unknown code.
nlohmann::json OrganizationJson(store::Session& s, const std::string& code);
// Changes phone, fax, address, hours, services, note (whichever `body` has) of an
// organisation of `tenant_id` (404 for any other); 400 naming the field.
void UpdateOrganization(store::Session& s, std::int64_t tenant_id, const std::string& code, const nlohmann::json& body);
nlohmann::json SearchProfessionals(store::Session& s, const DirectoryQuery& query);

}  // namespace moyakko::carenet
