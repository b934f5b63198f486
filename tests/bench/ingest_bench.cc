// Ingest throughput, beside its reference:
//   ingest_bench setup <db> <devices> <tokens-file>   households + devices for the HTTP run
//   ingest_bench raw <db> <rows>                        raw SQLite: the same readings schema,
//                                                       prepared INSERTs, 100 rows a transaction
//   ingest_bench http <port> <tokens-file> <seconds> <connections>
//                                                       POST /api/v1/ingest, batches of 100
//   ingest_bench burst <port> <tokens-file> <readings-per-home> <connections>
//                                                       every device uploads once (08:00)
//   ingest_bench inproc <db> <tokens-file> <readings-per-home> <homes-per-commit>
//                                                       the burst without HTTP: storing, rules
//                                                       and COMMIT timed apart
// Each prints one line: "<readings> readings in <seconds> s = <rate> readings/s".
#include <sqlite3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "registry/persons.h"
#include "store/database.h"
#include "store/migrations.h"
#include "watch/monitor.h"
#include "watch/store.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBatch = 100;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void Report(long long readings, double seconds) {
  std::cout << readings << " readings in " << seconds << " s = " << static_cast<long long>(readings / seconds)
            << " readings/s" << std::endl;
}

int Setup(const std::string& path, int devices, const std::string& tokens_file) {
  using namespace moyakko;
  InitCrypto();
  auto db = store::Open(path);
  store::Migrate(*db);
  std::ofstream tokens(tokens_file);
  // Watched from now on: no scheduled upload is overdue when the benchmark starts.
  UnixMillis now = SystemClock().Now();
  db->Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    for (int i = 0; i < devices; ++i) {
      std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant, .family_name = "負荷", .given_name = std::to_string(i)}, now);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = person}, now);
      auto credential = watch::AddDevice(s, tenant, household, now);
      // As the monitor would have: the household's deadlines and rhythm exist before 08:00.
      watch::EvaluateHousehold(s, household, now);
      tokens << credential.device << " " << credential.token << "\n";
    }
  });
  return 0;
}

int Raw(const std::string& path, long long rows) {
  using namespace moyakko;
  {
    auto db = store::Open(path);
    store::Migrate(*db);  // the very same schema and indexes
  }
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  sqlite3_stmt* insert;
  sqlite3_prepare_v2(db, "INSERT INTO readings (device_id, seq, household_id, at, kind, value, received_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert, nullptr);
  const int devices = 5000;
  std::vector<std::string> names;
  for (int d = 0; d < devices; ++d) names.push_back("dev-" + std::to_string(100000 + d));
  auto start = Clock::now();
  long long at = 1764108000000;
  for (long long i = 0; i < rows; ++i) {
    if (i % kBatch == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    int device = static_cast<int>(i % devices);  // 5,000 devices interleaved
    sqlite3_bind_text(insert, 1, names[device].c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, i / devices);
    sqlite3_bind_int64(insert, 3, device + 1);
    sqlite3_bind_int64(insert, 4, at + i);
    sqlite3_bind_int(insert, 5, 1);
    sqlite3_bind_double(insert, 6, 1);
    sqlite3_bind_int64(insert, 7, at);
    sqlite3_step(insert);
    sqlite3_reset(insert);
    if (i % kBatch == kBatch - 1) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  Report(rows, Seconds(start));
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}

// The readings one home uploads at 08:00: door openings and closings, a temperature.
std::vector<moyakko::watch::Reading> MorningUpload(int per_home, long long at) {
  std::vector<moyakko::watch::Reading> readings;
  for (int i = 0; i < per_home; ++i) {
    readings.push_back({i, at - (per_home - i) * 60000LL,
                        i % 3 == 2 ? moyakko::watch::ReadingKind::kTemperature : moyakko::watch::ReadingKind::kDoor,
                        i % 3 == 2 ? 20.5 : (i % 3 ? 0.0 : 1.0)});
  }
  return readings;
}

// seconds > 0: sustained, batches of 100 until time is up. seconds == 0: the 08:00 burst,
// every device uploading one batch of `per_home` readings once.
int Http(unsigned short port, const std::string& tokens_file, double seconds, int connections, int per_home = kBatch) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  std::vector<std::pair<std::string, std::string>> devices;
  std::ifstream in(tokens_file);
  for (std::string device, token; in >> device >> token;) devices.emplace_back(device, token);
  std::atomic<long long> accepted{0};
  std::atomic<bool> failed{false};
  long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  // What the sensor saw in the minutes before: the door opened and closed, the room.
  std::vector<moyakko::watch::Reading> upload = MorningUpload(per_home, now_ms);
  // Sustained, each device's batches follow one another in time, as a real gateway's do (the
  // same times in every batch would pile a household's readings onto the same places of the
  // (household, at) index): a reading every 100 ms from an hour ago on, so that a run of a
  // minute stays within the 10 minutes ahead of now that ingest accepts.
  long long first_ms = now_ms - 3600LL * 1000;
  auto time_of = [&](long long seq, std::size_t i) {
    return moyakko::FormatRfc3339(seconds == 0 ? upload[i].at : first_ms + (seq * per_home + static_cast<long long>(i)) * 100);
  };
  auto body_for = [&](const std::string& device, long long seq) {
    nlohmann::json readings = nlohmann::json::array();
    for (std::size_t i = 0; i < upload.size(); ++i) {
      const moyakko::watch::Reading& r = upload[i];
      bool door = r.kind == moyakko::watch::ReadingKind::kDoor;
      readings.push_back({{"seq", seq * per_home + r.seq}, {"at", time_of(seq, i)}, {"kind", door ? "door" : "temperature"},
                          {"value", door ? nlohmann::json(r.value == 1 ? "open" : "close") : nlohmann::json(r.value)}});
    }
    return nlohmann::json{{"device", device}, {"readings", readings}}.dump();
  };
  // The burst: every home's upload is made before the clock starts, as the homes are other
  // machines; only sending and the server's work are timed.
  bool burst = seconds == 0;
  std::vector<std::string> prepared;
  for (std::size_t d = 0; burst && d < devices.size(); ++d) prepared.push_back(body_for(devices[d].first, 0));
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      boost::asio::io_context io;
      beast::tcp_stream stream(io);
      stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
      long long seq = 0;
      // Each connection owns its devices, so sequences never collide.
      for (std::size_t d = c; burst ? d < devices.size() : Clock::now() < deadline; d += connections) {
        if (d >= devices.size()) {
          d = c;
          ++seq;
        }
        const auto& [device, token] = devices[d];
        bhttp::request<bhttp::string_body> request{bhttp::verb::post, "/api/v1/ingest", 11};
        request.set(bhttp::field::host, "127.0.0.1");
        request.set(bhttp::field::content_type, "application/json");
        request.set(bhttp::field::authorization, "Bearer " + token);
        request.body() = burst ? prepared[d] : body_for(device, seq);
        request.prepare_payload();
        bhttp::write(stream, request);
        beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> response;
        bhttp::read(stream, buffer, response);
        if (response.result_int() != 200) {
          std::cerr << "ingest answered " << response.result_int() << ": " << response.body() << "\n";
          failed = true;
          return;
        }
        accepted += nlohmann::json::parse(response.body())["accepted"].get<long long>();
      }
    });
  }
  for (auto& t : threads) t.join();
  Report(accepted, Seconds(start));
  return failed ? 1 : 0;
}

