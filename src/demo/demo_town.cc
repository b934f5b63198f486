#include "demo/demo_town.h"

#include <fmt/format.h>

#include <set>

#include "audit/audit_log.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "common/crypto.h"
#include "common/error.h"
#include "carenet/watch_link.h"
#include "demo/care_network.h"
#include "demo/disaster_drill.h"
#include "demo/life_records.h"
#include "demo/sensor_history.h"
#include "demo/town_data.h"
#include "insight/store.h"
#include "registry/persons.h"

namespace moyakko::demo {
namespace {

// One login of each kind a first-time visitor may want to try.
const std::set<std::string_view> kFeatured = {"admin.seto", "dr.kato",     "ns.suzuki",
                                              "co.hayashi", "op.takeuchi", "em.kawai",
                                              "ma.ito",     "dr.okada",    "sch.uchida",
                                              "fam.ito.hanako", "fam.yamazaki.asuka"};

}  // namespace

DemoTown CreateDemoTown(store::Database& db, auth::AuthService& auth, const Clock& clock) {
  bool empty = db.Read([](store::Session& s) { return !s.QueryOne("SELECT 1 FROM tenants LIMIT 1"); });
  if (!empty) Fail(ErrorCode::kConflict, "not_empty", "the database already holds data; demo needs an empty one");

  DemoTown town;
  UnixMillis now = clock.Now();
  // Every demo user shares one generated password, hashed once.
  std::string password = "demo-" + RandomHex(4);
  std::string hash = auth::HashPassword(password);
  std::vector<std::int64_t> resident_ids;
  db.Write([&](store::Session& s) {
    for (const TenantSeed& t : Tenants()) {
      s.Execute("INSERT INTO tenants (code, name, name_kana, time_zone, created_at) VALUES ($1, $2, $3, $4, $5)",
                {std::string(t.code), std::string(t.name), std::string(t.name_kana), std::string(t.time_zone), now});
      ++town.tenants;
    }
    // The two cities share their registers (wide-area collaboration, as in the seed).
    s.Execute("INSERT INTO tenant_shares (from_tenant_id, to_tenant_id, scope, created_at) "
              "SELECT a.id, b.id, 'care', $1 FROM tenants a, tenants b WHERE a.id <> b.id", {now});
    for (const OrganizationSeed& o : Organizations()) {
      s.Execute("INSERT INTO organizations (tenant_id, code, kind, name, phone, address, lat, lon, created_at) "
                "SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM tenants WHERE code = $1",
                {std::string(o.tenant), std::string(o.code), std::string(o.kind), std::string(o.name),
                 std::string(o.phone), std::string(o.address), o.lat, o.lon, now});
      ++town.organizations;
    }
    for (const ResidentSeed& r : Residents()) {
      auto tenant = s.QueryOne("SELECT id FROM tenants WHERE code = $1", {std::string(r.tenant)});
      registry::Person p;
      p.tenant_id = tenant->Int(0);
      p.family_name = r.family_name;
      p.given_name = r.given_name;
      p.family_kana = r.family_kana;
      p.given_kana = r.given_kana;
      p.sex = r.sex;
      p.birth_date = std::string(r.birth_date);
      p.postal_code = r.postal_code;
      p.address = r.address;
      p.district = r.district;
      p.lat = r.lat;
      p.lon = r.lon;
      p.phones = {std::string(r.phone)};
      resident_ids.push_back(registry::AddPerson(s, p, now));
      ++town.residents;
    }
  });

  auto add = [&](std::string_view username, std::string_view display_name, std::string_view kana,
                 std::string_view role, std::optional<std::string> org, std::string tenant) {
    auth::NewUser user;
    user.tenant_code = std::move(tenant);
    user.username = username;
    user.display_name = display_name;
    user.display_kana = kana;
    user.role = *auth::ParseRole(role);
    user.organization_code = std::move(org);
    user.password_hash = hash;
    auth::CreatedUser created = auth.AddUser(user, nullptr, "demo");
    if (kFeatured.contains(username)) {
      town.featured.push_back({std::string(username), password, std::string(role), std::string(display_name),
                               user.tenant_code, created.totp_secret});
    }
    return created;
  };
  for (const StaffSeed& staff : Staff()) {
    std::string tenant;
    for (const OrganizationSeed& o : Organizations()) {
      if (o.code == staff.organization) tenant = o.tenant;
    }
    add(staff.username, staff.display_name, staff.display_kana, staff.role, std::string(staff.organization), tenant);
    ++town.staff;
  }
  for (const FamilySeed& family : Families()) {
    const ResidentSeed& resident = Residents()[family.resident_index];
    auth::CreatedUser created = add(family.username, family.display_name, family.display_kana, "family",
                                    std::nullopt, std::string(resident.tenant));
    db.Write([&](store::Session& s) {
      s.Execute("INSERT INTO family_links (user_id, person_id, relationship, created_at) VALUES ($1, $2, $3, $4)",
                {created.id, resident_ids[family.resident_index], std::string(family.relationship), now});
    });
    ++town.families;
  }

  // Patients first, so that the sensor stories' alerts reach their care teams' timelines.
  carenet::LinkWatchAlerts();
  CareNetworkDemo care = AddCareNetwork(db, now);
  LifeRecordsDemo life = AddLifeRecords(db, now);
  town.patients = care.patients + life.patients;
  town.posts = care.posts;
  town.life_records = life.records;
  SensorDemo sensors = AddSensorHouseholds(db, "seto", 30, 90, now);
  town.sensor_households = sensors.households;
  town.readings = sensors.readings;
  // The life-rhythm findings of the 90 days, as the daily analysis would have recorded and
  // posted them this morning, whatever the hour the demo is made.
  insight::RunDailyAnalysis(db, now, /*any_hour=*/true);
  DisasterDemo disaster = AddDisasterDrill(db, now);
  town.ledger_entries = disaster.ledger_entries;
  town.safety_posts = disaster.safety_posts;

  nlohmann::json logins = nlohmann::json::array();
  for (const DemoLogin& login : town.featured) {
    logins.push_back({{"username", login.username}, {"password", login.password}, {"role", login.role},
                      {"display_name", login.display_name}, {"tenant", login.tenant},
                      {"totp_secret", login.totp_secret}});
  }
  db.Write([&](store::Session& s) {
    s.Execute("INSERT INTO settings (key, value) VALUES ('demo_logins', $1)", {logins.dump()});
    audit::Entry entry;
    entry.at = now;
    entry.actor_username = "(cli)";
    entry.actor_role = "operator";
    entry.action = "demo.create";
    entry.detail = fmt::format("tenants={} organizations={} staff={} residents={} families={}", town.tenants,
                               town.organizations, town.staff, town.residents, town.families);
    audit::Append(s, entry);
  });
  return town;
}

std::optional<nlohmann::json> DemoLoginsWithCodes(store::Database& db, const Clock& clock) {
  auto stored = db.Read([](store::Session& s) {
    return s.QueryOne("SELECT value FROM settings WHERE key = 'demo_logins'");
  });
  if (!stored) return std::nullopt;
  UnixMillis now = clock.Now();
  nlohmann::json logins = nlohmann::json::array();
  for (auto login : nlohmann::json::parse(stored->Text(0))) {
    login["otp"] = auth::TotpCode(login["totp_secret"].get<std::string>(), now);
    login["otp_expires_in"] = 30 - (now / 1000) % 30;
    logins.push_back(std::move(login));
  }
  return logins;
}

}  // namespace moyakko::demo
