#include "pbx/mwi_monitor.h"

#include <spdlog/spdlog.h>

#include <unordered_set>

#include "pbx/mwi_user_data.h"

namespace ccsip::pbx {

MwiMonitor::MwiMonitor(const MonitorServices& services, MwiMonitorOptions options, MwiScope scope)
    : model_(*services.model),
      options_(std::move(options)),
      scope_(std::move(scope)),
      packages_(events::makeDefaultEventPackages()) {
  context_.core = services.core;
  context_.timers = services.timers;
  context_.pacer = services.pacer;
  context_.owner = this;
  context_.retry = options_.retry;
  package_ = packages_.find("message-summary");
}

void MwiMonitor::start() {
  stopped_ = false;
  if (!options_.extensionEnable) return;
  for (const MwiScope::ExtensionBox& box : scope_.extensions) {
    acquire(box.mailbox, box.dn, MwiAssociation::Extension);
  }
}

void MwiMonitor::stop() {
  stopped_ = true;
  for (Box& box : boxes_) box.subscription.stop();
}

void MwiMonitor::recreateAll() {
  for (Box& box : boxes_) box.subscription.recreate();
}

void MwiMonitor::onAgentLogin(const model::Agent& agent) {
  const MwiScope::AgentBoxes* boxes = scope_.boxesOf(agent.agentId);
  if (boxes == nullptr) return;
  acquireAgentBoxes(*boxes, agent.dn);
  held_[agent.agentId] = Held{agent.dn, *boxes};
}

void MwiMonitor::onAgentLogout(const model::Agent& agent, std::string_view) {
  auto it = held_.find(agent.agentId);
  if (it == held_.end()) return;
  releaseAgentBoxes(it->second.boxes);
  held_.erase(it);
}

void MwiMonitor::acquireAgentBoxes(const MwiScope::AgentBoxes& boxes, std::string_view dn) {
  if (!boxes.own.empty()) acquire(boxes.own, dn, MwiAssociation::Agent);
  for (const std::string& group : boxes.groups) acquire(group, dn, MwiAssociation::Group);
}

void MwiMonitor::releaseAgentBoxes(const MwiScope::AgentBoxes& boxes) {
  if (!boxes.own.empty()) release(boxes.own);
  for (const std::string& group : boxes.groups) release(group);
}

void MwiMonitor::reload(MwiScope scope) {
  // Everything wanted under the new scope is acquired before anything of the old is released:
  // a box in both keeps users > 0 throughout, so its subscription is never dropped. A box
  // acquired while Active is refreshed once (its new user learns the state).
  auto sameBoxes = [](const MwiScope::AgentBoxes& a, const MwiScope::AgentBoxes& b) {
    return a.own == b.own && a.groups == b.groups;
  };
  const bool extensions = options_.extensionEnable;
  std::vector<MwiScope::ExtensionBox> oldExtensions = std::move(scope_.extensions);
  // Keyed "dn\nmailbox": a reload of 50,000 extensions stays linear.
  auto keysOf = [](const std::vector<MwiScope::ExtensionBox>& list) {
    std::unordered_set<std::string> keys;
    keys.reserve(list.size());
    for (const auto& box : list) keys.insert(box.dn + '\n' + box.mailbox);
    return keys;
  };
  const std::unordered_set<std::string> oldKeys = keysOf(oldExtensions);
  const std::unordered_set<std::string> newKeys = keysOf(scope.extensions);
  auto contains = [](const std::unordered_set<std::string>& keys,
                     const MwiScope::ExtensionBox& box) {
    return keys.contains(box.dn + '\n' + box.mailbox);
  };
  if (extensions) {
    for (const auto& box : scope.extensions) {
      if (!contains(oldKeys, box)) acquire(box.mailbox, box.dn, MwiAssociation::Extension);
    }
  }
  std::vector<MwiScope::AgentBoxes> releasedAgentBoxes;
  for (auto& [agentId, held] : held_) {
    const MwiScope::AgentBoxes* next = scope.boxesOf(agentId);
    const MwiScope::AgentBoxes wanted = next == nullptr ? MwiScope::AgentBoxes{} : *next;
    if (sameBoxes(wanted, held.boxes)) continue;
    acquireAgentBoxes(wanted, held.dn);
    releasedAgentBoxes.push_back(std::move(held.boxes));
    held.boxes = wanted;
  }
  for (const auto& boxes : releasedAgentBoxes) releaseAgentBoxes(boxes);
  if (extensions) {
    for (const auto& box : oldExtensions) {
      if (!contains(newKeys, box)) release(box.mailbox);
    }
  }
  scope_ = std::move(scope);
}

MwiMonitor::Box& MwiMonitor::boxOf(std::string_view mailbox) {
  if (auto it = index_.find(mailbox); it != index_.end()) return boxes_[it->second];
  const auto tag = static_cast<std::uint32_t>(boxes_.size());
  boxes_.emplace_back(context_, tag, std::string(mailbox));
  index_.emplace(std::string(mailbox), tag);
  return boxes_.back();
}

void MwiMonitor::acquire(std::string_view mailbox, std::string_view dn, MwiAssociation type) {
  Box& box = boxOf(mailbox);
  if (++box.users == 1) {
    box.dn = std::string(dn);
    box.type = type;
  }
  if (stopped_) return;
  if (box.subscription.state() == KeptSubscription::State::Active) {
    // The newcomer learns the current state from the NOTIFY that follows the refresh.
    box.subscription.refresh();
    return;
  }
  box.subscription.start();
}

void MwiMonitor::release(std::string_view mailbox) {
  auto it = index_.find(mailbox);
  if (it == index_.end()) return;
  Box& box = boxes_[it->second];
  if (box.users == 0) return;
  // The seed: an agent's box ends with its logout, a group's with its last member's.
  if (--box.users == 0) box.subscription.stop();
}

const KeptSubscription* MwiMonitor::find(std::string_view mailbox) const {
  auto it = index_.find(mailbox);
  return it == index_.end() ? nullptr : &boxes_[it->second].subscription;
}

std::uint32_t MwiMonitor::users(std::string_view mailbox) const {
  auto it = index_.find(mailbox);
  return it == index_.end() ? 0 : boxes_[it->second].users;
}

std::size_t MwiMonitor::busyCount() const {
  std::size_t count = 0;
  for (const Box& box : boxes_) {
    if (box.subscription.state() != KeptSubscription::State::Idle) ++count;
  }
  return count;
}

sip::dialog::SubscriptionOptions MwiMonitor::subscriptionOptions(const KeptSubscription& kept) {
  const Box& box = boxes_[kept.tag()];
  const std::string user = "gvm-" + box.mailbox;
  SwitchAddress plain = options_.target;
  plain.tcp = false;  // a From URI names, it does not route
  sip::dialog::SubscriptionOptions options;
  options.package = {package_->name, package_->contentType, package_->defaultExpires};
  // chan_sip takes the mailbox from the From user, chan_pjsip from the Request-URI user.
  options.requestUri = options_.target.uri(user);
  options.from = "<" + plain.uri(user) + ">";
  options.contact = "<sip:gsipmwi@" + options_.localHostPort + ";mb=" + box.mailbox +
                    ";dn=" + box.dn + ";tp=" + std::to_string(static_cast<int>(box.type)) +
                    std::string(options_.target.contactParameter()) + ">";
  options.expires = options_.expires;
  return options;
}

bool MwiMonitor::acceptNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) {
  decoded_.reset();
  if (notify.body.empty()) return true;  // a bare final NOTIFY: nothing to tell
  auto body = packages_.decode(package_->name, notify.body.content);
  if (!body) {
    spdlog::warn("MWI NOTIFY for box {}: {}; answered 400", boxes_[kept.tag()].mailbox,
                 body.error().message);
    return false;
  }
  if (auto* summary = std::get_if<events::MessageSummary>(&*body)) decoded_ = std::move(*summary);
  return true;
}

void MwiMonitor::onNotify(KeptSubscription& kept, const sip::dialog::NotifyEvent& notify) {
  if (!decoded_) return;
  const Box& box = boxes_[kept.tag()];
  const events::MessageSummary summary = std::move(*decoded_);
  decoded_.reset();
  model_.mailboxEvent(box.mailbox, mwiUserData(box.mailbox, summary));
}

}  // namespace ccsip::pbx
