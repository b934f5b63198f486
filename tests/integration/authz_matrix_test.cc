// The authorization matrix: every guarded route, called by a user of every role, about people
// in each relation to them, against the outcomes written down in authz_matrix.txt. A change of
// who may do what shows up as a difference here, to be made on purpose by rewriting the file:
//   MOYAKKO_WRITE_AUTHZ_MATRIX=1 build/tests/integration/authz_matrix_test --gtest_filter='*/0'
// and reading the diff.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/password.h"
#include "auth/service.h"
#include "integration/town_routes.h"

namespace moyakko::testing {
namespace {

constexpr char kMatrixFile[] = MOYAKKO_TEST_SOURCE "/authz_matrix.txt";
constexpr std::int64_t kMissing = 999999;  // an id nothing has: the route must still refuse by role first

// The people a person route is called about, in this order: hanako is on the doctor's care team
// and the family user's relative; ichiro lives in the same municipality with no relation to
// anyone; jiro lives in another municipality.
const std::vector<std::string> kPeople = {"hanako", "ichiro", "jiro"};

// Routes that end what later calls need (the care team, the event, at last the session) are
// called after all others, in this order.
int Stage(const http::Route& route) {
  const std::vector<std::string> last = {"/team/decline", "/consents/withdraw", "/deregister", "/end", "/auth/logout"};
  for (std::size_t i = 0; i < last.size(); ++i) {
    if (route.pattern.ends_with(last[i])) return static_cast<int>(i + 1);
  }
  return 0;
}
constexpr int kLastStage = 5;

bool NamesAPerson(const std::string& pattern) {
  for (const char* part : {"/persons/{id}", "/patients/{id}", "/people/{person}", "/Patient/{id}"}) {
    if (pattern.find(part) != std::string::npos) return true;
  }
  return false;
}

// What a response says of the policy: D refused by it (403 forbidden), O refused by a rule of
// the thing asked for (another 403: only a record's author edits it, a sheet needs a grant
// first), N not found or not shown (404), U no session (401), B the request itself refused
// (another 4xx: most routes check their input before the person), A done (2xx).
char Outcome(const http::Response& response) {
  switch (response.status) {
    case 403: {
      // The error's code: {"error":{"code"}}, or under /fhir an OperationOutcome's details.
      auto body = nlohmann::json::parse(response.body, nullptr, false);
      nlohmann::json::json_pointer at(body.contains("issue") ? "/issue/0/details/coding/0/code" : "/error/code");
      bool policy = body.is_object() && body.contains(at) && body[at] == "forbidden";
      return policy ? 'D' : 'O';
    }
    case 404: return 'N';
    case 401: return 'U';
    default: return response.status < 400 ? 'A' : 'B';
  }
}

class AuthzMatrixTest : public TownRoutesTest {
 protected:
  void SetUp() override {
    TownRoutesTest::SetUp();
    if (IsSkipped()) return;
    SystemClock clock;
    auth::AuthService auth(test_->db(), clock);
    std::string hash = auth::HashPassword(kPassword);
    for (auth::Role role : auth::AllRoles()) {
      std::string name = fmt::format("as_{}", auth::ToString(role));
      auth.AddUser({.tenant_code = "seto", .username = name, .role = role, .password_hash = hash, .totp_secret = kTotpSecret},
                   nullptr, "test");
      roles_.emplace_back(auth::ToString(role));
      usernames_.push_back(name);
      sessions_.push_back(Login(name, fmt::format("10.0.{}.1", sessions_.size())));
    }
    // hanako becomes the doctor's patient and the family user's relative.
    const Session& doctor = sessions_[RoleIndex("doctor")];
    nlohmann::json registration = {{"person", town_.persons["hanako"]},
                                   {"consent", {{"given_by", "本人"}, {"relationship", "self"}, {"given_on", "2026-11-01"}}}};
    ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
    test_->db().Write([&](store::Session& s) {
      s.Execute("INSERT INTO family_links (user_id, person_id, relationship, created_at) "
                "SELECT id, $1, '長女', 0 FROM users WHERE username = 'as_family'",
                {town_.persons["hanako"]});
    });
    http::Response event = Call("POST", "/api/v1/disaster/events", &sessions_[RoleIndex("admin")],
                                R"({"kind":"earthquake","title":"訓練","drill":true})");
    ASSERT_EQ(event.status, 201) << event.body;
    event_ = nlohmann::json::parse(event.body)["id"].get<std::int64_t>();
    // One body that passes the input checks of as many routes as it can, so that what refuses
    // is the policy.
    body_ = nlohmann::json{{"user", town_.users["doctor"]}, {"body", "訪問しました"}, {"title", "t"}, {"reason", "r"},
                           {"data", {{"condition", "高血圧"}}}, {"given_by", "本人"}, {"relationship", "self"},
                           {"given_on", "2026-11-01"}, {"hospital_name", "幡山みなみ病院"}, {"condition", "転倒"},
                           {"label", "blue"}, {"note", "無事"}, {"location", "home"}, {"values", nlohmann::json::object()},
                           {"local_date", "2026-11-26"}, {"posts", {1}}}
                .dump();
  }

