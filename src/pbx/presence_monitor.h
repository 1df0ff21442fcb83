#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "events/dialog_info.h"
#include "events/event_package.h"
#include "pbx/kept_subscription.h"
#include "pbx/monitor_services.h"
#include "pbx/switch_address.h"

namespace ccsip::pbx {

struct PresenceMonitorOptions {
  SwitchAddress target;
  std::string localHostPort;  // ccsip's "host:port", the From host
  config::PresenceEvent event = config::PresenceEvent::Presence;
  std::chrono::seconds expires{3600};
  std::chrono::seconds retry{60};
  std::string fromUser = "sipserver";  // chan_sip picks the subscribing peer by it
};

// DESIGN.md "Agent state from presence": one subscription per monitored endpoint DN (the
// extensions on the switch), Event: presence (PIDF, tells "not registered" from idle) or
// Event: dialog (dialog-info, with one version tracker per subscription, RFC 4235 4.1). Each
// NOTIFY becomes CallModel::endpointPresence(), which decides the agent and DN events. A NOTIFY
// costs one decode and one indexed lookup, never a scan.
class PresenceMonitor final : private KeptSubscriptionOwner {
 public:
  PresenceMonitor(const MonitorServices& services, PresenceMonitorOptions options,
                  const std::vector<std::string>& dns);
  PresenceMonitor(const PresenceMonitor&) = delete;
  PresenceMonitor& operator=(const PresenceMonitor&) = delete;

  void start();  // every endpoint, through the pacer
  void stop();   // unsubscribes every endpoint
  void recreateAll();
  // A reload (SIGHUP): subscribes the endpoints new in `dns`, unsubscribes those no longer in it,
  // and leaves the others' subscriptions untouched.
  void reload(const std::vector<std::string>& dns);

  std::size_t size() const { return endpoints_.size(); }
  // Subscriptions still on the wire (not Idle); O(n), for shutdown and tests.
  std::size_t busyCount() const;
  // The subscription of `dn` (tests, admin); O(n).
  const KeptSubscription* find(std::string_view dn) const;

 private:
  struct Endpoint {
    Endpoint(KeptSubscriptionContext& context, std::uint32_t tag, std::string dn)
        : dn(std::move(dn)), subscription(context, tag) {}
    std::string dn;
    KeptSubscription subscription;
    events::DialogInfoTracker tracker;  // Event: dialog only
  };

  // KeptSubscriptionOwner
  sip::dialog::SubscriptionOptions subscriptionOptions(const KeptSubscription& kept) override;
  bool acceptNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) override;
  void onNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) override;
  void onNewSubscription(KeptSubscription& kept) override;

  void report(Endpoint& endpoint, std::optional<model::EndpointPresence> presence);

  model::CallModel& model_;
  PresenceMonitorOptions options_;
  KeptSubscriptionContext context_;
  events::EventPackageRegistry packages_;
  const events::EventPackageDescriptor* package_ = nullptr;
  std::string from_;
  std::deque<Endpoint> endpoints_;  // stable addresses; KeptSubscription::tag() is the index
  // The body acceptNotify() decoded, for the onNotify() that follows it at once.
  std::optional<events::EventBody> decoded_;
};

}  // namespace ccsip::pbx
