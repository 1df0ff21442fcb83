#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "pbx/switch_address.h"
#include "sip/dialog/user_agent_core.h"
#include "sip/txn/transaction_user.h"
#include "util/timer_service.h"

namespace ccsip::pbx {

// Told when the switch has (most likely) restarted and lost every subscription.
class SwitchRestartHandler {
 public:
  virtual ~SwitchRestartHandler() = default;
  virtual void onSwitchRestarted() = 0;
};

struct SwitchKeepaliveOptions {
  SwitchAddress target;
  std::string localHostPort;           // ccsip's "host:port", the From host
  std::string fromUser = "sipserver";  // chan_sip matches the peer by it
  std::chrono::seconds interval{30};   // switch.options-keepalive; 0: off
};

// DESIGN.md "SIP core": out-of-dialog OPTIONS to the switch every `interval` (RFC 3261 11).
// Asterisk keeps subscriptions in memory only, so a restart loses them all without a word; the
// keepalive notices it and the monitors re-create every subscription when
//   - the switch answers again after one or more OPTIONS went unanswered (Timer F, or a
//     transport error), or
//   - it answers with another status than before (its configuration changed under us).
// A restart shorter than the interval goes unseen here; refreshes then get 481 and each
// subscription is re-created on its own (KeptSubscription).
class SwitchKeepalive final : private sip::txn::ClientTransactionHandler {
 public:
  SwitchKeepalive(sip::dialog::UserAgentCore& core, util::TimerService& timers,
                  SwitchKeepaliveOptions options, SwitchRestartHandler& handler);
  ~SwitchKeepalive() override;
  SwitchKeepalive(const SwitchKeepalive&) = delete;
  SwitchKeepalive& operator=(const SwitchKeepalive&) = delete;

  void start();  // the first OPTIONS goes out now
  void stop();

  bool reachable() const { return !lost_; }
  std::optional<int> lastStatus() const { return lastStatus_; }

 private:
  void send();
  void scheduleNext();
  void answered(int status);
  void unanswered();

  // sip::txn::ClientTransactionHandler
  void onResponse(const sip::txn::ClientTransactionHandle& txn,
                  const sip::Message& response) override;
  void onTimeout(const sip::txn::ClientTransactionHandle& txn) override;
  void onTransportError(const sip::txn::ClientTransactionHandle& txn) override;

  sip::dialog::UserAgentCore& core_;
  util::TimerService& timers_;
  SwitchKeepaliveOptions options_;
  SwitchRestartHandler& handler_;
  sip::txn::ClientTransactionHandle inFlight_;
  util::TimerId timer_ = 0;
  std::uint32_t cseq_ = 0;
  std::optional<int> lastStatus_;
  bool lost_ = false;
  bool running_ = false;
};

}  // namespace ccsip::pbx
