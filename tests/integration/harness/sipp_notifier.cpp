#include "harness/sipp_notifier.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <set>
#include <thread>

namespace ccsip::itest {

namespace {

constexpr std::string_view kSeparator = "-----------------------------------------------";

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

double parseStamp(std::string_view line) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  std::string text(line);
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%lf", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    return 0;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return static_cast<double>(::timegm(&tm)) + second;
}

// The Via branch of a message: what tells a retransmission from a new transaction.
std::string branchOf(const SippMessage& message) {
  std::string via = message.header("Via");
  std::size_t at = via.find("branch=");
  if (at == std::string::npos) return via;
  std::size_t end = via.find_first_of(";, ", at);
  return via.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

std::vector<SippMessage> subscribes(const std::vector<SippMessage>& messages, bool inDialog) {
  std::vector<SippMessage> out;
  std::set<std::string> seen;
  for (const auto& message : messages) {
    if (!message.received || message.method() != "SUBSCRIBE") continue;
    if (message.hasToTag() != inDialog) continue;
    if (!seen.insert(message.header("Call-ID") + " " + branchOf(message)).second) continue;
    out.push_back(message);
  }
  return out;
}

}  // namespace

std::string SippMessage::startLine() const {
  std::size_t end = text.find_first_of("\r\n");
  return text.substr(0, end);
}

std::string SippMessage::method() const {
  std::string line = startLine();
  if (line.rfind("SIP/2.0", 0) == 0) return "";
  return line.substr(0, line.find(' '));
}

int SippMessage::status() const {
  std::string line = startLine();
  if (line.rfind("SIP/2.0 ", 0) != 0 || line.size() < 11) return -1;
  return std::atoi(line.c_str() + 8);
}

std::string SippMessage::header(std::string_view name) const {
  std::size_t at = text.find('\n');
  while (at != std::string::npos) {
    std::size_t begin = at + 1;
    std::size_t end = text.find('\n', begin);
    std::string_view line(text.data() + begin,
                          (end == std::string::npos ? text.size() : end) - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the headers
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && equalsIgnoreCase(trim(line.substr(0, colon)), name)) {
      return trim(line.substr(colon + 1));
    }
    at = end;
  }
  return "";
}

std::string SippMessage::requestUri() const {
  std::string line = startLine();
  std::size_t first = line.find(' ');
  std::size_t last = line.rfind(' ');
  if (first == std::string::npos || last <= first) return "";
  return line.substr(first + 1, last - first - 1);
}

bool SippMessage::hasToTag() const {
  return header("To").find(";tag=") != std::string::npos;
}

std::vector<SippMessage> parseSippMessages(const std::string& log) {
  std::vector<SippMessage> out;
  std::size_t at = log.find(kSeparator);
  while (at != std::string::npos) {
    std::size_t next = log.find("\n" + std::string(kSeparator), at + kSeparator.size());
    std::string_view entry(log.data() + at,
                           (next == std::string::npos ? log.size() : next + 1) - at);
    std::size_t stampEnd = entry.find('\n');
    std::size_t kindEnd =
        stampEnd == std::string_view::npos ? stampEnd : entry.find('\n', stampEnd + 1);
    if (kindEnd != std::string_view::npos) {
      SippMessage message;
      message.time =
          parseStamp(trim(entry.substr(kSeparator.size(), stampEnd - kSeparator.size())));
      std::string_view kind = entry.substr(stampEnd + 1, kindEnd - stampEnd - 1);
      message.received = kind.find("received") != std::string_view::npos;
      std::string body(entry.substr(kindEnd + 1));
      std::size_t start = body.find_first_not_of("\r\n");
      message.text = start == std::string::npos ? "" : body.substr(start);
      if (kind.find("message") != std::string_view::npos && !message.text.empty()) {
        out.push_back(std::move(message));
      }
    }
    at = next == std::string::npos ? next : next + 1;
  }
  return out;
}

std::vector<SippMessage> initialSubscribes(const std::vector<SippMessage>& messages) {
  return subscribes(messages, false);
}

std::vector<SippMessage> inDialogSubscribes(const std::vector<SippMessage>& messages) {
  return subscribes(messages, true);
}

bool udpPortInUse(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool inUse = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 &&
               errno == EADDRINUSE;
  ::close(fd);
  return inUse;
}

bool tcpPortListening(std::uint16_t port) {
  // /proc/net/tcp: "sl local_address rem_address st ...", addresses as hex "0100007F:13C4";
  // st 0A is LISTEN. Read rather than connected to, so SIPp sees no stray connection.
  char local[32];
  std::snprintf(local, sizeof(local), "0100007F:%04X", static_cast<unsigned>(port));
  const std::string table = readFile("/proc/net/tcp");
  for (std::size_t at = table.find(local); at != std::string::npos;
       at = table.find(local, at + 1)) {
    // The local address is the second column: preceded by "N: ".
    if (at < 2 || table[at - 1] != ' ' || table[at - 2] != ':') continue;
    const std::size_t state = table.find(' ', table.find(' ', at) + 1);
    if (state != std::string::npos && table.compare(state + 1, 2, "0A") == 0) return true;
  }
  return false;
}

std::uint16_t freeTcpPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
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

::testing::AssertionResult SippNotifier::start(const SippNotifierOptions& options) {
  // Distinct log names when one test runs several notifiers.
  for (int run = 1; name_.empty() || !readFile(dir_.file(name_ + "_output.log")).empty(); ++run) {
    name_ = "notifier" + std::to_string(run);
  }
  std::vector<std::string> argv = {
      SIPP_BINARY,
      "-sf",
      std::string(CCSIP_SCENARIO_DIR) + "/" + options.scenario,
      "-p",
      std::to_string(options.port),
      "-i",
      "127.0.0.1",
      "-t",
      options.tcp ? "t1" : "u1",
      "-nostdin",
      "-timeout",
      std::to_string(options.timeout.count()) + "s",
      "-timeout_error",
      "-trace_err",
      "-error_file",
      dir_.file(name_ + "_errors.log"),
      "-trace_screen",
      "-screen_file",
      dir_.file(name_ + "_screen.log"),
  };
  if (options.calls > 0) argv.insert(argv.end(), {"-m", std::to_string(options.calls)});
  if (options.traceMessages) {
    argv.insert(argv.end(), {"-trace_msg", "-message_file", dir_.file(name_ + "_messages.log")});
  }
  if (!options.keepDeadCalls) argv.insert(argv.end(), {"-deadcall_wait", "0"});
  argv.insert(argv.end(), options.extraArgs.begin(), options.extraArgs.end());
  commandLine_.clear();
  for (const auto& arg : argv) commandLine_ += arg + " ";

  std::string error;
  if (!process_.start({argv, dir_.file(name_ + "_output.log"), dir_.path()}, &error)) {
    return ::testing::AssertionFailure() << "cannot start SIPp: " << error;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (options.tcp ? tcpPortListening(options.port) : udpPortInUse(options.port)) {
      return ::testing::AssertionSuccess();
    }
    if (auto status = process_.waitFor(std::chrono::milliseconds(20))) {
      return ::testing::AssertionFailure() << "SIPp exited with " << *status << " at start:\n"
                                           << report();
    }
  }
  return ::testing::AssertionFailure() << "SIPp did not bind port " << options.port << ":\n"
                                       << report();
}

std::optional<int> SippNotifier::quit(std::chrono::milliseconds timeout) {
  process_.signal(SIGINT);
  auto status = process_.waitFor(timeout);
  if (!status) process_.kill();
  return status;
}

::testing::AssertionResult SippNotifier::passes(std::chrono::milliseconds timeout) {
  auto status = process_.waitFor(timeout);
  if (status == 0) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  if (status) {
    failure << "SIPp (Asterisk's side) exited with " << *status;
  } else {
    failure << "SIPp (Asterisk's side) still waiting after " << timeout.count() << " ms";
  }
  return failure << "\n" << report();
}

std::vector<SippMessage> SippNotifier::messages() const {
  return parseSippMessages(readFile(dir_.file(name_ + "_messages.log")));
}

bool SippNotifier::waitForMessages(const std::function<bool(const std::vector<SippMessage>&)>& done,
                                   std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done(messages())) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string SippNotifier::report() const {
  return "command: " + commandLine_ + "\n--- screen\n" +
         tailOfFile(dir_.file(name_ + "_screen.log"), 2500) + "\n--- errors\n" +
         tailOfFile(dir_.file(name_ + "_errors.log"), 3000) + "\n--- output\n" +
         tailOfFile(dir_.file(name_ + "_output.log"), 1500) + "\n--- messages (end)\n" +
         tailOfFile(dir_.file(name_ + "_messages.log"), 5000);
}

}  // namespace ccsip::itest
