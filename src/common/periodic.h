#pragma once
// Runs a task every interval on a thread of its own, from Start() until Stop() (or the
// destructor). A Stop() during the wait returns at once.
#include <chrono>
#include <functional>
#include <thread>

namespace moyakko {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> task);
  ~Periodic() { Stop(); }
  void Start();
  void Stop();

 private:
  std::chrono::milliseconds interval_;
  std::function<void()> task_;
  std::jthread thread_;
};

}  // namespace moyakko
