#include "sip/dialog/invite_session.h"

#include <algorithm>

#include "sip/dialog/user_agent_core.h"
#include "sip/serializer.h"
#include "sip/txn/transaction_layer.h"

namespace ccsip::sip::dialog {
namespace {

Body bodyOf(const Message& message) {
  return Body{std::string(message.contentType()), std::string(message.body())};
}

std::string hostOfContact(std::string_view contact) {
  auto nameAddr = parseNameAddr(contact);
  if (nameAddr && !nameAddr->uri.host.empty()) return std::string(nameAddr->uri.host);
  return "ccsip";
}

// Runs a member function of InviteSession from a DialogUsage timer.
template <void (InviteSession::*Fn)()>
void call(DialogUsage& usage) {
  (static_cast<InviteSession&>(usage).*Fn)();
}

}  // namespace

std::string_view toString(SessionEndReason reason) {
  switch (reason) {
    case SessionEndReason::Cancelled:
      return "cancelled";
    case SessionEndReason::Rejected:
      return "rejected";
    case SessionEndReason::LocalBye:
      return "local-bye";
    case SessionEndReason::RemoteBye:
      return "remote-bye";
    case SessionEndReason::Timeout:
      return "timeout";
    case SessionEndReason::Error:
      return "error";
  }
  return "error";
}

util::Duration glareRetryDelay(bool ownsCallId, util::Random& random) {
  // RFC 3261 14.1: "a randomly chosen value of time between 2.1 and 4 seconds in units of 10 ms"
  // for the owner of the Call-ID, "between 0 and 2 seconds in units of 10 ms" otherwise.
  if (ownsCallId) return util::Duration(2100 + 10 * static_cast<long>(random.next() % 191));
  return util::Duration(10 * static_cast<long>(random.next() % 201));
}

InviteSession::InviteSession(UserAgentCore& core, Role role) : DialogUsage(core), role_(role) {}

InviteSession::~InviteSession() = default;

bool InviteSession::inviteInProgress() const {
  return reinvitePending_ || pendingRequestIsInvite() || unacked_.has_value() ||
         awaitingAnswerForAck_ || (role_ == Role::Uac && state_ < State::Accepted);
}

bool InviteSession::pendingRequestIsInvite() const {
  return pendingRequest_ && pendingRequest_->method == Method::Invite;
}

Dialog* InviteSession::dialogFor(const Message& message) {
  const std::string_view remoteTag = message.isRequest() ? message.from().tag : message.to().tag;
  if (dialog_ && dialog_->id().remoteTag == remoteTag) return &*dialog_;
  auto early = earlyDialogs_.find(std::string(remoteTag));
  return early == earlyDialogs_.end() ? nullptr : &early->second;
}

// ---------------------------------------------------------------------------------------------
// UAC

bool InviteSession::startUac(const InviteSessionOptions& options) {
  if (options.requestUri.empty() || options.from.empty()) return false;
  localContact_ = options.contact.empty() ? core_.options().contact : options.contact;
  callId_ =
      options.callId.empty() ? core_.random().callId(hostOfContact(localContact_)) : options.callId;
  localTag_ = core_.random().tag();

  Message invite = Message::makeRequest(Method::Invite, options.requestUri);
  for (const std::string& route : options.routes) invite.addHeader(HeaderId::Route, route);
  invite.addHeader(HeaderId::MaxForwards, "70");
  invite.addHeader(HeaderId::From, options.from + ";tag=" + localTag_);
  invite.addHeader(HeaderId::To, options.to.empty() ? "<" + options.requestUri + ">" : options.to);
  invite.addHeader(HeaderId::CallId, callId_);
  invite.addHeader(HeaderId::CSeq, "1 INVITE");
  if (!localContact_.empty()) invite.addHeader(HeaderId::Contact, localContact_);
  if (!core_.options().allow.empty()) invite.addHeader(HeaderId::Allow, core_.options().allow);
  for (const ExtraHeader& header : options.headers) invite.addHeader(header.name, header.value);
  if (!options.offer.empty()) {
    invite.setBody(options.offer.contentType, options.offer.content);
    offerInInvite_ = true;
    localBody_ = options.offer;
  }
  inviteRequest_ = invite.clone();
  inviteTxn_ = sendRequest(std::move(invite), options.destination);
  if (!inviteTxn_.valid()) {
    state_ = State::Terminated;
    return false;
  }
  state_ = State::Calling;
  return true;
}

void InviteSession::onResponse(const txn::ClientTransactionHandle& txn, const Message& response) {
  auto self = shared_from_this();
  if (txn == inviteTxn_) {
    onInviteResponse(response);
  } else if (txn == reinviteTxn_) {
    onReinviteResponse(response);
  }
  // BYE / UPDATE / INFO responses need nothing: the session already moved on.
}

void InviteSession::onInviteResponse(const Message& response) {
  const int status = response.statusCode();
  if (status >= 200 && status < 300) {
    onInvite2xx(response);
    return;
  }
  if (terminated()) return;
  if (status < 200) {
    // RFC 3261 12.1.2 / 13.2.2.1: a 1xx with a To tag creates an early dialog (one per fork).
    if (status > 100 && !response.to().tag.empty()) {
      const std::string tag(response.to().tag);
      auto early = earlyDialogs_.find(tag);
      if (early != earlyDialogs_.end()) {
        early->second.refreshRemoteTarget(response);
      } else if (auto created = Dialog::createUac(*inviteRequest_, response)) {
        core_.registerDialog(created->id(), *this);
        earlyDialogs_.emplace(tag, std::move(*created));
        state_ = State::Early;
        if (handler_ != nullptr) handler_->onEarly(*this, response);
        if (terminated()) return;
      }
    }
    if (handler_ != nullptr) handler_->onProvisional(*this, response);
    return;
  }
  // 3xx-6xx: the transaction layer sent the ACK (RFC 3261 17.1.1.3); every early dialog ends.
  for (auto& [tag, early] : earlyDialogs_) core_.unregisterDialog(early.id());
  earlyDialogs_.clear();
  terminate(cancelRequested_ ? SessionEndReason::Cancelled : SessionEndReason::Rejected, status);
}

void InviteSession::onInvite2xx(const Message& response) {
  const std::string_view tag = response.to().tag;
  if (dialog_) {
    if (dialog_->id().remoteTag == tag) {
      handle2xxRetransmission(response);
    } else {
      ackAndByeFork(response);  // RFC 3261 13.2.2.4: another fork answered too
    }
    return;
  }
  if (terminated() || tag.empty()) {
    ackAndByeFork(response);
    return;
  }
  // The first 2xx wins (RFC 3261 13.2.2.4): its early dialog is confirmed, or a dialog created.
  if (auto early = earlyDialogs_.find(std::string(tag)); early != earlyDialogs_.end()) {
    dialog_ = std::move(early->second);
    earlyDialogs_.erase(early);
    dialog_->confirmUac(response);
  } else {
    auto created = Dialog::createUac(*inviteRequest_, response);
    if (!created) return;
    dialog_ = std::move(*created);
    core_.registerDialog(dialog_->id(), *this);
  }
  // The other early dialogs are over; a 2xx from one of them is ACKed and BYEd when it comes.
  for (auto& [otherTag, early] : earlyDialogs_) core_.unregisterDialog(early.id());
  earlyDialogs_.clear();

  const std::uint32_t cseq = response.cseq().number;
  state_ = State::Accepted;
  if (cancelRequested_) {
    // RFC 3261 9.1 / 15: the 2xx crossed our CANCEL; the session is established, so it is
    // acknowledged and then ended with BYE.
    sendAckFor(cseq, {});
    sendBye();
    terminate(SessionEndReason::Cancelled, response.statusCode());
    return;
  }
  const Body body = bodyOf(response);
  if (offerInInvite_) {
    sendAckFor(cseq, {});
    state_ = State::Confirmed;
    if (handler_ != nullptr) handler_->onAnswered(*this, response);
    if (terminated()) return;
    if (!body.empty()) {
      remoteBody_ = body;
      if (handler_ != nullptr) handler_->onAnswer(*this, body);
      if (terminated()) return;
    }
    if (handler_ != nullptr) handler_->onConfirmed(*this);
    return;
  }
  // RFC 3725 flow I / RFC 3261 13.2.1: INVITE without offer, the 2xx carries the offer and the
  // ACK the answer. The ACK waits for the application (provideAnswer), which may first have to
  // obtain the answer elsewhere; the peer retransmits its 2xx meanwhile.
  if (handler_ != nullptr) handler_->onAnswered(*this, response);
  if (terminated()) return;
  if (body.empty()) {
    // A 2xx without the offer it owes us: acknowledge and end the session.
    sendAckFor(cseq, {});
    sendBye();
    terminate(SessionEndReason::Error, 488);
    return;
  }
  remoteBody_ = body;
  awaitingAnswerForAck_ = true;
  awaitingAckCSeq_ = cseq;
  if (handler_ != nullptr) handler_->onOffer(*this, body);
}

bool InviteSession::provideAnswer(const Body& answer) {
  auto self = shared_from_this();
  if (!awaitingAnswerForAck_ || terminated() || answer.empty()) return false;
  awaitingAnswerForAck_ = false;
  localBody_ = answer;
  sendAckFor(awaitingAckCSeq_, answer);
  if (state_ == State::Accepted) state_ = State::Confirmed;
  if (handler_ != nullptr) handler_->onConfirmed(*this);
  return true;
}

void InviteSession::sendAckFor(std::uint32_t cseq, const Body& body) {
  if (!dialog_) return;
  Message ack = dialog_->makeAck(cseq);
  if (!body.empty()) ack.setBody(body.contentType, body.content);
  if (auto to = sendAck(ack)) lastAck_ = SentAck{std::move(ack), *to, cseq};
}

void InviteSession::handle2xxRetransmission(const Message& response) {
  // RFC 3261 13.2.2.4: the UAS retransmits its 2xx until it sees our ACK; each retransmission
  // gets the same ACK again. While the application still prepares the answer there is no ACK.
  if (lastAck_ && lastAck_->cseq == response.cseq().number) {
    core_.layer().sendStateless(lastAck_->ack, lastAck_->to);
  }
}

void InviteSession::ackAndByeFork(const Message& response) {
  if (!inviteRequest_ || response.to().tag.empty()) return;
  auto fork = Dialog::createUac(*inviteRequest_, response);
  if (!fork) return;
  Message ack = fork->makeAck(response.cseq().number);
  sendAck(ack);
  const std::string tag(response.to().tag);
  if (std::find(byedForks_.begin(), byedForks_.end(), tag) != byedForks_.end()) return;
  byedForks_.push_back(tag);
  core_.sendDetached(fork->makeRequest(Method::Bye));
}

void InviteSession::onStrayResponse(const Message& response, const transport::Peer&) {
  auto self = shared_from_this();
  if (response.cseq().method != Method::Invite || response.statusCode() / 100 != 2) return;
  if (dialog_ && dialog_->id().remoteTag == response.to().tag) {
    handle2xxRetransmission(response);
  } else {
    ackAndByeFork(response);
  }
}

void InviteSession::onTimeout(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  if (txn == inviteTxn_) {
    if (terminated() || dialog_) return;
    for (auto& [tag, early] : earlyDialogs_) core_.unregisterDialog(early.id());
    earlyDialogs_.clear();
    // RFC 3261 17.1.1.2: Timer B; with a CANCEL outstanding the end is still the cancel.
    terminate(cancelRequested_ ? SessionEndReason::Cancelled : SessionEndReason::Timeout, 408);
  } else if (txn == reinviteTxn_) {
    reinvitePending_ = false;
    if (terminated()) return;
    // RFC 3261 14.1 / 12.2.1.2: a timed-out re-INVITE ends the dialog.
    sendBye();
    terminate(SessionEndReason::Timeout, 408);
  }
}

void InviteSession::onTransportError(const txn::ClientTransactionHandle& txn) {
  auto self = shared_from_this();
  if (txn == inviteTxn_) {
    if (terminated() || dialog_) return;
    for (auto& [tag, early] : earlyDialogs_) core_.unregisterDialog(early.id());
    earlyDialogs_.clear();
    terminate(SessionEndReason::Error, 503);
  } else if (txn == reinviteTxn_) {
    reinvitePending_ = false;
    if (terminated()) return;
    terminate(SessionEndReason::Error, 503);
  }
}

// ---------------------------------------------------------------------------------------------
// re-INVITE we send

bool InviteSession::reinvite(const Body& offer) {
  auto self = shared_from_this();
  if (terminated() || state_ != State::Confirmed || !dialog_) return false;
  // RFC 3261 14.1: never two INVITE transactions at once on a dialog, in either direction.
  if (inviteInProgress() || reinviteQueued_) return false;
  reinviteOffer_ = offer;
  return sendReinvite();
}

bool InviteSession::sendReinvite() {
  Message request = dialog_->makeRequest(Method::Invite);
  if (!core_.options().allow.empty()) request.addHeader(HeaderId::Allow, core_.options().allow);
  if (!reinviteOffer_.empty()) {
    request.setBody(reinviteOffer_.contentType, reinviteOffer_.content);
  }
  reinviteTxn_ = sendRequest(std::move(request));
  reinvitePending_ = reinviteTxn_.valid();
  return reinvitePending_;
}

void InviteSession::onReinviteResponse(const Message& response) {
  const int status = response.statusCode();
  if (status < 200) return;
  if (status < 300) {
    onReinvite2xx(response);
    return;
  }
  if (!reinvitePending_) return;
  reinvitePending_ = false;
  if (terminated()) return;
  if (status == 491) {
    // RFC 3261 14.1: glare; retry after a random delay that depends on who owns the Call-ID.
    reinviteQueued_ = true;
    glareTimer_ =
        schedule(glareRetryDelay(ownsCallId(), core_.random()), call<&InviteSession::onGlareTimer>);
    return;
  }
  if (status == 481 || status == 408) {
    // RFC 3261 12.2.1.2: the dialog (481) or the peer (408) is gone.
    if (status == 408) sendBye();
    terminate(SessionEndReason::Error, status);
    return;
  }
  if (handler_ != nullptr) handler_->onReinviteRejected(*this, status);
}

void InviteSession::onReinvite2xx(const Message& response) {
  if (!reinvitePending_) {
    handle2xxRetransmission(response);
    return;
  }
  reinvitePending_ = false;
  const std::uint32_t cseq = response.cseq().number;
  if (terminated()) {
    // A BYE crossed our re-INVITE: its 2xx is still acknowledged (RFC 3261 13.2.2.4).
    sendAckFor(cseq, {});
    return;
  }
  dialog_->refreshRemoteTarget(response);  // RFC 3261 12.2.1.2: 2xx to a target refresh
  const Body body = bodyOf(response);
  if (!reinviteOffer_.empty()) {
    sendAckFor(cseq, {});
    localBody_ = reinviteOffer_;
    if (!body.empty()) {
      remoteBody_ = body;
      if (handler_ != nullptr) handler_->onAnswer(*this, body);
      if (terminated()) return;
    }
    if (handler_ != nullptr) handler_->onConfirmed(*this);
    return;
  }
  // A re-INVITE without offer: the 2xx offers and our ACK answers (as in flow I).
  if (body.empty()) {
    sendAckFor(cseq, {});
    return;
  }
  remoteBody_ = body;
  awaitingAnswerForAck_ = true;
  awaitingAckCSeq_ = cseq;
  if (handler_ != nullptr) handler_->onOffer(*this, body);
}

void InviteSession::onGlareTimer() {
  glareTimer_ = 0;
  if (!reinviteQueued_) return;
  if (terminated()) {
    reinviteQueued_ = false;
    return;
  }
  if (inviteInProgress()) {
    // The peer's re-INVITE went first; ours goes once that one is done.
    glareTimer_ =
        schedule(glareRetryDelay(ownsCallId(), core_.random()), call<&InviteSession::onGlareTimer>);
    return;
  }
  reinviteQueued_ = false;
  if (!sendReinvite() && handler_ != nullptr) handler_->onReinviteRejected(*this, 503);
}

// ---------------------------------------------------------------------------------------------
// UAS

void InviteSession::startUas(const txn::ServerTransactionHandle& txn, const Message& invite,
                             const transport::Peer& from) {
  callId_ = std::string(invite.callId());
  localTag_ = core_.random().tag();
  localContact_ = core_.options().contact;
  auto created = Dialog::createUas(invite, localTag_, localContact_, /*confirmed=*/false);
  if (!created) {
    core_.respond(txn, invite, 400);
    state_ = State::Terminated;
    retireWhenIdle();
    return;
  }
  dialog_ = std::move(*created);
  core_.registerDialog(dialog_->id(), *this);
  core_.registerServerInvite(txn, *this);
  const bool hasOffer = !invite.body().empty();
  pendingRequest_ = PendingServerRequest{txn, Method::Invite, hasOffer, from};
  if (hasOffer) remoteBody_ = bodyOf(invite);
  state_ = State::Calling;
}

void InviteSession::announceUas() {
  auto self = shared_from_this();
  if (announced_ || terminated() || !pendingRequestIsInvite() || handler_ == nullptr) return;
  announced_ = true;
  if (pendingRequest_->hasOffer) {
    handler_->onOffer(*this, remoteBody_);
  } else {
    handler_->onOfferRequired(*this);
  }
}

Message InviteSession::makeResponse(const Message& request, int status,
                                    std::string_view reason) const {
  const bool creating = request.to().tag.empty();
  const bool success = status > 100 && status < 300;
  Message response =
      sip::makeResponse(request, status, reason.empty() ? defaultReasonPhrase(status) : reason,
                        creating ? std::string_view(localTag_) : std::string_view(),
                        /*copyRecordRoute=*/creating && success);
  // RFC 3261 12.1.1 / 13.3.1: dialog-creating and target-refresh 1xx/2xx carry our Contact.
  if (success && isTargetRefresh(request.method()) && !localContact_.empty()) {
    response.addHeader(HeaderId::Contact, localContact_);
  }
  if (status / 100 == 2 && request.method() == Method::Invite && !core_.options().allow.empty()) {
    response.addHeader(HeaderId::Allow, core_.options().allow);
  }
  return response;
}

bool InviteSession::provisional(int status, const Body& body) {
  auto self = shared_from_this();
  if (terminated() || !pendingRequestIsInvite() || status <= 100 || status >= 200) return false;
  const Message* request = pendingRequest_->txn.request();
  if (request == nullptr) return false;
  Message response = makeResponse(*request, status);
  if (!body.empty()) response.setBody(body.contentType, body.content);
  if (!pendingRequest_->txn.respond(std::move(response))) return false;
  if (state_ == State::Calling) state_ = State::Early;
  return true;
}

bool InviteSession::accept(const Body& body) {
  auto self = shared_from_this();
  if (terminated() || !pendingRequest_) return false;
  const PendingServerRequest pending = *pendingRequest_;
  const Message* request = pending.txn.request();
  if (request == nullptr) return false;
  // An INVITE needs the answer to its offer or, without offer, our offer (RFC 3261 13.3.1.4);
  // an UPDATE with an offer needs the answer (RFC 3311 5.2).
  if (body.empty() && (pending.method == Method::Invite || pending.hasOffer)) return false;
  const std::uint32_t cseq = request->cseq().number;
  Message response = makeResponse(*request, 200);
  if (!body.empty()) response.setBody(body.contentType, body.content);
  pendingRequest_.reset();
  if (!body.empty()) localBody_ = body;

  if (pending.method != Method::Invite) {
    pending.txn.respond(std::move(response));
    return true;
  }
  core_.unregisterServerInvite(pending.txn);
  Message copy = response.clone();
  if (!pending.txn.respond(std::move(response))) {
    terminate(SessionEndReason::Error, 500);
    return false;
  }
  const bool initial = state_ != State::Confirmed;
  if (initial) {
    dialog_->confirmUas();
    state_ = State::Accepted;
  }
  // RFC 3261 13.3.1.4: the 2xx is retransmitted (T1, doubling up to T2) until the ACK arrives;
  // without ACK after 64*T1 the session is confirmed and then ended with BYE.
  const auto& timers = core_.layer().timerOptions();
  unacked_ = Unacked2xx{std::move(copy),
                        pending.txn,
                        pending.from,
                        cseq,
                        !pending.hasOffer,
                        initial,
                        timers.t1,
                        0,
                        0};
  unacked_->retransmitTimer = schedule(timers.t1, call<&InviteSession::on2xxRetransmitTimer>);
  unacked_->giveUpTimer = schedule(timers.timerB(), call<&InviteSession::on2xxGiveUp>);
  return true;
}

bool InviteSession::reject(int status, std::string_view reasonPhrase) {
  return reject(status, reasonPhrase, {});
}

bool InviteSession::reject(int status, std::string_view reasonPhrase, const ExtraHeaders& headers) {
  auto self = shared_from_this();
  if (terminated() || !pendingRequest_ || status < 300 || status > 699) return false;
  const PendingServerRequest pending = *pendingRequest_;
  pendingRequest_.reset();
  if (const Message* request = pending.txn.request()) {
    Message response = makeResponse(*request, status, reasonPhrase);
    for (const ExtraHeader& header : headers) response.addHeader(header.name, header.value);
    pending.txn.respond(std::move(response));
  }
  if (pending.method == Method::Invite) {
    core_.unregisterServerInvite(pending.txn);
    // A refused re-INVITE leaves the session as it was (RFC 3261 14.2).
    if (state_ != State::Confirmed) terminate(SessionEndReason::Rejected, status);
  }
  return true;
}

void InviteSession::on2xxRetransmitTimer() {
  if (!unacked_) return;
  unacked_->retransmitTimer = 0;
  if (!unacked_->txn.respond(unacked_->response.clone())) {
    // The server transaction is gone (RFC 6026 Timer L): keep retransmitting statelessly.
    core_.layer().sendStatelessResponse(unacked_->response, unacked_->from);
  }
  const auto& timers = core_.layer().timerOptions();
  unacked_->interval = std::min(unacked_->interval * 2, timers.t2);
  unacked_->retransmitTimer =
      schedule(unacked_->interval, call<&InviteSession::on2xxRetransmitTimer>);
}

void InviteSession::on2xxGiveUp() {
  if (!unacked_) return;
  unacked_->giveUpTimer = 0;
  stopRetransmitting();
  if (byeAfterAck_) {
    byeAfterAck_ = false;
    sendBye();
    retireWhenIdle();
    return;
  }
  if (terminated()) return;
  sendBye();
  terminate(SessionEndReason::Timeout, 408);
}

void InviteSession::stopRetransmitting() {
  if (!unacked_) return;
  cancelTimer(unacked_->retransmitTimer);
  cancelTimer(unacked_->giveUpTimer);
  unacked_.reset();
}

void InviteSession::onDialogAck(const Message& ack, const transport::Peer&) {
  auto self = shared_from_this();
  // Only the ACK of the 2xx being retransmitted counts; later copies are ignored.
  if (!unacked_ || ack.cseq().number != unacked_->cseq) return;
  const bool offerInside = unacked_->offerInside;
  const bool initial = unacked_->initial;
  stopRetransmitting();
  if (byeAfterAck_) {
    byeAfterAck_ = false;
    sendBye();
    retireWhenIdle();
    return;
  }
  if (terminated()) return;
  if (initial) state_ = State::Confirmed;
  if (offerInside) {
    const Body answer = bodyOf(ack);
    if (answer.empty()) {
      // RFC 3261 13.2.1: an offer in the 2xx must be answered in the ACK.
      sendBye();
      terminate(SessionEndReason::Error, 488);
      return;
    }
    remoteBody_ = answer;
    if (handler_ != nullptr) handler_->onAnswer(*this, answer);
    if (terminated()) return;
  }
  if (handler_ != nullptr) handler_->onConfirmed(*this);
}

void InviteSession::onServerCancel(const txn::ServerTransactionHandle& invite) {
  auto self = shared_from_this();
  if (!pendingRequest_ || pendingRequest_->txn != invite) return;  // already answered
  pendingRequest_.reset();
  core_.unregisterServerInvite(invite);
  // RFC 3261 9.2: the cancelled INVITE ends with 487.
  if (const Message* request = invite.request()) invite.respond(makeResponse(*request, 487));
  if (state_ != State::Confirmed) terminate(SessionEndReason::Cancelled, 487);
}

// ---------------------------------------------------------------------------------------------
// Requests within the dialog

void InviteSession::onDialogRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                                    const transport::Peer& from) {
  auto self = shared_from_this();
  Dialog* dialog = dialogFor(request);
  if (terminated() || dialog == nullptr) {
    core_.respond(txn, request, 481);
    return;
  }
  // RFC 3261 12.2.2: requests out of order get 500.
  if (!dialog->acceptRemoteCSeq(request)) {
    core_.respond(txn, request, 500);
    return;
  }
  switch (request.method()) {
    case Method::Bye:
      onBye(txn, request);
      return;
    case Method::Invite:
      if (!dialog_ || dialog != &*dialog_ || state_ != State::Confirmed) {
        core_.respond(txn, request, 491);
        return;
      }
      onReinvite(txn, request, from);
      return;
    case Method::Update:
      onUpdate(txn, request, from);
      return;
    case Method::Info:
      txn.respond(makeResponse(request, 200));
      if (handler_ != nullptr) handler_->onInfo(*this, request);
      return;
    case Method::Options:
      txn.respond(makeResponse(request, 200));
      return;
    default:
      core_.respond(txn, request, 501);
      return;
  }
}

