// RFC 3261 17.2 server transactions (INVITE: 17.2.1 + RFC 6026 Accepted; non-INVITE: 17.2.2),
// matching (17.2.3) and CANCEL handling (9.2).

#include <algorithm>

#include "sip/serializer.h"
#include "sip/txn/transaction_layer_impl.h"
#include "sip/txn/via_routing.h"

namespace ccsip::sip::txn {

using State = ServerTransactionState;

ServerTxn* TransactionLayer::Impl::findServer(std::uint64_t id) {
  auto it = servers.find(id);
  return it == servers.end() ? nullptr : it->second.get();
}

ServerTxn* TransactionLayer::Impl::matchServer(const sip::Message& request,
                                               std::string_view method) {
  const sip::Via& via = *request.topVia();
  if (hasTransactionBranch(via)) {
    auto it = serverKeys.find(serverKey(via, method));
    return it == serverKeys.end() ? nullptr : findServer(it->second);
  }
  // RFC 3261 17.2.3: RFC 2543 requests match on Request-URI, To tag, From tag, Call-ID, CSeq
  // and top Via (a CANCEL repeats the INVITE's To, so the same rule finds its INVITE).
  const LegacyKey key = LegacyKey::of(request);
  auto [begin, end] = legacyServers.equal_range(key.indexKey());
  for (auto it = begin; it != end; ++it) {
    ServerTxn* txn = findServer(it->second);
    if (txn == nullptr || !txn->legacy->sameBase(key) || txn->legacy->toTag != key.toTag) continue;
    if (keyMethodName(txn->method, txn->methodText) == method) return txn;
  }
  return nullptr;
}

ServerTxn* TransactionLayer::Impl::matchLegacyAck(const LegacyKey& ack) {
  // RFC 3261 17.2.3: as the INVITE, except that the ACK's To tag is the one of the response
  // the server transaction sent.
  auto [begin, end] = legacyServers.equal_range(ack.indexKey());
  for (auto it = begin; it != end; ++it) {
    ServerTxn* txn = findServer(it->second);
    if (txn != nullptr && txn->invite && txn->legacy->sameBase(ack) &&
        txn->responseToTag == ack.toTag) {
      return txn;
    }
  }
  return nullptr;
}

ServerTxn* TransactionLayer::Impl::createServer(sip::Message request, const transport::Peer& from) {
  auto txn = std::make_unique<ServerTxn>();
  txn->id = nextId++;
  txn->method = request.method();
  txn->invite = request.method() == sip::Method::Invite;
  txn->state = txn->invite ? State::Proceeding : State::Trying;
  txn->peer = from;
  txn->cseq = request.cseq().number;
  if (txn->method == sip::Method::Unknown) txn->methodText = std::string(request.methodName());
  // Keys come from the request as received, before received=/rport= change its top Via.
  const sip::Via& via = *request.topVia();
  if (hasTransactionBranch(via)) {
    txn->key = serverKey(via, keyMethodName(request.method(), request.methodName()));
  } else {
    txn->legacy = std::make_unique<LegacyKey>(LegacyKey::of(request));
  }
  addReceivedParams(request, from);
  txn->request = std::make_unique<sip::Message>(std::move(request));

  ServerTxn* raw = txn.get();
  const std::uint64_t id = raw->id;
  if (raw->key.empty()) {
    legacyServers.emplace(raw->legacy->indexKey(), id);
  } else {
    serverKeys.emplace(raw->key, id);
  }
  servers.emplace(id, std::move(txn));
  ++counters().serverTransactionsCreated;
  if (raw->invite) {
    // RFC 3261 17.2.1: 100 Trying unless the TU answers within 200 ms.
    arm(raw->trying, timers().trying, [this, id] { onTrying(id); });
  } else {
    // No RFC 3261 timer bounds a non-INVITE request the TU never answers; after 64*T1 the
    // client's Timer F has fired, so no answer can matter any more: end it rather than leak.
    arm(raw->timeout, timers().timerB(), [this, id] { onUnanswered(id); });
  }
  return raw;
}

void TransactionLayer::Impl::handleRetransmission(ServerTxn& txn) {
  ++counters().retransmissionsAbsorbed;
  // RFC 3261 17.2.1 / 17.2.2: a retransmitted request gets the last response again
  // (Proceeding with a provisional sent, Completed). RFC 6026 8.4 (INVITE in Accepted): absorbed;
  // the TU retransmits its 2xx itself. Trying/Confirmed: absorbed.
  const bool resend = (txn.state == State::Proceeding || txn.state == State::Completed) &&
                      !txn.lastResponse.empty();
  if (!resend) return;
  if (send(txn.responseTo, txn.lastResponse)) {
    ++counters().retransmissionsSent;
  } else {
    ++counters().transportErrors;
  }
}

void TransactionLayer::Impl::handleAck(sip::Message ack, const transport::Peer& from) {
  const sip::Via& via = *ack.topVia();
  ServerTxn* txn =
      hasTransactionBranch(via) ? matchServer(ack, "INVITE") : matchLegacyAck(LegacyKey::of(ack));
  if (txn != nullptr && txn->invite) {
    switch (txn->state) {
      case State::Completed: {
        // RFC 3261 17.2.1: ACK for the 3xx-6xx: stop G and H, absorb ACKs for T4 (Timer I),
        // 0 over reliable transports.
        txn->state = State::Confirmed;
        disarm(txn->retransmit);
        disarm(txn->timeout);
        slimServer(*txn);
        const std::uint64_t id = txn->id;
        if (txn->peer.kind == transport::TransportKind::Tcp) {
          terminateServer(id);
        } else {
          arm(txn->end, timers().t4, [this, id] { terminateServer(id); });
        }
        return;
      }
      case State::Confirmed:
        ++counters().retransmissionsAbsorbed;
        return;
      case State::Accepted: {
        // RFC 6026 8.7: an ACK matching an INVITE server transaction in Accepted goes to the TU.
        addReceivedParams(ack, from);
        user->onAck(ack, from, serverHandle(txn->id));
        return;
      }
      default:
        // No final response yet: nothing to acknowledge.
        ++counters().messagesDropped;
        return;
    }
  }
  // RFC 3261 17.2.3: an ACK for a 2xx is its own transaction-less request for the TU.
  ++counters().strayAcks;
  addReceivedParams(ack, from);
  user->onAck(ack, from, ServerTransactionHandle());
}

void TransactionLayer::Impl::handleCancel(sip::Message cancel, const transport::Peer& from) {
  if (ServerTxn* existing = matchServer(cancel, "CANCEL")) {
    handleRetransmission(*existing);
    return;
  }
  // RFC 3261 9.2: a CANCEL matches the transaction of the request it cancels by the 17.2.3
  // rules with the method INVITE (a CANCEL of a non-INVITE gets 481 here).
  ServerTxn* invite = matchServer(cancel, "INVITE");
  const std::uint64_t inviteId = invite != nullptr ? invite->id : 0;
  // RFC 3261 9.2: the 200 to the CANCEL SHOULD carry the To tag of the INVITE's responses.
  std::string tag;
  if (cancel.to().tag.empty()) {
    tag =
        invite != nullptr && !invite->responseToTag.empty() ? invite->responseToTag : random.tag();
  }
  ServerTxn* txn = createServer(cancel.clone(), from);
  const std::uint64_t id = txn->id;
  addReceivedParams(cancel, from);
  if (invite == nullptr) {
    ++counters().cancelsUnmatched;
    respond(id, sip::makeResponse(*txn->request, 481, "Call/Transaction Does Not Exist", tag));
    return;
  }
  respond(id, sip::makeResponse(*txn->request, 200, "OK", tag));
  invite = findServer(inviteId);
  // A CANCEL after the final response has no effect (RFC 3261 9.2).
  if (invite != nullptr && invite->state == State::Proceeding) {
    user->onCancel(serverHandle(inviteId), cancel);
  }
}

bool TransactionLayer::Impl::respond(std::uint64_t id, sip::Message response) {
  ServerTxn* txn = findServer(id);
  if (txn == nullptr || !response.isResponse()) return false;
  const int status = response.statusCode();
  if (status < 100 || status > 699) return false;
  const bool provisional = status < 200;
  const bool success = status >= 200 && status < 300;
  if (txn->invite) {
    // RFC 6026 8.5: while Accepted, 2xx retransmissions from the TU are passed on.
    const bool allowed =
        txn->state == State::Proceeding || (txn->state == State::Accepted && success);
    if (!allowed) return false;
  } else if (txn->state != State::Trying && txn->state != State::Proceeding) {
    return false;
  }
  disarm(txn->trying);

  const bool retransmission = txn->state == State::Accepted;
  txn->lastStatus = status;
  txn->responseToTag = std::string(response.to().tag);
  txn->responseTo = responseDestinationFor(response, txn->peer);
  scratch.clear();
  sip::serialize(response, scratch);
  // Kept (sized to fit) only when the layer resends it: request retransmissions in Proceeding and
  // Completed, Timer G. RFC 6026 8.4: in Accepted the TU retransmits its 2xx itself.
  bool sent = false;
  if (txn->invite && success) {
    std::string().swap(txn->lastResponse);
    sent = send(txn->responseTo, scratch);
  } else {
    txn->lastResponse.assign(scratch);
    sent = send(txn->responseTo, txn->lastResponse);
  }
  if (!sent) {
    ++counters().transportErrors;
  } else if (retransmission) {
    ++counters().retransmissionsSent;
  }

  const bool reliable = txn->peer.kind == transport::TransportKind::Tcp;
  if (provisional) {
    if (!txn->invite) txn->state = State::Proceeding;
    return sent;
  }
  if (txn->invite) {
    if (success) {
      if (txn->state == State::Proceeding) {
        // RFC 6026 7.1: Accepted absorbs INVITE retransmissions and passes ACKs to the TU
        // until Timer L (64*T1).
        txn->state = State::Accepted;
        arm(txn->end, timers().timerB(), [this, id] { terminateServer(id); });
      }
      return sent;
    }
    // RFC 3261 17.2.1: Completed; Timer G retransmits over unreliable transports, Timer H
    // gives up waiting for the ACK.
    txn->state = State::Completed;
    if (!reliable) {
      txn->gInterval = timers().t1;
      arm(txn->retransmit, txn->gInterval, [this, id] { onTimerG(id); });
    }
    arm(txn->timeout, timers().timerB(), [this, id] { onTimerH(id); });
    return sent;
  }
  // RFC 3261 17.2.2: Completed absorbs retransmissions for Timer J (64*T1, 0 when reliable).
  txn->state = State::Completed;
  disarm(txn->timeout);
  slimServer(*txn);
  if (reliable) {
    terminateServer(id);
  } else {
    arm(txn->end, timers().timerB(), [this, id] { terminateServer(id); });
  }
  return sent;
}

void TransactionLayer::Impl::onTrying(std::uint64_t id) {
  ServerTxn* txn = findServer(id);
  if (txn == nullptr) return;
  txn->trying.id = 0;
  if (txn->state != State::Proceeding || txn->lastStatus != 0) return;
  // RFC 3261 8.2.6.1: a 100 carries no To tag.
  if (txn->request) respond(id, sip::makeResponse(*txn->request, 100, "Trying"));
}

void TransactionLayer::Impl::onTimerG(std::uint64_t id) {
  ServerTxn* txn = findServer(id);
  if (txn == nullptr) return;
  txn->retransmit.id = 0;
  if (txn->state != State::Completed) return;
  if (!send(txn->responseTo, txn->lastResponse)) {
    // RFC 3261 17.2.4: a transport failure ends the transaction and is reported to the TU.
    ++counters().transportErrors;
    txn->state = State::Terminated;
    user->onServerTransactionFailure(serverHandle(id), TransactionFailure::TransportError);
    terminateServer(id);
    return;
  }
  ++counters().retransmissionsSent;
  // RFC 3261 17.2.1: Timer G doubles up to T2.
  txn->gInterval = std::min(txn->gInterval * 2, timers().t2);
  arm(txn->retransmit, txn->gInterval, [this, id] { onTimerG(id); });
}

void TransactionLayer::Impl::onTimerH(std::uint64_t id) {
  ServerTxn* txn = findServer(id);
  if (txn == nullptr) return;
  txn->timeout.id = 0;
  if (txn->state != State::Completed) return;
  // RFC 3261 17.2.1: no ACK came; tell the TU of the failure.
  ++counters().serverTimeouts;
  txn->state = State::Terminated;
  user->onServerTransactionFailure(serverHandle(id), TransactionFailure::Timeout);
  terminateServer(id);
}

void TransactionLayer::Impl::onUnanswered(std::uint64_t id) {
  ServerTxn* txn = findServer(id);
  if (txn == nullptr) return;
  txn->timeout.id = 0;
  if (txn->state != State::Trying && txn->state != State::Proceeding) return;
  ++counters().serverTimeouts;
  txn->state = State::Terminated;
  user->onServerTransactionFailure(serverHandle(id), TransactionFailure::Timeout);
  terminateServer(id);
}

void TransactionLayer::Impl::slimServer(ServerTxn& txn) {
  // The TU still reads the request it is being handed; receiveRequest slims after the call.
  if (std::find(delivering.begin(), delivering.end(), txn.id) != delivering.end()) return;
  const bool done = txn.invite ? txn.state == State::Confirmed : txn.state == State::Completed;
  if (!done) return;
  txn.request.reset();
  // Matching a CANCEL or an RFC 2543 ACK needs the To tag of INVITE responses only.
  if (!txn.invite) std::string().swap(txn.responseToTag);
}

void TransactionLayer::Impl::terminateServer(std::uint64_t id) {
  auto it = servers.find(id);
  if (it == servers.end()) return;
  ServerTxn& txn = *it->second;
  disarm(txn.trying);
  disarm(txn.retransmit);
  disarm(txn.timeout);
  disarm(txn.end);
  if (txn.unkeyed) {
    // Neither index refers to it any more.
  } else if (txn.key.empty()) {
    auto [begin, end] = legacyServers.equal_range(txn.legacy->indexKey());
    for (auto li = begin; li != end; ++li) {
      if (li->second == id) {
        legacyServers.erase(li);
        break;
      }
    }
  } else {
    serverKeys.erase(txn.key);
  }
  if (std::find(delivering.begin(), delivering.end(), id) != delivering.end()) {
    endedWhileDelivering.push_back(std::move(it->second));
  }
  servers.erase(it);
}

}  // namespace ccsip::sip::txn
