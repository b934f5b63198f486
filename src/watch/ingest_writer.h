#pragma once
// Sensor uploads through a group commit (store/group_commit.h; on PostgreSQL one of their own
// with several groups in flight): at 08:00 thousands of gateways upload at once, and one
// commit acknowledges many batches, each still all-or-nothing and idempotent.
#include <cstdint>
#include <vector>

#include "store/group_commit.h"
#include "watch/readings.h"
#include "watch/store.h"

namespace moyakko::watch {

struct IngestOutcome {
  IngestResult stored;
  std::vector<std::int64_t> alerts_opened;
};

class IngestWriter {
 public:
  explicit IngestWriter(store::GroupCommit& commits) : commits_(commits) {}
  // Stores the readings and runs the household's rules; returns after COMMIT. Throws the
  // commit's Failure (then nothing of this batch was stored).
  IngestOutcome Submit(const DeviceIdentity& device, const std::vector<Reading>& readings, UnixMillis now);

 private:
  store::GroupCommit& commits_;
};

}  // namespace moyakko::watch
