// Two app nodes on one PostgreSQL: a live event published on one reaches the other's streams
// and observers, once, and a node does not receive its own events twice.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/platform.h"
#include "store/testing.h"

namespace moyakko::testing {
namespace {

struct Seen {
  std::mutex mutex;
  std::vector<std::string> names;
  std::size_t Count(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex);
    return static_cast<std::size_t>(std::count(names.begin(), names.end(), name));
  }
};

void Record(app::Platform& node, Seen& seen) {
  node.events().Observe([&seen](const http::Event& e) {
    std::lock_guard<std::mutex> lock(seen.mutex);
    seen.names.push_back(e.name);
  });
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 100; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

TEST(EventRelay, EventsPublishedOnOneNodeReachTheOtherOnce) {
  store::TestDatabase test("postgres");
  if (!test.available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
  app::Platform a({.db_url = test.url(), .web_root = "/nonexistent"});
  app::Platform b({.db_url = test.url(), .web_root = "/nonexistent"});
  Seen seen_a, seen_b;
  Record(a, seen_a);
  Record(b, seen_b);
  a.ShareEventsAcrossNodes();
  b.ShareEventsAcrossNodes();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // both LISTENing

  a.events().Publish({"alert.changed", R"({"id":1,"text":"冷蔵庫が開いていません"})", 1, std::nullopt, {"call_operator"}});
  ASSERT_TRUE(WaitFor([&] { return seen_b.Count("alert.changed") == 1; }));
  b.events().Publish({"timeline.post", R"({"id":2})", 1, 7, {}});
  ASSERT_TRUE(WaitFor([&] { return seen_a.Count("timeline.post") == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // an echo would have arrived by now
  EXPECT_EQ(seen_a.Count("alert.changed"), 1u);
  EXPECT_EQ(seen_b.Count("timeline.post"), 1u);
  EXPECT_EQ(seen_b.Count("alert.changed"), 1u);
}

}  // namespace
}  // namespace moyakko::testing
