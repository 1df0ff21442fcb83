#include "harness/pbx_config.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

namespace ccsip::itest {

std::string switchYaml(const SwitchOptions& options) {
  std::ostringstream out;
  out << "switch:\n"
      << "  address: 127.0.0.1\n"
      << "  port: " << options.port << "\n"
      << "  transport: " << options.transport << "\n"
      << "  trusted: [127.0.0.1]\n"
      << "  presence: {enable: " << (options.presenceEnable ? "true" : "false")
      << ", event: " << options.presenceEvent << ", expires: " << options.presenceExpires
      << ", retry: " << options.presenceRetry << "}\n"
      << "  mwi: {extension-enable: " << (options.mwiExtensionEnable ? "true" : "false")
      << ", expires: " << options.mwiExpires << ", retry: " << options.mwiRetry << "}\n"
      << "  options-keepalive: " << options.optionsKeepalive << "\n";
  if (options.subscribeRate > 0) out << "  subscribe-rate: " << options.subscribeRate << "\n";
  return out.str();
}

std::string ctiAndHttpYaml() {
  return "cti:\n"
         "  listen: {address: 127.0.0.1, port: 0}\n"
         "http:\n"
         "  listen: {address: 127.0.0.1, port: 0}\n";
}

std::optional<std::string> httpGet(std::uint16_t port, const std::string& path,
                                   std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::string request = "GET " + path +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        "Accept: */*\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return std::nullopt;
  }
  std::string response;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd event{fd, POLLIN, 0};
    if (::poll(&event, 1, static_cast<int>(left.count())) <= 0) break;
    char chunk[16384];
    ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
    if (got <= 0) break;
    response.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (response.rfind("HTTP/1.1 200", 0) != 0) return std::nullopt;
  std::size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return std::nullopt;
  std::string out = response.substr(body + 4);
  // A chunked body (Transfer-Encoding: chunked): joined back together.
  std::string headers = response.substr(0, body);
  if (headers.find("chunked") != std::string::npos) {
    std::string joined;
    std::size_t at = 0;
    for (;;) {
      std::size_t lineEnd = out.find("\r\n", at);
      if (lineEnd == std::string::npos) break;
      std::size_t size = std::stoul(out.substr(at, lineEnd - at), nullptr, 16);
      if (size == 0) break;
      joined += out.substr(lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    out = joined;
  }
  return out;
}

}  // namespace ccsip::itest
