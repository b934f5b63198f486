#include "notify/outbox.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "store/faulty_vfs.h"
#include "store/testing.h"

namespace moyakko::notify {
namespace {

class FlakySender : public Sender {
 public:
  int failures_left = 1;
  std::vector<std::string> sent;
  std::string Send(const Delivery& d) override {
    if (failures_left-- > 0) return "connection refused";
    sent.push_back(d.message.dedup_key);
    return {};
  }
};

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
  }
  bool Add(const std::string& key, const std::string& channel = "email", const std::string& to = "ops@example.jp") {
    return test_->db().Write([&](store::Session& s) {
      return Enqueue(s, {1, channel, to, "見守りアラート", "本文", key, "secret"}, 1000);
    });
  }
  std::unique_ptr<store::TestDatabase> test_;
};

TEST_P(OutboxTest, DedupKeysAreUnique) {
  EXPECT_TRUE(Add("alert:1:opened:ops"));
  EXPECT_FALSE(Add("alert:1:opened:ops"));
  EXPECT_TRUE(Add("alert:1:opened:family"));
}

TEST_P(OutboxTest, RetriesWithBackoffUntilDelivered) {
  Add("k1");
  FlakySender sender;
  DeliveryStats first = DeliverDue(test_->db(), sender, 1000);
  EXPECT_EQ(first.failed, 1);
  EXPECT_EQ(DeliverDue(test_->db(), sender, 1000 + Backoff(1) - 1).sent, 0) << "retried before its backoff";
  DeliveryStats second = DeliverDue(test_->db(), sender, 1000 + Backoff(1));
  EXPECT_EQ(second.sent, 1);
  EXPECT_EQ(DeliverDue(test_->db(), sender, 1000 + 10 * Backoff(1)).sent, 0) << "delivered twice";
  EXPECT_EQ(sender.sent, std::vector<std::string>{"k1"});
  auto row = test_->db().Read([](store::Session& s) { return *s.QueryOne("SELECT attempts, delivered_at FROM outbox"); });
  EXPECT_EQ(row.Int(0), 2);
  EXPECT_FALSE(row.IsNull(1));
}

TEST_P(OutboxTest, AClaimedMessageIsNotSentByAnotherNodeWithinItsLease) {
  Add("k1");
  class Stuck : public Sender {
   public:
    store::Database* db;
    int inner_sent = 0;
    std::string Send(const Delivery&) override {
      // While this node is sending, another node looks for due work.
      FlakySender other;
      other.failures_left = 0;
      inner_sent += DeliverDue(*db, other, 1000).sent;
      return {};
    }
  } stuck;
  stuck.db = &test_->db();
  EXPECT_EQ(DeliverDue(test_->db(), stuck, 1000).sent, 1);
  EXPECT_EQ(stuck.inner_sent, 0);
}

TEST_P(OutboxTest, ADiskThatFailsAfterSendingMeansSendingAgainNeverLosing) {
  if (GetParam() == "postgres") GTEST_SKIP() << "PostgreSQL's disk is its own server's";
  store::RegisterFaultyVfs();
  auto db = store::Open("file:" + test_->url() + "?vfs=faulty");
  Add("k1");
  // The message goes out, then the disk fails before the delivery is written down.
  class DyingDisk : public FlakySender {
   public:
    std::string Send(const Delivery& d) override {
      std::string error = FlakySender::Send(d);
      store::InjectDiskFault(store::DiskFault::kWriteError);
      return error;
    }
  } sender;
  sender.failures_left = 0;
  EXPECT_THROW(DeliverDue(*db, sender, 1000), moyakko::Failure);
  store::InjectDiskFault(store::DiskFault::kNone);
  auto delivered = [&] {
    return !test_->db().Read([](store::Session& s) { return *s.QueryOne("SELECT delivered_at FROM outbox"); }).IsNull(0);
  };
  EXPECT_FALSE(delivered());
  FlakySender healthy;
  healthy.failures_left = 0;
  EXPECT_EQ(DeliverDue(*db, healthy, 1000 + 1).sent, 0) << "sent again within the claim's lease";
  EXPECT_EQ(DeliverDue(*db, healthy, 1000 + 10 * 60 * 1000).sent, 1) << "not sent again after the lease";
  EXPECT_TRUE(delivered());
  EXPECT_EQ(sender.sent, std::vector<std::string>{"k1"});
  EXPECT_EQ(healthy.sent, std::vector<std::string>{"k1"});  // at least once: twice here, never none
}

TEST(Backoff, DoublesUpToAnHour) {
  EXPECT_EQ(Backoff(1), 30000);
  EXPECT_EQ(Backoff(2), 60000);
  EXPECT_EQ(Backoff(20), 3600000);
}

TEST(Hmac, MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::ValuesIn(store::TestBackends()));

std::uint16_t FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

TEST(CurlSender, DeliversMailToARealSmtpServer) {
  auto dir = std::filesystem::temp_directory_path() / ("moyakko-smtp-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::uint16_t port = FreePort();
  pid_t smtp = fork();
  if (smtp == 0) {
    std::string listen = "127.0.0.1:" + std::to_string(port);
    execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-u", "-l", listen.c_str(), "-c",
          "aiosmtpd.handlers.Mailbox", (dir / "maildir").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  CurlSender sender("smtp://127.0.0.1:" + std::to_string(port), "moyakko@seto.example.jp");
  std::string error = "not tried";
  for (int i = 0; i < 50 && !error.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    error = sender.Send({1, {1, "email", "family@example.jp", "【見守り】鈴木 花子さん", "7:30以降、冷蔵庫の開閉がありません",
                             "alert:1:opened:user:7", ""}, 0});
  }
  kill(smtp, SIGTERM);
  waitpid(smtp, nullptr, 0);
  ASSERT_EQ(error, "");
  std::string mail;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "maildir" / "new")) {
    std::ifstream file(entry.path());
    std::stringstream content;
    content << file.rdbuf();
    mail = content.str();
  }
  std::filesystem::remove_all(dir);
  EXPECT_NE(mail.find("7:30以降、冷蔵庫の開閉がありません"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Message-ID: <alert.1.opened.user.7@moyakko>"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos);
}

TEST(CurlSender, SignsWebhooks) {
  namespace beast = boost::beast;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::uint16_t port = acceptor.local_endpoint().port();
  beast::http::request<beast::http::string_body> received;
  std::thread receiver([&] {
    boost::asio::ip::tcp::socket socket(io);
    acceptor.accept(socket);
    beast::flat_buffer buffer;
    beast::http::read(socket, buffer, received);
    beast::http::response<beast::http::string_body> ok{beast::http::status::no_content, 11};
    beast::http::write(socket, ok);
  });
  CurlSender sender("", "");
  std::string body = R"({"alert":1,"kind":"heat"})";
  std::string error = sender.Send({1, {1, "webhook", "http://127.0.0.1:" + std::to_string(port) + "/hook", "", body,
                                       "alert:1:opened:webhook:3", "city-secret"}, 0});
  receiver.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(received.body(), body);
  EXPECT_EQ(std::string(received["X-Moyakko-Dedup-Key"]), "alert:1:opened:webhook:3");
  EXPECT_EQ(std::string(received["X-Moyakko-Signature"]), "sha256=" + HmacSha256Hex("city-secret", body));
}

}  // namespace
}  // namespace moyakko::notify
