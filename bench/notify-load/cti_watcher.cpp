#include "cti_watcher.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "numbering.h"

namespace ccsip::bench {

namespace {

// Setup requests in flight per client: enough to keep ccsip busy, far below its queue limit.
constexpr std::uint64_t kWindow = 256;

std::string_view stringField(std::string_view line, std::string_view key) {
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + key.size();
  const std::size_t end = line.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : line.substr(start, end - start);
}

template <class T>
std::optional<T> numberField(std::string_view line, std::string_view key) {
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  T value{};
  const char* first = line.data() + at + key.size();
  if (std::from_chars(first, line.data() + line.size(), value).ec != std::errc{}) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

CtiEventFields ctiEventFields(std::string_view line) {
  CtiEventFields fields;
  fields.event = stringField(line, "\"event\":\"");
  fields.thisDn = stringField(line, "\"thisDN\":\"");
  fields.referenceId = numberField<std::int64_t>(line, "\"referenceId\":");
  fields.newMessages = numberField<long>(line, "\"NewMessages\":");
  return fields;
}

bool CtiWatcher::connect(std::uint16_t port, std::uint32_t clients) {
  for (std::uint32_t i = 0; i < clients; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::fprintf(stderr, "CTI connect to port %u: %s\n", port, std::strerror(errno));
      if (fd >= 0) ::close(fd);
      return false;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int buffer = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    Client client;
    client.fd = fd;
    client.out =
        "{\"request\":\"OpenSession\",\"referenceId\":1,\"applicationToken\":\"bench\","
        "\"applicationName\":\"notify-load\"}\n";
    clients_.push_back(std::move(client));
    fds_.push_back(fd);
  }
  for (Client& client : clients_) flush(client);
  return true;
}

void CtiWatcher::startSetup(std::uint32_t count, bool agents) {
  setupCount_ = count;
  setupNext_ = 0;
  agents_ = agents;
  setup_ = CtiSetupResult{};
  fillWindows();
}

std::uint64_t CtiWatcher::pending() const {
  std::uint64_t total = 0;
  for (const Client& client : clients_) total += client.sent - client.answered;
  return total;
}

void CtiWatcher::fillWindows() {
  const std::size_t n = clients_.size();
  while (setupNext_ < setupCount_) {
    Client& client = clients_[setupNext_ % n];
    if (client.sent - client.answered >= kWindow) break;
    const std::uint32_t i = setupNext_++;
    const std::string dn = extensionDn(i);
    const long long ref = 10 + 2LL * i;
    client.out += "{\"request\":\"RegisterAddress\",\"referenceId\":" + std::to_string(ref) +
                  ",\"thisDN\":\"" + dn + "\"}\n";
    ++client.sent;
    if (agents_) {
      client.out += "{\"request\":\"AgentLogin\",\"referenceId\":" + std::to_string(ref + 1) +
                    ",\"thisDN\":\"" + dn + "\",\"agentId\":\"" + agentIdOf(i) +
                    "\",\"password\":\"pw\",\"agentState\":\"Ready\"}\n";
      ++client.sent;
    }
  }
  for (Client& client : clients_) flush(client);
  if (setupNext_ == setupCount_ && pending() == 0) setup_.complete = true;
}

void CtiWatcher::flush(Client& client) {
  while (!client.out.empty()) {
    const ssize_t n = ::send(client.fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // EAGAIN: the rest goes at the next poll
    client.out.erase(0, static_cast<std::size_t>(n));
  }
}

void CtiWatcher::onSetupLine(Client& client, const CtiEventFields& fields, std::string_view line) {
  if (!fields.referenceId || *fields.referenceId < 10) return;
  if (fields.event == "EventRegistered") {
    ++setup_.registered;
  } else if (fields.event == "EventAgentLogin") {
    ++setup_.loggedIn;
  } else if (fields.event == "EventError") {
    if (setup_.errors++ == 0) setup_.firstError = std::string(line);
  } else {
    return;  // EventAgentReady of a login: not an answer of its own
  }
  ++client.answered;
}

bool CtiWatcher::poll(CtiEventHandler& handler) {
  bool open = true;
  char buffer[1 << 16];
  for (Client& client : clients_) {
    while (true) {
      const ssize_t n = ::recv(client.fd, buffer, sizeof buffer, 0);
      if (n == 0) {
        open = false;
        break;
      }
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) open = false;
        break;
      }
      client.in.append(buffer, static_cast<std::size_t>(n));
      std::size_t start = 0;
      std::size_t end;
      while ((end = client.in.find('\n', start)) != std::string::npos) {
        const std::string_view line(client.in.data() + start, end - start);
        ++lines_;
        const CtiEventFields fields = ctiEventFields(line);
        if (client.sent > client.answered) onSetupLine(client, fields, line);
        handler.onCtiEvent(line);
        start = end + 1;
      }
      client.in.erase(0, start);
    }
  }
  if (setupNext_ < setupCount_ || !setup_.complete) fillWindows();
  for (Client& client : clients_) flush(client);
  return open;
}

}  // namespace ccsip::bench
