#include "harness/sip_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace ccsip::itest {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::uint16_t boundPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return ntohs(address.sin_port);
}

bool waitReadable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  return rc > 0;
}

bool equalNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

UdpSipSocket::UdpSipSocket() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address = loopback(0);
  if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    localPort_ = boundPort(fd_);
  }
}

UdpSipSocket::~UdpSipSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool UdpSipSocket::sendTo(std::uint16_t port, std::string_view bytes) {
  sockaddr_in address = loopback(port);
  auto sent = ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&address),
                       sizeof address);
  return sent == static_cast<ssize_t>(bytes.size());
}

std::optional<std::string> UdpSipSocket::receive(std::chrono::milliseconds timeout) {
  if (!waitReadable(fd_, timeout)) return std::nullopt;
  std::string buffer(65536, '\0');
  auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  if (n < 0) return std::nullopt;
  buffer.resize(static_cast<std::size_t>(n));
  return buffer;
}

TcpSipSocket::~TcpSipSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool TcpSipSocket::connect(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  sockaddr_in address = loopback(port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return false;
  localPort_ = boundPort(fd_);
  return true;
}

bool TcpSipSocket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<std::string> TcpSipSocket::takeMessage() {
  // RFC 5626 keepalive CRLFs between messages are skipped.
  while (buffer_.rfind("\r\n", 0) == 0) buffer_.erase(0, 2);
  auto headEnd = buffer_.find("\r\n\r\n");
  if (headEnd == std::string::npos) return std::nullopt;
  std::string head = buffer_.substr(0, headEnd + 2);
  std::string length = headerOf(head, "Content-Length");
  if (length.empty()) length = headerOf(head, "l");
  std::size_t bodySize = length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10);
  std::size_t total = headEnd + 4 + bodySize;
  if (buffer_.size() < total) return std::nullopt;
  std::string message = buffer_.substr(0, total);
  buffer_.erase(0, total);
  return message;
}

std::optional<std::string> TcpSipSocket::receive(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto message = takeMessage()) return message;
    if (closed_) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !waitReadable(fd_, left)) return std::nullopt;
    char chunk[16384];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

int statusOf(std::string_view message) {
  if (message.rfind("SIP/2.0 ", 0) != 0 || message.size() < 11) return -1;
  int code = 0;
  for (std::size_t i = 8; i < 11; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(message[i]))) return -1;
    code = code * 10 + (message[i] - '0');
  }
  return code;
}

std::string headerOf(std::string_view message, std::string_view name) {
  std::size_t pos = message.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < message.size()) {
    std::size_t start = pos + 2;
    std::size_t end = message.find("\r\n", start);
    if (end == std::string_view::npos || end == start) break;  // end of headers
    std::string_view line = message.substr(start, end - start);
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view field = line.substr(0, colon);
      while (!field.empty() && (field.back() == ' ' || field.back() == '\t'))
        field.remove_suffix(1);
      if (equalNoCase(field, name)) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
          value.remove_prefix(1);
        }
        return std::string(value);
      }
    }
    pos = end;
  }
  return "";
}

std::string tokenOf(std::string_view text) {
  // RFC 3261 25.1 token characters; anything else (the '@' of a Call-ID) becomes '-'.
  std::string out(text);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("-.!%*_+`'~").find(c) == std::string_view::npos) {
      c = '-';
    }
  }
  return out;
}

std::string buildRequest(const TestRequest& r) {
  std::string branch =
      r.branch.empty() ? "z9hG4bK-" + tokenOf(r.callId) + "-" + std::to_string(r.cseq) : r.branch;
  std::string port = std::to_string(r.localPort);
  std::string uri = "sip:" + r.requestUser + "@ccsip.test";
  std::string out = r.method + " " + uri + " SIP/2.0\r\n";
  out += "Via: SIP/2.0/" + r.transport + " 127.0.0.1:" + port + ";branch=" + branch + ";rport\r\n";
  out += "Max-Forwards: 70\r\n";
  out += "From: <sip:itest@ccsip.test>;tag=itest-" + tokenOf(r.callId) + "\r\n";
  out += "To: <" + uri + ">\r\n";
  out += "Call-ID: " + r.callId + "\r\n";
  out += "CSeq: " + std::to_string(r.cseq) + " " + r.method + "\r\n";
  out += "Contact: <sip:itest@127.0.0.1:" + port + ">\r\n";
  out += r.extraHeaders;
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  out += r.body;
  return out;
}

}  // namespace ccsip::itest
