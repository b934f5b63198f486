#include "common/periodic.h"

#include <condition_variable>
#include <mutex>

namespace moyakko {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> task)
    : interval_(interval), task_(std::move(task)) {}

void Periodic::Start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      task_();
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, interval_, [] { return false; });
    }
  });
}

void Periodic::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

}  // namespace moyakko
