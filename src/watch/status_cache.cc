#include "watch/status_cache.h"

namespace moyakko::watch {

StatusSnapshots::StatusSnapshots(http::EventHub& events) {
  events.Observe([this](const http::Event& event) {
    if (!event.tenant_id || !event.name.starts_with("watch.")) return;
    std::lock_guard<std::mutex> lock(mutex_);
    ++versions_[*event.tenant_id];
  });
}

std::shared_ptr<const StatusSnapshot> StatusSnapshots::Get(store::Session& s, std::int64_t tenant_id, UnixMillis now) {
  std::uint64_t version;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    version = versions_[tenant_id];
    auto found = cached_.find(tenant_id);
    if (found != cached_.end() && found->second.version == version && now - found->second.loaded_at < kMaxAge &&
        now >= found->second.loaded_at) {
      return found->second.snapshot;
    }
  }
  // Loaded outside the lock: a second caller meanwhile loads its own, and the newer stays.
  auto snapshot = std::make_shared<const StatusSnapshot>(LoadStatusSnapshot(s, tenant_id));
  std::lock_guard<std::mutex> lock(mutex_);
  Cached& slot = cached_[tenant_id];
  if (slot.loaded_at <= now) slot = {snapshot, now, version};
  return snapshot;
}

}  // namespace moyakko::watch
