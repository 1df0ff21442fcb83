// RFC 3261 17.1 client transactions (INVITE: 17.1.1 + RFC 6026 Accepted; non-INVITE: 17.1.2),
// response matching (17.1.3) and CANCEL construction (9.1).

#include <algorithm>
#include <string>

#include "sip/serializer.h"
#include "sip/txn/transaction_layer_impl.h"
#include "sip/txn/via_routing.h"

namespace ccsip::sip::txn {

using State = ClientTransactionState;

namespace {

// RFC 3261 17.1.1.3 (ACK for a non-2xx) and 9.1 (CANCEL): Request-URI, Call-ID, From, CSeq
// number and the single top Via of the original request, its Route headers; To from `to`.
sip::Message buildFollowUp(const sip::Message& request, sip::Method method,
                           std::string_view toValue) {
  sip::Message out = sip::Message::makeRequest(method, request.requestUri().text);
  out.addHeader(sip::HeaderId::Via, request.topVia()->text);
  for (const sip::HeaderField& field : request.headers()) {
    if (field.id == sip::HeaderId::Route) out.addHeader(sip::HeaderId::Route, field.value);
  }
  out.addHeader(sip::HeaderId::MaxForwards, "70");
  out.addHeader(sip::HeaderId::From, request.headerValue(sip::HeaderId::From));
  out.addHeader(sip::HeaderId::To, toValue);
  out.addHeader(sip::HeaderId::CallId, request.callId());
  std::string cseq = std::to_string(request.cseq().number);
  cseq += ' ';
  cseq += sip::methodName(method);
  out.addHeader(sip::HeaderId::CSeq, cseq);
  return out;
}

}  // namespace

ClientTxn* TransactionLayer::Impl::findClient(std::uint64_t id) {
  auto it = clients.find(id);
  return it == clients.end() ? nullptr : it->second.get();
}

void TransactionLayer::Impl::ensureVia(sip::Message& request, const transport::Peer& to) {
  if (request.topVia() != nullptr) return;
  const transport::Address local =
      transport != nullptr ? transport->localAddressFor(to.kind, to.remote) : transport::Address{};
  request.prependHeader(sip::HeaderId::Via, makeViaValue(to.kind, local, random.branch()));
}

ClientTransactionHandle TransactionLayer::Impl::startClient(sip::Message request,
                                                            const transport::Peer& to,
                                                            ClientTransactionHandler* handler) {
  // An ACK is never a transaction of its own (RFC 3261 17.1.1.3 / 13.2.2.4).
  if (!request.isRequest() || request.method() == sip::Method::Ack || request.callId().empty() ||
      request.cseq().methodText.empty() || request.findHeader(sip::HeaderId::From) == nullptr ||
      request.findHeader(sip::HeaderId::To) == nullptr) {
    return {};
  }
  ensureVia(request, to);
  const sip::Via* via = request.topVia();
  if (via == nullptr || via->branch.empty()) return {};
  std::string key = clientKey(via->branch, keyMethodName(request.method(), request.methodName()));
  if (clientKeys.contains(key)) return {};  // a branch is one transaction (RFC 3261 8.1.1.7)
  if (!request.maxForwards()) request.addHeader(sip::HeaderId::MaxForwards, "70");

  auto txn = std::make_unique<ClientTxn>();
  txn->id = nextId++;
  txn->method = request.method();
  txn->invite = request.method() == sip::Method::Invite;
  txn->reliable = to.kind == transport::TransportKind::Tcp;
  txn->state = txn->invite ? State::Calling : State::Trying;
  txn->to = to;
  txn->key = std::move(key);
  txn->handler = handler;
  // Serialized once into the shared buffer, then copied at its exact size (it lives for the
  // whole transaction).
  scratch.clear();
  sip::serialize(request, scratch);
  txn->wire.assign(scratch);
  txn->request = std::make_unique<sip::Message>(std::move(request));

  ClientTxn* raw = txn.get();
  const std::uint64_t id = raw->id;
  clientKeys.emplace(raw->key, id);
  clients.emplace(id, std::move(txn));
  ++counters().clientTransactionsCreated;

  if (!send(raw->to, raw->wire)) {
    // RFC 3261 17.1.4: reported to the TU, asynchronously so that the caller of sendRequest
    // is not re-entered.
    ++counters().transportErrors;
    arm(raw->end, util::Duration{0}, [this, id] { onSendFailure(id); });
    return clientHandle(id);
  }
  if (!raw->reliable) {
    // RFC 3261 17.1.1.2 / 17.1.2.2: Timers A / E start at T1, unreliable transports only.
    raw->interval = timers().t1;
    arm(raw->retransmit, raw->interval, [this, id] { onRetransmitTimer(id); });
  }
  // Timers B / F: 64*T1 on every transport.
  arm(raw->timeout, timers().timerB(), [this, id] { onTimeoutTimer(id); });
  return clientHandle(id);
}

void TransactionLayer::Impl::onRetransmitTimer(std::uint64_t id) {
  ClientTxn* txn = findClient(id);
  if (txn == nullptr) return;
  txn->retransmit.id = 0;
  if (txn->invite) {
    if (txn->state != State::Calling) return;
    // RFC 3261 17.1.1.2: Timer A doubles on each retransmission (no T2 cap for INVITE).
    txn->interval *= 2;
  } else if (txn->state == State::Trying) {
    // RFC 3261 17.1.2.2: Timer E doubles until T2.
    txn->interval = std::min(txn->interval * 2, timers().t2);
  } else if (txn->state == State::Proceeding) {
    // RFC 3261 17.1.2.2: in Proceeding, Timer E is reset to T2.
    txn->interval = timers().t2;
  } else {
    return;
  }
  if (!send(txn->to, txn->wire)) {
    ++counters().transportErrors;
    onSendFailure(id);
    return;
  }
  ++counters().retransmissionsSent;
  arm(txn->retransmit, txn->interval, [this, id] { onRetransmitTimer(id); });
}

void TransactionLayer::Impl::onTimeoutTimer(std::uint64_t id) {
  ClientTxn* txn = findClient(id);
  if (txn == nullptr) return;
  txn->timeout.id = 0;
  // RFC 3261 17.1.1.2: Timer B matters in Calling only; 17.1.2.2: Timer F in Trying/Proceeding.
  const bool live = txn->invite ? txn->state == State::Calling
                                : (txn->state == State::Trying || txn->state == State::Proceeding);
  if (!live) return;
  ++counters().clientTimeouts;
  txn->state = State::Terminated;
  if (txn->handler != nullptr) txn->handler->onTimeout(clientHandle(id));
  terminateClient(id);
}

void TransactionLayer::Impl::onSendFailure(std::uint64_t id) {
  ClientTxn* txn = findClient(id);
  if (txn == nullptr || txn->state == State::Terminated) return;
  txn->state = State::Terminated;
  if (txn->handler != nullptr) txn->handler->onTransportError(clientHandle(id));
  terminateClient(id);
}

void TransactionLayer::Impl::terminateClient(std::uint64_t id) {
  ClientTxn* txn = findClient(id);
  if (txn == nullptr) return;
  disarm(txn->retransmit);
  disarm(txn->timeout);
  disarm(txn->end);
  txn->state = State::Terminated;
  if (ClientTransactionHandler* handler = txn->handler) {
    txn->handler = nullptr;  // no callback after onTerminated
    handler->onTerminated(clientHandle(id));
  }
  auto it = clients.find(id);
  if (it == clients.end()) return;
  clientKeys.erase(it->second->key);
  clients.erase(it);
}

void TransactionLayer::Impl::clientResponse(ClientTxn& txn, sip::Message response) {
  const std::uint64_t id = txn.id;
  const int status = response.statusCode();
  ClientTransactionHandler* handler = txn.handler;
  auto deliver = [&] {
    if (handler != nullptr) handler->onResponse(clientHandle(id), response);
  };

  if (txn.invite) {
    switch (txn.state) {
      case State::Calling:
      case State::Proceeding:
        disarm(txn.retransmit);
        disarm(txn.timeout);
        if (status < 200) {
          txn.state = State::Proceeding;
          if (txn.cancelPending) {
            // RFC 3261 9.1: the CANCEL waited for this provisional response.
            txn.cancelPending = false;
            sendCancelNow(txn);
          }
          deliver();
          return;
        }
        txn.cancelPending = false;
        if (status < 300) {
          // RFC 6026 7.2: Accepted, every 2xx to the TU until Timer M (64*T1).
          txn.state = State::Accepted;
          arm(txn.end, timers().timerB(), [this, id] { terminateClient(id); });
          deliver();
          slimClient(id);
          return;
        }
        {
          // RFC 3261 17.1.1.3: Completed, ACK the 3xx-6xx, Timer D (0 when reliable).
          txn.state = State::Completed;
          sip::Message ack = buildFollowUp(*txn.request, sip::Method::Ack,
                                           response.headerValue(sip::HeaderId::To));
          scratch.clear();
          sip::serialize(ack, scratch);
          txn.ackWire.assign(scratch);
          if (!send(txn.to, txn.ackWire)) ++counters().transportErrors;
          if (!txn.reliable) {
            arm(txn.end, timers().timerD, [this, id] { terminateClient(id); });
          }
          const bool reliable = txn.reliable;
          deliver();
          if (reliable) {
            terminateClient(id);
          } else {
            slimClient(id);
          }
        }
        return;
      case State::Accepted:
        if (status >= 200 && status < 300) {
          deliver();
        } else {
          ++counters().messagesDropped;
        }
        return;
      case State::Completed:
        if (status >= 300) {
          // RFC 3261 17.1.1.2: a retransmitted final response gets the ACK again.
          ++counters().retransmissionsAbsorbed;
          if (send(txn.to, txn.ackWire)) ++counters().retransmissionsSent;
        }
        return;
      default:
        return;
    }
  }

  switch (txn.state) {
    case State::Trying:
    case State::Proceeding:
      if (status < 200) {
        txn.state = State::Proceeding;
        deliver();
        return;
      }
      {
        // RFC 3261 17.1.2.2: Completed absorbs response retransmissions for Timer K (T4,
        // 0 when reliable).
        txn.state = State::Completed;
        disarm(txn.retransmit);
        disarm(txn.timeout);
        const bool reliable = txn.reliable;
        if (!reliable) arm(txn.end, timers().t4, [this, id] { terminateClient(id); });
        deliver();
        if (reliable) {
          terminateClient(id);
        } else {
          slimClient(id);
        }
      }
      return;
    case State::Completed:
      ++counters().retransmissionsAbsorbed;
      return;
    default:
      return;
  }
}

void TransactionLayer::Impl::slimClient(std::uint64_t id) {
  ClientTxn* txn = findClient(id);
  if (txn == nullptr) return;
  const bool final = txn->state == State::Completed || txn->state == State::Accepted;
  if (!final) return;
  txn->request.reset();
  std::string().swap(txn->wire);
}

bool TransactionLayer::Impl::cancel(std::uint64_t inviteId, ClientTransactionHandler* handler) {
  ClientTxn* txn = findClient(inviteId);
  if (txn == nullptr || !txn->invite || txn->cancelled) return false;
  if (txn->state != State::Calling && txn->state != State::Proceeding) return false;
  txn->cancelled = true;
  txn->cancelHandler = handler;
  if (txn->state == State::Calling) {
    // RFC 3261 9.1: no CANCEL before a provisional response; it goes out with the first one.
    txn->cancelPending = true;
    return true;
  }
  sendCancelNow(*txn);
  return true;
}

void TransactionLayer::Impl::sendCancelNow(ClientTxn& invite) {
  // Calling / Proceeding only (cancel()), so the request is still there.
  sip::Message cancelRequest = buildFollowUp(*invite.request, sip::Method::Cancel,
                                             invite.request->headerValue(sip::HeaderId::To));
  // The CANCEL is a non-INVITE client transaction of its own with the INVITE's branch.
  startClient(std::move(cancelRequest), invite.to, invite.cancelHandler);
}

}  // namespace ccsip::sip::txn
