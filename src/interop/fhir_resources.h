#pragma once
// The platform's data as FHIR R4 resources (JSON), one builder per resource type. Where JP
// Core (jpfhir.jp) has a profile the resource names it in meta.profile and follows it
// (Japanese names twice, as written and in kana, marked IDE and SYL); the others are base
// R4. Codes the platform has no standard code for use the code systems "urn:moyakko:codes:…".
// Builders read; they decide nothing: callers have asked the policy point first.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::interop {

// What builders of one patient's resources need.
struct PatientScope {
  std::int64_t person_id = 0;
  std::string time_zone;  // the municipality's, for daily figures
  UnixMillis now = 0;
};

struct ResourceType {
  std::string_view name;
  // Every resource of this type about one patient (types in the Patient compartment) …
  std::vector<nlohmann::json> (*of_patient)(store::Session&, const PatientScope&) = nullptr;
  // … and the patient a resource id of this type belongs to (nullopt: no such resource).
  std::optional<std::int64_t> (*owner)(store::Session&, std::string_view id) = nullptr;
  // Or every resource of this type in a municipality (the directory: not about a patient).
  std::vector<nlohmann::json> (*of_tenant)(store::Session&, std::int64_t tenant_id) = nullptr;
  // In Patient/$everything and exports of patients' data.
  bool in_everything = true;

  bool per_patient() const { return of_patient != nullptr; }
};

// Every type the server reads, in the order of the CapabilityStatement.
const std::vector<ResourceType>& ResourceTypes();
const ResourceType* FindType(std::string_view name);

// The JP Core profile a type follows, or "" for base R4.
std::string_view ProfileOf(std::string_view type);

}  // namespace moyakko::interop