  std::size_t RoleIndex(const std::string& role) const {
    return static_cast<std::size_t>(std::find(roles_.begin(), roles_.end(), role) - roles_.begin());
  }

  // The route's path about `person` (or about no one), every other placeholder filled.
  std::string Target(const std::string& pattern, const std::string& person) {
    std::string path = pattern;
    auto fill = [&](const std::string& name, const std::string& value) {
      for (auto at = path.find(name); at != std::string::npos; at = path.find(name)) path.replace(at, name.size(), value);
    };
    std::string person_id = person.empty() ? std::to_string(kMissing) : std::to_string(town_.persons[person]);
    fill("{person}", person_id);
    fill("{id}", NamesAPerson(pattern) ? person_id
                 : pattern.starts_with("/api/v1/disaster/events/") ? std::to_string(event_)
                                                                    : std::to_string(kMissing));
    fill("{section}", "history");
    fill("{type}", "Patient");
    fill("{code}", "seto-city");
    fill("{client_id}", "matrix-record-1");
    for (auto at = path.find('{'); at != std::string::npos; at = path.find('{')) {
      path.replace(at, path.find('}', at) - at + 1, std::to_string(kMissing));
    }
    return path;
  }

  // One cell: the outcome of `login` at `route` about each person (or once), each refusal
  // checked in the audit log.
  std::string Cell(const std::string& username, const Session& session, const http::Route& route) {
    std::vector<std::string> people = NamesAPerson(route.pattern) ? kPeople : std::vector<std::string>{""};
    std::string cell;
    for (const std::string& person : people) {
      auto denials = [&] {
        return audit::Search(test_->db(), {.actor = username, .outcome = "denied", .limit = 1000000}).size();
      };
      std::size_t before = denials();
      http::Response response = Call(route.method, Target(route.pattern, person), &session, body_);
      char outcome = Outcome(response);
      if (outcome == 'D' || outcome == 'O') {
        EXPECT_GT(denials(), before) << username << " " << route.method << " " << route.pattern << " " << person
                                     << ": refused without an audit record";
      }
      cell += outcome;
    }
    return cell;
  }

  std::vector<std::string> roles_, usernames_;  // a user of each role
  std::vector<Session> sessions_;
  std::int64_t event_ = 0;
  std::string body_;
};

TEST_P(AuthzMatrixTest, EveryRouteEveryRoleEveryRelationIsAsWrittenDown) {
  std::vector<const http::Route*> routes;
  for (int stage = 0; stage <= kLastStage; ++stage) {
    for (const http::Route& route : platform_->router().routes()) {
      if (!route.access.is_public && Stage(route) == stage) routes.push_back(&route);
    }
  }
  std::map<std::string, std::string> observed;  // "METHOD pattern" → cells
  for (const http::Route* route : routes) {
    std::string cells;
    for (std::size_t i = 0; i < sessions_.size(); ++i) {
      cells += (cells.empty() ? "" : " ") + Cell(usernames_[i], sessions_[i], *route);
    }
    observed[route->method + " " + route->pattern] = cells;
  }

  std::ostringstream text;
  text << "# Written by authz_matrix_test (see its first lines); one line per guarded route.\n"
          "# A column per role, in this order: " << fmt::format("{}", fmt::join(roles_, " ")) << "\n"
          "# Routes about a person have a letter per person: hanako (the doctor's patient, the family\n"
          "# user's relative), ichiro (same municipality, no relation), jiro (another municipality).\n"
          "# D refused by the policy (403, audited)  O refused by a rule of the thing (another 403, audited)\n"
          "# N not found or not shown (404)  U no session (401)\n"
          "# B the request itself refused (another 4xx: most routes check their input first)  A done (2xx)\n"
          "# Ids other than people's are of nothing (999999), except the drill's.\n";
  for (const auto& [route, cells] : observed) text << route << "\t" << cells << "\n";
  if (std::getenv("MOYAKKO_WRITE_AUTHZ_MATRIX")) {
    std::ofstream(kMatrixFile) << text.str();
    GTEST_SKIP() << "wrote " << kMatrixFile;
  }
  std::ifstream in(kMatrixFile);
  ASSERT_TRUE(in) << kMatrixFile << " is missing";
  std::map<std::string, std::string> expected;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  for (const auto& [route, cells] : observed) {
    auto written = expected.find(route);
    if (written == expected.end()) {
      ADD_FAILURE() << route << " is not in " << kMatrixFile << ": decide who may call it (observed: " << cells << ")";
      continue;
    }
    EXPECT_EQ(cells, written->second) << route << "\n  roles: " << fmt::format("{}", fmt::join(roles_, " "));
  }
  for (const auto& [route, cells] : expected) {
    EXPECT_TRUE(observed.contains(route)) << route << " is in " << kMatrixFile << " but no longer a route";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthzMatrixTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
