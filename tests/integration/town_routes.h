#pragma once
// The test town served by a Platform in-process, once per backend: requests go straight to
// the router, as the server would hand them over.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/platform.h"
#include "integration/test_town.h"
#include "store/testing.h"

namespace moyakko::testing {

class TownRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  struct Session {
    std::string cookie, csrf;
    std::string ip = "127.0.0.1";  // where the user's requests come from
  };

  void SetUp() override;

  // Logs `username` in with the town's password and the current code (from `ip`: the login
  // throttle counts per address), from a browser that sends `cookie` already (none by default).
  Session Login(const std::string& username, const std::string& ip = "127.0.0.1", const std::string& cookie = "");
  // Without a session, or with one (and its CSRF token unless `with_csrf` is false).
  http::Response Call(const std::string& method, const std::string& target, const Session* session = nullptr,
                      const std::string& body = "", bool with_csrf = true);

  std::unique_ptr<store::TestDatabase> test_;
  TestTown town_;
  std::unique_ptr<app::Platform> platform_;
};

}  // namespace moyakko::testing
