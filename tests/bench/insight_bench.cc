// Life-rhythm analytics at a municipality's scale:
//   insight_bench setup <db> <days>   door openings for every household of Seto for the last
//                                     <days> days (the first household: a whole year), hour
//                                     by hour as ingest keeps them (door_hourly, the district
//                                     and municipality sums); prints that household's id
//   insight_bench raw <db> <days>     the reference: the municipality's hourly openings summed
//                                     from door_hourly over <days> days; prints the seconds
// The API itself is measured over HTTP by run.sh.
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <tuple>

#include "common/clock.h"
#include "store/database.h"

namespace {

using namespace moyakko;
using Clock = std::chrono::steady_clock;
constexpr UnixMillis kHour = 3600 * 1000;

// The cohort's hour-of-day shape (sim/history.cc): peaks at 6:30–7:30, 12:00 and 17:00–18:00.
constexpr double kShape[24] = {0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.6, 2.4, 1.0, 0.8, 0.9, 1.4,
                               2.0, 1.0, 0.7, 0.8, 1.1, 2.0, 2.2, 1.2, 0.9, 0.6, 0.3, 0.15};

int Setup(const std::string& path, int days) {
  auto db = store::Open(path);
  UnixMillis end = StartOfHour(SystemClock().Now());
  auto households = db->Read([](store::Session& s) {
    return s.Query("SELECT h.id, h.tenant_id, p.district FROM households h JOIN persons p ON p.id = h.person_id "
                   "JOIN tenants t ON t.id = h.tenant_id WHERE t.code = 'seto' ORDER BY h.id");
  });
  double shape_total = 0;
  for (double w : kShape) shape_total += w;
  std::mt19937 rng(20261126);
  std::uniform_real_distribution<double> per_day(15, 40);
  std::map<std::tuple<std::int64_t, std::string, UnixMillis>, std::int64_t> cohort;
  long long rows = 0;
  db->Write([&](store::Session& s) {
    s.Execute("DELETE FROM door_hourly", {});
    s.Execute("DELETE FROM cohort_hourly", {});
    s.Execute("DELETE FROM tenant_hourly", {});
    bool first = true;
    for (const store::Row& h : households) {
      double daily = per_day(rng);
      int span = first ? 365 : days;
      first = false;
      for (UnixMillis at = end - span * 24 * kHour; at < end; at += kHour) {
        int local_hour = static_cast<int>(((at + 9 * kHour) / kHour) % 24);
        std::poisson_distribution<int> openings(daily * kShape[local_hour] / shape_total);
        int n = openings(rng);
        if (!n) continue;
        s.Execute("INSERT INTO door_hourly (household_id, hour_at, openings) VALUES ($1, $2, $3)",
                  {h.Int(0), at, std::int64_t{n}});
        cohort[{h.Int(1), h.Text(2), at}] += n;
        ++rows;
      }
    }
    for (const auto& [key, openings] : cohort) {
      s.Execute("INSERT INTO cohort_hourly (tenant_id, district, hour_at, openings) VALUES ($1, $2, $3, $4)",
                {std::get<0>(key), std::get<1>(key), std::get<2>(key), openings});
    }
    s.Execute("INSERT INTO tenant_hourly (tenant_id, hour_at, openings) SELECT tenant_id, hour_at, SUM(openings) "
              "FROM cohort_hourly GROUP BY tenant_id, hour_at", {});
  });
  std::cerr << households.size() << " households, " << rows << " hourly rows, " << cohort.size() << " cohort rows\n";
  std::cout << households.front().Int(0) << std::endl;
  return 0;
}

int Raw(const std::string& path, int days) {
  auto db = store::Open(path);
  UnixMillis end = StartOfHour(SystemClock().Now());
  auto started = Clock::now();
  auto rows = db->Read([&](store::Session& s) {
    return s.Query("SELECT dh.hour_at, SUM(dh.openings) FROM door_hourly dh JOIN households h ON h.id = dh.household_id "
                   "JOIN tenants t ON t.id = h.tenant_id WHERE t.code = 'seto' AND dh.hour_at >= $1 AND dh.hour_at < $2 "
                   "GROUP BY dh.hour_at", {end - days * 24 * kHour, end});
  });
  std::cout << std::chrono::duration<double>(Clock::now() - started).count() << std::endl;
  std::cerr << rows.size() << " hours summed\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: insight_bench setup|raw <db> <days>\n";
    return 2;
  }
  std::string command = argv[1];
  if (command == "setup") return Setup(argv[2], std::stoi(argv[3]));
  if (command == "raw") return Raw(argv[2], std::stoi(argv[3]));
  std::cerr << "usage: insight_bench setup|raw <db> <days>\n";
  return 2;
}
