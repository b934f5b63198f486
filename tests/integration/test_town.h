#pragma once
// A tiny town for integration tests: tenants seto and owariasahi, one organisation, three
// persons, and users of several roles who all share one password and TOTP secret.
#include <cstdint>
#include <map>
#include <string>

#include "store/database.h"

namespace moyakko::testing {

inline constexpr char kPassword[] = "test-password-1";
inline constexpr char kTotpSecret[] = "JBSWY3DPEHPK3PXP";

struct TestTown {
  // username → id: admin, doctor, family, officer, other_admin, nurse, other_doctor, local_family,
  // paramedic
  std::map<std::string, std::int64_t> users;
  std::map<std::string, std::int64_t> persons;  // hanako (seto, linked to family), ichiro (seto), jiro (owariasahi)
};

TestTown BuildTestTown(store::Database& db);

}  // namespace moyakko::testing
