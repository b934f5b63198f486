#pragma once
// The FHIR R4 API at /fhir/r4 for system clients: the CapabilityStatement, SMART discovery
// and the OAuth token endpoint (public), read and search of every type in
// fhir_resources.h, Patient/{id}/$everything and bulk $export — behind Action::kFhirRead,
// errors as OperationOutcome.
#include <string>

#include "common/clock.h"
#include "http/router.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace moyakko::interop {

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits, const Clock& clock,
               const std::string& public_url);

}  // namespace moyakko::interop
