// The FHIR API as a hospital's system uses it: a client credential, a token, reads and
// searches limited to the patients its organisation cares for and to its scopes, paging,
// $everything and a bulk export — every disclosure audited.
#include <gtest/gtest.h>

#include <sstream>

#include <fmt/format.h>

#include "app/platform.h"
#include "audit/audit_log.h"
#include "auth/clients.h"
#include "auth/password.h"
#include "auth/service.h"
#include "carenet/patients.h"
#include "carenet/summary.h"
#include "common/crypto.h"
#include "integration/test_town.h"
#include "interop/fhir.h"
#include "store/testing.h"

namespace moyakko::testing {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

class FhirTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    town_ = BuildTestTown(test_->db());
    platform_ = std::make_unique<app::Platform>(app::PlatformOptions{.db_url = test_->url(), .web_root = "/nonexistent"});
    // The doctor works at a clinic and registers hanako, leading her care team.
    test_->db().Write([&](store::Session& s) {
      auto seto = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
      s.Execute("INSERT INTO organizations (tenant_id, code, kind, name, created_at) "
                "VALUES ($1, 'seto-clinic', 'clinic', '瀬戸在宅クリニック', 0), ($1, 'other-clinic', 'clinic', '別の診療所', 0)",
                {seto});
      s.Execute("UPDATE users SET organization_id = (SELECT id FROM organizations WHERE code = 'seto-clinic') "
                "WHERE username = 'doctor'");
      auth::Principal doctor{.user_id = town_.users["doctor"], .username = "doctor", .role = auth::Role::kDoctor,
                             .tenant_id = seto, .tenant_code = "seto"};
      carenet::RegisterPatient(s, doctor, town_.persons["hanako"], {"本人", "self", "2026-11-01", "care_team"},
                               std::nullopt, 1000);
      carenet::AddEntry(s, town_.persons["hanako"], "history", {{"condition", "高血圧"}, {"status", "active"}},
                        town_.users["doctor"], 2000);
      carenet::AddEntry(s, town_.persons["hanako"], "allergies", {{"substance", "ペニシリン"}, {"reaction", "発疹"}},
                        town_.users["doctor"], 2000);
    });
  }

  auth::CreatedClient AddClient(const std::string& scopes, std::optional<std::string> organization = "seto-clinic") {
    auth::NewClient client{"seto", organization, "瀬戸中央病院 連携システム", {}};
    std::istringstream words(scopes);
    for (std::string scope; words >> scope;) client.scopes.push_back(scope);
    return auth::AddClient(test_->db(), client, 0);
  }

  http::Response Call(const std::string& method, const std::string& target, const Headers& headers = {},
                      const std::string& body = "") {
    http::Request r{.method = method, .target = target, .body = body, .remote_ip = "127.0.0.1", .request_id = "fhir-test"};
    std::size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.headers = headers;
    r.headers.emplace_back("host", "fhir.test");
    return platform_->router().Dispatch(r);
  }

  http::Response TokenRequest(const std::string& form, const Headers& headers = {}) {
    Headers all = headers;
    all.emplace_back("content-type", "application/x-www-form-urlencoded");
    return Call("POST", "/fhir/r4/auth/token", all, form);
  }

  // A bearer token for the client (form credentials).
  Headers Bearer(const auth::CreatedClient& client) {
    http::Response response = TokenRequest(fmt::format("grant_type=client_credentials&client_id={}&client_secret={}",
                                                       client.client_id, client.secret));
    EXPECT_EQ(response.status, 200) << response.body;
    return {{"authorization", "Bearer " + json::parse(response.body)["access_token"].get<std::string>()}};
  }

  json Get(const std::string& target, const Headers& bearer, int status = 200) {
    http::Response response = Call("GET", target, bearer);
    EXPECT_EQ(response.status, status) << target << ": " << response.body;
    return response.body.empty() ? json() : json::parse(response.body);
  }

  std::string Hanako() { return std::to_string(town_.persons["hanako"]); }

  std::unique_ptr<store::TestDatabase> test_;
  TestTown town_;
  std::unique_ptr<app::Platform> platform_;
};

