#include "store/group_commit.h"

#include <algorithm>

#include "common/error.h"

namespace moyakko::store {
namespace {

// PostgreSQL may abort a transaction that met a concurrent one (a deadlock with the
// monitor's pass, a serialisation failure); such work is simply run again.
constexpr int kAttemptsAfterConflict = 3;

bool MustRetry(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Failure& failure) {
    return failure.error().slug == "retry";
  } catch (...) {
    return false;
  }
}

}  // namespace

void GroupCommit::Run(const std::function<void(Session&)>& work, std::int64_t order) {
  Job job{&work, order, nullptr};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&job);
  changed_.wait(lock, [&] { return job.done || (!job.taken && leaders_ < groups_in_flight_); });
  if (!job.done) {
    // Lead: commit everything queued so far, ours included, in one transaction.
    ++leaders_;
    std::vector<Job*> group(queue_.begin(), queue_.end());
    queue_.clear();
    for (Job* j : group) j->taken = true;
    lock.unlock();
    std::stable_sort(group.begin(), group.end(), [](const Job* a, const Job* b) { return a->order < b->order; });
    CommitGroup(group);
    lock.lock();
    for (Job* j : group) j->done = true;
    --leaders_;
    changed_.notify_all();
  }
  if (job.error) std::rethrow_exception(job.error);
}

void GroupCommit::CommitGroup(const std::vector<Job*>& group) {
  try {
    db_.Write([&](Session& s) {
      for (Job* j : group) (*j->work)(s);
    });
  } catch (...) {
    if (MustRetry(std::current_exception())) ++conflicts_;
    if (group.size() == 1) {
      group[0]->error = std::current_exception();
      // Until it succeeds (no error left to look at) or fails for another reason.
      for (int attempt = 1; attempt < kAttemptsAfterConflict && group[0]->error && MustRetry(group[0]->error);
           ++attempt) {
        group[0]->error = nullptr;
        try {
          db_.Write([&](Session& s) { (*group[0]->work)(s); });
        } catch (...) {
          group[0]->error = std::current_exception();
          if (MustRetry(group[0]->error)) ++conflicts_;
        }
      }
      return;
    }
    // One piece of work may have spoilt the group: give each its own transaction and answer.
    for (Job* j : group) CommitGroup({j});
  }
}

}  // namespace moyakko::store
