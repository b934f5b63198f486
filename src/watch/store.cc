#include "watch/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "registry/persons.h"
#include "watch/monitor.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;

void CheckText(const std::string& value, const std::string& field, std::size_t max, bool required) {
  if ((required && value.empty()) || !IsValidUtf8(value) || Utf8Length(value) > max) {
    Fail(ErrorCode::kInvalidArgument, "invalid_value", fmt::format("{}: 1–{} characters", field, max), field);
  }
}

// The door openings of every upload in one transaction, per municipality, district and hour,
// added to cohort_hourly and tenant_hourly at commit. Every upload of a municipality adds to
// the same few rows: written once per transaction, last, and in key order, concurrent
// transactions (several ingest groups, several nodes) hold those rows' locks only until their
// commit, and always take them in one order, so they never deadlock over them.
class CohortOpenings final : public store::AtCommitWrite {
 public:
  void Add(std::int64_t tenant_id, const std::string& district, UnixMillis hour, std::int64_t openings) {
    by_district_[{tenant_id, district, hour}] += openings;
  }

  void Write(store::Session& s) override {
    std::vector<store::Value> cohort, municipality;
    std::map<std::pair<std::int64_t, UnixMillis>, std::int64_t> by_tenant;
    for (const auto& [key, openings] : by_district_) {
      const auto& [tenant_id, district, hour] = key;
      cohort.insert(cohort.end(), {tenant_id, district, hour, openings});
      by_tenant[{tenant_id, hour}] += openings;
    }
    for (const auto& [key, openings] : by_tenant) municipality.insert(municipality.end(), {key.first, key.second, openings});
    store::InsertRows(s, "INSERT INTO cohort_hourly (tenant_id, district, hour_at, openings)", 4, cohort,
                      " ON CONFLICT (tenant_id, district, hour_at) DO UPDATE SET openings = cohort_hourly.openings + excluded.openings");
    store::InsertRows(s, "INSERT INTO tenant_hourly (tenant_id, hour_at, openings)", 3, municipality,
                      " ON CONFLICT (tenant_id, hour_at) DO UPDATE SET openings = tenant_hourly.openings + excluded.openings");
  }

 private:
  std::map<std::tuple<std::int64_t, std::string, UnixMillis>, std::int64_t> by_district_;
};

}  // namespace

