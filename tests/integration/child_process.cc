#include "integration/child_process.h"

#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace moyakko::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, bool read_stdout, std::uint64_t file_size_limit) {
  int out[2] = {-1, -1};
  if (read_stdout && pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // no orphan if the test crashes
    if (file_size_limit) {
      signal(SIGXFSZ, SIG_IGN);  // kept across exec: writes fail instead
      rlimit limit{file_size_limit, file_size_limit};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    if (read_stdout) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  if (read_stdout) {
    close(out[1]);
    stdout_ = out[0];
  }
}

void ChildProcess::Kill(int signal) {
  if (stdout_ >= 0) close(stdout_);
  stdout_ = -1;
  if (pid_ <= 0) return;
  kill(pid_, signal);
  waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

std::string ChildProcess::FirstLine() {
  std::string line;
  char c;
  while (stdout_ >= 0 && read(stdout_, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

ServerProcess::ServerProcess(const std::string& binary, const std::string& db_url,
                             const std::vector<std::string>& extra_args, std::uint64_t file_size_limit)
    : process_([&] {
        std::vector<std::string> argv = {binary, "serve", "--db", db_url, "--listen", "127.0.0.1:0",
                                         "--web-root", "/nonexistent", "--log-level", "warn"};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        return argv;
      }(), true, file_size_limit) {
  // The first line on stdout is "moyakko: listening on http://127.0.0.1:<port>/".
  std::string line = process_.FirstLine();
  auto colon = line.rfind(':');
  if (colon != std::string::npos) port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

namespace {

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

}  // namespace

std::uint16_t FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool WaitForListener(std::uint16_t port, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = Loopback(port);
    bool accepted = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    if (accepted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

}  // namespace moyakko::testing
