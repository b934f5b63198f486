#include "watch/status_cache.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "common/error.h"

namespace moyakko::watch {

StatusSnapshots::StatusSnapshots(store::Database& db, http::EventHub& events) : db_(db) {
  events.Observe([this](const http::Event& event) { Observe(event); });
}

StatusSnapshots::~StatusSnapshots() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  refresh_wanted_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

void StatusSnapshots::Observe(const http::Event& event) {
  if (!event.tenant_id || !event.name.starts_with("watch.")) return;
  auto data = nlohmann::json::parse(event.data, nullptr, false);
  auto household = data.is_object() ? data.find("household") : data.end();
  std::lock_guard<std::mutex> lock(mutex_);
  Slot& slot = slots_[*event.tenant_id];
  ++sequence_;
  if (household != data.end() && household->is_number_integer() && slot.changed.size() < kMaxPatch) {
    slot.changed[household->get<std::int64_t>()] = sequence_;
  } else {
    slot.whole_needed = sequence_;
  }
}

std::shared_ptr<const StatusSnapshot> StatusSnapshots::Get(store::Session& s, std::int64_t tenant_id, UnixMillis now,
                                                           const std::string& time_zone) {
  UnixMillis day_start = StartOfLocalDay(now, time_zone);
  std::unique_lock<std::mutex> lock(mutex_);
  Slot& slot = slots_[tenant_id];
  // The changes published before this call must be in what it returns; later ones may be.
  const std::uint64_t asked_at = sequence_;
  for (;;) {
    loaded_.wait(lock, [&] { return !slot.loading; });
    bool whole = !slot.snapshot || (slot.whole_needed && slot.whole_needed <= asked_at) ||
                 slot.snapshot->day_start != day_start;
    bool changed = std::any_of(slot.changed.begin(), slot.changed.end(),
                               [&](const auto& change) { return change.second <= asked_at; });
    if (!whole && !changed) break;
    // Read what changed (or everything) without holding the lock; one reader at a time.
    slot.loading = true;
    std::uint64_t through = sequence_;
    std::vector<std::int64_t> ids;
    for (const auto& [id, sequence] : slot.changed) ids.push_back(id);
    std::shared_ptr<const StatusSnapshot> base = slot.snapshot;
    lock.unlock();
    std::optional<StatusSnapshot> next;
    try {
      if (!whole) next = PatchStatusSnapshot(*base, LoadStatusSnapshot(s, tenant_id, day_start, ids), ids);
      if (!next) {
        next = LoadStatusSnapshot(s, tenant_id, day_start);
        whole = true;
      }
    } catch (...) {
      lock.lock();
      slot.loading = false;
      loaded_.notify_all();
      throw;
    }
    lock.lock();
    slot.loading = false;
    loaded_.notify_all();
    if (whole) {
      Install(slot, std::move(*next), through, now);
      continue;
    }
    if (slot.snapshot != base) continue;  // a whole read came in meanwhile: patch that one
    for (std::int64_t id : ids) {
      auto change = slot.changed.find(id);
      if (change == slot.changed.end()) continue;
      slot.patched[id] = change->second;
      if (change->second <= through) slot.changed.erase(change);
    }
    slot.snapshot = std::make_shared<const StatusSnapshot>(std::move(*next));
  }
  if (now - slot.read_whole_at >= kMaxAge && !slot.refreshing) {
    slot.refreshing = true;
    refreshes_.push_back({tenant_id, now, time_zone});
    if (!refresher_.joinable()) refresher_ = std::thread([this] { RefreshInBackground(); });
    refresh_wanted_.notify_one();
  }
  return slot.snapshot;
}

void StatusSnapshots::Install(Slot& slot, StatusSnapshot snapshot, std::uint64_t through, UnixMillis now) {
  if (through < slot.whole_through) return;  // a newer whole read is already in place
  slot.snapshot = std::make_shared<const StatusSnapshot>(std::move(snapshot));
  slot.read_whole_at = now;
  slot.whole_through = through;
  if (slot.whole_needed <= through) slot.whole_needed = 0;
  std::erase_if(slot.changed, [&](const auto& change) { return change.second <= through; });
  // A household patched after this read began may be older here than it was: read it again.
  for (const auto& [id, sequence] : slot.patched) {
    if (sequence > through) slot.changed[id] = std::max(slot.changed[id], sequence);
  }
  slot.patched.clear();
}

void StatusSnapshots::RefreshInBackground() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    refresh_wanted_.wait(lock, [&] { return stopping_ || !refreshes_.empty(); });
    if (stopping_) return;
    Refresh refresh = std::move(refreshes_.front());
    refreshes_.pop_front();
    std::uint64_t through = sequence_;
    lock.unlock();
    std::optional<StatusSnapshot> snapshot;
    try {
      snapshot = db_.Read([&](store::Session& s) {
        return LoadStatusSnapshot(s, refresh.tenant_id, StartOfLocalDay(refresh.now, refresh.time_zone));
      });
    } catch (const Failure& f) {
      spdlog::warn("status list: {} {}", f.error().slug, f.error().internal);
    } catch (const std::exception& e) {
      spdlog::error("status list: {}", e.what());
    }
    lock.lock();
    Slot& slot = slots_[refresh.tenant_id];
    slot.refreshing = false;
    if (snapshot && slot.snapshot && snapshot->day_start == slot.snapshot->day_start) {
      Install(slot, std::move(*snapshot), through, refresh.now);
    }
  }
}

}  // namespace moyakko::watch
