#include <algorithm>
#include <unordered_set>

#include "model/model.h"

// User data (AttachUserData, UpdateUserData, DeleteUserData), DistributeUserEvent and the MWI
// user events of DESIGN.md "Asterisk integration".

namespace ccsip::model {

namespace json = boost::json;

Status CallModel::mergeUserData(ConnId id, std::string_view dn, const json::object& data,
                                const ReferenceId& ref) {
  if (!dn.empty()) {
    if (Status check = checkParty(id, dn); !check) return check;
  }
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  json::object merged = call->userData;
  for (const auto& item : data) merged[item.key()] = item.value();
  setUserData(*call, std::move(merged));
  userDataChanged(*call, ref);
  return ok();
}

Status CallModel::attachUserData(ConnId id, std::string_view dn, const json::object& data,
                                 const ReferenceId& ref) {
  return mergeUserData(id, dn, data, ref);
}

Status CallModel::updateUserData(ConnId id, std::string_view dn, const json::object& data,
                                 const ReferenceId& ref) {
  return mergeUserData(id, dn, data, ref);
}

Status CallModel::deleteUserData(ConnId id, std::string_view dn,
                                 const std::vector<std::string>& keys, const ReferenceId& ref) {
  if (!dn.empty()) {
    if (Status check = checkParty(id, dn); !check) return check;
  }
  Call* call = callOf(id);
  if (call == nullptr) return makeError(ErrorCode::UnknownCall, id.str());
  json::object remaining;
  if (!keys.empty()) {
    // All or nothing: one unknown key rejects the whole request.
    for (const std::string& key : keys) {
      if (!call->userData.contains(key)) return makeError(ErrorCode::UserDataKeyNotFound, key);
    }
    remaining = call->userData;
    for (const std::string& key : keys) remaining.erase(key);
  }
  setUserData(*call, std::move(remaining));
  userDataChanged(*call, ref);
  return ok();
}

void CallModel::userDataChanged(const Call& call, const ReferenceId& ref) {
  for (const Party& party : call.parties) {
    if (party.configured) emit(callEvent("EventAttachedDataChanged", call, party.dn, ref));
  }
}

Status CallModel::distributeUserEvent(std::string_view dn, const json::object& userData,
                                      const ReferenceId& ref) {
  const Dn* target = findDn(dn);
  if (target == nullptr) return makeError(ErrorCode::UnknownDn, dn);
  TEvent event = dnEvent("EventUserEvent", *target);
  if (!ref.is_null()) event.fields["referenceId"] = ref;
  event.fields["userData"] = userData;
  emit(std::move(event));
  return ok();
}

std::size_t CallModel::mailboxEvent(std::string_view mailbox, json::object userData) {
  auto it = mailboxes_.find(mailbox);
  if (it == mailboxes_.end()) return 0;
  // Moved into the mailbox's state (one NOTIFY each, up to thousands a second): the events
  // copy it from there.
  const json::object& state = setMailboxState(mailbox, std::move(userData));
  const MailboxRecipients& to = it->second;
  std::size_t sent = 0;
  for (const std::string& name : to.dns) {
    const Dn* dn = findDn(name);
    if (dn == nullptr) continue;
    TEvent event = dnEvent("EventUserEvent", *dn);
    event.fields["userData"] = state;
    emit(std::move(event));
    ++sent;
  }
  // Seed "Voicemail Boxes Associated with ... Agent Logins, or Agent Groups": the agent's own
  // session, whatever DN it logged in on; each agent once even if named twice.
  std::unordered_set<std::string> told;
  auto tellAgent = [&](const std::string& agentId) {
    const Agent* agent = findAgent(agentId);
    if (agent == nullptr || !agent->loggedIn() || !told.insert(agentId).second) return;
    TEvent event;
    event.name = "EventUserEvent";
    event.fields = baseFields(nullptr);
    event.fields["thisDN"] = agent->dn;
    event.fields["agentId"] = agent->agentId;
    event.fields["userData"] = state;
    event.agentId = agent->agentId;
    emit(std::move(event));
    ++sent;
  };
  for (const std::string& agentId : to.agents) tellAgent(agentId);
  for (const std::string& groupName : to.groups) {
    if (const Group* group = findGroup(groupName); group != nullptr) {
      for (const std::string& member : group->members) tellAgent(member);
    }
  }
  return sent;
}

const json::object* CallModel::mailboxState(std::string_view mailbox) const {
  auto it = mailboxStates_.find(mailbox);
  return it == mailboxStates_.end() ? nullptr : &it->second;
}

const json::object& CallModel::setMailboxState(std::string_view mailbox, json::object userData) {
  auto it = mailboxStates_.find(mailbox);
  if (it == mailboxStates_.end()) {
    it = mailboxStates_.emplace(std::string(mailbox), std::move(userData)).first;
  } else {
    it->second = std::move(userData);
  }
  if (changes_ != nullptr) {
    record("mailbox.state", {{"mailbox", mailbox}, {"userData", it->second}});
  }
  return it->second;
}

void CallModel::rebuildMailboxIndex() {
  mailboxes_.clear();
  for (const auto& [name, dn] : dns_) {
    if (!dn.options.mailbox.empty() && !dn.removed)
      mailboxes_[dn.options.mailbox].dns.push_back(name);
  }
  for (const auto& [id, agent] : agents_) {
    if (!agent.options.mailbox.empty() && !agent.removed) {
      mailboxes_[agent.options.mailbox].agents.push_back(id);
    }
  }
  for (const auto& [name, group] : groups_) {
    if (!group.mailbox.empty()) mailboxes_[group.mailbox].groups.push_back(name);
  }
}

}  // namespace ccsip::model
