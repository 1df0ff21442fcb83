#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip_text.h"

namespace ccsip::bench {

using Micros = std::int64_t;  // steady clock, microseconds

enum class Package : std::uint8_t { Presence = 0, Mwi = 1 };

// What one `run` of load NOTIFYs came to.
struct NotifyStats {
  std::uint64_t sent = 0;             // load NOTIFYs (not counting retransmissions)
  std::uint64_t retransmissions = 0;  // RFC 3261 17.1.2.2 Timer E resends
  std::uint64_t answered = 0;         // 2xx
  std::uint64_t refused = 0;          // final answers other than 2xx
  std::uint64_t timedOut = 0;         // no final answer within 64*T1 (Timer F)
  std::uint64_t eventsExpected = 0;
  std::uint64_t eventsMatched = 0;
  std::uint64_t eventsWrong = 0;          // for a NOTIFY in flight, but not the expected event
  std::uint64_t eventsUnexpected = 0;     // for an endpoint with no NOTIFY awaiting one
  std::uint64_t skipped = 0;              // a dialog's previous NOTIFY was not finished yet
  std::map<int, std::uint64_t> statuses;  // non-2xx final answers by status
  std::vector<Micros> answerLatency;      // NOTIFY sent -> its 2xx received
  std::vector<Micros> eventLatency;       // NOTIFY sent -> its CTI event received
};

struct NotifierOptions {
  std::uint32_t count = 0;      // endpoints: presence dialogs and as many MWI dialogs
  bool agents = false;          // agents are logged in Ready: presence NOTIFYs make events
  long grantedExpires = 3600;   // what a 2xx to SUBSCRIBE grants at most (Asterisk's cap)
  std::uint16_t localPort = 0;  // the notifier's bound port (Via, Contact)
};

// Plays Asterisk's notifier towards ccsip on one UDP socket (RFC 6665 4.2): answers every
// SUBSCRIBE 200 with an Expires, sends the initial NOTIFY of each dialog (presence "open" idle,
// MWI 0/0), keeps each dialog (Call-ID, tags, ccsip's Contact, CSeq) to send later NOTIFYs into
// it, and retransmits NOTIFYs as a UDP client transaction does (RFC 3261 17.1.2.2: Timer E from
// T1 = 500 ms doubling to T2 = 4 s, given up after 64*T1). One NOTIFY at a time per dialog: the
// next goes when the previous one has its 2xx and, for load NOTIFYs, its CTI event.
class SwitchNotifier {
 public:
  SwitchNotifier(int fd, const NotifierOptions& options);

  void onDatagram(std::string_view data, const sockaddr_in& from, Micros now);
  // Retransmissions and Timer F of the NOTIFYs in flight.
  void onTimers(Micros now);
  // A load NOTIFY into dialog (package, index): presence flips busy <-> idle, MWI counts one
  // more new message. False (and counted as skipped) when the dialog is not active or its
  // previous NOTIFY is not finished.
  bool notify(Package package, std::uint32_t index, Micros now);
  // A CTI event about endpoint `index`; `newMessages` is userData.gsipmwi.NewMessages.
  void onEvent(std::string_view name, std::uint32_t index, std::optional<long> newMessages,
               Micros now);

  std::size_t active(Package package) const { return active_[static_cast<int>(package)]; }
  std::uint64_t subscribes() const { return subscribes_; }
  std::uint64_t resubscribes() const { return resubscribes_; }
  std::uint64_t unsubscribes() const { return unsubscribes_; }
  std::uint64_t subscribeRetransmissions() const { return subscribeRetransmissions_; }
  std::uint64_t initialFailures() const { return initialFailures_; }
  Micros firstSubscribeAt() const { return firstSubscribeAt_; }
  Micros lastActiveAt() const { return lastActiveAt_; }

  // Load NOTIFYs still waiting for their 2xx or event.
  std::size_t inFlight() const { return loadInFlight_; }
  std::size_t missingAnswers() const;
  std::size_t missingEvents() const;
  // Forgets the unfinished load NOTIFYs (after a run's drain time) so the next run starts clean.
  void abandonFlights();
  NotifyStats& stats() { return stats_; }
  void resetStats() { stats_ = NotifyStats{}; }

 private:
  struct Dialog {
    std::string callId;
    std::string notifyFrom;  // the SUBSCRIBE's To with our tag
    std::string notifyTo;    // the SUBSCRIBE's From (ccsip's tag)
    std::string target;      // ccsip's Contact URI: the NOTIFY's Request-URI
    std::string wire;        // the NOTIFY in flight, for retransmissions
    sockaddr_in peer{};
    std::uint32_t cseq = 100;
    std::uint32_t flightCseq = 0;
    std::uint32_t generation = 0;  // new SUBSCRIBEs (re-created subscriptions)
    Micros sentAt = 0;
    Micros interval = 0;
    std::uint32_t newMessages = 0;  // MWI state
    bool busy = false;              // presence state
    bool exists = false;
    bool active = false;  // its initial NOTIFY was answered 2xx
    bool inFlight = false;
    bool load = false;  // the NOTIFY in flight is a load NOTIFY (counted in stats)
    bool answered = false;
    bool eventPending = false;
  };
  struct Due {
    Micros at;
    std::uint32_t key;
    std::uint32_t cseq;
    bool operator>(const Due& other) const { return at > other.at; }
  };

  std::uint32_t keyOf(Package package, std::uint32_t index) const {
    return static_cast<std::uint32_t>(package) * options_.count + index;
  }
  void onSubscribe(const SipText& request, std::string_view data, const sockaddr_in& from,
                   Micros now);
  void onResponse(const SipText& response, Micros now);
  void answer(const SipText& request, const sockaddr_in& to, int status, std::string_view reason,
              std::string_view localTag, std::string_view extra);
  void sendNotify(std::uint32_t key, bool load, bool terminated, Micros now);
  void finishIfDone(Dialog& dialog);
  void sendTo(const std::string& data, const sockaddr_in& to);

  int fd_;
  NotifierOptions options_;
  std::vector<Dialog> dialogs_;  // presence 0..count-1, then MWI
  std::unordered_map<std::string, std::uint32_t> byCallId_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> timers_;
  std::size_t active_[2] = {0, 0};
  std::size_t loadInFlight_ = 0;
  std::uint64_t subscribes_ = 0;
  std::uint64_t resubscribes_ = 0;
  std::uint64_t unsubscribes_ = 0;
  std::uint64_t subscribeRetransmissions_ = 0;
  std::uint64_t initialFailures_ = 0;
  std::uint64_t tagCounter_ = 0;
  Micros firstSubscribeAt_ = 0;
  Micros lastActiveAt_ = 0;
  NotifyStats stats_;
  std::string scratch_;
};

}  // namespace ccsip::bench
