#pragma once
// Group commit for sensor uploads. Every acknowledged batch must be on disk, and on SQLite
// each commit costs an fsync; at 08:00 thousands of gateways upload at once. Batches that
// arrive while a commit is in progress wait and are committed together in the next
// transaction (each still all-or-nothing and idempotent), so one fsync acknowledges many.
// No thread of its own: the first waiting caller leads the next commit.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <vector>

#include "store/database.h"
#include "watch/readings.h"
#include "watch/store.h"

namespace moyakko::watch {

struct IngestOutcome {
  IngestResult stored;
  std::vector<std::int64_t> alerts_opened;
};

class IngestWriter {
 public:
  explicit IngestWriter(store::Database& db) : db_(db) {}
  // Stores the readings and runs the household's rules; returns after COMMIT. Throws the
  // commit's Failure (then nothing of this batch was stored).
  IngestOutcome Submit(const DeviceIdentity& device, const std::vector<Reading>& readings, UnixMillis now);

 private:
  struct Job {
    const DeviceIdentity* device;
    const std::vector<Reading>* readings;
    UnixMillis now;
    IngestOutcome outcome;
    std::exception_ptr error;
    bool done = false;
  };
  void CommitGroup(std::vector<Job*>& group);

  store::Database& db_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job*> queue_;
  bool leader_active_ = false;
};

}  // namespace moyakko::watch
