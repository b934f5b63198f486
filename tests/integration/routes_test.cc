// Every route the server registers, enumerated and proven to pass the policy point.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include "app/platform.h"
#include "audit/audit_log.h"
#include "auth/totp.h"
#include "integration/town_routes.h"
#include "store/testing.h"
#include "watch/store.h"

namespace moyakko::testing {
namespace {

class RoutesTest : public TownRoutesTest {
 protected:
  // "/api/v1/persons/{id}" → "/api/v1/persons/<a real person>"
  std::string Concrete(const std::string& pattern) {
    std::string path = pattern;
    for (auto at = path.find('{'); at != std::string::npos; at = path.find('{')) {
      path.replace(at, path.find('}', at) - at + 1, std::to_string(town_.persons["hanako"]));
    }
    return path;
  }
};

TEST_P(RoutesTest, EveryRouteIsPublicByNameOrGuardedByThePolicy) {
  // The only routes that may answer without a session, each for a stated reason.
  const std::set<std::string> public_routes = {"GET /healthz", "GET /metrics", "POST /api/v1/auth/login",
                                               "GET /api/v1/demo/logins", "POST /api/v1/ingest",
                                               "GET /fhir/r4/metadata", "GET /fhir/r4/.well-known/smart-configuration",
                                               "POST /fhir/r4/auth/token"};
  Session family = Login("family");
  auth::Principal family_principal;
  family_principal.role = auth::Role::kFamily;
  std::size_t guarded = 0;
  for (const http::Route& route : platform_->router().routes()) {
    std::string name = route.method + " " + route.pattern;
    if (route.access.is_public) {
      EXPECT_TRUE(public_routes.contains(name)) << name << " is public: " << route.access.why_public;
      continue;
    }
    ++guarded;
    std::string target = Concrete(route.pattern);
    EXPECT_EQ(Call(route.method, target).status, 401) << name << " answered without a session";
    // The family member's refusals of this route's action recorded so far, for `reason`.
    auto denials = [&](const std::string& reason) {
      auto found = audit::Search(test_->db(), {.actor = "family", .action = std::string(auth::ToString(route.access.action)),
                                               .outcome = "denied"});
      return std::count_if(found.begin(), found.end(), [&](const audit::Entry& e) { return e.reason == reason; });
    };
    if (route.method != "GET") {
      auto before = denials("csrf");
      http::Response no_csrf = Call(route.method, target, &family, "{}", false);
      EXPECT_EQ(no_csrf.status, 403) << name << " accepted a request without a CSRF token";
      EXPECT_NE(no_csrf.body.find("\"csrf\""), std::string::npos) << name;
      EXPECT_EQ(denials("csrf"), before + 1) << name << ": the missing CSRF token not audited";
    }
    if (auth::Decision decision = auth::Decide(family_principal, route.access.action); !decision.allowed) {
      auto before = denials(decision.reason);
      http::Response denied = Call(route.method, target, &family, "{}");
      EXPECT_EQ(denied.status, 403) << name << " let a family member through";
      EXPECT_EQ(denials(decision.reason), before + 1) << name << ": denial not audited";
    }
  }
  EXPECT_GE(guarded, 10u);
}

TEST_P(RoutesTest, LoginNeverTakesOnASessionIdTheBrowserAlreadyHad) {
  // Session fixation: whoever planted a cookie in a browser (their own valid session, or a
  // value of their choosing) must not be logged in as the person who logs in there next.
  auto user_of = [&](const std::string& cookie) {
    Session session{.cookie = cookie};
    http::Response me = Call("GET", "/api/v1/me", &session);
    return me.status == 200 ? nlohmann::json::parse(me.body)["user"]["username"].get<std::string>()
                            : "status " + std::to_string(me.status);
  };

  // Login keeps the planted cookie when the answer sets none: the comparisons catch that too.
  Session attacker = Login("family");
  std::string victim = Login("doctor", "127.0.0.1", attacker.cookie).cookie;
  EXPECT_NE(victim, attacker.cookie);
  EXPECT_EQ(user_of(victim), "doctor");
  EXPECT_EQ(user_of(attacker.cookie), "family") << "the planted session became the doctor's";

  std::string chosen = "moyakko_session=" + std::string(43, 'A');
  std::string nurse = Login("nurse", "127.0.0.1", chosen).cookie;
  EXPECT_NE(nurse, chosen);
  EXPECT_EQ(user_of(nurse), "nurse");
  EXPECT_EQ(user_of(chosen), "status 401") << "a session id of the browser's choosing was taken on";
}

TEST_P(RoutesTest, PersonReadsFollowRelationsAndAreAudited) {
  std::string hanako = "/api/v1/persons/" + std::to_string(town_.persons["hanako"]);
  std::string jiro = "/api/v1/persons/" + std::to_string(town_.persons["jiro"]);
  Session doctor = Login("doctor");
  EXPECT_EQ(Call("GET", hanako, &doctor).status, 403);  // no care-team relation yet
  Session family = Login("family");
  http::Response linked = Call("GET", hanako, &family);
  EXPECT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(nlohmann::json::parse(linked.body)["person"]["name"], "鈴木 花子");
  EXPECT_EQ(Call("GET", jiro, &family).status, 403);
  Session officer = Login("officer");
  EXPECT_EQ(Call("GET", hanako, &officer).status, 200);
  EXPECT_EQ(Call("GET", jiro, &officer).status, 403);            // another municipality
  EXPECT_EQ(Call("GET", "/api/v1/persons/999999", &officer).status, 403);  // unknown looks the same
  EXPECT_EQ(Call("GET", "/api/v1/persons/abc", &officer).status, 404);

  auto reads = audit::Search(test_->db(), {.person_id = town_.persons["hanako"], .action = "person.read"});
  ASSERT_EQ(reads.size(), 3u);
  EXPECT_EQ(reads[0].actor_username, "officer");
  EXPECT_EQ(reads[0].reason, "register_role");
  EXPECT_EQ(reads[1].reason, "family_link");
  EXPECT_EQ(reads[2].outcome, audit::Outcome::kDenied);
  EXPECT_TRUE(audit::Verify(test_->db()).intact);
}

TEST_P(RoutesTest, ListingIsScopedToTheTenant) {
  Session officer = Login("officer");
  http::Response list = Call("GET", "/api/v1/persons?q=%EF%BD%BD%EF%BD%BD%EF%BE%9E%EF%BD%B7", &officer);  // ｽｽﾞｷ
  ASSERT_EQ(list.status, 200);
  auto persons = nlohmann::json::parse(list.body)["persons"];
  ASSERT_EQ(persons.size(), 1u);  // 鈴木 次郎 lives in the other city
  EXPECT_EQ(persons[0]["name"], "鈴木 花子");
}

TEST_P(RoutesTest, BadInputIsA400AndWritesNothing) {
  Session admin = Login("admin");
  auto count = [&] {
    return test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM persons")->Int(0); });
  };
  std::int64_t before = count();
  http::Response broken = Call("POST", "/api/v1/persons", &admin, R"({"family_name": "山田",)");
  EXPECT_EQ(broken.status, 400);
  auto error = nlohmann::json::parse(broken.body)["error"];
  EXPECT_EQ(error["code"], "invalid_json");
  EXPECT_EQ(error["message"], "malformed JSON at byte 26");
  http::Response bad_utf8 = Call("POST", "/api/v1/persons", &admin, "{\"family_name\": \"\xe5\xb1\"}");
  EXPECT_EQ(nlohmann::json::parse(bad_utf8.body)["error"]["code"], "invalid_utf8");
  http::Response bad_date = Call("POST", "/api/v1/persons", &admin, R"({"family_name": "山田", "birth_date": "昭和15年"})");
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_date.body)["error"]["field"], "birth_date");
  EXPECT_EQ(count(), before);
  http::Response created = Call("POST", "/api/v1/persons", &admin, R"({"family_name": "山田", "given_name": "太郎"})");
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(count(), before + 1);
}

