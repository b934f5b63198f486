#include "watch/ingest_writer.h"

#include "watch/monitor.h"

namespace moyakko::watch {

IngestOutcome IngestWriter::Submit(const DeviceIdentity& device, const std::vector<Reading>& readings, UnixMillis now) {
  Job job{&device, &readings, now, {}, nullptr, false};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&job);
  changed_.wait(lock, [&] { return job.done || !leader_active_; });
  while (!job.done) {
    // Lead: commit everything queued so far, ours included, in one transaction.
    leader_active_ = true;
    std::vector<Job*> group(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    CommitGroup(group);
    lock.lock();
    for (Job* j : group) j->done = true;
    leader_active_ = false;
    changed_.notify_all();
  }
  if (job.error) std::rethrow_exception(job.error);
  return job.outcome;
}

void IngestWriter::CommitGroup(std::vector<Job*>& group) {
  try {
    db_.Write([&](store::Session& s) {
      for (Job* j : group) {
        j->outcome.stored = StoreReadings(s, *j->device, *j->readings, j->now);
        j->outcome.alerts_opened = EvaluateHousehold(s, j->device->household_id, j->now);
      }
    });
  } catch (...) {
    if (group.size() == 1) {
      group[0]->error = std::current_exception();
      return;
    }
    // One batch may have spoilt the group: give each its own transaction and answer.
    for (Job* j : group) {
      std::vector<Job*> alone{j};
      j->outcome = {};
      CommitGroup(alone);
    }
  }
}

}  // namespace moyakko::watch
