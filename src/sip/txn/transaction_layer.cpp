#include "sip/txn/transaction_layer.h"

#include <utility>
#include <vector>

#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/txn/transaction_layer_impl.h"
#include "sip/txn/via_routing.h"

namespace ccsip::sip::txn {

TransactionLayer::Impl::Impl(TransactionLayer& owner, std::optional<std::uint64_t> seed)
    : layer(owner), random(seed ? util::Random(*seed) : util::Random()) {}

TransactionLayer::Impl::~Impl() {
  // Pending timers capture this Impl: cancel them so none fires after the layer is gone.
  for (auto& [id, txn] : servers) {
    disarm(txn->trying);
    disarm(txn->retransmit);
    disarm(txn->timeout);
    disarm(txn->end);
  }
  for (auto& [id, txn] : clients) {
    disarm(txn->retransmit);
    disarm(txn->timeout);
    disarm(txn->end);
  }
}

bool TransactionLayer::Impl::send(const transport::Peer& to, std::string_view bytes) {
  if (transport == nullptr) return false;
  return transport->send(to, bytes);
}

TransactionLayer::TransactionLayer(util::TimerService& timers, transport::Transport& transport,
                                   TransactionUser& user, TransactionLayerOptions options)
    : TransactionLayer(timers, std::move(options)) {
  impl_->transport = &transport;
  impl_->user = &user;
}

TransactionLayer::TransactionLayer(util::TimerService& timers, TransactionLayerOptions options)
    : timers_(timers),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>(*this, options_.randomSeed)) {}

TransactionLayer::~TransactionLayer() = default;

void TransactionLayer::setTransport(transport::Transport& transport) {
  impl_->transport = &transport;
}

void TransactionLayer::setTransactionUser(TransactionUser& user) {
  impl_->user = &user;
}

std::size_t TransactionLayer::activeClientTransactions() const {
  return impl_->clients.size();
}
std::size_t TransactionLayer::activeServerTransactions() const {
  return impl_->servers.size();
}

// --- receive path

void TransactionLayer::onMessage(std::string bytes, const transport::Peer& from) {
  if (impl_->transport == nullptr || impl_->user == nullptr) {
    ++counters_.messagesDropped;
    return;
  }
  // RFC 3261 18.3: over UDP the datagram bounds the message; over TCP the framer cut it.
  const sip::Framing framing =
      from.kind == transport::TransportKind::Udp ? sip::Framing::Datagram : sip::Framing::Stream;
  sip::ParseResult parsed = sip::parseMessage(std::move(bytes), framing);
  if (!parsed.ok()) {
    ++counters_.parseErrors;
    impl_->answerUnparsable(parsed.message, *parsed.error, from);
    return;
  }
  if (parsed.message.isRequest()) {
    impl_->receiveRequest(std::move(parsed.message), from);
  } else {
    impl_->receiveResponse(std::move(parsed.message), from);
  }
}

void TransactionLayer::Impl::answerUnparsable(sip::Message& request, const sip::ParseError& error,
                                              const transport::Peer& from) {
  // RFC 3261 8.2 / RFC 4475: answer what can be answered (never an ACK, RFC 3261 17: ACK gets
  // no response); responses and hopeless requests are dropped.
  if (error.drop || !request.isRequest() || request.method() == sip::Method::Ack ||
      !request.canBuildResponse() || error.status < 300 || error.status > 699) {
    ++counters().messagesDropped;
    return;
  }
  addReceivedParams(request, from);
  std::string_view reason =
      error.reason.empty() ? sip::defaultReasonPhrase(error.status) : error.reason;
  const std::string tag = request.to().tag.empty() ? random.tag() : std::string();
  sip::Message response = sip::makeResponse(request, error.status, reason, tag);
  scratch.clear();
  sip::serialize(response, scratch);
  if (send(responseDestinationFor(response, from), scratch)) {
    ++counters().badRequestsAnswered;
  } else {
    ++counters().transportErrors;
  }
}

void TransactionLayer::Impl::receiveRequest(sip::Message request, const transport::Peer& from) {
  const sip::Via* via = request.topVia();
  if (via == nullptr || request.callId().empty()) {
    // The parser rejects these; a message without them cannot be matched or answered.
    ++counters().messagesDropped;
    return;
  }
  switch (request.method()) {
    case sip::Method::Ack:
      handleAck(std::move(request), from);
      return;
    case sip::Method::Cancel:
      handleCancel(std::move(request), from);
      return;
    default:
      break;
  }
  const std::string_view method = keyMethodName(request.method(), request.methodName());
  if (ServerTxn* txn = matchServer(request, method)) {
    if (txn->cseq == request.cseq().number) {
      handleRetransmission(*txn);
      return;
    }
    // Same branch, another CSeq: not a retransmission but a new request from a client that
    // reuses branches (chan_sip sends every NOTIFY of an MWI subscription with one branch,
    // against RFC 3261 8.1.1.7). The old transaction keeps running but is no longer matched.
    serverKeys.erase(txn->key);
    txn->key.clear();
    txn->unkeyed = true;
  }
  ServerTxn* txn = createServer(std::move(request), from);
  const std::uint64_t id = txn->id;
  // The validator and the TU read the transaction's request (and may answer from inside the
  // call): it stays until they return, then goes if the answer was final.
  delivering.push_back(id);
  const sip::Message& received = *txn->request;
  const transport::Peer& peer = txn->peer;
  std::optional<sip::Message> rejection;
  if (layer.options_.validator != nullptr) {
    rejection = layer.options_.validator->validate(received, peer);
  }
  if (rejection) {
    respond(id, std::move(*rejection));
  } else {
    user->onRequest(serverHandle(id), received, peer);
  }
  delivering.pop_back();
  if (delivering.empty()) endedWhileDelivering.clear();
  if (ServerTxn* done = findServer(id)) slimServer(*done);
}