std::int64_t AddHousehold(store::Session& s, const NewHousehold& h, UnixMillis now) {
  auto person = s.QueryOne("SELECT tenant_id FROM persons WHERE id = $1", {h.person_id});
  if (!person || person->Int(0) != h.tenant_id) {
    Fail(ErrorCode::kInvalidArgument, "unknown_person", "no such person in this municipality", "person");
  }
  if (h.contacts.size() > 10) Fail(ErrorCode::kInvalidArgument, "too_many_contacts", "at most 10 contacts", "contacts");
  for (std::size_t i = 0; i < h.contacts.size(); ++i) {
    const Contact& c = h.contacts[i];
    std::string prefix = fmt::format("contacts[{}].", i);
    if (c.kind != "family" && c.kind != "city" && c.kind != "other") {
      Fail(ErrorCode::kInvalidArgument, "invalid_value", prefix + "kind: family, city or other", prefix + "kind");
    }
    CheckText(c.name, prefix + "name", 100, true);
    CheckText(c.relationship, prefix + "relationship", 30, false);
    CheckText(c.phone, prefix + "phone", 30, true);
  }
  CheckText(h.plan_name, "plan_name", 100, false);
  if (h.plan_monthly_yen && (*h.plan_monthly_yen < 0 || *h.plan_monthly_yen > 1000000)) {
    Fail(ErrorCode::kInvalidArgument, "out_of_range", "plan_monthly_yen: 0–1,000,000", "plan_monthly_yen");
  }
  if (h.plan_started_on && !ParseRfc3339(*h.plan_started_on + "T00:00:00Z")) {
    Fail(ErrorCode::kInvalidArgument, "invalid_date", "plan_started_on: YYYY-MM-DD", "plan_started_on");
  }
  if (s.QueryOne("SELECT 1 FROM households WHERE person_id = $1", {h.person_id})) {
    Fail(ErrorCode::kConflict, "household_exists", "this person already has a household", "person");
  }
  std::int64_t id = s.QueryOne(
      "INSERT INTO households (tenant_id, person_id, plan_name, plan_monthly_yen, plan_started_on, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {h.tenant_id, h.person_id, h.plan_name, store::Opt(h.plan_monthly_yen), store::Opt(h.plan_started_on), now})->Int(0);
  for (std::size_t i = 0; i < h.contacts.size(); ++i) {
    const Contact& c = h.contacts[i];
    s.Execute("INSERT INTO household_contacts (household_id, position, kind, name, relationship, phone) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              {id, static_cast<std::int64_t>(i + 1), c.kind, c.name, c.relationship, c.phone});
  }
  s.Execute("INSERT INTO household_state (household_id) VALUES ($1)", {id});
  // Due at once: the monitor then schedules its first upload deadline, so a gateway that
  // never sends anything is noticed too.
  s.Execute("INSERT INTO watch_deadlines (household_id, due_at) VALUES ($1, $2)", {id, now});
  return id;
}

DeviceCredential AddDevice(store::Session& s, std::int64_t tenant_id, std::int64_t household_id, UnixMillis now) {
  if (!s.QueryOne("SELECT 1 FROM households WHERE id = $1 AND tenant_id = $2", {household_id, tenant_id})) {
    Fail(ErrorCode::kNotFound, "not_found", "no such household", "household");
  }
  DeviceCredential credential{"dev-" + RandomHex(8), RandomHex(32)};
  s.Execute("INSERT INTO devices (id, household_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
            {credential.device, household_id, Sha256Hex(credential.token), now});
  return credential;
}

bool RevokeDevice(store::Session& s, std::int64_t tenant_id, const std::string& device, UnixMillis now) {
  return s.Execute("UPDATE devices SET revoked_at = $3 WHERE id = $1 AND revoked_at IS NULL AND household_id IN "
                   "(SELECT id FROM households WHERE tenant_id = $2)",
                   {device, tenant_id, now}) == 1;
}

std::optional<DeviceIdentity> FindDeviceByToken(store::Session& s, std::string_view token) {
  auto row = s.QueryOne("SELECT d.id, d.household_id, h.tenant_id, h.person_id, d.revoked_at, t.code, p.district "
                        "FROM devices d JOIN households h ON h.id = d.household_id JOIN tenants t ON t.id = h.tenant_id "
                        "JOIN persons p ON p.id = h.person_id WHERE d.token_hash = $1",
                        {Sha256Hex(token)});
  if (!row) return std::nullopt;
  return DeviceIdentity{row->Text(0), row->Int(1), row->Int(2), row->Int(3), !row->IsNull(4), row->Text(5), row->Text(6)};
}

IngestResult StoreReadings(store::Session& s, const DeviceIdentity& device, const std::vector<Reading>& readings,
                           UnixMillis now, std::optional<store::Row>* facts) {
  IngestResult result;
  std::map<UnixMillis, std::int64_t> openings_by_hour;
  // The newest reading of each kind among those inserted now (out-of-order safe below).
  std::map<int, const Reading*> newest;
  std::optional<UnixMillis> last_opening;
  // One statement for the batch (seqs are unique within it): on PostgreSQL a round trip per
  // reading was most of ingest's time. RETURNING names the readings not stored before.
  std::vector<store::Value> values;
  values.reserve(readings.size() * 7);
  for (const Reading& r : readings) {
    values.insert(values.end(), {device.device, r.seq, device.household_id, r.at,
                                 std::int64_t{static_cast<int>(r.kind)}, r.value, now});
  }
  std::set<std::int64_t> stored;
  for (const store::Row& row : store::InsertRows(s, "INSERT INTO readings (device_id, seq, household_id, at, kind, value, received_at)",
                                                 7, values, " ON CONFLICT (device_id, seq) DO NOTHING RETURNING seq")) {
    stored.insert(row.Int(0));
  }
  for (const Reading& r : readings) {
    if (!stored.count(r.seq)) {
      ++result.duplicates;
      continue;
    }
    ++result.accepted;
    if (r.kind == ReadingKind::kDoor && r.value == 1) {
      UnixMillis hour = StartOfHour(r.at);
      ++openings_by_hour[hour];
      if (!last_opening || r.at > *last_opening) last_opening = r.at;
    }
    const Reading*& best = newest[static_cast<int>(r.kind)];
    if (!best || r.at > best->at) best = &r;
  }
  // The upload time and the newest of each kind, in one statement. A late reading never
  // replaces a newer one already stored (a NULL parameter — no such reading — changes nothing).
  auto at = [&](ReadingKind kind) {
    auto it = newest.find(static_cast<int>(kind));
    return it == newest.end() ? store::Value(store::Null{}) : store::Value(it->second->at);
  };
  auto value = [&](ReadingKind kind) {
    auto it = newest.find(static_cast<int>(kind));
    if (it == newest.end()) return store::Value(store::Null{});
    return kind == ReadingKind::kDoor ? store::Value(std::int64_t{it->second->value == 1}) : store::Value(it->second->value);
  };
  std::vector<store::Value> params = {
      device.household_id, now, last_opening ? store::Value(*last_opening) : store::Value(store::Null{}),
      value(ReadingKind::kDoor), at(ReadingKind::kDoor), value(ReadingKind::kTemperature),
      at(ReadingKind::kTemperature), value(ReadingKind::kHumidity), at(ReadingKind::kHumidity),
      value(ReadingKind::kBattery), at(ReadingKind::kBattery)};
  constexpr std::string_view kUpdateState =
      "UPDATE household_state SET last_upload_at = $2, "
      "last_opening_at = CASE WHEN $3 > COALESCE(last_opening_at, -1) THEN $3 ELSE last_opening_at END, "
      "door_open = CASE WHEN $5 >= COALESCE(last_door_at, -1) THEN $4 ELSE door_open END, "
      "last_door_at = CASE WHEN $5 >= COALESCE(last_door_at, -1) THEN $5 ELSE last_door_at END, "
      "temperature = CASE WHEN $7 >= COALESCE(temperature_at, -1) THEN $6 ELSE temperature END, "
      "temperature_at = CASE WHEN $7 >= COALESCE(temperature_at, -1) THEN $7 ELSE temperature_at END, "
      "humidity = CASE WHEN $9 >= COALESCE(humidity_at, -1) THEN $8 ELSE humidity END, "
      "humidity_at = CASE WHEN $9 >= COALESCE(humidity_at, -1) THEN $9 ELSE humidity_at END, "
      "battery = CASE WHEN $11 >= COALESCE(battery_at, -1) THEN $10 ELSE battery END, "
      "battery_at = CASE WHEN $11 >= COALESCE(battery_at, -1) THEN $11 ELSE battery_at END "
      "WHERE household_id = $1";
  // The hourly counts of the household, and of its district and municipality for cohorts (a
  // resident who moves counts in the new district from then on).
  for (const auto& [hour, count] : openings_by_hour) {
    s.AtCommit<CohortOpenings>().Add(device.tenant_id, device.district, hour, count);
  }
  constexpr std::string_view kAddDoor = " ON CONFLICT (household_id, hour_at) DO UPDATE SET openings = door_hourly.openings + excluded.openings";
  if (s.dialect() == store::Dialect::kPostgres) {
    // On PostgreSQL the count, the state and the rules' read after it are one statement (each
    // a round trip otherwise, at every upload): the hours as a VALUES list, each write a CTE;
    // the read takes the new state from the update's RETURNING.
    std::string sql = "WITH ";
    if (!openings_by_hour.empty()) {
      std::string hours;
      for (const auto& [hour, count] : openings_by_hour) {
        params.insert(params.end(), {hour, count});
        hours += fmt::format("{}(${}::bigint, ${}::bigint)", hours.empty() ? "" : ", ", params.size() - 1, params.size());
      }
      sql += fmt::format(
          "v (hour_at, openings) AS (VALUES {}), "
          "d AS (INSERT INTO door_hourly (household_id, hour_at, openings) SELECT $1, hour_at, openings FROM v{}), ",
          hours, kAddDoor);
    }
    sql += fmt::format("st AS ({} RETURNING *) {}", kUpdateState, HouseholdFactsQuery("st"));
    store::Rows rows = s.Query(sql, params);
    if (facts && !rows.empty()) *facts = std::move(rows.front());
    return result;
  }
  std::vector<store::Value> door;
  for (const auto& [hour, count] : openings_by_hour) door.insert(door.end(), {device.household_id, hour, count});
  store::InsertRows(s, "INSERT INTO door_hourly (household_id, hour_at, openings)", 3, door, kAddDoor);
  s.Execute(kUpdateState, params);
  return result;
}

StatusSnapshot LoadStatusSnapshot(store::Session& s, std::int64_t tenant_id, UnixMillis day_start,
                                  const std::vector<std::int64_t>& household_ids) {
  StatusSnapshot snapshot;
  snapshot.day_start = day_start;
  // Placeholders for the households asked for, numbered after the query's own parameters.
  // Their number is padded to a power of two (repeating the last id) so that the prepared
  // statements kept per connection stay few.
  auto only = [&](std::vector<store::Value> params) {
    std::string list;
    std::size_t padded = household_ids.empty() ? 0 : std::bit_ceil(household_ids.size());
    for (std::size_t k = 0; k < padded; ++k) {
      params.emplace_back(household_ids[std::min(k, household_ids.size() - 1)]);
      list += fmt::format("{}${}", list.empty() ? "" : ", ", params.size());
    }
    return std::pair{list.empty() ? "" : " AND h.id IN (" + list + ")", std::move(params)};
  };
  std::unordered_map<std::int64_t, int> open_alerts;
  auto [alerts_filter, alerts_params] = only({tenant_id});
  for (const store::Row& r : s.Query("SELECT h.id, COUNT(*) FROM alerts a JOIN households h ON h.id = a.household_id "
                                     "WHERE a.tenant_id = $1 AND a.state <> 'closed'" + alerts_filter + " GROUP BY h.id",
                                     alerts_params)) {
    open_alerts[r.Int(0)] = static_cast<int>(r.Int(1));
  }
  auto [filter, params] = only({tenant_id, day_start});
  for (const store::Row& r : s.Query(
           "SELECT h.id, p.search_key, st.last_upload_at, st.door_open, st.last_door_at, st.temperature, st.humidity, "
           "st.battery, p.id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.district, "
           "(SELECT COALESCE(SUM(openings), 0) FROM door_hourly dh WHERE dh.household_id = h.id AND dh.hour_at >= $2) "
           "FROM households h JOIN persons p ON p.id = h.person_id "
           "LEFT JOIN household_state st ON st.household_id = h.id WHERE h.tenant_id = $1" + filter +
           " ORDER BY p.family_kana, p.given_kana, h.id", params)) {
    auto entry = std::make_shared<StatusSnapshot::Entry>();
    auto alerts = open_alerts.find(r.Int(0));
    entry->search_key = r.Text(1);
    entry->facts = {r.OptInt(2), !r.IsNull(3) && r.Int(3) != 0, r.OptInt(4), r.OptReal(5), r.OptReal(7),
                    alerts == open_alerts.end() ? 0 : alerts->second, r.OptReal(6)};
    StatusRow& row = entry->row;
    row.household_id = r.Int(0);
    row.person_id = r.Int(8);
    row.name = registry::JoinName(r.Text(9), r.Text(10));
    row.kana = registry::JoinName(r.Text(11), r.Text(12));
    row.district = r.Text(13);
    row.last_upload_at = entry->facts.last_upload_at;
    row.door_openings_today = r.Int(14);
    row.temperature = entry->facts.temperature;
    row.humidity = entry->facts.humidity;
    row.battery = entry->facts.battery;
    row.open_alerts = entry->facts.open_alerts;
    snapshot.entries.push_back(std::move(entry));
  }
  return snapshot;
}

std::optional<StatusSnapshot> PatchStatusSnapshot(const StatusSnapshot& snapshot, const StatusSnapshot& changed,
                                                  const std::vector<std::int64_t>& changed_ids) {
  std::unordered_map<std::int64_t, std::shared_ptr<const StatusSnapshot::Entry>> replacements;
  for (std::int64_t id : changed_ids) replacements.emplace(id, nullptr);  // gone unless read again
  for (const auto& entry : changed.entries) replacements[entry->row.household_id] = entry;
  StatusSnapshot patched;
  patched.day_start = snapshot.day_start;
  patched.entries.reserve(snapshot.entries.size());
  std::size_t replaced = 0;
  for (const auto& entry : snapshot.entries) {
    auto replacement = replacements.find(entry->row.household_id);
    if (replacement == replacements.end()) {
      patched.entries.push_back(entry);
      continue;
    }
    ++replaced;
    // A renamed person moves in kana order: only a whole read puts them right.
    if (replacement->second && replacement->second->row.kana != entry->row.kana) return std::nullopt;
    if (replacement->second) patched.entries.push_back(replacement->second);
  }
  if (replaced != replacements.size()) return std::nullopt;
  return patched;
}

StatusPage ListStatus(store::Session& s, const StatusQuery& q, UnixMillis now, const std::string& time_zone) {
  std::vector<std::int64_t> only;
  if (q.household_id) only.push_back(*q.household_id);
  return ListStatus(LoadStatusSnapshot(s, q.tenant_id, StartOfLocalDay(now, time_zone), only), q, now);
}

std::shared_ptr<const std::vector<HouseholdState>> StatusSnapshot::ColoursAt(UnixMillis now) const {
  UnixMillis second = now - now % 1000;
  std::lock_guard<std::mutex> lock(memo_->mutex);
  if (memo_->second != second || !memo_->states) {
    auto states = std::make_shared<std::vector<HouseholdState>>();
    states->reserve(entries.size());
    for (const auto& e : entries) states->push_back(Classify(e->facts, second));
    memo_->states = std::move(states);
    memo_->second = second;
  }
  return memo_->states;
}

std::shared_ptr<const std::vector<std::uint32_t>> StatusSnapshot::Matching(const std::string& key) const {
  constexpr std::size_t kKept = 32;
  std::lock_guard<std::mutex> lock(memo_->mutex);
  auto& kept = memo_->matches[key];
  if (!kept) {
    auto indexes = std::make_shared<std::vector<std::uint32_t>>();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i]->search_key.find(key) != std::string::npos) indexes->push_back(static_cast<std::uint32_t>(i));
    }
    kept = std::move(indexes);
  }
  auto found = kept;
  if (memo_->matches.size() > kKept) memo_->matches.clear();  // many searches: start again
  return found;
}

