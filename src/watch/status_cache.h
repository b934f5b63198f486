#pragma once
// The status list's snapshots (store.h StatusSnapshot), one per municipality, shared by the
// call centre's screens. A published watch event names the household that changed; the next
// reader patches just that household into the snapshot, so a screen that asks again after
// the event sees the change and nobody waits for 10,000 households to be read. Changes that
// publish no event for this process (a person renamed; another app node's uploads) are
// caught by a whole read in the background, at most a second after a reader found the
// snapshot that old.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "http/events.h"
#include "store/database.h"
#include "watch/store.h"

namespace moyakko::watch {

class StatusSnapshots {
 public:
  static constexpr UnixMillis kMaxAge = 1000;     // then read whole again, in the background
  static constexpr std::size_t kMaxPatch = 512;   // more changed households: read them all
  StatusSnapshots(store::Database& db, http::EventHub& events);
  ~StatusSnapshots();
  StatusSnapshots(const StatusSnapshots&) = delete;
  StatusSnapshots& operator=(const StatusSnapshots&) = delete;

  // The municipality's snapshot with every change published so far, for the local day of `now`.
  std::shared_ptr<const StatusSnapshot> Get(store::Session& s, std::int64_t tenant_id, UnixMillis now,
                                            const std::string& time_zone);

 private:
  // Events are numbered as they are observed; a read taken after event n includes it.
  struct Slot {
    std::shared_ptr<const StatusSnapshot> snapshot;
    UnixMillis read_whole_at = 0;
    std::uint64_t whole_through = 0;   // the events the last whole read includes
    std::uint64_t whole_needed = 0;    // an event naming no household (0: none since)
    std::unordered_map<std::int64_t, std::uint64_t> changed;  // household → its newest event
    std::unordered_map<std::int64_t, std::uint64_t> patched;  // since the last whole read
    bool loading = false;     // a reader is patching or reading whole
    bool refreshing = false;  // queued for the background reader
  };
  struct Refresh {
    std::int64_t tenant_id;
    UnixMillis now;
    std::string time_zone;
  };
  void Observe(const http::Event& event);
  void Install(Slot& slot, StatusSnapshot snapshot, std::uint64_t through, UnixMillis now);
  void RefreshInBackground();

  store::Database& db_;
  std::mutex mutex_;
  std::condition_variable loaded_;
  std::condition_variable refresh_wanted_;
  std::uint64_t sequence_ = 0;
  std::unordered_map<std::int64_t, Slot> slots_;
  std::deque<Refresh> refreshes_;
  bool stopping_ = false;
  std::thread refresher_;  // started by the first reader
};

}  // namespace moyakko::watch
