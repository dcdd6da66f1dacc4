#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace hb::test {

/// tests/alerts/smtp_sink.py as a child process: a real SMTP server on 127.0.0.1 that keeps
/// what it receives in a temporary directory. Killed and cleaned up on destruction.
class smtp_sink {
public:
  /// `tls_mode`: empty (plain), "starttls" (required) or "tls" (SMTPS); with TLS the sink's
  /// own certificate is ca_file().
  explicit smtp_sink(const std::string& tls_mode = "");
  ~smtp_sink();
  smtp_sink(const smtp_sink&) = delete;
  smtp_sink& operator=(const smtp_sink&) = delete;

  std::uint16_t port() const { return port_; }
  std::string ca_file() const { return (dir_ / "cert.pem").string(); }

  /// How many messages the sink has accepted.
  int message_count() const;

  /// The summary of the n-th accepted message (1-based): mail_from, rcpt_tos, headers (decoded),
  /// content_type and parts (by content type, decoded).
  nlohmann::json message(int n) const;

private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

} // namespace hb::test
