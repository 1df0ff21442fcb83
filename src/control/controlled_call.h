#pragma once

#include <string>

#include "control/consult_host.h"
#include "model/conn_id.h"
#include "model/error_codes.h"
#include "model/model.h"

namespace ccsip::control {

// A third-party call-control request on one party of a call (CTI ReleaseCall, HoldCall, ...):
// `dn` is the request's thisDN, already checked by CallControl to be a party of the call.
struct PartyRequest {
  model::ConnId connId;
  std::string dn;
  model::ReferenceId referenceId;
};

// A request that hands a call on to another number (CTI SingleStepTransfer, MuteTransfer,
// RedirectCall): `otherDn` already checked by CallControl to be dialable and not thisDN.
struct TransferRequest {
  model::ConnId connId;
  std::string dn;
  std::string otherDn;
  model::ReferenceId referenceId;
};

// A request on two calls of one DN (docs/protocol.md): CompleteTransfer (`connId` the held main
// call, `otherConnId` the consult call), AlternateCall (`connId` the active call, `otherConnId`
// the held one), ReconnectCall (`connId` the call to release, `otherConnId` the held one to
// retrieve). CallControl has checked that `dn` is a party of `connId`.
struct CallPairRequest {
  model::ConnId connId;
  model::ConnId otherConnId;
  std::string dn;
  model::ReferenceId referenceId;
};

// One call that CallControl owns, whatever its flow (routed inbound, MakeCall, internal): what
// CallControl needs to free it and to hand it the CTI requests of DESIGN.md "CTI protocol".
// Every request defaults to NotSupported so a call kind answers exactly the requests its flow
// carries out, and the desktop gets a clear EventError for the others.
class ControlledCall {
 public:
  virtual ~ControlledCall() = default;

  virtual model::ConnId connId() const = 0;
  // Nothing left to do (legs terminated, model told): CallControl may free it.
  virtual bool finished() const = 0;

  // ReleaseCall: the party leaves; in a two-party call that ends the call.
  virtual model::Status release(const PartyRequest& /*request*/) {
    return unsupported("ReleaseCall");
  }
  // ClearCall: every party is released.
  virtual model::Status clear(const PartyRequest& /*request*/) { return unsupported("ClearCall"); }
  // HoldCall / RetrieveCall: DESIGN.md "Hold / Retrieve" (re-INVITE sendonly / sendrecv).
  virtual model::Status hold(const PartyRequest& /*request*/) { return unsupported("HoldCall"); }
  virtual model::Status retrieve(const PartyRequest& /*request*/) {
    return unsupported("RetrieveCall");
  }
  // AnswerCall: only where the ringing phone can be answered remotely.
  virtual model::Status answer(const PartyRequest& /*request*/) {
    return unsupported("AnswerCall");
  }
  // SingleStepTransfer (and MuteTransfer, the same for ccsip): the requester leaves and
  // otherDN talks with the other party (docs/call-flows.md "SingleStepTransfer").
  virtual model::Status singleStepTransfer(const TransferRequest& /*request*/) {
    return unsupported("SingleStepTransfer");
  }
  // RedirectCall: a call ringing on the requester rings on otherDN instead.
  virtual model::Status redirect(const TransferRequest& /*request*/) {
    return unsupported("RedirectCall");
  }
  // --- consult transfers (docs/call-flows.md "InitiateTransfer / CompleteTransfer")
  // The call's side of InitiateTransfer: CallControl starts the consult call on the legs it
  // lends. nullptr: the call cannot be consulted from, and initiateTransfer() answers.
  virtual ConsultHost* consultHost() { return nullptr; }
  virtual model::Status initiateTransfer(const TransferRequest& /*request*/) {
    return unsupported("InitiateTransfer");
  }
  virtual model::Status completeTransfer(const CallPairRequest& /*request*/) {
    return unsupported("CompleteTransfer");
  }
  virtual model::Status alternate(const CallPairRequest& /*request*/) {
    return unsupported("AlternateCall");
  }
  virtual model::Status reconnect(const CallPairRequest& /*request*/) {
    return unsupported("ReconnectCall");
  }

 protected:
  static model::Status unsupported(std::string_view request) {
    return model::makeError(model::ErrorCode::NotSupported,
                            std::string(request) + " is not supported on this call");
  }
};

// Told when a call has nothing left to do: it may then be destroyed, but not from inside this
// call (a session callback is still on the stack).
class CallOwner {
 public:
  virtual ~CallOwner() = default;
  virtual void onCallFinished(ControlledCall& call) = 0;
};

}  // namespace ccsip::control
