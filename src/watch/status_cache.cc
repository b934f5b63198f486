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
  std::unique_lock<std::mutex> lock(mutex_);
  std::uint64_t version = versions_[tenant_id];
  Cached& slot = cached_[tenant_id];
  auto current = [&] { return slot.snapshot && slot.version == version; };
  // One reader loads at a time: the others wait for it when the data changed, and keep using
  // the previous snapshot when it merely aged.
  while (slot.loading) {
    if (current() && now - slot.loaded_at < kMaxStale) return slot.snapshot;
    loaded_.wait(lock);
  }
  if (current() && now >= slot.loaded_at && now - slot.loaded_at < kMaxAge) return slot.snapshot;
  slot.loading = true;
  lock.unlock();
  std::shared_ptr<const StatusSnapshot> snapshot;
  try {
    snapshot = std::make_shared<const StatusSnapshot>(LoadStatusSnapshot(s, tenant_id));
  } catch (...) {
    lock.lock();
    slot.loading = false;
    loaded_.notify_all();
    throw;
  }
  lock.lock();
  slot = {snapshot, now, version, false};
  loaded_.notify_all();
  return snapshot;
}

}  // namespace moyakko::watch
