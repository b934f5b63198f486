#pragma once
// Group commit. Every acknowledged write must be on disk, and on SQLite each commit costs an
// fsync: at 08:00 thousands of gateways upload at once, and every read of personal data
// appends an audit row. Work that arrives while a commit is in progress waits and runs in the
// next transaction together with the rest, so one fsync acknowledges many callers. Each
// caller's work stays all-or-nothing: when the shared transaction fails, every piece of work
// runs again in a transaction of its own, so one caller's error never fails another's; work
// that PostgreSQL aborted for meeting a concurrent transaction (`retry`) is run up to three
// times before the caller gets the 409.
// No thread of its own: the first waiting caller leads the next commit. With several groups in
// flight (for PostgreSQL, which runs transactions side by side), a caller that finds fewer
// leaders than that leads a group of its own at once.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace moyakko::store {

class GroupCommit {
 public:
  explicit GroupCommit(Database& db, int groups_in_flight = 1) : db_(db), groups_in_flight_(groups_in_flight) {}
  // Runs `work` in a write transaction and returns after its COMMIT, or throws what the work
  // (or the commit) threw, having written nothing of it. `work` may run twice (once in a
  // group that failed): it must set its results afresh each time.
  // A group runs its work by ascending `order`: work that changes the rows of one thing (a
  // household) passes its id, so that groups in flight at once lock those rows in one order
  // and never deadlock over them.
  void Run(const std::function<void(Session&)>& work, std::int64_t order = 0);
  // Transactions of this group commit that the database aborted for meeting a concurrent one
  // (a deadlock, a serialisation failure), since it was made.
  std::int64_t conflicts() const { return conflicts_; }

 private:
  struct Job {
    const std::function<void(Session&)>* work;
    std::int64_t order;
    std::exception_ptr error;
    bool taken = false;  // in a leader's group
    bool done = false;
  };
  void CommitGroup(const std::vector<Job*>& group);

  Database& db_;
  const int groups_in_flight_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job*> queue_;
  int leaders_ = 0;
  std::atomic<std::int64_t> conflicts_{0};
};

}  // namespace moyakko::store
