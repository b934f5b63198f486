#pragma once
// Processes that integration tests start: the real `moyakko serve`, a broker. Each is ended
// (SIGTERM, waited for) when its object goes away, and by the kernel if the test dies first.
#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

namespace moyakko::testing {

class ChildProcess {
 public:
  // Runs argv[0] (a path) with `argv`. With `read_stdout`, FirstLine() reads its output.
  // A `file_size_limit` (bytes) makes every write that would grow a file past it fail, as
  // on a full disk (EFBIG instead of ENOSPC; the signal that would end the process is ignored).
  explicit ChildProcess(const std::vector<std::string>& argv, bool read_stdout = false,
                        std::uint64_t file_size_limit = 0);
  ~ChildProcess() { Kill(SIGTERM); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Sends `signal` and waits for the process to end.
  void Kill(int signal);
  // The first line the process writes on stdout, without the newline ("" if it ends first).
  std::string FirstLine();

 private:
  pid_t pid_ = 0;
  int stdout_ = -1;
};

// `moyakko serve` on a free loopback port, on `db_url`, with `extra_args` (e.g. --mqtt-url).
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::string& db_url, const std::vector<std::string>& extra_args = {},
                std::uint64_t file_size_limit = 0);
  void Kill(int signal) { process_.Kill(signal); }
  std::uint16_t port() const { return port_; }  // 0: the server did not start

 private:
  ChildProcess process_;
  std::uint16_t port_ = 0;
};

// A loopback TCP port that was free a moment ago.
std::uint16_t FreeLoopbackPort();
// Whether something accepts connections on 127.0.0.1:`port`, polling up to `seconds`.
bool WaitForListener(std::uint16_t port, double seconds);

}  // namespace moyakko::testing
