#include "cti/event_routes.h"

#include <algorithm>
#include <utility>

namespace ccsip::cti {

namespace {

const std::vector<ClientId> kNoClients;

bool eraseValue(std::vector<ClientId>& values, ClientId value) {
  const auto it = std::find(values.begin(), values.end(), value);
  if (it == values.end()) return false;
  values.erase(it);
  return true;
}

}  // namespace

bool EventRoutes::addDn(ClientId client, std::string_view dn) {
  ClientDns& mine = dnsOf_[client];
  if (mine.dns.contains(dn)) return false;
  mine.dns.emplace(std::string(dn), mine.next);
  ++mine.next;
  auto it = byDn_.find(dn);
  if (it == byDn_.end()) it = byDn_.emplace(std::string(dn), std::vector<ClientId>{}).first;
  it->second.push_back(client);
  return true;
}

bool EventRoutes::removeDn(ClientId client, std::string_view dn) {
  const auto mine = dnsOf_.find(client);
  if (mine == dnsOf_.end()) return false;
  const auto entry = mine->second.dns.find(dn);
  if (entry == mine->second.dns.end()) return false;
  mine->second.dns.erase(entry);
  if (mine->second.dns.empty()) dnsOf_.erase(mine);
  const auto it = byDn_.find(dn);
  if (it != byDn_.end()) {
    eraseValue(it->second, client);
    if (it->second.empty()) byDn_.erase(it);
  }
  return true;
}

bool EventRoutes::hasDn(ClientId client, std::string_view dn) const {
  const auto mine = dnsOf_.find(client);
  return mine != dnsOf_.end() && mine->second.dns.contains(dn);
}

std::vector<std::string> EventRoutes::dnsOf(ClientId client) const {
  const auto mine = dnsOf_.find(client);
  if (mine == dnsOf_.end()) return {};
  std::vector<std::pair<std::uint64_t, std::string_view>> ordered;
  ordered.reserve(mine->second.dns.size());
  for (const auto& [dn, number] : mine->second.dns) ordered.emplace_back(number, dn);
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::string> out;
  out.reserve(ordered.size());
  for (const auto& entry : ordered) out.emplace_back(entry.second);
  return out;
}

std::size_t EventRoutes::dnCount(ClientId client) const {
  const auto mine = dnsOf_.find(client);
  return mine == dnsOf_.end() ? 0 : mine->second.dns.size();
}

void EventRoutes::bindAgent(ClientId client, std::string_view agentId) {
  if (agentOf(client) == agentId) return;
  unbindAgent(client);
  if (agentId.empty()) return;
  agentOf_.emplace(client, std::string(agentId));
  auto it = byAgent_.find(agentId);
  if (it == byAgent_.end()) {
    it = byAgent_.emplace(std::string(agentId), std::vector<ClientId>{}).first;
  }
  it->second.push_back(client);
}

void EventRoutes::unbindAgent(ClientId client) {
  const auto bound = agentOf_.find(client);
  if (bound == agentOf_.end()) return;
  const auto it = byAgent_.find(bound->second);
  if (it != byAgent_.end()) {
    eraseValue(it->second, client);
    if (it->second.empty()) byAgent_.erase(it);
  }
  agentOf_.erase(bound);
}

std::size_t EventRoutes::unbindAllOf(std::string_view agentId) {
  const auto it = byAgent_.find(agentId);
  if (it == byAgent_.end()) return 0;
  const auto clients = std::move(it->second);
  byAgent_.erase(it);
  for (const auto client : clients) agentOf_.erase(client);
  return clients.size();
}

std::string_view EventRoutes::agentOf(ClientId client) const {
  const auto it = agentOf_.find(client);
  return it == agentOf_.end() ? std::string_view{} : std::string_view(it->second);
}

void EventRoutes::removeClient(ClientId client) {
  if (const auto mine = dnsOf_.find(client); mine != dnsOf_.end()) {
    for (const auto& [dn, number] : mine->second.dns) {
      const auto it = byDn_.find(dn);
      if (it == byDn_.end()) continue;
      eraseValue(it->second, client);
      if (it->second.empty()) byDn_.erase(it);
    }
    dnsOf_.erase(mine);
  }
  unbindAgent(client);
}

void EventRoutes::recipients(const std::vector<std::string>& dns, std::string_view agentId,
                             std::vector<ClientId>& out) const {
  out.clear();
  for (const auto& dn : dns) {
    const auto& clients = clientsOnDn(dn);
    out.insert(out.end(), clients.begin(), clients.end());
  }
  if (!agentId.empty()) {
    const auto& clients = clientsOfAgent(agentId);
    out.insert(out.end(), clients.begin(), clients.end());
  }
  // A client on both parties' DNs (or on the DN and the agent) gets the event once.
  if (out.size() > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
}

const std::vector<ClientId>& EventRoutes::clientsOnDn(std::string_view dn) const {
  const auto it = byDn_.find(dn);
  return it == byDn_.end() ? kNoClients : it->second;
}

const std::vector<ClientId>& EventRoutes::clientsOfAgent(std::string_view agentId) const {
  const auto it = byAgent_.find(agentId);
  return it == byAgent_.end() ? kNoClients : it->second;
}

}  // namespace ccsip::cti