void InviteSession::onBye(const txn::ServerTransactionHandle& txn, const Message& request) {
  txn.respond(makeResponse(request, 200));
  if (!dialog_ || dialog_->id().remoteTag != request.from().tag) {
    // A BYE in one early dialog (UAC side) ends that dialog only.
    auto early = earlyDialogs_.find(std::string(request.from().tag));
    if (early != earlyDialogs_.end()) {
      core_.unregisterDialog(early->second.id());
      earlyDialogs_.erase(early);
    }
    return;
  }
  // RFC 3261 15.1.2: requests still pending on the dialog are answered 487.
  if (pendingRequest_) {
    const PendingServerRequest pending = *pendingRequest_;
    pendingRequest_.reset();
    if (pending.method == Method::Invite) core_.unregisterServerInvite(pending.txn);
    if (const Message* pendingMessage = pending.txn.request()) {
      pending.txn.respond(makeResponse(*pendingMessage, 487));
    }
  }
  stopRetransmitting();
  awaitingAnswerForAck_ = false;
  terminate(SessionEndReason::RemoteBye, 0);
}

void InviteSession::onReinvite(const txn::ServerTransactionHandle& txn, const Message& request,
                               const transport::Peer& from) {
  // RFC 3261 14.2: while our own re-INVITE is pending, an incoming one is glare -> 491.
  if (reinvitePending_) {
    core_.respond(txn, request, 491);
    return;
  }
  // RFC 3261 14.2: an INVITE of theirs not yet finished (or ours not yet ACKed) -> 500 with
  // Retry-After (0-10 s).
  if (pendingRequest_ || unacked_ || awaitingAnswerForAck_) {
    Message response = makeResponse(request, 500);
    response.addHeader(HeaderId::RetryAfter, std::to_string(core_.random().next() % 11));
    txn.respond(std::move(response));
    return;
  }
  dialog_->refreshRemoteTarget(request);  // RFC 3261 12.2.2: target refresh
  const bool hasOffer = !request.body().empty();
  pendingRequest_ = PendingServerRequest{txn, Method::Invite, hasOffer, from};
  if (hasOffer) {
    remoteBody_ = bodyOf(request);
    if (handler_ != nullptr) handler_->onOffer(*this, remoteBody_);
  } else if (handler_ != nullptr) {
    handler_->onOfferRequired(*this);
  }
}

