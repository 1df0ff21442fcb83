#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "cti/client_id.h"

namespace ccsip::cti {

// Who sees which event (DESIGN.md "CTI protocol": a client sees the events of the DNs it
// registered and, for an agent session, of its agent). Pure bookkeeping, no I/O.
//
// Every operation but dnsOf and removeClient takes constant time, whatever the number of DNs a
// client holds (a router or wallboard may register all 50,000): each event looks up its DN
// here (open addressing: about one cache miss), and registering N DNs is linear in N.
class EventRoutes {
 public:
  // Idempotent; false when the client already had that DN.
  bool addDn(ClientId client, std::string_view dn);
  // False when the client had not registered that DN.
  bool removeDn(ClientId client, std::string_view dn);
  bool hasDn(ClientId client, std::string_view dn) const;
  // The client's DNs in registration order (for the admin API: sorts them).
  std::vector<std::string> dnsOf(ClientId client) const;
  std::size_t dnCount(ClientId client) const;

  // One agent per client: binding another replaces it.
  void bindAgent(ClientId client, std::string_view agentId);
  void unbindAgent(ClientId client);
  // Unbinds every client of the agent; returns how many.
  std::size_t unbindAllOf(std::string_view agentId);
  std::string_view agentOf(ClientId client) const;  // "" when none

  void removeClient(ClientId client);

  // The clients registered on any of `dns` or bound to `agentId`, ascending, each once.
  void recipients(const std::vector<std::string>& dns, std::string_view agentId,
                  std::vector<ClientId>& out) const;
  // Clients registered on the DN, in registration order (routers of a routing point). The
  // reference is valid until the next addDn / removeDn / removeClient.
  const std::vector<ClientId>& clientsOnDn(std::string_view dn) const;
  // Valid until the next bindAgent / unbindAgent / unbindAllOf / removeClient.
  const std::vector<ClientId>& clientsOfAgent(std::string_view agentId) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <class V>
  using ByName = boost::unordered_flat_map<std::string, V, Hash, std::equal_to<>>;

  // A client's registrations: DN -> registration number (dnsOf's order).
  struct ClientDns {
    ByName<std::uint64_t> dns;
    std::uint64_t next = 0;
  };

  ByName<std::vector<ClientId>> byDn_;
  ByName<std::vector<ClientId>> byAgent_;
  std::unordered_map<ClientId, ClientDns> dnsOf_;
  std::unordered_map<ClientId, std::string> agentOf_;
};

}  // namespace ccsip::cti
