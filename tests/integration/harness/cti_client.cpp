#include "harness/cti_client.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

namespace ccsip::itest {

std::uint16_t freeUdpPort() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::uint16_t servicePort(const std::string& portFile, const std::string& service) {
  std::istringstream lines(portFile);
  std::string kind;
  std::string address;
  unsigned port = 0;
  while (lines >> kind >> address >> port) {
    if (kind == service) return static_cast<std::uint16_t>(port);
  }
  return 0;
}

std::string connIdOf(const std::string& line) {
  const std::string key = "\"connId\":\"";
  std::size_t at = line.find(key);
  return at == std::string::npos ? std::string() : line.substr(at + key.size(), 16);
}

CtiClient::~CtiClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool CtiClient::connect(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
}

bool CtiClient::send(const std::string& line) {
  std::string text = line + "\n";
  return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
}

std::optional<std::string> CtiClient::waitFor(const std::string& needle,
                                              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::size_t end = buffer_.find('\n');
    while (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      transcript_ += line + "\n";
      if (line.find(needle) != std::string::npos) return line;
      end = buffer_.find('\n');
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd event{fd_, POLLIN, 0};
    if (::poll(&event, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

bool CtiClient::open(std::uint16_t port, std::chrono::milliseconds timeout) {
  if (!connect(port)) return false;
  const int reference = nextReference_++;
  if (!send(R"({"request":"OpenSession","referenceId":)" + std::to_string(reference) +
            R"(,"applicationToken":"t","applicationName":"itest"})")) {
    return false;
  }
  return waitFor("EventAck", timeout).has_value();
}

}  // namespace ccsip::itest
