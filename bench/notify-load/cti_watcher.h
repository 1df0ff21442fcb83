#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccsip::bench {

// Told every CTI event line as it arrives.
class CtiEventHandler {
 public:
  virtual ~CtiEventHandler() = default;
  virtual void onCtiEvent(std::string_view line) = 0;
};

// The fields of a CTI event line the load tool reads (docs/protocol.md), found by text search:
// ccsip writes compact JSON without spaces, one object per line.
struct CtiEventFields {
  std::string_view event;
  std::string_view thisDn;
  std::optional<std::int64_t> referenceId;
  std::optional<long> newMessages;  // userData.gsipmwi.NewMessages
};
CtiEventFields ctiEventFields(std::string_view line);

struct CtiSetupResult {
  std::uint64_t registered = 0;
  std::uint64_t loggedIn = 0;
  std::uint64_t errors = 0;
  std::string firstError;
  bool complete = false;
};

// Desktops watching the endpoints: `clients` CTI TCP connections to ccsip, endpoint i
// registered (RegisterAddress) by client i % clients and, with agents, its agent logged in
// Ready on it (AgentLogin). Setup requests are pipelined in windows so that ccsip's per-client
// queue stays short. Afterwards every line goes to the handler.
class CtiWatcher {
 public:
  // Connects and sends OpenSession; false (with a message on stderr) when it cannot connect.
  bool connect(std::uint16_t port, std::uint32_t clients);
  void startSetup(std::uint32_t count, bool agents);
  bool setupDone() const { return setupNext_ == setupCount_ && pending() == 0; }
  const CtiSetupResult& setupResult() const { return setup_; }

  // Reads what arrived (non-blocking) and flushes what is queued; false when a connection
  // closed (ccsip cut a slow client, or exited).
  bool poll(CtiEventHandler& handler);
  const std::vector<int>& fds() const { return fds_; }
  std::uint64_t lines() const { return lines_; }

 private:
  struct Client {
    int fd = -1;
    std::string in;
    std::string out;
    std::uint64_t sent = 0;      // setup requests sent
    std::uint64_t answered = 0;  // setup answers received
  };
  std::uint64_t pending() const;
  void fillWindows();
  void flush(Client& client);
  void onSetupLine(Client& client, const CtiEventFields& fields, std::string_view line);

  std::vector<Client> clients_;
  std::vector<int> fds_;
  std::uint32_t setupCount_ = 0;
  std::uint32_t setupNext_ = 0;
  bool agents_ = false;
  CtiSetupResult setup_;
  std::uint64_t lines_ = 0;
};

}  // namespace ccsip::bench