int InProcess(const std::string& path, const std::string& tokens_file, int per_home, int group) {
  using namespace moyakko;
  auto db = store::Open(path);
  std::vector<watch::DeviceIdentity> devices;
  std::ifstream in(tokens_file);
  auto lookups = Clock::now();
  for (std::string device, token; in >> device >> token;) {
    devices.push_back(*db->Read([&](store::Session& s) { return watch::FindDeviceByToken(s, token); }));
  }
  std::cout << devices.size() << " token lookups in " << Seconds(lookups) << " s" << std::endl;
  long long at = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<watch::Reading> readings = MorningUpload(per_home, at);
  double store_seconds = 0, rules_seconds = 0;
  long long stored = 0;
  auto start = Clock::now();
  for (std::size_t first = 0; first < devices.size(); first += group) {
    db->Write([&](store::Session& s) {
      for (std::size_t d = first; d < std::min(devices.size(), first + group); ++d) {
        auto t0 = Clock::now();
        stored += watch::StoreReadings(s, devices[d], readings, at).accepted;
        auto t1 = Clock::now();
        watch::EvaluateHousehold(s, devices[d].household_id, at);
        store_seconds += std::chrono::duration<double>(t1 - t0).count();
        rules_seconds += Seconds(t1);
      }
    });
  }
  double total = Seconds(start);
  Report(stored, total);
  std::cout << "store " << store_seconds << " s, rules " << rules_seconds << " s, commit and the rest "
            << total - store_seconds - rules_seconds << " s; rules " << 100 * rules_seconds / total << "% of ingest"
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "setup" && argc == 5) return Setup(argv[2], std::atoi(argv[3]), argv[4]);
  if (mode == "raw" && argc == 4) return Raw(argv[2], std::atoll(argv[3]));
  if (mode == "burst" && argc == 6) return Http(static_cast<unsigned short>(std::atoi(argv[2])), argv[3], 0, std::atoi(argv[5]), std::atoi(argv[4]));
  if (mode == "inproc" && argc == 6) return InProcess(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]));
  if (mode == "http" && argc == 6) return Http(static_cast<unsigned short>(std::atoi(argv[2])), argv[3], std::atof(argv[4]), std::atoi(argv[5]));
  std::cerr << "usage: see the comment at the top of ingest_bench.cc\n";
  return 2;
}
