#pragma once
// Notifications leave through a persistent outbox: enqueued in the same transaction as the
// event that causes them, delivered at least once with retries and backoff, each carrying a
// dedup key so receivers can drop repeats (e-mail Message-ID, webhook header). A delivery
// is claimed with a lease in the database, so several app nodes never send one at the same
// time, and a crash between sending and recording only means one repeat.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::notify {

struct Message {
  std::int64_t tenant_id = 0;
  std::string channel;    // "email" | "webhook"
  std::string recipient;  // address or URL
  std::string subject;
  std::string body;       // plain text (email) or JSON (webhook)
  std::string dedup_key;  // unique per logical notification and recipient
  std::string secret;     // webhook HMAC key (stored with the message; never logged)
};

// False when a message with this dedup key exists already (nothing is added).
bool Enqueue(store::Session& s, const Message& message, UnixMillis now);

struct Delivery {
  std::int64_t id = 0;
  Message message;
  int attempts = 0;
};

class Sender {
 public:
  virtual ~Sender() = default;
  // Returns an empty string on success, else the reason (kept in last_error).
  virtual std::string Send(const Delivery& delivery) = 0;
};

struct DeliveryStats {
  int sent = 0, failed = 0;
};
// Claims up to `max` due messages, sends them outside any transaction, records the results.
DeliveryStats DeliverDue(store::Database& db, Sender& sender, UnixMillis now, int max = 20);

// Wait before attempt n+1: 30 s doubling, at most an hour.
UnixMillis Backoff(int attempts);

// Sends e-mail over SMTP (smtp_url like "smtp://127.0.0.1:25") and webhooks as HTTP POST
// with X-Moyakko-Signature: sha256=<HMAC of the body> and X-Moyakko-Dedup-Key.
class CurlSender : public Sender {
 public:
  CurlSender(std::string smtp_url, std::string mail_from);
  std::string Send(const Delivery& delivery) override;

 private:
  std::string smtp_url_, mail_from_;
};

std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace moyakko::notify
