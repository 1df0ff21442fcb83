#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "model/agent.h"
#include "model/availability.h"
#include "model/availability_index.h"
#include "model/call.h"
#include "model/change.h"
#include "model/clock.h"
#include "model/conn_id.h"
#include "model/dn.h"
#include "model/error_codes.h"
#include "model/event.h"
#include "model/login_observer.h"
#include "model/query.h"
#include "model/spec.h"
#include "util/result.h"

namespace ccsip::model {

struct ModelOptions {
  EventSink* sink = nullptr;          // required: receives every TEvent
  const WallClock* clock = nullptr;   // required
  ConnIdSource* connIds = nullptr;    // required
  ChangeObserver* changes = nullptr;  // optional: the state-change journal
};

// A request's reference, passed through untouched into the events it causes (null: none).
using ReferenceId = boost::json::value;

// AgentLogin: `dn` empty = the agent's default DN.
struct AgentLoginRequest {
  std::string agentId;
  std::string password;
  std::string dn;
  AgentState initialState = AgentState::NotReady;  // NotReady or Ready
  boost::json::object reasons;                     // of the initial NotReady
  ReferenceId referenceId;
};

// The other agent requests name the agent, its DN (thisDN), or both (then they must agree).
struct AgentRequest {
  std::string agentId;
  std::string dn;
  ReferenceId referenceId;
};

// A call the control layer has accepted or started. The origin becomes the first party, Dialing;
// a configured origin DN gets EventDialing.
struct NewCall {
  CallType type = CallType::Inbound;
  std::string originDn;   // required: the caller (ANI), a configured DN or an external number
  std::string dialledDn;  // the called number (DNIS)
  boost::json::object userData;
  std::optional<ConnId> mainConnId;  // a consult call: the call it consults about
  ReferenceId referenceId;           // MakeCall / InitiateTransfer ...
};

// The call model (DESIGN.md "Call model"): DNs, agents, groups, calls; pure logic, one thread.
// It is driven by facts (control layer: SIP legs, presence) and by CTI requests, and decides
// every TEvent. Facts and requests return a Status: on error nothing changed and no event went
// out. Every change of state goes through the private "mutations" below (see change.h).
class CallModel {
 public:
  explicit CallModel(const ModelOptions& options);
  CallModel(const CallModel&) = delete;
  CallModel& operator=(const CallModel&) = delete;

  // --- configuration (initial build and reload) ---
  // Adds new DNs/agents/groups, updates options of existing ones, and removes the missing ones
  // once idle: a removed DN with calls goes out of service (and its agent is logged out) when
  // its last call ends; a removed agent on a DN with calls is logged out then.
  ApplyReport apply(const ModelSpec& spec);

  // --- agent requests ---
  Status agentLogin(const AgentLoginRequest& request);
  Status agentLogout(const AgentRequest& request);
  // While the endpoint is busy the agent goes NotReady {"reason":"endpoint-busy"} instead, and
  // Ready once the endpoint is idle (presence decides availability, DESIGN.md).
  Status agentSetReady(const AgentRequest& request);
  Status agentSetNotReady(const AgentRequest& request, const boost::json::object& reasons);
  Status agentSetAfterCallWork(const AgentRequest& request,
                               const boost::json::object& reasons = {});

  // --- presence facts (pbx monitors, registrar) ---
  Status endpointPresence(std::string_view dn, EndpointPresence presence);
  Status endpointIdle(std::string_view dn) { return endpointPresence(dn, EndpointPresence::Idle); }
  Status endpointRinging(std::string_view dn) {
    return endpointPresence(dn, EndpointPresence::Ringing);
  }
  Status endpointBusy(std::string_view dn) { return endpointPresence(dn, EndpointPresence::Busy); }
  Status endpointOffline(std::string_view dn) {
    return endpointPresence(dn, EndpointPresence::Offline);
  }

  // --- agent selection (routing) ---
  // The router (one observer; nullptr = none). Not in ModelOptions: the router is built on the
  // model, so it registers itself afterwards.
  void setAvailabilityObserver(AvailabilityObserver* observer) { availability_ = observer; }
  // The MWI monitor (one observer; nullptr = none), registered like the router.
  void setLoginObserver(LoginObserver* observer) { logins_ = observer; }
  // Available: logged in, Ready, DN in the configuration, DN device Idle (in service, endpoint
  // not busy, no call on it).
  bool isAvailable(const Agent& agent) const;
  // The available member of `group` idle the longest (not in `exclude`); ties go to the member
  // listed first. nullptr: unknown group or nobody available.
  const Agent* selectAgent(std::string_view group,
                           const std::vector<std::string>& exclude = {}) const;
  // Every available member of `group`, idle the longest first (ties: the member listed first),
  // kept up to date by the model: a pick reads its front instead of every member. nullptr:
  // unknown group. Valid until the model changes.
  const AvailabilityIndex::Members* availableMembers(std::string_view group) const {
    return availabilityIndex_.available(group);
  }

