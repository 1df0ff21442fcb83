#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/conn_id.h"
#include "sip/dialog/invite_session.h"
#include "util/result.h"

namespace ccsip::control {

// The two legs a main call lends to its consult call (docs/call-flows.md "InitiateTransfer /
// CompleteTransfer"): ccsip is a B2BUA and the agent's phone has one dialog with it, the
// `line`, which the consult moves between the two calls' media.
struct LentLegs {
  std::shared_ptr<sip::dialog::InviteSession> line;  // the requester's phone (the agent's leg)
  std::shared_ptr<sip::dialog::InviteSession> peer;  // the main call's other party
  std::string peerDn;     // that party in the model (a configured DN or an external number)
  bool peerHeld = false;  // the requester holds it already (HoldCall before InitiateTransfer)
};

// What comes back when the consult is over.
struct ReturnedLegs {
  // The main call is over: the model has been told, nothing comes back (the host ends).
  bool ended = false;
  // Otherwise both legs, alive and idle (no INVITE transaction of ccsip's in progress): `line`
  // talks to `peer` (its media point at each other) unless `peerHeld`. After CompleteTransfer
  // the line is the consulted party's leg and `lineDn` that party.
  std::shared_ptr<sip::dialog::InviteSession> line;
  std::string lineDn;
  std::shared_ptr<sip::dialog::InviteSession> peer;
  bool peerHeld = false;
};

// A call a consult call can be started from (CTI InitiateTransfer): routed inbound calls,
// MakeCall and internal calls. While its legs are lent, the host does nothing with them: the
// consult call handles their callbacks (their handlers are the consult's), their end and the
// main call's CTI requests (CallControl routes them to the consult), and tells the model.
class ConsultHost {
 public:
  virtual ~ConsultHost() = default;
  // `dn` (a party of the call, checked by CallControl) consults: the call must be answered,
  // idle and `dn` must talk on it (not held by the other party). On success the legs are the
  // caller's from now on (the host keeps no reference to them).
  virtual util::Result<LentLegs> lendLegs(std::string_view dn) = 0;
  // The legs come back (the host installs its own handlers again) or the call ended.
  virtual void takeBack(ReturnedLegs back) = 0;
};

}  // namespace ccsip::control
