#pragma once
// The status list's snapshots (store.h StatusSnapshot), one per municipality, shared by the
// call centre's screens: reading 10,000 households for every page would cost more than the
// page is allowed to. A snapshot is used for at most a second, and not at all once this
// process has published a change to that municipality's households or alerts — the very
// event that makes the screens ask again. (Another app node's change shows within the second.)
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/clock.h"
#include "http/events.h"
#include "store/database.h"
#include "watch/store.h"

namespace moyakko::watch {

class StatusSnapshots {
 public:
  static constexpr UnixMillis kMaxAge = 1000;
  static constexpr UnixMillis kMaxStale = 3000;  // served while another reader reloads
  // Forgets a municipality's snapshot whenever a watch event is published for it.
  explicit StatusSnapshots(http::EventHub& events);
  std::shared_ptr<const StatusSnapshot> Get(store::Session& s, std::int64_t tenant_id, UnixMillis now);

 private:
  struct Cached {
    std::shared_ptr<const StatusSnapshot> snapshot;
    UnixMillis loaded_at = 0;
    std::uint64_t version = 0;  // of the municipality's data when it was loaded
    bool loading = false;
  };
  std::mutex mutex_;
  std::condition_variable loaded_;
  std::unordered_map<std::int64_t, Cached> cached_;
  std::unordered_map<std::int64_t, std::uint64_t> versions_;
};

}  // namespace moyakko::watch
