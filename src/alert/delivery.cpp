#include "alert/delivery.h"

#include <curl/curl.h>

#include <cstring>

#include "alert/sms.h"
#include "core/strings.h"

namespace vigil::alert {

namespace {

void InitCurl() {
  static const CURLcode kRc = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)kRc;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

struct Payload {
  std::string data;
  size_t at = 0;
};
size_t ReadPayload(char* buf, size_t size, size_t n, void* p) {
  auto* pl = static_cast<Payload*>(p);
  const size_t len = std::min(size * n, pl->data.size() - pl->at);
  std::memcpy(buf, pl->data.data() + pl->at, len);
  pl->at += len;
  return len;
}

// Header values come from our own data, but never let a line break in.
std::string HeaderSafe(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

}  // namespace

core::Status CurlSender::Post(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                              int64_t timeout_s) {
  InitCurl();
  std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
  if (!c) return core::Internal("curl_easy_init failed");
  std::unique_ptr<curl_slist, ListDeleter> list;
  curl_slist* raw = nullptr;
  for (const auto& h : headers) raw = curl_slist_append(raw, HeaderSafe(h).c_str());
  list.reset(raw);
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_s));
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode rc = curl_easy_perform(c.get());
  if (rc != CURLE_OK) return core::IoError(url + ": " + curl_easy_strerror(rc));
  long code = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code >= 300) return core::IoError(url + " answered HTTP " + std::to_string(code));
  return core::Status::Ok();
}

core::Status CurlSender::Mail(const OutboxMessage& m, const std::string& to, const AlertConfig& cfg) {
  const auto& d = cfg.delivery;
  if (d.smtp_url.empty()) return core::InvalidArgument("no [smtp] url in the alert configuration");
  InitCurl();
  std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
  if (!c) return core::Internal("curl_easy_init failed");
  Payload p;
  p.data =
      "Date: " + core::FormatUtc(clock_->Now()) + "\r\nTo: <" + HeaderSafe(to) + ">\r\nFrom: <" +
      HeaderSafe(d.smtp_from) + ">\r\nMessage-ID: <" + HeaderSafe(m.idempotency_key) +
      "@vigil>\r\nSubject: " + HeaderSafe(m.subject) +
      "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  // SMTP lines end in CRLF; a line of one dot would end the message.
  for (auto line : core::Split(m.body, '\n')) {
    if (!line.empty() && line[0] == '.') p.data += '.';
    p.data += line;
    p.data += "\r\n";
  }
  std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + HeaderSafe(to) + ">").c_str()));
  curl_easy_setopt(c.get(), CURLOPT_URL, d.smtp_url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c.get(), CURLOPT_MAIL_FROM, ("<" + HeaderSafe(d.smtp_from) + ">").c_str());
  curl_easy_setopt(c.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(c.get(), CURLOPT_READDATA, &p);
  curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(d.timeout_s));
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c.get());
  if (rc != CURLE_OK) return core::IoError(d.smtp_url + ": " + curl_easy_strerror(rc));
  return core::Status::Ok();
}

core::Status CurlSender::Send(const OutboxMessage& m, const std::string& recipient, const AlertConfig& cfg) {
  const int64_t ts = clock_->Now();
  switch (m.kind) {
    case MessageKind::kWebhook:
      return Post(recipient, m.body,
                  {"Content-Type: application/json", "Idempotency-Key: " + m.idempotency_key,
                   "X-Vigil-Timestamp: " + std::to_string(ts),
                   "X-Vigil-Signature: " + SignGatewayBody(cfg.delivery.webhook_secret, ts, m.body)},
                  cfg.delivery.timeout_s);
    case MessageKind::kSms: {
      const GatewayProfile* g = cfg.Gateway(m.subject);
      if (!g && !cfg.gateways.empty()) g = &cfg.gateways.front();
      if (!g || g->outbound_url.empty())
        return core::InvalidArgument("no SMS gateway with an outbound_url to send through");
      const std::string body = core::Json{{"id", m.idempotency_key}, {"to", recipient}, {"text", m.body}}.dump();
      return Post(
          g->outbound_url, body,
          {"Content-Type: application/json", "Idempotency-Key: " + m.idempotency_key,
           "X-Vigil-Timestamp: " + std::to_string(ts), "X-Vigil-Signature: " + SignGatewayBody(g->secret, ts, body)},
          cfg.delivery.timeout_s);
    }
    case MessageKind::kEmail:
      return Mail(m, recipient, cfg);
  }
  return core::Internal("unknown message kind");
}

}  // namespace vigil::alert
