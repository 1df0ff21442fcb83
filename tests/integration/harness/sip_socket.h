#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::itest {

// Minimal loopback SIP clients for byte-exact messages (torture tests, retransmission timing):
// blocking POSIX sockets, every wait bounded.
class UdpSipSocket {
 public:
  UdpSipSocket();  // bound to 127.0.0.1, port chosen by the system
  ~UdpSipSocket();
  UdpSipSocket(const UdpSipSocket&) = delete;
  UdpSipSocket& operator=(const UdpSipSocket&) = delete;

  std::uint16_t localPort() const { return localPort_; }
  bool sendTo(std::uint16_t port, std::string_view bytes);
  // The next datagram, or nullopt after `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::uint16_t localPort_ = 0;
};

class TcpSipSocket {
 public:
  TcpSipSocket() = default;
  ~TcpSipSocket();
  TcpSipSocket(const TcpSipSocket&) = delete;
  TcpSipSocket& operator=(const TcpSipSocket&) = delete;

  bool connect(std::uint16_t port);
  std::uint16_t localPort() const { return localPort_; }
  bool send(std::string_view bytes);
  // The next complete message (framed by Content-Length, RFC 3261 18.3), or nullopt after
  // `timeout` or when the server closed the connection.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);
  bool closedByPeer() const { return closed_; }

 private:
  std::optional<std::string> takeMessage();
  int fd_ = -1;
  std::uint16_t localPort_ = 0;
  std::string buffer_;
  bool closed_ = false;
};

// The status code of a response's start line ("SIP/2.0 200 OK" -> 200); -1 for anything else.
int statusOf(std::string_view message);
// The value of the first header `name` (case-insensitive, compact form not handled); "" if none.
std::string headerOf(std::string_view message, std::string_view name);

struct TestRequest {
  std::string method = "OPTIONS";
  std::string transport = "UDP";  // as written in Via
  std::uint16_t localPort = 0;    // Via sent-by / Contact port
  std::string callId;
  std::uint32_t cseq = 1;
  std::string branch;  // z9hG4bK... ; empty: "z9hG4bK-" + tokenOf(callId) + "-" + cseq
  std::string requestUser = "1000";
  std::string extraHeaders;  // "Name: value\r\n" lines
  std::string body;
};
// `text` with every character that may not appear in an RFC 3261 token replaced by '-'.
std::string tokenOf(std::string_view text);

// A well-formed request to sip:<user>@ccsip.test with Via ...;rport, so responses come back to
// the sending socket.
std::string buildRequest(const TestRequest& request);

}  // namespace ccsip::itest