StatusPage ListStatus(const StatusSnapshot& snapshot, const StatusQuery& q, UnixMillis now) {
  // The colour of every matching household is needed (the counts, the state filter, the
  // severity order).
  std::string key = SearchKey(q.text);
  struct Matching {
    const StatusSnapshot::Entry* entry;
    HouseholdState state;
  };
  StatusPage page;
  std::vector<Matching> matching;
  matching.reserve(snapshot.entries.size());
  auto colours = snapshot.ColoursAt(now);
  auto matching_key = key.empty() ? nullptr : snapshot.Matching(key);
  std::size_t candidates = matching_key ? matching_key->size() : snapshot.entries.size();
  for (std::size_t k = 0; k < candidates; ++k) {
    std::size_t i = matching_key ? (*matching_key)[k] : k;
    const auto& e = snapshot.entries[i];
    if (q.household_id && e->row.household_id != *q.household_id) continue;
    HouseholdState state = (*colours)[i];
    ++page.counts[static_cast<int>(state)];
    if (q.state && state != *q.state) continue;
    matching.push_back({e.get(), state});
  }
  if (q.by_severity) {
    auto rank = [](HouseholdState st) {
      switch (st) {
        case HouseholdState::kAlert: return 0;
        case HouseholdState::kAttention: return 1;
        case HouseholdState::kOffline: return 2;
        case HouseholdState::kOk: return 3;
      }
      return 4;
    };
    std::stable_sort(matching.begin(), matching.end(),
                     [&](const Matching& a, const Matching& b) { return rank(a.state) < rank(b.state); });
  }
  page.total = static_cast<std::int64_t>(matching.size());
  std::size_t first = std::min(matching.size(), static_cast<std::size_t>(std::max(q.offset, 0)));
  std::size_t last = std::min(matching.size(), first + static_cast<std::size_t>(std::max(q.limit, 0)));
  for (std::size_t k = first; k < last; ++k) {
    StatusRow row = matching[k].entry->row;
    row.state = matching[k].state;
    page.households.push_back(std::move(row));
  }
  return page;
}

}  // namespace moyakko::watch