TEST_P(RoutesTest, AdminsManageOnlyTheirOwnMunicipality) {
  Session other = Login("other_admin");
  std::string target = "/api/v1/admin/users/" + std::to_string(town_.users["doctor"]) + "/disable";
  EXPECT_EQ(Call("POST", target, &other).status, 404);
  Session admin = Login("admin");
  EXPECT_EQ(Call("POST", target, &admin).status, 200);
  nlohmann::json login = {{"username", "doctor"}, {"password", kPassword},
                          {"otp", auth::TotpCode(kTotpSecret, SystemClock().Now())}};
  EXPECT_EQ(Call("POST", "/api/v1/auth/login", nullptr, login.dump()).status, 401);
}

// A 1×1 PNG, as base64.
constexpr char kPngBase64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

TEST_P(RoutesTest, CareNetworkRoutesRefuseEveryOutsiderAndAuditIt) {
  Session doctor = Login("doctor");
  std::string hanako = std::to_string(town_.persons["hanako"]);
  nlohmann::json registration = {{"person", town_.persons["hanako"]},
                                 {"consent", {{"given_by", "本人"}, {"relationship", "self"}, {"given_on", "2026-11-01"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
  nlohmann::json post = {{"body", "訪問しました"}, {"attachments", {{{"filename", "傷.png"}, {"data", kPngBase64}}}}};
  http::Response posted = Call("POST", "/api/v1/carenet/patients/" + hanako + "/timeline", &doctor, post.dump());
  ASSERT_EQ(posted.status, 201) << posted.body;
  auto created = nlohmann::json::parse(posted.body)["post"];
  http::Response entry = Call("POST", "/api/v1/carenet/patients/" + hanako + "/summary/history", &doctor,
                              R"({"data":{"condition":"高血圧"}})");
  ASSERT_EQ(entry.status, 201) << entry.body;
  http::Response board = Call("POST", "/api/v1/carenet/boards", &doctor, R"({"title":"防災訓練"})");
  ASSERT_EQ(board.status, 201) << board.body;
  std::int64_t board_id = nlohmann::json::parse(board.body)["board"]["id"];
  http::Response thread = Call("POST", "/api/v1/carenet/boards/" + std::to_string(board_id) + "/threads", &doctor,
                               nlohmann::json{{"title", "日程"}, {"body", "候補日"}, {"attachments", post["attachments"]}}.dump());
  ASSERT_EQ(thread.status, 201) << thread.body;
  auto thread_json = nlohmann::json::parse(thread.body);

  std::map<std::string, std::string> values = {
      {"{id}", hanako},
      {"{section}", "history"},
      {"{entry}", std::to_string(nlohmann::json::parse(entry.body)["entry"]["id"].get<std::int64_t>())},
      {"{post}", std::to_string(created["id"].get<std::int64_t>())},
      {"{user}", std::to_string(town_.users["doctor"])},
      {"{board}", std::to_string(board_id)},
      {"{thread}", std::to_string(thread_json["thread"]["id"].get<std::int64_t>())},
  };
  auto attachment_of = [&](const std::string& pattern) {
    return pattern.find("/boards/") != std::string::npos ? thread_json["posts"][0]["attachments"][0]["id"]
                                                           : created["attachments"][0]["id"];
  };
  // One body that passes every route's own checks, so that only the policy can refuse.
  nlohmann::json body = {{"user", town_.users["doctor"]}, {"body", "x"}, {"title", "t"}, {"reason", "r"},
                         {"posts", {created["id"]}}, {"data", {{"condition", "x"}}}, {"given_by", "本人"},
                         {"relationship", "self"}, {"given_on", "2026-11-01"}};
  std::size_t checked = 0;
  for (const std::string outsider : {"nurse", "other_doctor", "local_family"}) {
    Session session = Login(outsider);
    for (const http::Route& route : platform_->router().routes()) {
      const std::string& pattern = route.pattern;
      if (pattern.rfind("/api/v1/carenet/patients/{id}", 0) != 0 && pattern.rfind("/api/v1/carenet/boards/{board}", 0) != 0) {
        continue;
      }
      std::string target = pattern;
      values["{attachment}"] = std::to_string(attachment_of(pattern).get<std::int64_t>());
      for (const auto& [name, value] : values) {
        if (auto at = target.find(name); at != std::string::npos) target.replace(at, name.size(), value);
      }
      auto denials = [&] { return audit::Search(test_->db(), {.actor = outsider, .outcome = "denied"}).size(); };
      std::size_t before = denials();
      http::Response response = Call(route.method, target, &session, body.dump());
      EXPECT_EQ(response.status, 403) << outsider << " " << route.method << " " << target << " → " << response.body;
      EXPECT_EQ(denials(), before + 1) << outsider << " " << route.method << " " << pattern << ": not audited";
      ++checked;
    }
  }
  EXPECT_GE(checked, 3u * 30u);
  // The team member gets what the outsiders did not.
  EXPECT_EQ(Call("GET", "/api/v1/carenet/patients/" + hanako + "/timeline", &doctor).status, 200);
  http::Response file = Call("GET", "/api/v1/carenet/patients/" + hanako + "/attachments/" +
                                        std::to_string(created["attachments"][0]["id"].get<std::int64_t>()), &doctor);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type, "image/png");
}

TEST_P(RoutesTest, BadUploadsStoreNothing) {
  Session doctor = Login("doctor");
  std::string hanako = std::to_string(town_.persons["hanako"]);
  nlohmann::json registration = {{"person", town_.persons["hanako"]},
                                 {"consent", {{"given_by", "本人"}, {"relationship", "self"}, {"given_on", "2026-11-01"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
  auto rows = [&] {
    return test_->db().Read([](store::Session& s) {
      return s.QueryOne("SELECT (SELECT COUNT(*) FROM timeline_posts) + (SELECT COUNT(*) FROM attachments)")->Int(0);
    });
  };
  std::string timeline = "/api/v1/carenet/patients/" + hanako + "/timeline";
  auto upload = [&](const std::string& filename, const std::string& base64) {
    nlohmann::json good = {{"filename", "ok.png"}, {"data", kPngBase64}};
    nlohmann::json bad = {{"filename", filename}, {"data", base64}};
    return Call("POST", timeline, &doctor, nlohmann::json{{"body", "写真"}, {"attachments", {good, bad}}}.dump());
  };
  std::int64_t before = rows();
  http::Response fake_jpeg = upload("photo.jpg", "bm90IGEgcGljdHVyZQ==");  // "not a picture"
  EXPECT_EQ(fake_jpeg.status, 400);
  EXPECT_EQ(nlohmann::json::parse(fake_jpeg.body)["error"]["field"], "attachments[1].data");
  EXPECT_EQ(upload("x.jpg", "/9j/4AAQ").status, 400);       // a JPEG that stops after its first bytes
  EXPECT_EQ(upload("x.png", "not base64!").status, 400);
  std::string big(15 << 20, 'A');                            // 11.25 MiB once decoded
  EXPECT_EQ(upload("big.pdf", big).status, 413);
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(upload("ok2.png", kPngBase64).status, 201);
  EXPECT_EQ(rows(), before + 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoutesTest, ::testing::ValuesIn(store::TestBackends()));

// Break-glass through the HTTP API, on a clock the test moves.
TEST_P(RoutesTest, TheLifeRhythmProfileRefusesBadInputAndStrangersAndAuditsReads) {
  Session doctor = Login("doctor"), officer = Login("officer"), nurse = Login("nurse"), other = Login("other_doctor");
  std::int64_t hanako = town_.persons["hanako"];
  nlohmann::json registration = {{"person", hanako},
                                 {"consent", {{"given_by", "本人"}, {"relationship", "self"}, {"given_on", "2026-11-01"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
  std::int64_t tenant = 0, household = 0;
  test_->db().Write([&](store::Session& s) {
    tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = hanako}, 0);
  });
  std::string base = fmt::format("/api/v1/insight/households/{}/profile", household);
  auto error = [&](const std::string& query) {
    http::Response r = Call("GET", base + query, &doctor);
    auto body = nlohmann::json::parse(r.body);
    return fmt::format("{} {} {}", r.status, body["error"].value("code", ""), body["error"].value("field", ""));
  };
  EXPECT_EQ(error("?to=2026-11-25"), "400 missing from");
  EXPECT_EQ(error("?from=2026-11-25&to=2026-11-01"), "400 reversed_period to");
  EXPECT_EQ(error("?from=2026-02-30&to=2026-03-01"), "400 invalid_date from");
  EXPECT_EQ(error("?from=2020-01-01&to=2026-11-01"), "400 period_too_long to");
  EXPECT_EQ(error("?from=2026-11-01&to=2026-11-25&cohort=district:どこにもない"), "400 unknown_cohort cohort");
  EXPECT_EQ(error("?from=2026-11-01&to=2026-11-25&cohort=group:12345"), "400 unknown_cohort cohort");

  std::string good = base + "?from=2026-11-01&to=2026-11-25";
  http::Response profile = Call("GET", good, &doctor);
  ASSERT_EQ(profile.status, 200) << profile.body;
  auto body = nlohmann::json::parse(profile.body);
  EXPECT_EQ(body["days"], 25);
  EXPECT_EQ(body["cohort"]["id"], "tenant");
  EXPECT_EQ(Call("GET", good, &officer).status, 200) << "the city's officers read";
  EXPECT_EQ(Call("GET", good, &nurse).status, 403) << "not on the team";
  EXPECT_EQ(Call("GET", good, &other).status, 403) << "another municipality";
  EXPECT_EQ(Call("GET", "/api/v1/insight/households/999999/profile?from=2026-11-01&to=2026-11-25", &doctor).status, 403)
      << "an unknown household is refused like another's";
  http::Response csv = Call("GET", base + ".csv?from=2026-11-01&to=2026-11-25", &doctor);
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBFseries,key,person,cohort_sum,cohort_mean\r\nhour,00:00,0,")) << csv.body.substr(0, 80);

  auto audited = [&](const std::string& outcome) {
    return audit::Search(test_->db(), {.person_id = hanako, .action = "insight.view", .outcome = outcome}).size();
  };
  EXPECT_EQ(audited("allowed"), 3u);  // doctor, officer, CSV
  EXPECT_EQ(audited("denied"), 2u);   // the nurse, the other town's doctor

  nlohmann::json group = {{"name", "サロン"}, {"households", {household}}};
  EXPECT_EQ(Call("POST", "/api/v1/insight/groups", &doctor, group.dump()).status, 403);
  http::Response created = Call("POST", "/api/v1/insight/groups", &officer, group.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Call("POST", "/api/v1/insight/groups", &officer, group.dump()).status, 409);
  group["name"] = "よそ";
  group["households"] = {household, 999999};
  EXPECT_EQ(Call("POST", "/api/v1/insight/groups", &officer, group.dump()).status, 400);
  EXPECT_EQ(test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM insight_groups")->Int(0); }), 1)
      << "nothing of a refused group is written";
  std::string group_id = nlohmann::json::parse(created.body)["group"]["id"];
  EXPECT_EQ(Call("GET", good + "&cohort=" + group_id, &doctor).status, 200);
}

TEST_P(RoutesTest, LifeRecordsAreIdempotentConflictsAreVisibleAndStrangersAreRefused) {
  Session doctor = Login("doctor"), family = Login("family"), nurse = Login("nurse"), other = Login("other_doctor");
  std::int64_t hanako = town_.persons["hanako"];
  nlohmann::json registration = {{"person", hanako},
                                 {"consent", {{"given_by", "本人"}, {"relationship", "self"}, {"given_on", "2026-11-01"}}}};
  ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
  std::string base = fmt::format("/api/v1/lifelog/persons/{}", hanako);
  std::string record = base + "/records/0f5e2c1a-aaaa-4bbb-8ccc-123456789abc";
  auto count = [&] {
    return test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM lifelog_records")->Int(0); });
  };
  auto error = [&](const http::Response& r) {
    auto body = nlohmann::json::parse(r.body);
    return fmt::format("{} {} {}", r.status, body["error"].value("code", ""), body["error"].value("field", ""));
  };
  std::string now = FormatRfc3339(SystemClock().Now() - 60000);
  nlohmann::json write = {{"recorded_at", now}, {"values", {{"temperature", 38.1}, {"mood", "不安"}}}, {"note", "朝から熱っぽい"}};

  // Bad input is refused by name and writes nothing.
  nlohmann::json bad = write;
  bad["values"]["weight"] = 50;
  EXPECT_EQ(error(Call("PUT", record, &family, bad.dump())), "400 unknown_field values.weight");
  bad = write;
  bad["recorded_at"] = FormatRfc3339(SystemClock().Now() + 3600000);
  EXPECT_EQ(error(Call("PUT", record, &family, bad.dump())), "400 invalid_time recorded_at");
  EXPECT_EQ(Call("PUT", base + "/records/short", &family, write.dump()).status, 404);
  EXPECT_EQ(count(), 0);

  http::Response created = Call("PUT", record, &family, write.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  auto created_body = nlohmann::json::parse(created.body);
  EXPECT_EQ(created_body["record"]["out_of_range"], nlohmann::json::array({"temperature"}));
  http::Response again = Call("PUT", record, &family, write.dump());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(nlohmann::json::parse(again.body)["replayed"], true);
  EXPECT_EQ(count(), 1) << "a resent record is not a second one";
  write["base_version"] = 1;
  write["values"]["temperature"] = 37.9;
  ASSERT_EQ(Call("PUT", record, &family, write.dump()).status, 200);
  write["values"]["temperature"] = 37.6;  // a second phone, still at version 1
  http::Response conflict = Call("PUT", record, &family, write.dump());
  EXPECT_EQ(error(conflict), "409 edit_conflict base_version");
  EXPECT_EQ(nlohmann::json::parse(conflict.body)["current"]["values"]["temperature"], 37.9);
  EXPECT_EQ(error(Call("PUT", record, &doctor, write.dump())), "403 not_author ");

  // The team reads and comments; others are refused, and every read is audited.
  http::Response listed = Call("GET", base + "/records", &doctor);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(nlohmann::json::parse(listed.body)["records"].size(), 1u);
  EXPECT_EQ(Call("GET", base + "/records", &family).status, 200);
  EXPECT_EQ(Call("GET", base + "/records", &nurse).status, 403) << "not on the team";
  EXPECT_EQ(Call("GET", base + "/records", &other).status, 403) << "another municipality";
  EXPECT_EQ(Call("PUT", base + "/records/0f5e2c1a-bbbb", &nurse, write.dump()).status, 403);
  EXPECT_EQ(Call("POST", record + "/comments", &doctor, R"({"body":"明日往診します"})").status, 201);
  EXPECT_EQ(Call("POST", record + "/comments", &nurse, R"({"body":"x"})").status, 403);
  auto audited = [&](const std::string& action, const std::string& outcome) {
    return audit::Search(test_->db(), {.person_id = hanako, .action = action, .outcome = outcome}).size();
  };
  EXPECT_EQ(audited("lifelog.read", "allowed"), 2u);
  EXPECT_EQ(audited("lifelog.read", "denied"), 2u);
  EXPECT_EQ(audited("lifelog.write", "denied"), 1u);

  // Professionals shape the template; a stale save is a conflict.
  http::Response tmpl = Call("GET", base + "/template", &doctor);
  ASSERT_EQ(tmpl.status, 200);
  auto tmpl_body = nlohmann::json::parse(tmpl.body);
  EXPECT_EQ(tmpl_body["may_edit"], true);
  EXPECT_EQ(tmpl_body["template"]["kind"], "elderly");
  EXPECT_EQ(nlohmann::json::parse(Call("GET", base + "/template", &family).body)["may_edit"], false);
  nlohmann::json changed = tmpl_body["template"];
  changed["base_version"] = 0;
  changed["notify_team"] = true;
  EXPECT_EQ(Call("PUT", base + "/template", &family, changed.dump()).status, 403);
  EXPECT_EQ(Call("PUT", base + "/template", &doctor, changed.dump()).status, 200);
  EXPECT_EQ(error(Call("PUT", base + "/template", &doctor, changed.dump())), "409 edit_conflict base_version");

  // A photo comes with a new record, is served to the team, and only under its own person.
  nlohmann::json with_photo = {{"values", {{"mood", "良い"}}}, {"photos", {{{"filename", "食事.png"}, {"data", kPngBase64}}}}};
  std::string photo_record = base + "/records/photo-record-0001";
  http::Response photographed = Call("PUT", photo_record, &family, with_photo.dump());
  ASSERT_EQ(photographed.status, 201) << photographed.body;
  std::int64_t photo = nlohmann::json::parse(photographed.body)["record"]["photos"][0]["id"];
  http::Response served = Call("GET", fmt::format("{}/photos/{}", base, photo), &doctor);
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.content_type, "image/png");
  registration["person"] = town_.persons["ichiro"];
  ASSERT_EQ(Call("POST", "/api/v1/carenet/patients", &doctor, registration.dump()).status, 201);
  EXPECT_EQ(error(Call("GET", fmt::format("/api/v1/lifelog/persons/{}/photos/{}", town_.persons["ichiro"], photo), &doctor)),
            "404 no_such_photo ");
  with_photo["base_version"] = 1;
  with_photo["values"]["mood"] = "普通";
  EXPECT_EQ(error(Call("PUT", photo_record, &family, with_photo.dump())), "400 photos_only_on_create photos");

  http::Response daily = Call("GET", base + "/daily", &doctor);
  ASSERT_EQ(daily.status, 200);
  EXPECT_EQ(nlohmann::json::parse(daily.body)["dates"].size(), 28u);
  http::Response persons = Call("GET", "/api/v1/lifelog/persons", &family);
  ASSERT_EQ(persons.status, 200);
  EXPECT_EQ(nlohmann::json::parse(persons.body)["persons"][0]["id"], hanako);
}

TEST_P(RoutesTest, TheLedgerIsCheckedBeforeItIsImportedAndOnlyByTheCity) {
  Session admin = Login("admin"), family = Login("family"), doctor = Login("doctor");
  std::ifstream in(MOYAKKO_TEST_DATA "/ledger_seto_sample_cp932.csv", std::ios::binary);
  std::string sample{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string imports = "/api/v1/disaster/ledger/imports";
  auto persons = [&] {
    return test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM persons")->Int(0); });
  };
  std::int64_t before = persons();
  http::Response dry = Call("POST", imports, &admin, sample);
  ASSERT_EQ(dry.status, 200) << dry.body;
  auto report = nlohmann::json::parse(dry.body);
  EXPECT_EQ(report["rows"], 200);
  EXPECT_EQ(report["errors"].size(), 6u);
  EXPECT_EQ(report["errors"][0]["row"], 29);
  EXPECT_EQ(report["written"], false);
  EXPECT_EQ(persons(), before) << "a dry run writes nothing";
  EXPECT_EQ(Call("POST", imports, &family, sample).status, 403);
  EXPECT_EQ(Call("POST", imports, &doctor, sample).status, 403);
  auto error = [&](const http::Response& r) {
    return fmt::format("{} {}", r.status, nlohmann::json::parse(r.body)["error"].value("code", ""));
  };
  EXPECT_EQ(error(Call("POST", imports, &admin, "")), "400 empty_file");
  EXPECT_EQ(error(Call("POST", imports + "?dry_run=maybe", &admin, sample)), "400 invalid_flag");
  EXPECT_EQ(error(Call("POST", imports + "?encoding=latin1", &admin, sample)), "400 invalid_encoding");
  http::Response stopped = Call("POST", imports + "?dry_run=false", &admin, sample);
  EXPECT_EQ(nlohmann::json::parse(stopped.body)["written"], false) << "records with errors stop the import";
  EXPECT_EQ(persons(), before);
  http::Response applied = Call("POST", imports + "?dry_run=false&skip_invalid=true", &admin, sample);
  ASSERT_EQ(applied.status, 200);
  EXPECT_EQ(nlohmann::json::parse(applied.body)["created"], 194);
  EXPECT_EQ(persons(), before + 194);
  EXPECT_EQ(audit::Search(test_->db(), {.actor = "admin", .action = "ledger.import"}).size(), 3u);

  // A municipality's own headers, mapped once.
  std::string own = "番号,氏名,生まれ\r\n9001,瀬戸 一郎,S10.01.02\r\n";
  EXPECT_EQ(error(Call("POST", imports, &admin, own)), "400 missing_column");
  EXPECT_EQ(error(Call("PUT", "/api/v1/disaster/ledger/mapping", &admin, R"({"mapping":{"番号":"number"}})")),
            "400 invalid_field");
  ASSERT_EQ(Call("PUT", "/api/v1/disaster/ledger/mapping", &admin,
                 R"({"mapping":{"番号":"resident_number","生まれ":"birth_date"}})").status, 200);
  http::Response mapped_response = Call("POST", imports, &admin, own);
  auto mapped = nlohmann::json::parse(mapped_response.body);
  EXPECT_EQ(mapped["valid"], 1) << mapped_response.body;
  EXPECT_EQ(nlohmann::json::parse(Call("GET", "/api/v1/disaster/ledger/mapping", &admin).body)["mapping"]["生まれ"],
            "birth_date");
  EXPECT_EQ(Call("GET", "/api/v1/disaster/ledger/reviews", &admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/disaster/ledger/reviews", &doctor).status, 403);
  EXPECT_EQ(error(Call("POST", "/api/v1/disaster/ledger/reviews/999", &admin, R"({"decision":"merge"})")),
            "400 invalid_decision");
  EXPECT_EQ(error(Call("POST", "/api/v1/disaster/ledger/reviews/999", &admin, R"({"decision":"link"})")),
            "404 no_such_review");
  EXPECT_EQ(Call("POST", "/api/v1/disaster/ledger/reviews/999", &doctor, R"({"decision":"link"})").status, 403);
}

TEST_P(RoutesTest, ADrillRunsFromDeclarationToTheCitysReport) {
  Session officer = Login("officer"), doctor = Login("doctor"), family = Login("family");
  std::ifstream in(MOYAKKO_TEST_DATA "/ledger_seto_sample_cp932.csv", std::ios::binary);
  std::string sample{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_EQ(Call("POST", "/api/v1/disaster/ledger/imports?dry_run=false&skip_invalid=true", &officer, sample).status, 200);
  auto json_of = [](const http::Response& r) { return nlohmann::json::parse(r.body); };
  auto code = [&](const http::Response& r) {
    return fmt::format("{} {}", r.status, json_of(r)["error"].value("code", ""));
  };
  const std::string events = "/api/v1/disaster/events";
  EXPECT_EQ(code(Call("POST", events, &officer, R"({"kind":"meteor","title":"x","drill":true})")), "400 invalid_kind");
  EXPECT_EQ(code(Call("POST", events, &officer, R"({"kind":"flood","title":"x"})")), "400 invalid_drill");
  EXPECT_EQ(code(Call("POST", events, &officer, R"({"kind":"flood","title":"x","drill":true,"onset_at":"2020-01-01T00:00:00Z"})")),
            "400 invalid_onset");
  EXPECT_EQ(Call("POST", events, &doctor, R"({"kind":"flood","title":"x","drill":true})").status, 403);
  EXPECT_TRUE(json_of(Call("GET", events, &officer))["events"].empty()) << "bad declarations write nothing";

  http::Response declared = Call("POST", events, &officer, R"({"kind":"earthquake","title":"総合防災訓練","drill":true})");
  ASSERT_EQ(declared.status, 201) << declared.body;
  std::string event = events + "/" + std::to_string(json_of(declared)["id"].get<std::int64_t>());
  nlohmann::json detail = json_of(Call("GET", event, &doctor));
  EXPECT_EQ(detail["phase"], "onset");
  EXPECT_EQ(detail["phases"].size(), 6u);
  EXPECT_EQ(Call("GET", event, &family).status, 403);

  nlohmann::json people = json_of(Call("GET", event + "/people", &officer));
  ASSERT_EQ(people["count"], 194);
  EXPECT_EQ(people["total"], 194);
  EXPECT_EQ(json_of(Call("GET", event + "/people?label=red", &officer))["total"], 194);
  EXPECT_FALSE(json_of(Call("GET", "/api/v1/disaster/districts", &doctor))["districts"].empty());
  EXPECT_EQ(people["default_label"], "yellow");
  EXPECT_EQ(json_of(Call("GET", event + "/people", &doctor))["count"], 0) << "no patients of the doctor's on the ledger";
  EXPECT_EQ(Call("GET", event + "/people", &family).status, 403);
  std::int64_t person = people["people"][0]["id"];
  std::string safety = event + "/people/" + std::to_string(person) + "/safety";
  EXPECT_EQ(code(Call("POST", safety, &officer, R"({"label":"green"})")), "400 invalid_label");
  EXPECT_EQ(Call("POST", safety, &doctor, R"({"label":"blue"})").status, 403);
  std::string post = R"({"label":"blue","location":"shelter","shelter":"陶原小学校","client_id":"phone-0001-aaaa"})";
  http::Response posted = Call("POST", safety, &officer, post);
  ASSERT_EQ(posted.status, 201) << posted.body;
  http::Response resent = Call("POST", safety, &officer, post);
  EXPECT_EQ(resent.status, 200);
  EXPECT_EQ(json_of(resent)["replayed"], true);
  EXPECT_EQ(json_of(Call("GET", event + "/people?label=blue", &officer))["count"], 1);
  EXPECT_EQ(json_of(Call("GET", event + "/people?label=yellow,red", &officer))["count"], 193);
  nlohmann::json card = json_of(Call("GET", event + "/people/" + std::to_string(person), &officer));
  EXPECT_EQ(card["status"]["shelter"], "陶原小学校");
  EXPECT_EQ(card["posts"].size(), 1u);
  EXPECT_EQ(Call("GET", event + "/people/" + std::to_string(person), &doctor).status, 403);
  EXPECT_FALSE(audit::Search(test_->db(), {.actor = "doctor", .action = "disaster.person", .outcome = "denied"}).empty());

  nlohmann::json report = json_of(Call("GET", event + "/dashboard", &officer));
  EXPECT_EQ(report["total"], 194);
  EXPECT_EQ(report["counts"]["blue"], 1);
  EXPECT_EQ(Call("GET", event + "/dashboard", &doctor).status, 403);
  http::Response csv = Call("GET", event + "/safety.csv", &officer);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF住民番号", 0), 0u);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 195);
  EXPECT_EQ(audit::Search(test_->db(), {.actor = "officer", .action = "disaster.report"}).size(), 2u);

  // A broadcast to those not yet confirmed, worked by the call centre.
  EXPECT_EQ(code(Call("POST", event + "/broadcasts", &officer, R"({"message":" "})")), "400 missing");
  EXPECT_EQ(code(Call("POST", event + "/broadcasts", &officer, R"({"message":"x","audience":{"districts":["無い町"]}})")),
            "400 empty_audience");
  http::Response broadcast = Call("POST", event + "/broadcasts", &officer,
                                  R"({"message":"避難所へ移動できますか","audience":{"labels":["yellow"]}})");
  ASSERT_EQ(broadcast.status, 201) << broadcast.body;
  // In a drill the call centre's list holds only those who consented.
  int consenting_unconfirmed = 0;
  nlohmann::json unconfirmed = json_of(Call("GET", event + "/people?label=yellow", &officer));
  for (const auto& p : unconfirmed["people"]) {
    consenting_unconfirmed += p["consent"].get<bool>() ? 1 : 0;
  }
  EXPECT_GT(consenting_unconfirmed, 0);
  EXPECT_LT(consenting_unconfirmed, 193);
  EXPECT_EQ(json_of(broadcast)["progress"]["total"], consenting_unconfirmed);
  std::string list = event + "/broadcasts/" + std::to_string(json_of(broadcast)["id"].get<std::int64_t>());
  EXPECT_EQ(Call("GET", list, &doctor).status, 403);
  nlohmann::json calls = json_of(Call("GET", list, &officer))["calls"];
  std::string call = list + "/calls/" + std::to_string(calls[0]["id"].get<std::int64_t>());
  EXPECT_EQ(code(Call("PUT", call, &officer, R"({"outcome":"maybe"})")), "400 invalid_outcome");
  nlohmann::json called = json_of(Call("PUT", call, &officer, R"({"outcome":"reached","note":"無事"})"));
  EXPECT_EQ(called["attempts"], 1);
  EXPECT_EQ(json_of(Call("GET", event + "/broadcasts", &officer))["broadcasts"][0]["progress"]["called"], 1);
  EXPECT_EQ(audit::Search(test_->db(), {.actor = "officer", .action = "disaster.calls"}).size(), 2u);

  // Shelters, opened for the event.
  std::string shelter_body = R"({"name":"陶原小学校","capacity":300,"lat":35.22,"lon":137.10,"accessibility":["power"]})";
  http::Response shelter = Call("POST", "/api/v1/disaster/shelters", &officer, shelter_body);
  ASSERT_EQ(shelter.status, 201) << shelter.body;
  EXPECT_EQ(code(Call("POST", "/api/v1/disaster/shelters", &officer, shelter_body)), "409 shelter_exists");
  EXPECT_EQ(Call("POST", "/api/v1/disaster/shelters", &doctor, shelter_body).status, 403);
  std::string reports = event + "/shelters/" + std::to_string(json_of(shelter)["id"].get<std::int64_t>()) + "/reports";
  EXPECT_EQ(code(Call("POST", reports, &officer, R"({"open":true,"occupancy":-3})")), "400 invalid_occupancy");
  ASSERT_EQ(Call("POST", reports, &officer, R"({"open":true,"occupancy":12})").status, 201);
  nlohmann::json places = json_of(Call("GET", event + "/places", &doctor));
  EXPECT_EQ(places["shelters"][0]["report"]["occupancy"], 12);
  EXPECT_TRUE(places["facilities"].empty()) << "the test town's only organisation is the city's";

  // A clinic's report with a photo of the damage: by the city for it, not by a stranger.
  std::int64_t clinic = test_->db().Write([](store::Session& s) {
    return s.QueryOne("INSERT INTO organizations (tenant_id, code, kind, name, created_at) SELECT id, 'clinic', "
                      "'clinic', '窯神クリニック', 0 FROM tenants WHERE code = 'seto' RETURNING id")->Int(0);
  });
  std::string facility = event + "/facilities/" + std::to_string(clinic);
  nlohmann::json facility_report = {{"status", "partly"}, {"services", {"外来"}}, {"message", "停電"},
                                    {"photos", {{{"filename", "被害.png"}, {"data", kPngBase64}}}}};
  EXPECT_EQ(Call("POST", facility + "/reports", &doctor, facility_report.dump()).status, 403);
  EXPECT_FALSE(audit::Search(test_->db(), {.actor = "doctor", .action = "disaster.facility", .outcome = "denied"}).empty());
  http::Response reported = Call("POST", facility + "/reports", &officer, facility_report.dump());
  ASSERT_EQ(reported.status, 201) << reported.body;
  nlohmann::json photos = json_of(reported)["report"]["photos"];
  ASSERT_EQ(photos.size(), 1u) << reported.body;
  http::Response photo = Call("GET", facility + "/photos/" + std::to_string(photos[0]["id"].get<std::int64_t>()), &doctor);
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.content_type, "image/png");
  EXPECT_EQ(Call("GET", facility + "/photos/999999", &doctor).status, 404);

  EXPECT_EQ(Call("POST", event + "/end", &officer).status, 200);
  EXPECT_EQ(code(Call("POST", event + "/end", &officer)), "409 already_ended");
  EXPECT_EQ(code(Call("POST", safety, &officer, R"({"label":"red"})")), "409 event_ended");
}

class EmergencyRoutesTest : public RoutesTest {
 protected:
  void SetUp() override {
    RoutesTest::SetUp();
    if (IsSkipped()) return;
    platform_ = std::make_unique<app::Platform>(
        app::PlatformOptions{.db_url = test_->url(), .web_root = "/nonexistent", .clock = &clock_});
  }
  FixedClock clock_{SystemClock().Now()};
};

TEST_P(EmergencyRoutesTest, TheSheetOpensWithAReasonAndClosesWhenTheGrantExpires) {
  Session paramedic = Login("paramedic");
  Session nurse = Login("nurse");
  std::int64_t hanako = town_.persons["hanako"];
  std::string sheet = fmt::format("/api/v1/emergency/persons/{}/sheet", hanako);
  auto denied_sheets = [&] {
    return audit::Search(test_->db(), {.person_id = hanako, .action = "emergency.sheet", .outcome = "denied"}).size();
  };
  EXPECT_EQ(Call("GET", sheet, &paramedic).status, 403);
  EXPECT_EQ(denied_sheets(), 1u);

  nlohmann::json body = {{"person", hanako}, {"reason", "fall_injury"}};
  EXPECT_EQ(Call("POST", "/api/v1/emergency/grants", &paramedic, body.dump()).status, 400);  // words are required
  body["note"] = "玄関で倒れている。呼びかけに反応が鈍い";
  body["reason"] = "because";
  EXPECT_EQ(Call("POST", "/api/v1/emergency/grants", &paramedic, body.dump()).status, 400);  // a reason of the list
  body["reason"] = "fall_injury";
  EXPECT_EQ(Call("POST", "/api/v1/emergency/grants", &nurse, body.dump()).status, 403);      // paramedics only
  http::Response created = Call("POST", "/api/v1/emergency/grants", &paramedic, body.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  auto grant = nlohmann::json::parse(created.body);
  EXPECT_TRUE(grant["grant"].get<std::string>().starts_with("bg_"));
  EXPECT_EQ(grant["expires_at"], FormatRfc3339(clock_.Now() + 2 * 3600 * 1000));

  http::Response open = Call("GET", sheet, &paramedic);
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(nlohmann::json::parse(open.body)["person"]["name"], "鈴木 花子");
  EXPECT_EQ(Call("GET", sheet, &nurse).status, 403);

  // Two hours of work at the scene (the session stays alive by use), then the sheet closes.
  for (int step = 0; step < 6; ++step) {
    clock_.Advance(20 * 60 * 1000);
    EXPECT_EQ(Call("GET", "/api/v1/emergency/grants", &paramedic).status, 200);
  }
  EXPECT_EQ(Call("GET", sheet, &paramedic).status, 403);
  EXPECT_EQ(denied_sheets(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmergencyRoutesTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
