#include "store/testing.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "common/crypto.h"
#include "store/migrations.h"

namespace moyakko::store {
namespace {

void AdminCommand(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test postgres: " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("test postgres: " + message);
}

// Replaces the database name in a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& name) {
  std::size_t query = url.find('?');
  std::string base = url.substr(0, query);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  std::size_t scheme = base.find("://");
  std::size_t slash = base.find('/', scheme + 3);
  return base.substr(0, slash) + "/" + name + rest;
}

}  // namespace

std::vector<std::string> TestBackends() { return {"sqlite", "postgres"}; }

TestDatabase::TestDatabase(const std::string& backend, bool migrate) : backend_(backend) {
  InitCrypto();
  name_ = "moyakko_test_" + RandomHex(6);
  if (backend == "sqlite") {
    url_ = (std::filesystem::temp_directory_path() / (name_ + ".db")).string();
  } else {
    const char* admin = std::getenv("MOYAKKO_TEST_PG_URL");
    if (!admin || !*admin) return;
    admin_url_ = admin;
    AdminCommand(admin_url_, "CREATE DATABASE " + name_);
    url_ = WithDatabase(admin_url_, name_);
  }
  db_ = Open(url_);
  if (migrate) Migrate(*db_);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (backend_ == "sqlite") {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url_ + suffix);
  } else if (!admin_url_.empty()) {
    try {
      AdminCommand(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
}

}  // namespace moyakko::store
