#include "control/call_control.h"

#include <algorithm>
#include <string>
#include <utility>

#include "control/trusted_source.h"

namespace ccsip::control {

namespace {

// The From of the agent leg: the caller's name-addr as received, without its tag.
std::string identityOf(const sip::NameAddr& from) {
  std::string identity;
  if (!from.displayName.empty()) {
    identity += '"';
    identity += from.displayName;
    identity += "\" ";
  }
  identity += '<';
  identity += from.uri.text;
  identity += '>';
  return identity;
}

// A number the switch can be asked to dial as the user part of sip:<dn>@<switch>: digits,
// letters and + * . _ - only (RFC 3261 25.1 unreserved user characters without escapes), so
// nothing of a CTI request can reach the SIP syntax around it.
bool isDialable(std::string_view dn) {
  if (dn.empty() || dn.size() > 64) return false;
  return std::all_of(dn.begin(), dn.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
           c == '*' || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

CallControl::CallControl(const CallControlServices& services, CallControlOptions options)
    : options_(std::move(options)),
      timers_(*services.timers),
      locations_(services.locations),
      addresses_(*services.model, options_, services.locations),
      context_{*services.core, *services.model, *services.router, *this, *services.timers,
               options_,       *this,           addresses_} {
  if (locations_ != nullptr) {
    presence_.emplace(*services.model, addresses_, *locations_);
    locations_->setHandler(&*presence_);
  }
  if (services.nonces != nullptr && services.credentials != nullptr) {
    phoneAuth_.emplace(options_.phoneAuth, *services.nonces, *services.credentials);
  }
}

CallControl::~CallControl() {
  if (reapTimer_ != 0) timers_.cancel(reapTimer_);
  if (locations_ != nullptr) locations_->setHandler(nullptr);
}

sip::dialog::InviteSessionHandler* CallControl::onNewSession(
    const std::shared_ptr<sip::dialog::InviteSession>& session, const sip::Message& invite) {
  // Calls to routing points come from the switch (the seed: Asterisk's dialplan sends them),
  // other INVITEs from phones registered on ccsip, which prove who they are.
  const auto source = sourceOf(invite);
  if (!source ||
      !(isTrusted(*source, options_.trustedSources) ||
        isTrusted(*source, options_.trustedNetworks)) ||
      addresses_.isRegisteredFrom(invite.from().uri.user, *source)) {
    if (phoneAuth_) return onPhoneSession(session, invite);
    session->reject(403);
    return nullptr;
  }
  const std::string routingPoint(invite.requestUri().user);
  const model::Dn* dn = context_.model.findDn(routingPoint);
  if (dn == nullptr || dn->type != model::DnType::RoutingPoint) {
    session->reject(404);
    return nullptr;
  }
  if (invite.body().empty()) {
    // A late-offer INVITE from the switch is not handled yet (the agent leg needs an offer).
    session->reject(488);
    return nullptr;
  }
  return startInbound(session, invite,
                      invite.from().uri.user.empty() ? std::string("anonymous")
                                                     : std::string(invite.from().uri.user));
}

sip::dialog::InviteSessionHandler* CallControl::startInbound(
    const std::shared_ptr<sip::dialog::InviteSession>& session, const sip::Message& invite,
    const std::string& originDn) {
  const std::string routingPoint(invite.requestUri().user);
  model::NewCall newCall;
  newCall.type = model::CallType::Inbound;
  newCall.originDn = originDn;
  newCall.dialledDn = routingPoint;
  const auto created = context_.model.callCreated(newCall);
  if (!created.ok()) {
    session->reject(500);
    return nullptr;
  }
  const model::ConnId id = *created;
  if (!context_.model.routeRequest(id, routingPoint).ok()) {
    (void)context_.model.callAbandoned(id);
    session->reject(500);
    return nullptr;
  }
  InboundCallSpec spec{id, routingPoint, newCall.originDn, identityOf(invite.from())};
  auto call = std::make_unique<InboundCall>(context_, std::move(spec), session);
  InboundCall& stored = *call;
  calls_[id] = std::move(call);
  return &stored.callerHandler();
}

bool CallControl::routeTo(model::ConnId id, const RouteTarget& target) {
  InboundCall* call = findInbound(id);
  return call != nullptr && call->routeTo(target);
}

bool CallControl::routeFailed(model::ConnId id, int status) {
  InboundCall* call = findInbound(id);
  return call != nullptr && call->routeFailed(status);
}

ControlledCall* CallControl::find(model::ConnId id) {
  if (auto consult = consults_.find(id);
      consult != consults_.end() && consult->second->drivesMain()) {
    return &consult->second->mainSide();
  }
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.get();
}

InboundCall* CallControl::findInbound(model::ConnId id) {
  // Only calls to routing points are routed; a RouteCallback for another kind is stale.
  return dynamic_cast<InboundCall*>(find(id));
}

util::Result<ControlledCall*> CallControl::callFor(const PartyRequest& request) {
  if (auto status = context_.model.checkParty(request.connId, request.dn); !status.ok()) {
    return status.error();
  }
  ControlledCall* call = find(request.connId);
  if (call == nullptr || call->finished()) {
    // In the model but not (any more) in the signalling: the call is ending.
    return model::makeError(model::ErrorCode::UnknownCall, request.connId.str());
  }
  return call;
}

model::Status CallControl::releaseCall(const PartyRequest& request) {
  auto call = callFor(request);
  return call ? (*call)->release(request) : model::Status(call.error());
}

model::Status CallControl::clearCall(const PartyRequest& request) {
  auto call = callFor(request);
  return call ? (*call)->clear(request) : model::Status(call.error());
}

model::Status CallControl::holdCall(const PartyRequest& request) {
  auto call = callFor(request);
  return call ? (*call)->hold(request) : model::Status(call.error());
}

model::Status CallControl::retrieveCall(const PartyRequest& request) {
  auto call = callFor(request);
  return call ? (*call)->retrieve(request) : model::Status(call.error());
}

model::Status CallControl::answerCall(const PartyRequest& request) {
  auto call = callFor(request);
  return call ? (*call)->answer(request) : model::Status(call.error());
}

util::Result<ControlledCall*> CallControl::transferCallFor(const TransferRequest& request) {
  auto call = callFor(PartyRequest{request.connId, request.dn, request.referenceId});
  if (!call) return call.error();
  if (!isDialable(request.otherDn)) {
    return model::makeError(model::ErrorCode::BadFieldValue,
                            "otherDN: digits, letters and + * . _ - only");
  }
  if (request.otherDn == request.dn) {
    return model::makeError(model::ErrorCode::BadFieldValue, "otherDN is thisDN");
  }
  const model::Dn* target = context_.model.findDn(request.otherDn);
  if (target != nullptr && target->type == model::DnType::RoutingPoint) {
    // The switch would send it back as a second, separate inbound call.
    return model::makeError(model::ErrorCode::NotSupported, "a transfer to a routing point");
  }
  if (target != nullptr && target->outOfService()) {
    return model::makeError(model::ErrorCode::DnOutOfService, request.otherDn);
  }
  return call;
}

model::Status CallControl::singleStepTransfer(const TransferRequest& request) {
  auto call = transferCallFor(request);
  return call ? (*call)->singleStepTransfer(request) : model::Status(call.error());
}

model::Status CallControl::redirectCall(const TransferRequest& request) {
  auto call = transferCallFor(request);
  return call ? (*call)->redirect(request) : model::Status(call.error());
}

model::Status CallControl::initiateTransfer(const InitiateTransferRequest& request) {
  const TransferRequest transfer{request.connId, request.dn, request.otherDn, request.referenceId};
  auto call = transferCallFor(transfer);
  if (!call) return call.error();
  ConsultHost* host = (*call)->consultHost();
  if (host == nullptr) return (*call)->initiateTransfer(transfer);
  if (const model::Call* main = context_.model.findCall(request.connId);
      main != nullptr && main->findParty(request.otherDn) != nullptr) {
    return model::makeError(model::ErrorCode::BadFieldValue,
                            "InitiateTransfer: otherDN is already a party of the call");
  }
  auto legs = host->lendLegs(request.dn);
  if (!legs) return legs.error();
  ConsultSpec spec{request.connId, request.dn, request.otherDn, request.userData,
                   request.referenceId};
  ConsultOwner& owner = *this;
  auto consult =
      std::make_unique<ConsultCall>(context_, owner, *host, std::move(*legs), std::move(spec));
  ConsultCall& started = *consult;
  starting_.push_back(std::move(consult));
  consults_[request.connId] = &started;
  // An error leaves the legs with the main call again (the consult is reaped).
  return started.start();
}

void CallControl::onConsultCreated(ConsultCall& call) {
  for (auto it = starting_.begin(); it != starting_.end(); ++it) {
    if (it->get() != &call) continue;
    calls_[call.connId()] = std::move(*it);
    starting_.erase(it);
    return;
  }
}

ConsultCall* CallControl::consultOf(model::ConnId first, model::ConnId second) {
  for (model::ConnId id : {first, second}) {
    ConsultCall* consult = nullptr;
    if (auto it = consults_.find(id); it != consults_.end() && it->second->drivesMain()) {
      consult = it->second;
    } else if (auto call = calls_.find(id); call != calls_.end()) {
      consult = dynamic_cast<ConsultCall*>(call->second.get());
    }
    if (consult != nullptr && !consult->finished() &&
        (consult->mainConnId() == first || consult->mainConnId() == second) &&
        (consult->connId() == first || consult->connId() == second)) {
      return consult;
    }
  }
  return nullptr;
}

util::Result<ConsultCall*> CallControl::pairFor(const CallPairRequest& request,
                                                std::string_view name) {
  for (model::ConnId id : {request.connId, request.otherConnId}) {
    if (auto status = context_.model.checkParty(id, request.dn); !status.ok()) {
      return status.error();
    }
  }
  ConsultCall* consult = consultOf(request.connId, request.otherConnId);
  if (consult == nullptr) {
    return model::makeError(model::ErrorCode::InvalidCallState,
                            std::string(name) + ": " + request.connId.str() + " and " +
                                request.otherConnId.str() + " are not a call and its consult call");
  }
  return consult;
}

model::Status CallControl::completeTransfer(const CallPairRequest& request) {
  auto consult = pairFor(request, "CompleteTransfer");
  return consult ? (*consult)->completeTransfer(request) : model::Status(consult.error());
}

model::Status CallControl::alternateCall(const CallPairRequest& request) {
  auto consult = pairFor(request, "AlternateCall");
  return consult ? (*consult)->alternate(request) : model::Status(consult.error());
}

model::Status CallControl::reconnectCall(const CallPairRequest& request) {
  if (context_.model.findCall(request.connId) == nullptr &&
      context_.model.checkParty(request.otherConnId, request.dn).ok()) {
    // The call to release is gone already (a consult that failed, or the consulted party hung
    // up): what is left to do is the retrieve.
    return retrieveCall(PartyRequest{request.otherConnId, request.dn, request.referenceId});
  }
  auto consult = pairFor(request, "ReconnectCall");
  return consult ? (*consult)->reconnect(request) : model::Status(consult.error());
}

util::Result<model::ConnId> CallControl::makeCall(const MakeCallRequest& request) {
  const model::Dn* origin = context_.model.findDn(request.thisDn);
  if (origin == nullptr) return model::makeError(model::ErrorCode::UnknownDn, request.thisDn);
  if (origin->type != model::DnType::Extension) {
    return model::makeError(model::ErrorCode::WrongDnType, "thisDN must be an extension");
  }
  if (origin->outOfService() ||
      (addresses_.onCcsip(request.thisDn) && !addresses_.resolve(request.thisDn))) {
    // A phone on ccsip is called at its registration: none, no call.
    return model::makeError(model::ErrorCode::DnOutOfService, request.thisDn);
  }
  if (!isDialable(request.otherDn)) {
    return model::makeError(model::ErrorCode::BadFieldValue,
                            "otherDN: digits, letters and + * . _ - only");
  }
  if (request.otherDn == request.thisDn) {
    return model::makeError(model::ErrorCode::BadFieldValue, "otherDN is thisDN");
  }
  const model::Dn* target = context_.model.findDn(request.otherDn);
  if (target != nullptr && target->type == model::DnType::RoutingPoint) {
    // The switch would send it back as a second, separate inbound call.
    return model::makeError(model::ErrorCode::NotSupported, "MakeCall to a routing point");
  }
  model::NewCall newCall;
  newCall.type = target != nullptr ? model::CallType::Internal : model::CallType::Outbound;
  newCall.originDn = request.thisDn;
  newCall.dialledDn = request.otherDn;
  newCall.userData = request.userData;
  newCall.referenceId = request.referenceId;
  auto created = context_.model.callCreated(newCall);
  if (!created) return created.error();
  const model::ConnId id = *created;
  MakeCallSpec spec{id, request.thisDn, request.otherDn, origin->options.name,
                    options_.makeCallFlow};
  auto call = std::make_unique<MakeCall>(context_, std::move(spec));
  if (!call->start()) {
    (void)context_.model.partyReleased(id, request.thisDn, "error");
    return model::makeError(model::ErrorCode::InternalError, "the INVITE could not be sent");
  }
  calls_[id] = std::move(call);
  return id;
}

void CallControl::onCallFinished(ControlledCall& call) {
  // Freed from a timer: a session callback of this call is still on the stack.
  finished_.push_back(call.connId());
  if (reapTimer_ == 0) {
    reapTimer_ = timers_.defer([this] {
      reapTimer_ = 0;
      reap();
    });
  }
}

void CallControl::reap() {
  std::vector<model::ConnId> finished = std::move(finished_);
  finished_.clear();
  auto forget = [this](const ControlledCall* call) {
    std::erase_if(consults_, [call](const auto& entry) { return entry.second == call; });
  };
  for (model::ConnId id : finished) {
    auto it = calls_.find(id);
    if (it != calls_.end() && it->second->finished()) {
      forget(it->second.get());
      calls_.erase(it);
    }
  }
  // Consult calls that ended before they had a ConnId (the hold of the main call failed).
  std::erase_if(starting_, [&forget](const std::unique_ptr<ConsultCall>& call) {
    if (!call->finished()) return false;
    forget(call.get());
    return true;
  });
}

}  // namespace ccsip::control