TEST_P(FhirTest, ClientsTradeTheirSecretForATokenThatOnlyReadsFhir) {
  EXPECT_THROW(AddClient("patient/*.read"), Failure);  // user-context scopes are not granted
  auto client = AddClient("system/Patient.read system/Condition.read");
  http::Response wrong = TokenRequest(fmt::format("grant_type=client_credentials&client_id={}&client_secret=nope",
                                                  client.client_id));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(json::parse(wrong.body)["error"], "invalid_client");
  auto denied = audit::Search(test_->db(), {.action = "auth.client.token", .outcome = "denied"});
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].detail.find(client.secret), std::string::npos);

  http::Response more = TokenRequest(fmt::format("grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
                                                 client.client_id, client.secret, "system%2FObservation.read"));
  EXPECT_EQ(more.status, 400);
  EXPECT_EQ(json::parse(more.body)["error"], "invalid_scope");
  // HTTP Basic, asking for part of its scopes: the token carries only that part.
  std::string basic = "Basic " + Base64Encode(client.client_id + ":" + client.secret);
  http::Response narrow = TokenRequest("grant_type=client_credentials&scope=system%2FPatient.read",
                                       {{"authorization", basic}});
  ASSERT_EQ(narrow.status, 200) << narrow.body;
  json token = json::parse(narrow.body);
  EXPECT_EQ(token["scope"], "system/Patient.read");
  Headers bearer = {{"authorization", "Bearer " + token["access_token"].get<std::string>()}};
  Get("/fhir/r4/Patient", bearer);
  json refused = Get("/fhir/r4/Condition", bearer, 403);
  EXPECT_EQ(refused["resourceType"], "OperationOutcome");
  EXPECT_EQ(refused["issue"][0]["code"], "forbidden");

  // The token opens nothing but FHIR; a user's session opens no FHIR.
  EXPECT_EQ(Call("GET", "/api/v1/persons/" + Hanako(), bearer).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/carenet/patients", bearer).status, 403);
  http::Response anonymous = Call("GET", "/fhir/r4/Patient");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(json::parse(anonymous.body)["resourceType"], "OperationOutcome");
  EXPECT_EQ(Call("GET", "/fhir/r4/Patient", {{"authorization", "Bearer " + std::string(64, 'a')}}).status, 401);

  // Disabled: its live token stops at once and its secret gets no new one.
  ASSERT_TRUE(auth::DisableClient(test_->db(), client.client_id, 0));
  EXPECT_EQ(Call("GET", "/fhir/r4/Patient", bearer).status, 401);
  EXPECT_EQ(TokenRequest("grant_type=client_credentials", {{"authorization", basic}}).status, 401);
}

TEST_P(FhirTest, AClientReadsOnlyThePatientsItsOrganisationCaresFor) {
  Headers clinic = Bearer(AddClient("system/*.read"));
  json patients = Get("/fhir/r4/Patient", clinic);
  ASSERT_EQ(patients["total"], 1) << patients.dump();
  json hanako = patients["entry"][0]["resource"];
  EXPECT_EQ(hanako["id"], Hanako());
  EXPECT_EQ(hanako["name"][0]["family"], "鈴木");
  EXPECT_EQ(hanako["name"][1]["extension"][0]["valueCode"], "SYL");
  EXPECT_EQ(hanako["birthDate"], "1938-04-02");
  EXPECT_EQ(patients["entry"][0]["fullUrl"], "http://fhir.test/fhir/r4/Patient/" + Hanako());

  json conditions = Get("/fhir/r4/Condition?patient=Patient/" + Hanako(), clinic);
  ASSERT_EQ(conditions["total"], 1);
  EXPECT_EQ(conditions["entry"][0]["resource"]["code"]["text"], "高血圧");
  std::string condition_id = conditions["entry"][0]["resource"]["id"];
  EXPECT_EQ(Get("/fhir/r4/Condition/" + condition_id, clinic)["subject"]["reference"], "Patient/" + Hanako());

  // ichiro is no patient of the care network: unreadable, alike whether he exists or not.
  std::string ichiro = std::to_string(town_.persons["ichiro"]);
  EXPECT_EQ(Get("/fhir/r4/Patient/" + ichiro, clinic, 404)["issue"][0]["code"], "not-found");
  EXPECT_EQ(Get("/fhir/r4/Patient/999999", clinic, 404)["issue"][0]["code"], "not-found");
  Get("/fhir/r4/Condition?patient=" + ichiro, clinic, 403);

  // A client of an organisation on nobody's team sees nobody.
  Headers other = Bearer(AddClient("system/*.read", "other-clinic"));
  EXPECT_EQ(Get("/fhir/r4/Patient", other)["total"], 0);
  Get("/fhir/r4/Condition/" + condition_id, other, 404);
  Get("/fhir/r4/Patient/" + Hanako() + "/$everything", other, 403);

  auto reads = audit::Search(test_->db(), {.person_id = town_.persons["hanako"], .action = "fhir.read"});
  std::size_t allowed = 0, refused = 0;
  for (const auto& entry : reads) {
    EXPECT_TRUE(entry.actor_username.starts_with("client:")) << entry.actor_username;
    EXPECT_FALSE(entry.actor_user_id.has_value());
    (entry.outcome == audit::Outcome::kAllowed ? allowed : refused)++;
  }
  EXPECT_EQ(allowed, 3u);  // the Patient search, the Condition search, the Condition read
  EXPECT_EQ(refused, 2u);  // the other clinic's read and $everything
  EXPECT_TRUE(audit::Verify(test_->db()).intact);
}

