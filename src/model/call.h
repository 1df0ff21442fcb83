#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "model/clock.h"
#include "model/conn_id.h"

namespace ccsip::model {

enum class CallType { Inbound, Outbound, Internal, Consult };

// A party's state. Released is only ever reported (EventReleased): a released party leaves the
// call at once, so a stored Party is never Released.
enum class PartyState { Dialing, Ringing, Established, Held, Released };

std::string_view toString(CallType type);  // "Inbound", "Outbound", "Internal", "Consult"
std::optional<CallType> parseCallType(std::string_view text);
std::string_view toString(PartyState state);  // "Dialing", "Ringing", ...

// One end of a call: a DN (a configured one, or an external number) and its state. The SIP
// dialog behind it belongs to the control layer, which keys it by (connId, dn).
struct Party {
  std::string dn;
  PartyState state = PartyState::Dialing;
  bool configured = false;  // a DN of the model (events go to it); false: an external number
  WallClock::TimePoint since{};
};

// A call: one ConnId, however many SIP dialogs carry it.
struct Call {
  ConnId connId;
  CallType type = CallType::Internal;
  std::string originDn;    // the calling party (ANI for inbound calls)
  std::string dialledDn;   // the number it called (DNIS: a routing point, a DN, an external number)
  std::string routedFrom;  // the routing point or DN that last diverted the call here; "" = none
  std::optional<ConnId> mainConnId;  // a consult call: the call it consults about
  std::vector<Party> parties;        // active parties, in order of arrival
  boost::json::object userData;
  WallClock::TimePoint created{};
  std::optional<WallClock::TimePoint> established;  // first time two parties talked

  Party* findParty(std::string_view dn);
  const Party* findParty(std::string_view dn) const;
  // The DN `dn` talks to, as otherDN of its events: the caller for every called party; for the
  // caller, the first other party (or the dialled number while nobody else is there).
  const std::string& otherDnFor(std::string_view dn) const;
};

}  // namespace ccsip::model