  // --- call facts (control layer) ---
  util::Result<ConnId> callCreated(const NewCall& call);
  Status partyDialing(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  Status partyRinging(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  // An external destination is alerting: EventNetworkReached to a configured origin.
  Status networkReached(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  // A Dialing origin becomes Established with the first party that answers.
  Status partyEstablished(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  Status partyHeld(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  Status partyRetrieved(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  // The call ends with its last party.
  Status partyReleased(ConnId id, std::string_view dn, std::string_view cause = {},
                       const ReferenceId& ref = {});
  // The caller hung up before an answer: EventAbandoned to every DN still alerting or queued,
  // and the call ends.
  Status callAbandoned(ConnId id, const ReferenceId& ref = {});
  // `dn` answered busy: EventDestinationBusy to the origin and to the DN that routed the call.
  Status destinationBusy(ConnId id, std::string_view dn, const ReferenceId& ref = {});
  // The call waits on routing point `rp` for a routing decision.
  Status routeRequest(ConnId id, std::string_view rp, const ReferenceId& ref = {});
  Status queued(ConnId id, std::string_view rp, const ReferenceId& ref = {});
  // RouteCall succeeded: the call leaves `rp` for `target` (EventRouteUsed to `rp`).
  Status routeUsed(ConnId id, std::string_view rp, std::string_view target,
                   const ReferenceId& ref = {});
  // The call leaves `from` for `to` without a router (embedded strategy, no-answer overflow).
  Status diverted(ConnId id, std::string_view from, std::string_view to,
                  const ReferenceId& ref = {});
  // A request accepted earlier on call `id` failed later (a phone refused the re-INVITE of a
  // HoldCall): EventError {errorCode, errorMessage, referenceId, thisDN, connId} to the clients
  // of `dn`, the DN the request named. Nothing else changes.
  Status requestFailed(ConnId id, std::string_view dn, ErrorCode code, std::string_view detail,
                       const ReferenceId& ref = {});

  // --- transfers (model_transfers.cpp; docs/call-flows.md "SingleStepTransfer" ...) ---
  // A transfer target `dn` rings while `fromDn` still talks on the call: EventRinging to `dn`
  // with thirdPartyDN = `fromDn` (the transferring DN, not the routing point of the call).
  Status partyRingingFrom(ConnId id, std::string_view dn, std::string_view fromDn,
                          const ReferenceId& ref = {});
  // `fromDn` handed the call to `toDn` (SingleStepTransfer done, RedirectCall): EventReleased to
  // `fromDn` with `cause` and thirdPartyDN = `toDn` (the request's referenceId); the call counts
  // as diverted from `fromDn` (the EventRinging of `toDn` names it); every other configured
  // party that talks on the call gets EventPartyChanged (otherDN = `toDn`, thirdPartyDN =
  // `fromDn`).
  Status partyTransferred(ConnId id, std::string_view fromDn, std::string_view toDn,
                          std::string_view cause, const ReferenceId& ref = {});
  // CompleteTransfer: `dn` leaves both its main call and its consult call (EventReleased on
  // each, cause "transferred", the main one with the referenceId); the consult call's other
  // parties join the main call in their state and get EventPartyChanged (connId = the main
  // call, previousConnId = the consult call, thirdPartyDN = `dn`); the main call's configured
  // talking parties get EventPartyChanged too. The consult call ends.
  Status transferCompleted(ConnId mainId, ConnId consultId, std::string_view dn,
                           const ReferenceId& ref = {});

  // --- user data and user events (CTI requests) ---
  // `dn`, when not empty, must be a party of the call. Attach and Update both merge the given
  // keys into the call's user data (a JSON object holds each key once); Delete removes the given
  // keys, or all of them when `keys` is empty. EventAttachedDataChanged goes to every party.
  Status attachUserData(ConnId id, std::string_view dn, const boost::json::object& data,
                        const ReferenceId& ref = {});
  Status updateUserData(ConnId id, std::string_view dn, const boost::json::object& data,
                        const ReferenceId& ref = {});
  Status deleteUserData(ConnId id, std::string_view dn, const std::vector<std::string>& keys,
                        const ReferenceId& ref = {});
  // EventUserEvent to the clients of `dn`.
  Status distributeUserEvent(std::string_view dn, const boost::json::object& userData,
                             const ReferenceId& ref = {});
  // MWI (DESIGN.md "Asterisk integration"): EventUserEvent to the extensions, logged-in agents
  // and logged-in members of groups associated with `mailbox`. Returns the events sent.
  // The userData is kept as the mailbox's last known state (QueryAddress: AddressInfo::mwi).
  std::size_t mailboxEvent(std::string_view mailbox, boost::json::object userData);
  // The last userData of mailboxEvent for `mailbox`; nullptr while none came.
  const boost::json::object* mailboxState(std::string_view mailbox) const;

  // --- queries ---
  const Dn* findDn(std::string_view dn) const;
  const Agent* findAgent(std::string_view agentId) const;
  const Group* findGroup(std::string_view name) const;
  // The voicemail DN that deposits into `box`: the one whose voicemailBox is `box`, else one
  // that takes any box (the lowest such DN, so the choice is stable); nullptr: none.
  const Dn* findVoicemailDn(std::string_view box) const;
  const Call* findCall(ConnId id) const;
  DeviceState deviceState(const Dn& dn) const;
  // UnknownCall / UnknownDn / CallNotOnDn: the check every call request starts with.
  Status checkParty(ConnId id, std::string_view dn) const;
  util::Result<AddressInfo> queryAddress(std::string_view dn) const;
  util::Result<boost::json::object> queryCall(ConnId id) const;
  ServerInfo queryServer() const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <class T>
  using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

  Dn* dnOf(std::string_view dn);
  Agent* agentOf(std::string_view agentId);
  Agent* agentOn(const Dn& dn);
  Call* callOf(ConnId id);
  util::Result<Agent*> resolveAgent(const AgentRequest& request);
  Status setReady(Agent& agent, const ReferenceId& ref);
  Status mergeUserData(ConnId id, std::string_view dn, const boost::json::object& data,
                       const ReferenceId& ref);
  void userDataChanged(const Call& call, const ReferenceId& ref);
  void forceLogout(Agent& agent, std::string_view reason);
  // After a party left `dn`: idle time restarts, pending removals complete.
  void dnCallEnded(std::string_view dn);
  // Tells the availability observer when the agent on `dn` is available; the last step of a
  // fact (the observer may call back into the model).
  void notifyIfAvailable(std::string_view dn);
  void settleRemoval(std::string_view dn);
  void settleAgentRemoval(std::string_view agentId);
  // The availability index follows a change that may make the agent (on `dn`) available or not,
  // or move its idleSince (model_agents.cpp); every mutation below that touches an input of
  // isAvailable calls one of these.
  void reindex(const Agent& agent);
  void reindexDn(const Dn& dn);
  void rebuildAvailabilityIndex();
  void endCallIfEmpty(ConnId id);
  void rebuildMailboxIndex();
  static bool presenceBusy(const Dn& dn);

  // --- mutations: the only functions that change state (each reports a StateChange) ---
  void putDn(const DnSpec& spec);
  void setDnRemoved(Dn& dn, bool removed);
  void setPresence(Dn& dn, EndpointPresence presence);
  void eraseDn(std::string_view dn);
  void putAgent(const AgentSpec& spec);
  void setAgentRemoved(Agent& agent, bool removed);
  void eraseAgent(std::string_view agentId);
  void putGroups(const std::vector<GroupSpec>& groups);
  void bindAgent(Agent& agent, std::string_view dn);  // "" = unbind (logout)
  void setAgentState(Agent& agent, AgentState state, const boost::json::object& reasons,
                     bool byEndpoint);
  void setIdleSince(Agent& agent);
  Call& insertCall(Call call);
  void setParty(Call& call, std::string_view dn, PartyState state);
  void removeParty(Call& call, std::string_view dn);
  void setRoutedFrom(Call& call, std::string_view dn);
  void setEstablished(Call& call);
  void setUserData(Call& call, boost::json::object userData);
  void eraseCall(ConnId id);
  // Keeps userData as the mailbox's state; returns the kept copy.
  const boost::json::object& setMailboxState(std::string_view mailbox,
                                             boost::json::object userData);
  void record(std::string_view kind, boost::json::object data);

  // --- events ---
  boost::json::object baseFields(const ReferenceId& ref) const;
  TEvent agentEvent(std::string_view name, const Agent& agent, const ReferenceId& ref) const;
  TEvent callEvent(std::string_view name, const Call& call, std::string_view thisDn,
                   const ReferenceId& ref) const;
  TEvent dnEvent(std::string_view name, const Dn& dn) const;
  bool isConfigured(std::string_view dn) const { return dns_.find(dn) != dns_.end(); }
  void emit(TEvent event);

  EventSink& sink_;
  const WallClock& clock_;
  ConnIdSource& connIds_;
  ChangeObserver* changes_;
  AvailabilityObserver* availability_ = nullptr;
  LoginObserver* logins_ = nullptr;

  StringMap<Dn> dns_;
  StringMap<Agent> agents_;
  StringMap<Group> groups_;
  std::unordered_map<ConnId, Call> calls_;
  AvailabilityIndex availabilityIndex_;  // of agents_ by groups_

  // Derived from the configuration at each apply(), so an MWI NOTIFY finds its recipients
  // without scanning every DN (DESIGN.md: 50,000 mailboxes, 20,000 NOTIFYs/s).
  struct MailboxRecipients {
    std::vector<std::string> dns;
    std::vector<std::string> agents;
    std::vector<std::string> groups;
  };
  StringMap<MailboxRecipients> mailboxes_;
  // The last MWI userData of each mailbox (kept across reloads, unlike the index above).
  StringMap<boost::json::object> mailboxStates_;
};

}  // namespace ccsip::model