void TransactionLayer::Impl::receiveResponse(sip::Message response, const transport::Peer& from) {
  const sip::Via* via = response.topVia();
  if (via == nullptr) {
    ++counters().messagesDropped;
    return;
  }
  // RFC 3261 17.1.3: branch of the top Via and CSeq method.
  const std::string key =
      clientKey(via->branch, keyMethodName(response.cseq().method, response.cseq().methodText));
  auto it = clientKeys.find(key);
  if (it == clientKeys.end()) {
    ++counters().strayResponses;
    user->onStrayResponse(response, from);
    return;
  }
  ClientTxn* txn = findClient(it->second);
  if (txn == nullptr) return;
  clientResponse(*txn, std::move(response));
}

void TransactionLayer::onTransportError(const transport::TransportError& error) {
  std::vector<std::uint64_t> failed;
  for (const auto& [id, txn] : impl_->clients) {
    const bool waiting = txn->state == ClientTransactionState::Calling ||
                         txn->state == ClientTransactionState::Trying ||
                         txn->state == ClientTransactionState::Proceeding;
    if (!waiting || txn->to.kind != error.peer.kind) continue;
    const bool sameConnection =
        error.peer.connectionId != 0 && txn->to.connectionId == error.peer.connectionId;
    if (sameConnection || txn->to.remote == error.peer.remote) failed.push_back(id);
  }
  // Callbacks may start or end transactions: collect first, then fail one by one.
  for (std::uint64_t id : failed) {
    ++counters_.transportErrors;
    impl_->onSendFailure(id);
  }
}

// --- client side entry points

ClientTransactionHandle TransactionLayer::sendRequest(sip::Message request,
                                                      const transport::Peer& to,
                                                      ClientTransactionHandler& handler) {
  return impl_->startClient(std::move(request), to, &handler);
}

bool TransactionLayer::sendCancel(const ClientTransactionHandle& invite,
                                  ClientTransactionHandler* handler) {
  if (invite.layer_ != this) return false;
  return impl_->cancel(invite.id(), handler);
}

// --- stateless

bool TransactionLayer::sendStateless(sip::Message& message, const transport::Peer& to) {
  if (message.isRequest()) impl_->ensureVia(message, to);
  impl_->scratch.clear();
  sip::serialize(message, impl_->scratch);
  if (!impl_->send(to, impl_->scratch)) {
    ++counters_.transportErrors;
    return false;
  }
  ++counters_.statelessSent;
  return true;
}

bool TransactionLayer::sendStatelessResponse(const sip::Message& response,
                                             const transport::Peer& requestFrom) {
  impl_->scratch.clear();
  sip::serialize(response, impl_->scratch);
  if (!impl_->send(responseDestinationFor(response, requestFrom), impl_->scratch)) {
    ++counters_.transportErrors;
    return false;
  }
  ++counters_.statelessSent;
  return true;
}

transport::Peer TransactionLayer::responseDestination(const sip::Message& response,
                                                      const transport::Peer& requestFrom) {
  return responseDestinationFor(response, requestFrom);
}

// --- handles

bool ServerTransactionHandle::valid() const {
  return layer_ != nullptr && layer_->impl_->findServer(id_) != nullptr;
}

ServerTransactionState ServerTransactionHandle::state() const {
  const ServerTxn* txn = layer_ != nullptr ? layer_->impl_->findServer(id_) : nullptr;
  return txn != nullptr ? txn->state : ServerTransactionState::Terminated;
}

const sip::Message* ServerTransactionHandle::request() const {
  const ServerTxn* txn = layer_ != nullptr ? layer_->impl_->findServer(id_) : nullptr;
  return txn != nullptr ? txn->request.get() : nullptr;
}

const transport::Peer* ServerTransactionHandle::peer() const {
  const ServerTxn* txn = layer_ != nullptr ? layer_->impl_->findServer(id_) : nullptr;
  return txn != nullptr ? &txn->peer : nullptr;
}

bool ServerTransactionHandle::respond(sip::Message response) const {
  return layer_ != nullptr && layer_->impl_->respond(id_, std::move(response));
}

bool ClientTransactionHandle::valid() const {
  return layer_ != nullptr && layer_->impl_->findClient(id_) != nullptr;
}

ClientTransactionState ClientTransactionHandle::state() const {
  const ClientTxn* txn = layer_ != nullptr ? layer_->impl_->findClient(id_) : nullptr;
  return txn != nullptr ? txn->state : ClientTransactionState::Terminated;
}

const sip::Message* ClientTransactionHandle::request() const {
  const ClientTxn* txn = layer_ != nullptr ? layer_->impl_->findClient(id_) : nullptr;
  return txn != nullptr ? txn->request.get() : nullptr;
}

const transport::Peer* ClientTransactionHandle::peer() const {
  const ClientTxn* txn = layer_ != nullptr ? layer_->impl_->findClient(id_) : nullptr;
  return txn != nullptr ? &txn->to : nullptr;
}

void ClientTransactionHandle::detach() const {
  if (layer_ == nullptr) return;
  if (ClientTxn* txn = layer_->impl_->findClient(id_)) {
    txn->handler = nullptr;
    txn->cancelHandler = nullptr;
  }
}

}  // namespace ccsip::sip::txn
