#include "insight/routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "insight/store.h"
#include "registry/persons.h"

namespace moyakko::insight {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;
using nlohmann::json;

struct Deps {
  store::Database& db;
  store::GroupCommit& commits;
};

std::string HourLabel(int hour) { return fmt::format("{:02}:00", hour); }

// Rounded to `decimals` places (dividing by a power of ten keeps 21.4 from printing as 21.400000000000002).
double Round(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

json WindowsJson(const std::vector<Window>& windows) {
  json out = json::array();
  for (const Window& w : windows) {
    out.push_back({{"from", HourLabel(w.from_hour)}, {"to", HourLabel(w.to_hour)}, {"share", Round(w.share, 3)}});
  }
  return out;
}

json FindingJson(const Finding& f) {
  return {{"code", f.code}, {"text", f.text}, {"text_en", f.text_en}, {"suggestion", f.suggestion},
          {"suggestion_en", f.suggestion_en}, {"evidence", f.evidence}};
}

json RecordedJson(const RecordedFinding& r) {
  json out = FindingJson(r.finding);
  out["id"] = r.id;
  out["from"] = r.from;
  out["to"] = r.to;
  out["found_at"] = FormatRfc3339(r.found_at);
  out["discussed"] = r.discussed_at ? json{{"at", FormatRfc3339(*r.discussed_at)}, {"by", r.discussed_by},
                                           {"note", r.discussed_note}}
                                    : json(nullptr);
  return out;
}

template <std::size_t N>
json Means(const std::array<std::int64_t, N>& sums, int households) {
  json out = json::array();
  for (std::int64_t sum : sums) out.push_back(households ? Round(static_cast<double>(sum) / households, 2) : 0.0);
  return out;
}

json ProfileJson(const Analysis& a) {
  json weekly = json::array(), daily = json::array(), matrix = json::array();
  for (const Week& w : a.person.weekly) weekly.push_back({{"from", w.from}, {"days", w.days}, {"openings", w.openings}});
  for (int day = 0; day < a.period.days(); ++day) {
    daily.push_back({{"date", a.period.dates[day]}, {"openings", a.person.daily[day]}});
  }
  for (const auto& row : a.person.by_hour_weekday) matrix.push_back(row);
  json temperature = json::array(), humidity = json::array();
  for (int hour = 0; hour < 24; ++hour) {
    auto value = [](const std::optional<double>& v) { return v ? json(Round(*v, 1)) : json(nullptr); };
    temperature.push_back(value(a.climate.temperature[hour]));
    humidity.push_back(value(a.climate.humidity[hour]));
  }
  json absent = json::array(), silent = json::array();
  for (int day : a.rhythm.absent_days) absent.push_back({{"date", a.period.dates[day]}, {"weekday", a.period.weekdays[day]}});
  for (int day : a.rhythm.silent_days) silent.push_back(a.period.dates[day]);
  auto hour_or_null = [](const std::optional<int>& hour) { return hour ? json(HourLabel(*hour)) : json(nullptr); };
  json findings = json::array();
  for (const Finding& f : a.findings) findings.push_back(FindingJson(f));
  const HouseholdRef& h = a.household;
  return {
      {"household", h.id},
      {"person", {{"id", h.person_id}, {"name", h.name}, {"kana", h.kana}, {"district", h.district}}},
      {"from", a.period.from},
      {"to", a.period.to},
      {"time_zone", a.time_zone},
      {"days", a.period.days()},
      {"hourly", a.person.hourly},
      {"weekday", a.person.weekday},
      {"by_hour_weekday", matrix},
      {"weekly", weekly},
      {"daily", daily},
      {"climate", {{"temperature", temperature}, {"humidity", humidity}}},
      {"rhythm",
       {{"waking", hour_or_null(a.rhythm.waking_hour)},
        {"bedtime", hour_or_null(a.rhythm.bedtime_hour)},
        {"windows", WindowsJson(a.rhythm.windows)},
        {"night_share", Round(a.rhythm.night_share, 3)},
        {"absent_days", absent},
        {"silent_days", silent}}},
      {"cohort",
       {{"id", a.cohort_info.id},
        {"name", a.cohort_info.name},
        {"households", a.cohort_info.households},
        {"hourly", a.cohort.hourly},
        {"weekday", a.cohort.weekday},
        {"hourly_mean", Means(a.cohort.hourly, a.cohort_info.households)},
        {"weekday_mean", Means(a.cohort.weekday, a.cohort_info.households)},
        {"peaks", WindowsJson(BusyWindows(a.cohort.hourly))},
        {"night_share", Round(NightShare(a.cohort.hourly), 3)}}},
      {"findings", findings},
  };
}

// One row per figure, for a spreadsheet: series (hour, weekday, date, week), its key, the
// person's openings, the cohort's sum and per-household mean.
std::string ProfileCsv(const Analysis& a) {
  static constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  int households = std::max(1, a.cohort_info.households);
  std::string csv = "series,key,person,cohort_sum,cohort_mean\r\n";
  auto row = [&](const std::string& series, const std::string& key, std::int64_t person, std::optional<std::int64_t> cohort) {
    csv += fmt::format("{},{},{},", series, key, person);
    csv += cohort ? fmt::format("{},{:.2f}\r\n", *cohort, static_cast<double>(*cohort) / households) : ",\r\n";
  };
  for (int hour = 0; hour < 24; ++hour) row("hour", HourLabel(hour), a.person.hourly[hour], a.cohort.hourly[hour]);
  for (int d = 0; d < 7; ++d) row("weekday", kWeekdays[d], a.person.weekday[d], a.cohort.weekday[d]);
  for (int day = 0; day < a.period.days(); ++day) {
    row("date", a.period.dates[day], a.person.daily[day], a.cohort.daily[day]);
  }
  for (std::size_t w = 0; w < a.person.weekly.size(); ++w) {
    row("week", a.person.weekly[w].from, a.person.weekly[w].openings, a.cohort.weekly[w].openings);
  }
  return csv;
}

// One household's data: the household is found, its person checked at the policy point,
// the work done in one read transaction, and the access audited before the answer.
template <class Work>
Response ReadHousehold(Deps& d, Context& c, const std::string& what, Work&& work) {
  std::int64_t id = c.IdParam("id");
  audit::Entry entry;
  Response response = d.db.Read([&](store::Session& s) {
    auto household = FindHousehold(s, id);
    // An unknown household is refused like another's, so ids cannot be probed.
    entry = auth::CheckPerson(s, c.principal(), Action::kInsightView, household ? household->person_id : 0,
                              {c.request_id(), "", fmt::format("{} household={}", what, id)});
    return work(s, *household);
  });
  d.commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  response.headers.push_back({"Cache-Control", "private, no-store"});
  return response;
}

Analysis AnalyseRequest(store::Session& s, Context& c, const HouseholdRef& household) {
  const http::Request& r = c.request();
  std::string time_zone = registry::TenantTimeZone(s, household.tenant_id);
  auto from = r.QueryParam("from"), to = r.QueryParam("to");
  if (!from) Fail(ErrorCode::kInvalidArgument, "missing", "from: required (YYYY-MM-DD)", "from");
  if (!to) Fail(ErrorCode::kInvalidArgument, "missing", "to: required (YYYY-MM-DD)", "to");
  Period period = MakePeriod(*from, *to, time_zone);
  std::string cohort_id = r.QueryParam("cohort").value_or("tenant");
  auto cohort = FindCohort(s, household.tenant_id, cohort_id);
  if (!cohort) Fail(ErrorCode::kInvalidArgument, "unknown_cohort", "cohort: tenant, district:<name> or group:<id>", "cohort");
  return Analyse(s, household, period, *cohort, time_zone);
}

Response ProfileRoute(Deps& d, Context& c) {
  return ReadHousehold(d, c, "profile", [&](store::Session& s, const HouseholdRef& household) {
    Analysis a = AnalyseRequest(s, c, household);
    return Response::Json(200, ProfileJson(a));
  });
}

Response ProfileCsvRoute(Deps& d, Context& c) {
  return ReadHousehold(d, c, "profile csv", [&](store::Session& s, const HouseholdRef& household) {
    Analysis a = AnalyseRequest(s, c, household);
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = "\xEF\xBB\xBF" + ProfileCsv(a);  // the BOM makes spreadsheet programs read UTF-8
    r.headers.push_back({"Content-Disposition", fmt::format("attachment; filename=\"rhythm-{}-{}-{}.csv\"",
                                                            household.id, a.period.from, a.period.to)});
    return r;
  });
}

Response FindingsRoute(Deps& d, Context& c) {
  return ReadHousehold(d, c, "findings", [&](store::Session& s, const HouseholdRef& household) {
    json findings = json::array();
    for (const RecordedFinding& f : RecordedFindings(s, household.id)) findings.push_back(RecordedJson(f));
    return Response::Json(200, {{"findings", findings}});
  });
}

Response DiscussedRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  std::string note = http::RequiredText(body, "note", 2000);
  std::int64_t id = c.IdParam("id");
  return d.db.Write([&](store::Session& s) {
    auto finding = FindRecorded(s, id);
    audit::Append(s, auth::CheckPerson(s, c.principal(), Action::kInsightDiscuss, finding ? finding->person_id : 0,
                                       {c.request_id(), "", fmt::format("finding={} discussed", id)}));
    MarkDiscussed(s, id, c.principal().user_id, note, SystemClock().Now());
    return Response::Json(200, {{"finding", RecordedJson(*FindRecorded(s, id))}});
  });
}

json CohortJson(const Cohort& cohort) {
  return {{"id", cohort.id}, {"name", cohort.name}, {"households", cohort.households}};
}

Response CohortsRoute(Deps& d, Context& c) {
  json cohorts = json::array();
  for (const Cohort& cohort : d.db.Read([&](store::Session& s) { return ListCohorts(s, c.principal().tenant_id); })) {
    cohorts.push_back(CohortJson(cohort));
  }
  return Response::Json(200, {{"cohorts", cohorts}});
}

Response AddGroupRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  std::string name = http::RequiredText(body, "name", 100);
  std::vector<std::int64_t> households;
  auto list = body.find("households");
  if (list == body.end() || !list->is_array() || list->empty() || list->size() > 10000) {
    Fail(ErrorCode::kInvalidArgument, "invalid_households", "households: 1–10,000 household ids", "households");
  }
  for (const json& id : *list) {
    if (!id.is_number_integer()) Fail(ErrorCode::kInvalidArgument, "invalid_households", "households: ids", "households");
    households.push_back(id.get<std::int64_t>());
  }
  return d.db.Write([&](store::Session& s) {
    Cohort group = AddGroup(s, c.principal().tenant_id, name, households, c.principal().user_id, SystemClock().Now());
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kInsightGroups, c.request_id());
    entry.detail = fmt::format("{} households={}", group.id, group.households);
    audit::Append(s, entry);
    return Response::Json(201, {{"group", CohortJson(group)}});
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits) {
  auto add = http::RouteAdder(router, std::make_shared<Deps>(Deps{db, commits}));
  const std::string i = "/api/v1/insight";
  add("GET", i + "/cohorts", Action::kInsightView, CohortsRoute);
  add("POST", i + "/groups", Action::kInsightGroups, AddGroupRoute);
  add("GET", i + "/households/{id}/profile", Action::kInsightView, ProfileRoute);
  add("GET", i + "/households/{id}/profile.csv", Action::kInsightView, ProfileCsvRoute);
  add("GET", i + "/households/{id}/findings", Action::kInsightView, FindingsRoute);
  add("POST", i + "/findings/{id}/discussed", Action::kInsightDiscuss, DiscussedRoute);
}

}  // namespace moyakko::insight
