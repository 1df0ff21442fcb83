#include "pbx/presence_monitor.h"

#include <spdlog/spdlog.h>

#include <unordered_set>

#include "pbx/presence_state.h"

namespace ccsip::pbx {

PresenceMonitor::PresenceMonitor(const MonitorServices& services, PresenceMonitorOptions options,
                                 const std::vector<std::string>& dns)
    : model_(*services.model),
      options_(std::move(options)),
      packages_(events::makeDefaultEventPackages()) {
  context_.core = services.core;
  context_.timers = services.timers;
  context_.pacer = services.pacer;
  context_.owner = this;
  context_.retry = options_.retry;
  package_ =
      packages_.find(options_.event == config::PresenceEvent::Dialog ? "dialog" : "presence");
  from_ = "<sip:" + options_.fromUser + "@" + options_.localHostPort + ">";
  for (const std::string& dn : dns) {
    endpoints_.emplace_back(context_, static_cast<std::uint32_t>(endpoints_.size()), dn);
  }
}

void PresenceMonitor::start() {
  for (Endpoint& endpoint : endpoints_) endpoint.subscription.start();
}

void PresenceMonitor::stop() {
  for (Endpoint& endpoint : endpoints_) endpoint.subscription.stop();
}

void PresenceMonitor::reload(const std::vector<std::string>& dns) {
  const std::unordered_set<std::string_view> wanted(dns.begin(), dns.end());
  std::unordered_set<std::string_view> known;
  known.reserve(endpoints_.size());
  // An endpoint removed earlier keeps its slot (tags are indexes): re-added, it starts again.
  for (Endpoint& endpoint : endpoints_) {
    known.insert(endpoint.dn);
    const bool keep = wanted.contains(endpoint.dn);
    if (keep && !endpoint.subscription.wanted()) endpoint.subscription.start();
    if (!keep && endpoint.subscription.wanted()) endpoint.subscription.stop();
  }
  for (const std::string& dn : dns) {
    if (known.contains(dn)) continue;
    endpoints_.emplace_back(context_, static_cast<std::uint32_t>(endpoints_.size()), dn);
    known.insert(endpoints_.back().dn);
    endpoints_.back().subscription.start();
  }
}

void PresenceMonitor::recreateAll() {
  for (Endpoint& endpoint : endpoints_) endpoint.subscription.recreate();
}

std::size_t PresenceMonitor::busyCount() const {
  std::size_t count = 0;
  for (const Endpoint& endpoint : endpoints_) {
    if (endpoint.subscription.state() != KeptSubscription::State::Idle) ++count;
  }
  return count;
}

const KeptSubscription* PresenceMonitor::find(std::string_view dn) const {
  for (const Endpoint& endpoint : endpoints_) {
    if (endpoint.dn == dn) return &endpoint.subscription;
  }
  return nullptr;
}

sip::dialog::SubscriptionOptions PresenceMonitor::subscriptionOptions(
    const KeptSubscription& kept) {
  const Endpoint& endpoint = endpoints_[kept.tag()];
  sip::dialog::SubscriptionOptions options;
  options.package = {package_->name, package_->contentType, package_->defaultExpires};
  options.requestUri = options_.target.uri(endpoint.dn);
  options.from = from_;
  // UDP: the core's Contact. TCP: ccsip's TCP address, which localHostPort is then.
  if (options_.target.tcp) {
    options.contact = "<sip:" + options_.fromUser + "@" + options_.localHostPort +
                      std::string(options_.target.contactParameter()) + ">";
  }
  options.expires = options_.expires;
  return options;
}

void PresenceMonitor::onNewSubscription(KeptSubscription& kept) {
  // RFC 4235 4.1: versions are scoped to one subscription.
  endpoints_[kept.tag()].tracker.reset();
}

bool PresenceMonitor::acceptNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) {
  decoded_.reset();
  // A NOTIFY without a body (a final "terminated" may have none) says nothing about the endpoint.
  if (notify.body.empty()) return true;
  auto body = packages_.decode(package_->name, notify.body.content);
  if (!body) {
    spdlog::warn("presence NOTIFY for {}: {}; answered 400", endpoints_[kept.tag()].dn,
                 body.error().message);
    return false;
  }
  decoded_ = std::move(*body);
  return true;
}

void PresenceMonitor::onNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) {
  if (!decoded_) return;
  Endpoint& endpoint = endpoints_[kept.tag()];
  events::EventBody body = std::move(*decoded_);
  decoded_.reset();
  if (const auto* pidf = std::get_if<events::PidfDocument>(&body)) {
    report(endpoint, presenceOf(*pidf));
    return;
  }
  if (const auto* info = std::get_if<events::DialogInfo>(&body)) {
    switch (endpoint.tracker.apply(*info)) {
      case events::DialogInfoTracker::Outcome::Stale:
        return;  // RFC 4235 4.1: older than what we hold
      case events::DialogInfoTracker::Outcome::NeedFullState:
        // RFC 4235 4.1: a version was lost; a refresh brings a full document.
        endpoint.subscription.refresh();
        break;
      case events::DialogInfoTracker::Outcome::Applied:
        break;
    }
    report(endpoint, toPresence(endpoint.tracker.endpointState()));
  }
}

void PresenceMonitor::report(Endpoint& endpoint, std::optional<model::EndpointPresence> presence) {
  if (!presence) return;
  // The model ignores a repeated state, and decides every agent / DN event.
  if (auto status = model_.endpointPresence(endpoint.dn, *presence); !status) {
    spdlog::warn("presence of {}: {}", endpoint.dn, status.error().message);
  }
}

}  // namespace ccsip::pbx
