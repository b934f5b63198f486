#pragma once
// Group commit. Every acknowledged write must be on disk, and on SQLite each commit costs an
// fsync: at 08:00 thousands of gateways upload at once, and every read of personal data
// appends an audit row. Work that arrives while a commit is in progress waits and runs in the
// next transaction together with the rest, so one fsync acknowledges many callers. Each
// caller's work stays all-or-nothing: when the shared transaction fails, every piece of work
// runs again in a transaction of its own, so one caller's error never fails another's; work
// that PostgreSQL aborted for meeting a concurrent transaction (`retry`) is run up to three
// times before the caller gets the 409.
// No thread of its own: the first waiting caller leads the next commit.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace moyakko::store {

class GroupCommit {
 public:
  explicit GroupCommit(Database& db) : db_(db) {}
  // Runs `work` in a write transaction and returns after its COMMIT, or throws what the work
  // (or the commit) threw, having written nothing of it. `work` may run twice (once in a
  // group that failed): it must set its results afresh each time.
  void Run(const std::function<void(Session&)>& work);

 private:
  struct Job {
    const std::function<void(Session&)>* work;
    std::exception_ptr error;
    bool done = false;
  };
  void CommitGroup(const std::vector<Job*>& group);

  Database& db_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job*> queue_;
  bool leader_active_ = false;
};

}  // namespace moyakko::store