void InviteSession::onUpdate(const txn::ServerTransactionHandle& txn, const Message& request,
                             const transport::Peer& from) {
  if (Dialog* dialog = dialogFor(request)) dialog->refreshRemoteTarget(request);  // RFC 3311 5
  if (request.body().empty()) {
    // No offer: a session refresh (RFC 4028) or a target refresh; nothing to negotiate.
    txn.respond(makeResponse(request, 200));
    return;
  }
  // RFC 3311 5.2: an offer while another offer/answer exchange is unfinished -> 491.
  if (pendingRequest_ || reinvitePending_ || awaitingAnswerForAck_ ||
      (unacked_ && unacked_->offerInside)) {
    core_.respond(txn, request, 491);
    return;
  }
  pendingRequest_ = PendingServerRequest{txn, Method::Update, true, from};
  remoteBody_ = bodyOf(request);
  if (handler_ != nullptr) handler_->onOffer(*this, remoteBody_);
}

// ---------------------------------------------------------------------------------------------
// Ending

void InviteSession::end() {
  auto self = shared_from_this();
  if (terminated()) return;
  if (role_ == Role::Uac && !dialog_) {
    // RFC 3261 9.1: before a final response the INVITE is cancelled; the layer sends the CANCEL
    // once a provisional response has arrived. The 487 (or a 2xx crossing it) ends the session.
    if (cancelRequested_) return;
    cancelRequested_ = true;
    if (!core_.layer().sendCancel(inviteTxn_)) {
      for (auto& [tag, early] : earlyDialogs_) core_.unregisterDialog(early.id());
      earlyDialogs_.clear();
      terminate(SessionEndReason::Cancelled, 0);
    }
    return;
  }
  if (role_ == Role::Uas && state_ < State::Accepted) {
    reject(480);
    return;
  }
  if (awaitingAnswerForAck_) {
    // The offer of the 2xx gets no answer: the ACK still goes, then the BYE.
    awaitingAnswerForAck_ = false;
    sendAckFor(awaitingAckCSeq_, {});
  }
  if (pendingRequest_) {
    const PendingServerRequest pending = *pendingRequest_;
    pendingRequest_.reset();
    if (const Message* request = pending.txn.request()) {
      pending.txn.respond(makeResponse(*request, 487));
    }
  }
  if (unacked_ && unacked_->initial) {
    // RFC 3261 15: the callee sends no BYE before the ACK of its 2xx (or 64*T1 without it).
    byeAfterAck_ = true;
    terminate(SessionEndReason::LocalBye, 0);
    return;
  }
  stopRetransmitting();
  sendBye();
  terminate(SessionEndReason::LocalBye, 0);
}

void InviteSession::sendBye() {
  if (!dialog_) return;
  sendRequest(dialog_->makeRequest(Method::Bye));
}

void InviteSession::terminate(SessionEndReason reason, int status) {
  if (state_ == State::Terminated) return;
  state_ = State::Terminated;
  reinviteQueued_ = false;
  cancelTimer(glareTimer_);
  if (!byeAfterAck_) stopRetransmitting();
  if (handler_ != nullptr) handler_->onTerminated(*this, SessionEnd{reason, status});
  // A UAS waiting for the ACK before its BYE keeps its dialog registered until then.
  if (!byeAfterAck_) retireWhenIdle();
}

}  // namespace ccsip::sip::dialog
