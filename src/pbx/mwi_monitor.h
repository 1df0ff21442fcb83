#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "events/event_package.h"
#include "model/login_observer.h"
#include "pbx/kept_subscription.h"
#include "pbx/monitor_services.h"
#include "pbx/mwi_scope.h"
#include "pbx/switch_address.h"

namespace ccsip::pbx {

struct MwiMonitorOptions {
  SwitchAddress target;
  std::string localHostPort;     // ccsip's "host:port", the Contact host
  bool extensionEnable = false;  // switch.mwi.extension-enable
  std::chrono::seconds expires{600};
  std::chrono::seconds retry{60};
};

// DESIGN.md "Voicemail with MWI", the seed's "MWI Subscription Scope":
//   - extension boxes: subscribed from start() to stop() when extensionEnable is set;
//   - an agent's box: while the agent is logged in (whatever DN);
//   - a group's box: while at least one member is logged in.
// ONE subscription per box, shared by everything associated with it (the seed counts one per
// logged-in member; chan_sip keeps one MWI subscription per peer, so several for one gvm peer
// would replace each other): a box counts its users and is unsubscribed when the last goes.
// A user joining a box already subscribed gets its state through a refresh (RFC 6665 4.2.1.2:
// every accepted refresh is followed by a NOTIFY of the current state).
// SUBSCRIBE: Request-URI and From sip:gvm-<box>@<switch> (chan_sip takes the mailbox from the
// From user, chan_pjsip from the Request-URI user), Event: message-summary, Contact
// <sip:gsipmwi@<ccsip>;mb=<box>;dn=<dn>;tp=<1 extension | 2 agent | 3 group>> naming the first
// user. Each NOTIFY -> CallModel::mailboxEvent() (EventUserEvent to the right clients).
class MwiMonitor final : public model::LoginObserver, private KeptSubscriptionOwner {
 public:
  MwiMonitor(const MonitorServices& services, MwiMonitorOptions options, MwiScope scope);
  MwiMonitor(const MwiMonitor&) = delete;
  MwiMonitor& operator=(const MwiMonitor&) = delete;

  void start();  // the extension boxes
  void stop();   // every box unsubscribed; logins after it subscribe nothing
  void recreateAll();
  // A reload (SIGHUP): `scope` replaces the running one. Extension boxes and the boxes of the
  // agents logged in now follow it (a box that stays keeps its subscription untouched; one no
  // longer used by anybody is unsubscribed); later logins use it.
  void reload(MwiScope scope);

  // model::LoginObserver
  void onAgentLogin(const model::Agent& agent) override;
  void onAgentLogout(const model::Agent& agent, std::string_view dn) override;

  // The subscription of `mailbox`, nullptr when it was never needed (tests, admin).
  const KeptSubscription* find(std::string_view mailbox) const;
  std::uint32_t users(std::string_view mailbox) const;
  std::size_t size() const { return boxes_.size(); }
  std::size_t busyCount() const;  // boxes still on the wire (not Idle); O(n)

 private:
  struct Box {
    Box(KeptSubscriptionContext& context, std::uint32_t tag, std::string mailbox)
        : mailbox(std::move(mailbox)), subscription(context, tag) {}
    std::string mailbox;
    std::string dn;  // the Contact's dn= and tp= (the user that opened the box)
    MwiAssociation type = MwiAssociation::Extension;
    std::uint32_t users = 0;
    KeptSubscription subscription;
  };

  // The boxes one login holds: released at its logout even if a reload changed the scope.
  struct Held {
    std::string dn;
    MwiScope::AgentBoxes boxes;
  };

  void acquireAgentBoxes(const MwiScope::AgentBoxes& boxes, std::string_view dn);
  void releaseAgentBoxes(const MwiScope::AgentBoxes& boxes);
  void acquire(std::string_view mailbox, std::string_view dn, MwiAssociation type);
  void release(std::string_view mailbox);
  Box& boxOf(std::string_view mailbox);  // created on first use, kept for the run

  // KeptSubscriptionOwner
  sip::dialog::SubscriptionOptions subscriptionOptions(const KeptSubscription& kept) override;
  bool acceptNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) override;
  void onNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) override;

  model::CallModel& model_;
  MwiMonitorOptions options_;
  MwiScope scope_;
  KeptSubscriptionContext context_;
  events::EventPackageRegistry packages_;
  const events::EventPackageDescriptor* package_ = nullptr;
  bool stopped_ = false;
  std::deque<Box> boxes_;  // stable addresses; KeptSubscription::tag() is the index
  std::unordered_map<std::string, std::uint32_t, MwiScope::Hash, std::equal_to<>> index_;
  std::optional<events::MessageSummary> decoded_;
  std::unordered_map<std::string, Held, MwiScope::Hash, std::equal_to<>> held_;  // by agent id
};

}  // namespace ccsip::pbx
