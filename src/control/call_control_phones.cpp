// CallControl: INVITEs from phones registered on ccsip (docs/call-flows.md "Phones registered
// on ccsip").

#include <memory>
#include <string>

#include "control/call_control.h"
#include "control/internal_call.h"

namespace ccsip::control {

namespace {

// The From of the callee leg: the caller's name-addr as received, without its tag.
std::string callerIdentity(const sip::NameAddr& from) {
  std::string identity;
  if (!from.displayName.empty()) identity += '"' + std::string(from.displayName) + "\" ";
  return identity + "<" + std::string(from.uri.text) + ">";
}

// The box a phone reaches on a voicemail DN that takes any box (docs/asterisk.md "Voicemail
// deposits and access"): the box of the agent logged in on the phone's DN (the seed: the box
// "associated with the Agent Login"), else the DN's own; "" when it has none (the switch's
// voicemail application then asks for one).
std::string callersBox(const model::CallModel& model, std::string_view callerDn) {
  const model::Dn* dn = model.findDn(callerDn);
  if (dn == nullptr) return {};
  const model::Agent* agent = model.findAgent(dn->agentId);
  if (agent != nullptr && agent->loggedIn() && !agent->options.mailbox.empty()) {
    return agent->options.mailbox;
  }
  return dn->options.mailbox;
}

}  // namespace

sip::dialog::InviteSessionHandler* CallControl::onPhoneSession(
    const std::shared_ptr<sip::dialog::InviteSession>& session, const sip::Message& invite) {
  // RFC 3261 22.2: ccsip answers the INVITE as its UAS (a B2BUA), so it challenges with 401
  // like the registrar does for REGISTER, and like Asterisk does for INVITE. The phone must be
  // the extension its From names.
  const std::string callerDn(invite.from().uri.user);
  const sip::dialog::DigestVerdict verdict = phoneAuth_->verify(invite, callerDn);
  if (verdict.status == phoneAuth_->challengeStatus()) {
    session->reject(verdict.status, {}, phoneAuth_->challenge(verdict.stale));
    return nullptr;
  }
  if (!verdict.authenticated()) {
    session->reject(verdict.status, verdict.reason);
    return nullptr;
  }
  if (!addresses_.onCcsip(callerDn)) {
    // Credentials of a user that is no extension on ccsip (removed by a reload meanwhile).
    session->reject(403, "Not An Extension On ccsip");
    return nullptr;
  }

  const std::string target(invite.requestUri().user);
  const model::Dn* dn = context_.model.findDn(target);
  // Routing points, extensions, and voicemail DNs (boxes on the switch: dialled there by their
  // access number); unknown numbers and trunks are not dialled for phones.
  if (dn == nullptr ||
      (dn->type != model::DnType::RoutingPoint && dn->type != model::DnType::Extension &&
       dn->type != model::DnType::Voicemail)) {
    session->reject(404);
    return nullptr;
  }
  if (invite.body().empty()) {
    // A late-offer INVITE is not handled yet: both legs need the caller's offer.
    session->reject(488, "Offer Required");
    return nullptr;
  }
  if (dn->type == model::DnType::RoutingPoint) return startInbound(session, invite, callerDn);

  if (target == callerDn) {
    session->reject(486);  // the phone itself is busy with this very call
    return nullptr;
  }
  if (auto address = addresses_.resolve(target); !address) {
    // RFC 3261 21.4.18: the callee's phone is not registered (or there is no switch to dial).
    session->reject(480, addresses_.onCcsip(target) ? "Not Registered" : std::string_view{});
    return nullptr;
  }
  model::NewCall newCall;
  newCall.type = model::CallType::Internal;
  newCall.originDn = callerDn;
  newCall.dialledDn = target;
  const auto created = context_.model.callCreated(newCall);  // EventDialing to the caller
  if (!created.ok()) {
    session->reject(500);
    return nullptr;
  }
  const model::ConnId id = *created;
  InternalCallSpec spec{id, callerDn, target, callerIdentity(invite.from()), {}};
  if (dn->type == model::DnType::Voicemail && dn->options.voicemailBox.empty()) {
    // A voicemail DN taking any box (a VoiceMailMain access number): the number does not say
    // whose box, the header does, as for overflow legs (overflowHeaders).
    if (std::string box = callersBox(context_.model, callerDn); !box.empty()) {
      spec.calleeHeaders.push_back({"X-Ccsip-Mailbox", std::move(box)});
    }
  }
  auto call = std::make_unique<InternalCall>(context_, std::move(spec), session);
  InternalCall& stored = *call;
  calls_[id] = std::move(call);
  return &stored.callerHandler();
}

}  // namespace ccsip::control
