// notify_load: the switch and the desktops of the NOTIFY benchmark (bench/notify-load/run.sh).
//
//   notify_load config --count N --switch-port P [--agents] [--subscribe-rate R]
//                      [--t1 MS] [--log-level L]            ccsip's YAML configuration on stdout
//   notify_load serve --count N [--agents]                 the notifier; commands on stdin
//
// `serve` binds UDP 127.0.0.1:0, prints "port <P>", and then answers one command line at a
// time with one result line (key=value pairs) on stdout:
//   wait-subs SECONDS          until N presence + N MWI subscriptions are active (initial
//                              NOTIFY answered 2xx): "subs presence= mwi= seconds= ..."
//   cti PORT CLIENTS           connects CLIENTS CTI clients, registers every extension DN
//                              (and logs its agent in Ready with --agents): "cti ..."
//   run RATE SECONDS DRAIN [presence|mwi|both]
//                              load NOTIFYs at RATE per second for SECONDS, then up to DRAIN
//                              seconds for the last answers and events: "run ..."
//   quit
// See numbering.h for the DNs, mailboxes and agents of endpoint i.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cti_watcher.h"
#include "numbering.h"
#include "switch_notifier.h"

namespace ccsip::bench {
namespace {

Micros nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double cpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Arguments {
  std::string command;
  std::uint32_t count = 0;
  std::uint16_t switchPort = 0;
  std::uint32_t subscribeRate = 10'000;  // the most switch.subscribe-rate allows
  std::string logLevel = "info";
  std::uint32_t t1 = 500;  // sip.timers.t1 (ms): Timer J of the NOTIFY transactions is 64*T1
  bool agents = false;
};

std::optional<Arguments> parseArguments(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Arguments args;
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string_view name = argv[i];
    const bool hasValue = i + 1 < argc;
    if (name == "--agents") {
      args.agents = true;
    } else if (name == "--count" && hasValue) {
      args.count = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (name == "--switch-port" && hasValue) {
      args.switchPort = static_cast<std::uint16_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (name == "--subscribe-rate" && hasValue) {
      args.subscribeRate = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (name == "--t1" && hasValue) {
      args.t1 = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (name == "--log-level" && hasValue) {
      args.logLevel = argv[++i];
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return std::nullopt;
    }
  }
  if (args.count == 0 || args.count > kMaxEndpoints) {
    std::fprintf(stderr, "--count must be 1..%u\n", kMaxEndpoints);
    return std::nullopt;
  }
  return args;
}

// ccsip's configuration: every endpoint an extension on the switch with a mailbox (one
// presence and one MWI subscription each, both asking for an hour so that no refresh falls
// into a measurement), MWI of extensions on, the pacer at `subscribe-rate`, a CTI port.
int writeConfig(const Arguments& args) {
  std::string out;
  out.reserve(std::size_t{args.count} * 120 + 1024);
  out +=
      "sip:\n"
      "  listen:\n"
      "    - {address: 127.0.0.1, port: 0, transports: [udp]}\n"
      "  domain: bench.test\n"
      "  timers: {t1: " +
      std::to_string(args.t1) +
      "}\n"
      "log:\n"
      "  level: " +
      args.logLevel +
      "\n"
      "switch:\n"
      "  address: 127.0.0.1\n"
      "  port: " +
      std::to_string(args.switchPort) +
      "\n"
      "  presence: {event: presence, expires: 3600, retry: 60}\n"
      "  mwi: {extension-enable: true, expires: 3600, retry: 60}\n"
      "  subscribe-rate: " +
      std::to_string(args.subscribeRate) +
      "\n"
      "cti:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n"
      "  max-queue: 1000000\n"
      "http:\n"
      "  listen: {address: 127.0.0.1, port: 0}\n"
      "dns:\n";
  for (std::uint32_t i = 0; i < args.count; ++i) {
    out += "  - {dn: \"" + extensionDn(i) + "\", on: switch, mailbox: \"" + mailboxOf(i) + "\"}\n";
  }
  if (args.agents) {
    out += "agents:\n";
    for (std::uint32_t i = 0; i < args.count; ++i) {
      out += "  - {id: \"" + agentIdOf(i) + "\", password: pw, default-dn: \"" + extensionDn(i) +
             "\"}\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

double percentileMs(std::vector<Micros>& values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(values.size()));
  return static_cast<double>(values[std::min(rank, values.size() - 1)]) / 1000.0;
}

void reply(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// The serve loop: one thread, one epoll set (UDP, stdin, the CTI connections).
class Server final : private CtiEventHandler {
 public:
  Server(int udp, std::uint16_t port, const Arguments& args)
      : udp_(udp),
        args_(args),
        notifier_(udp, NotifierOptions{args.count, args.agents, 3600, port}) {}

  int run();

 private:
  enum class Phase { Idle, WaitSubs, CtiSetup, Load, Drain };

  void onCtiEvent(std::string_view line) override {
    const CtiEventFields fields = ctiEventFields(line);
    const auto index = indexOf(fields.thisDn, '2');
    if (index) notifier_.onEvent(fields.event, *index, fields.newMessages, nowMicros());
  }
  void readUdp();
  bool readCommands();  // false on quit / end of input
  void command(const std::string& line);
  void step();
  void sendDue(Micros now);
  void finishRun(Micros now);

  int udp_;
  Arguments args_;
  SwitchNotifier notifier_;
  CtiWatcher cti_;
  int epoll_ = -1;
  std::string stdinBuffer_;
  Phase phase_ = Phase::Idle;
  Micros deadline_ = 0;
  Micros phaseStart_ = 0;
  // run
  double rate_ = 0;
  Micros loadEnd_ = 0;
  Micros drainMicros_ = 0;
  Micros lastSend_ = 0;
  std::uint64_t attempts_ = 0;
  std::uint32_t cursor_[2] = {0, 0};
  int mix_ = 2;  // 0 presence, 1 MWI, 2 both
  double cpuAtStart_ = 0;
  // Pauses of this tool's own loop during a run (other processes on its core): a pause makes
  // the NOTIFYs due in it leave in one burst and adds to the latencies measured.
  Micros lastStep_ = 0;
  Micros maxGap_ = 0;
  std::uint64_t gapsOver5ms_ = 0;
};

int Server::run() {
  epoll_ = ::epoll_create1(0);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = udp_;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, udp_, &event);
  ::fcntl(0, F_SETFL, ::fcntl(0, F_GETFL) | O_NONBLOCK);
  event.data.fd = 0;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, 0, &event);
  epoll_event ready[16];
  while (true) {
    ::epoll_wait(epoll_, ready, 16, 1);
    readUdp();
    if (!readCommands()) return 0;
    if (!cti_.fds().empty() && !cti_.poll(*this)) {
      std::fprintf(stderr, "a CTI connection was closed by ccsip\n");
      reply("error cti-closed");
      return 1;
    }
    step();
  }
}

void Server::readUdp() {
  char buffer[65536];
  for (int i = 0; i < 4096; ++i) {
    sockaddr_in from{};
    socklen_t length = sizeof from;
    const ssize_t n =
        ::recvfrom(udp_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &length);
    if (n <= 0) return;
    notifier_.onDatagram(std::string_view(buffer, static_cast<std::size_t>(n)), from, nowMicros());
  }
}

bool Server::readCommands() {
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n == 0) return false;
    if (n < 0) break;
    stdinBuffer_.append(buffer, static_cast<std::size_t>(n));
  }
  std::size_t end;
  while ((end = stdinBuffer_.find('\n')) != std::string::npos) {
    const std::string line = stdinBuffer_.substr(0, end);
    stdinBuffer_.erase(0, end + 1);
    if (line == "quit") return false;
    command(line);
  }
  return true;
}

void Server::command(const std::string& line) {
  std::istringstream in(line);
  std::string name;
  in >> name;
  const Micros now = nowMicros();
  if (phase_ != Phase::Idle) {
    reply("error busy");
    return;
  }
  if (name == "wait-subs") {
    double seconds = 0;
    in >> seconds;
    phase_ = Phase::WaitSubs;
    deadline_ = now + static_cast<Micros>(seconds * 1e6);
  } else if (name == "cti") {
    unsigned port = 0, clients = 1;
    in >> port >> clients;
    if (!cti_.connect(static_cast<std::uint16_t>(port), std::max(1u, clients))) {
      reply("error cti-connect");
      return;
    }
    for (int fd : cti_.fds()) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = fd;
      ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    }
    cti_.startSetup(args_.count, args_.agents);
    phase_ = Phase::CtiSetup;
    phaseStart_ = now;
    deadline_ = now + 600'000'000;
  } else if (name == "run") {
    double seconds = 0, drain = 0;
    std::string mix = "both";
    in >> rate_ >> seconds >> drain >> mix;
    mix_ = mix == "presence" ? 0 : mix == "mwi" ? 1 : 2;
    notifier_.resetStats();
    attempts_ = 0;
    phase_ = Phase::Load;
    phaseStart_ = now;
    lastSend_ = now;
    loadEnd_ = now + static_cast<Micros>(seconds * 1e6);
    drainMicros_ = static_cast<Micros>(drain * 1e6);
    cpuAtStart_ = cpuSeconds();
    lastStep_ = 0;
    maxGap_ = 0;
    gapsOver5ms_ = 0;
  } else {
    reply("error unknown-command " + name);
  }
}

void Server::sendDue(Micros now) {
  const Micros until = std::min(now, loadEnd_);
  const auto due =
      static_cast<std::uint64_t>(static_cast<double>(until - phaseStart_) * rate_ / 1e6);
  const std::uint32_t count = args_.count;
  while (attempts_ < due) {
    ++attempts_;
    const int package = mix_ == 2 ? static_cast<int>(attempts_ & 1) : mix_;
    // The next dialog of the package whose previous NOTIFY is finished (a few tries).
    bool sent = false;
    for (int tries = 0; tries < 16 && !sent; ++tries) {
      const std::uint32_t index = cursor_[package];
      cursor_[package] = (index + 1) % count;
      sent = notifier_.notify(static_cast<Package>(package), index, now);
    }
    if (sent) lastSend_ = now;
  }
}

void Server::step() {
  const Micros now = nowMicros();
  notifier_.onTimers(now);
  switch (phase_) {
    case Phase::Idle:
      return;
    case Phase::WaitSubs: {
      const std::size_t presence = notifier_.active(Package::Presence);
      const std::size_t mwi = notifier_.active(Package::Mwi);
      if ((presence == args_.count && mwi == args_.count) || now >= deadline_) {
        const Micros first = notifier_.firstSubscribeAt();
        const double seconds =
            first == 0 ? 0 : static_cast<double>(notifier_.lastActiveAt() - first) / 1e6;
        char text[256];
        std::snprintf(text, sizeof text,
                      "subs presence=%zu mwi=%zu wanted=%u seconds=%.2f subscribes=%llu "
                      "resubscribes=%llu subscribe_retrans=%llu initial_failures=%llu",
                      presence, mwi, args_.count, seconds,
                      static_cast<unsigned long long>(notifier_.subscribes()),
                      static_cast<unsigned long long>(notifier_.resubscribes()),
                      static_cast<unsigned long long>(notifier_.subscribeRetransmissions()),
                      static_cast<unsigned long long>(notifier_.initialFailures()));
        reply(text);
        phase_ = Phase::Idle;
      }
      return;
    }
    case Phase::CtiSetup: {
      const CtiSetupResult& result = cti_.setupResult();
      if (result.complete || now >= deadline_) {
        char text[512];
        std::snprintf(text, sizeof text,
                      "cti registered=%llu logged_in=%llu errors=%llu seconds=%.2f first_error=%s",
                      static_cast<unsigned long long>(result.registered),
                      static_cast<unsigned long long>(result.loggedIn),
                      static_cast<unsigned long long>(result.errors),
                      static_cast<double>(now - phaseStart_) / 1e6,
                      result.firstError.empty() ? "-" : result.firstError.c_str());
        reply(text);
        phase_ = Phase::Idle;
      }
      return;
    }
    case Phase::Load:
      if (lastStep_ != 0) {
        maxGap_ = std::max(maxGap_, now - lastStep_);
        if (now - lastStep_ > 5000) ++gapsOver5ms_;
      }
      lastStep_ = now;
      sendDue(now);
      if (now >= loadEnd_) {
        phase_ = Phase::Drain;
        deadline_ = now + drainMicros_;
      }
      return;
    case Phase::Drain:
      if (notifier_.inFlight() == 0 || now >= deadline_) finishRun(now);
      return;
  }
}

void Server::finishRun(Micros now) {
  NotifyStats& stats = notifier_.stats();
  const std::size_t missingAnswers = notifier_.missingAnswers();
  const std::size_t missingEvents = notifier_.missingEvents();
  const double sendSeconds = static_cast<double>(lastSend_ - phaseStart_) / 1e6;
  const double achieved = sendSeconds > 0 ? static_cast<double>(stats.sent) / sendSeconds : 0;
  std::string statuses;
  for (const auto& [status, n] : stats.statuses) {
    statuses += (statuses.empty() ? "" : ",") + std::to_string(status) + ":" + std::to_string(n);
  }
  char text[1400];
  std::snprintf(text, sizeof text,
                "run rate=%.0f sent=%llu achieved=%.0f answered=%llu refused=%llu timed_out=%llu "
                "no_answer=%zu retrans=%llu events_expected=%llu events=%llu events_wrong=%llu "
                "events_missing=%zu events_unexpected=%llu skipped=%llu answer_p50_ms=%.2f "
                "answer_p99_ms=%.2f answer_max_ms=%.2f event_p50_ms=%.2f event_p99_ms=%.2f "
                "event_max_ms=%.2f tool_cpu_s=%.2f tool_max_gap_ms=%.1f tool_gaps_over_5ms=%llu "
                "wall_s=%.2f resubscribes=%llu statuses=%s",
                rate_, static_cast<unsigned long long>(stats.sent), achieved,
                static_cast<unsigned long long>(stats.answered),
                static_cast<unsigned long long>(stats.refused),
                static_cast<unsigned long long>(stats.timedOut), missingAnswers,
                static_cast<unsigned long long>(stats.retransmissions),
                static_cast<unsigned long long>(stats.eventsExpected),
                static_cast<unsigned long long>(stats.eventsMatched),
                static_cast<unsigned long long>(stats.eventsWrong), missingEvents,
                static_cast<unsigned long long>(stats.eventsUnexpected),
                static_cast<unsigned long long>(stats.skipped),
                percentileMs(stats.answerLatency, 0.50), percentileMs(stats.answerLatency, 0.99),
                percentileMs(stats.answerLatency, 1.0), percentileMs(stats.eventLatency, 0.50),
                percentileMs(stats.eventLatency, 0.99), percentileMs(stats.eventLatency, 1.0),
                cpuSeconds() - cpuAtStart_, static_cast<double>(maxGap_) / 1000.0,
                static_cast<unsigned long long>(gapsOver5ms_),
                static_cast<double>(now - phaseStart_) / 1e6,
                static_cast<unsigned long long>(notifier_.resubscribes()),
                statuses.empty() ? "-" : statuses.c_str());
  reply(text);
  notifier_.abandonFlights();
  phase_ = Phase::Idle;
}

int serve(const Arguments& args) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("bind");
    return 1;
  }
  // Bursts of 10,000 SUBSCRIBEs a second must not overflow the receive buffer (capped by
  // net.core.rmem_max).
  const int buffer = 16 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const std::uint16_t port = ntohs(address.sin_port);
  reply("port " + std::to_string(port));
  Server server(fd, port, args);
  return server.run();
}

}  // namespace
}  // namespace ccsip::bench

int main(int argc, char** argv) {
  using namespace ccsip::bench;
  const auto args = parseArguments(argc, argv);
  if (!args) {
    std::fprintf(stderr,
                 "usage: notify_load config --count N --switch-port P [--agents] "
                 "[--subscribe-rate R] [--t1 MS] [--log-level L]\n"
                 "       notify_load serve --count N [--agents]\n");
    return 2;
  }
  if (args->command == "config") {
    if (args->switchPort == 0) {
      std::fprintf(stderr, "config needs --switch-port\n");
      return 2;
    }
    return writeConfig(*args);
  }
  if (args->command == "serve") return serve(*args);
  std::fprintf(stderr, "unknown command %s\n", args->command.c_str());
  return 2;
}