TEST_P(FhirTest, SearchesPageWithNextLinksAndRejectUnknownParametersWhenStrict) {
  test_->db().Write([&](store::Session& s) {
    for (const char* condition : {"糖尿病", "骨粗鬆症", "心不全"}) {
      carenet::AddEntry(s, town_.persons["hanako"], "history", {{"condition", condition}}, town_.users["doctor"], 3000);
    }
  });
  Headers clinic = Bearer(AddClient("system/*.read"));
  json first = Get("/fhir/r4/Condition?_count=3", clinic);
  EXPECT_EQ(first["total"], 4);
  ASSERT_EQ(first["entry"].size(), 3u);
  std::string next;
  for (const auto& link : first["link"]) {
    if (link["relation"] == "next") next = link["url"];
  }
  ASSERT_EQ(next, "http://fhir.test/fhir/r4/Condition?_count=3&_offset=3");
  json second = Get(next.substr(std::string("http://fhir.test").size()), clinic);
  ASSERT_EQ(second["entry"].size(), 1u);
  for (const auto& link : second["link"]) EXPECT_NE(link["relation"], "next");
  EXPECT_EQ(Get("/fhir/r4/Condition?clinical-status=active", clinic)["total"], 1);

  EXPECT_EQ(Get("/fhir/r4/Condition?_count=abc", clinic, 400)["issue"][0]["code"], "invalid");
  EXPECT_EQ(Get("/fhir/r4/Condition?colour=red", clinic)["total"], 4);  // lenient: ignored
  http::Response strict = Call("GET", "/fhir/r4/Condition?colour=red", {clinic[0], {"prefer", "handling=strict"}});
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(Get("/fhir/r4/Nothing", clinic, 404)["resourceType"], "OperationOutcome");
}

TEST_P(FhirTest, EverythingBringsThePatientsRecordAndWhoCaresForThem) {
  Headers clinic = Bearer(AddClient("system/*.read"));
  json everything = Get("/fhir/r4/Patient/" + Hanako() + "/$everything", clinic);
  std::multiset<std::string> types;
  for (const auto& entry : everything["entry"]) types.insert(entry["resource"]["resourceType"].get<std::string>());
  for (const char* type : {"Patient", "Condition", "AllergyIntolerance", "CareTeam", "Consent", "Practitioner",
                           "Organization"}) {
    EXPECT_EQ(types.count(type), 1u) << type << " in " << everything.dump();
  }
  EXPECT_EQ(types.count("AuditEvent"), 0u);
  // Scopes narrow it.
  Headers narrow = Bearer(AddClient("system/Patient.read system/AllergyIntolerance.read"));
  json partial = Get("/fhir/r4/Patient/" + Hanako() + "/$everything", narrow);
  EXPECT_EQ(partial["total"], 2);
}

TEST_P(FhirTest, BulkExportRunsOnceInTheBackgroundAndOnlyItsClientFetchesIt) {
  auto client = AddClient("system/Patient.read system/Condition.read");
  Headers clinic = Bearer(client);
  EXPECT_EQ(Call("GET", "/fhir/r4/$export", clinic).status, 400);  // not asked asynchronously
  Headers kickoff = clinic;
  kickoff.emplace_back("prefer", "respond-async");
  http::Response queued = Call("GET", "/fhir/r4/Patient/$export?_type=Patient,Condition", kickoff);
  ASSERT_EQ(queued.status, 202) << queued.body;
  std::string status_url;
  for (const auto& [name, value] : queued.headers) {
    if (name == "Content-Location") status_url = value.substr(std::string("http://fhir.test").size());
  }
  ASSERT_FALSE(status_url.empty());
  EXPECT_EQ(Call("GET", status_url, clinic).status, 202);
  EXPECT_EQ(Call("GET", "/fhir/r4/$export?_type=Observation", kickoff).status, 403);  // beyond its scopes

  ASSERT_TRUE(interop::RunNextExport(test_->db(), SystemClock().Now()));
  EXPECT_FALSE(interop::RunNextExport(test_->db(), SystemClock().Now()));  // claimed once
  json manifest = Get(status_url, clinic);
  ASSERT_EQ(manifest["output"].size(), 2u) << manifest.dump();
  for (const auto& file : manifest["output"]) {
    http::Response ndjson = Call("GET", file["url"].get<std::string>().substr(std::string("http://fhir.test").size()), clinic);
    ASSERT_EQ(ndjson.status, 200);
    EXPECT_EQ(ndjson.content_type, "application/fhir+ndjson");
    std::istringstream lines(ndjson.body);
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
      EXPECT_EQ(json::parse(line)["resourceType"], file["type"]);
    }
    EXPECT_EQ(count, file["count"]);
  }
  Headers stranger = Bearer(AddClient("system/*.read"));
  EXPECT_EQ(Call("GET", status_url, stranger).status, 404);
  EXPECT_EQ(Call("DELETE", status_url, clinic).status, 202);
  EXPECT_EQ(Call("GET", status_url, clinic).status, 404);
}

TEST_P(FhirTest, TheCapabilityStatementIsPublic) {
  json capabilities = json::parse(Call("GET", "/fhir/r4/metadata").body);
  EXPECT_EQ(capabilities["resourceType"], "CapabilityStatement");
  EXPECT_EQ(capabilities["fhirVersion"], "4.0.1");
  EXPECT_GE(capabilities["rest"][0]["resource"].size(), 15u);
}

INSTANTIATE_TEST_SUITE_P(Backends, FhirTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