namespace moyakko::watch {

std::optional<PersonWatchSummary> SummaryForPerson(store::Session& s, std::int64_t person_id, UnixMillis now,
                                                   const std::string& time_zone) {
  auto household = s.QueryOne("SELECT id, tenant_id FROM households WHERE person_id = $1", {person_id});
  if (!household) return std::nullopt;
  PersonWatchSummary summary;
  summary.household_id = household->Int(0);
  StatusPage page = ListStatus(s, {.tenant_id = household->Int(1), .household_id = summary.household_id}, now, time_zone);
  if (!page.households.empty()) summary.today = page.households.front();
  UnixMillis today = StartOfLocalDay(now, time_zone);
  for (int back = 6; back >= 0; --back) {
    // Local days, found from local midnights (a DST-safe step back one day at a time).
    UnixMillis start = StartOfLocalDay(today - back * 24 * kHour + 12 * kHour, time_zone);
    UnixMillis end = StartOfLocalDay(start + 36 * kHour, time_zone);
    std::int64_t openings = s.QueryOne("SELECT COALESCE(SUM(openings), 0) FROM door_hourly WHERE household_id = $1 "
                                       "AND hour_at >= $2 AND hour_at < $3", {summary.household_id, start, end})->Int(0);
    summary.last_days.emplace_back(LocalDate(start, time_zone), openings);
  }
  return summary;
}

}  // namespace moyakko::watch
