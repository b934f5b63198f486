#include "notify/outbox.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace moyakko::notify {
namespace {

constexpr UnixMillis kLease = 2 * 60 * 1000;  // a claimed delivery is retried after this

void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Payload {
  std::string data;
  std::size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t count, void* user) {
  auto* payload = static_cast<Payload*>(user);
  size_t n = std::min(size * count, payload->data.size() - payload->offset);
  std::memcpy(buffer, payload->data.data() + payload->offset, n);
  payload->offset += n;
  return n;
}

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// RFC 2047 encoded-word, so a Japanese subject survives any mail system.
std::string EncodeHeader(const std::string& text) {
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return "=?UTF-8?B?" + out + "?=";
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

bool Enqueue(store::Session& s, const Message& m, UnixMillis now) {
  return s.Execute("INSERT INTO outbox (tenant_id, channel, recipient, subject, body, dedup_key, secret, attempts, "
                   "next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8) ON CONFLICT (dedup_key) DO NOTHING",
                   {m.tenant_id, m.channel, m.recipient, m.subject, m.body, m.dedup_key, m.secret, now}) == 1;
}

UnixMillis Backoff(int attempts) {
  UnixMillis wait = 30 * 1000;
  for (int i = 1; i < attempts && wait < 3600 * 1000; ++i) wait *= 2;
  return std::min<UnixMillis>(wait, 3600 * 1000);
}

DeliveryStats DeliverDue(store::Database& db, Sender& sender, UnixMillis now, int max) {
  std::vector<Delivery> claimed = db.Write([&](store::Session& s) {
    std::string lock = s.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
    std::vector<Delivery> mine;
    for (const store::Row& r : s.Query("SELECT id, tenant_id, channel, recipient, subject, body, dedup_key, secret, "
                                       "attempts, next_at FROM outbox WHERE delivered_at IS NULL AND next_at <= $1 "
                                       "ORDER BY next_at LIMIT $2" + lock, {now, std::int64_t{max}})) {
      // The lease: only the node whose update matches the old next_at sends it now.
      if (s.Execute("UPDATE outbox SET next_at = $2 WHERE id = $1 AND next_at = $3",
                    {r.Int(0), now + kLease, r.Int(9)}) != 1) {
        continue;
      }
      mine.push_back({r.Int(0), {r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)},
                      static_cast<int>(r.Int(8))});
    }
    return mine;
  });
  DeliveryStats stats;
  for (const Delivery& delivery : claimed) {
    std::string error = sender.Send(delivery);
    db.Write([&](store::Session& s) {
      if (error.empty()) {
        s.Execute("UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1",
                  {delivery.id, now});
      } else {
        s.Execute("UPDATE outbox SET attempts = attempts + 1, next_at = $2, last_error = $3 WHERE id = $1",
                  {delivery.id, now + Backoff(delivery.attempts + 1), error.substr(0, 500)});
      }
    });
    ++(error.empty() ? stats.sent : stats.failed);
  }
  return stats;
}

CurlSender::CurlSender(std::string smtp_url, std::string mail_from)
    : smtp_url_(std::move(smtp_url)), mail_from_(std::move(mail_from)) {
  EnsureCurl();
}

std::string CurlSender::Send(const Delivery& d) {
  const Message& m = d.message;
  CURL* curl = curl_easy_init();
  if (!curl) return "curl init failed";
  curl_slist* headers = nullptr;
  Payload payload;
  CURLcode rc;
  long status = 0;
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (m.channel == "email") {
    if (smtp_url_.empty()) {
      curl_easy_cleanup(curl);
      return "no SMTP server configured (MOYAKKO_SMTP_URL)";
    }
    std::string message_id = "<" + m.dedup_key + "@moyakko>";
    for (char& c : message_id) {
      if (c == ':' || c == ' ') c = '.';
    }
    payload.data = fmt::format("From: {}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: {}\r\nMIME-Version: 1.0\r\n"
                               "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
                               mail_from_, m.recipient, EncodeHeader(m.subject), message_id, m.body);
    headers = curl_slist_append(headers, m.recipient.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, smtp_url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, headers);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    rc = curl_easy_perform(curl);
  } else {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("X-Moyakko-Dedup-Key: " + m.dedup_key).c_str());
    headers = curl_slist_append(headers, ("X-Moyakko-Signature: sha256=" + HmacSha256Hex(m.secret, m.body)).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, m.recipient.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, m.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(m.body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  }
  std::string error;
  if (rc != CURLE_OK) error = curl_easy_strerror(rc);
  else if (m.channel == "webhook" && (status < 200 || status >= 300)) error = fmt::format("HTTP {}", status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return error;
}

}  // namespace moyakko::notify
