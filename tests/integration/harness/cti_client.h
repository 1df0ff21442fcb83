#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ccsip::itest {

// A free UDP port on 127.0.0.1 (e.g. SIPp's -p for the switch ccsip sends agent legs to).
std::uint16_t freeUdpPort();

// The port a `<service> 127.0.0.1 <port>` line of ccsip's --port-file names; 0 when absent.
std::uint16_t servicePort(const std::string& portFile, const std::string& service);

// "connId":"0123456789abcdef" out of an event line; "" when absent.
std::string connIdOf(const std::string& line);

// A raw TCP CTI client (docs/protocol.md): one JSON object per line each way.
class CtiClient {
 public:
  CtiClient() = default;
  ~CtiClient();
  CtiClient(const CtiClient&) = delete;
  CtiClient& operator=(const CtiClient&) = delete;

  bool connect(std::uint16_t port);
  bool send(const std::string& line);
  // The next line containing `needle`; the lines before it are passed over (kept in the
  // transcript). nullopt on timeout or when the server closed the connection.
  std::optional<std::string> waitFor(const std::string& needle, std::chrono::milliseconds timeout);
  // connect + OpenSession (token "t") + EventAck; false with the transcript on failure.
  bool open(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Every line received so far, for failure messages.
  const std::string& transcript() const { return transcript_; }

 private:
  int fd_ = -1;
  int nextReference_ = 1000;
  std::string buffer_;
  std::string transcript_;
};

}  // namespace ccsip::itest
