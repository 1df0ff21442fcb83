// Micro benchmarks of the transaction layer: one complete transaction per iteration, in memory.
// A UAC layer and a UAS layer exchange bytes over a fake wire (parse + serialize on each hop, as
// on a real socket), and the fake clock then runs every remaining timer (K/J, L/M, D/I), so
// each iteration pays for the whole life of the transactions, timers included.
#include <benchmark/benchmark.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "sip/message.h"
#include "sip/serializer.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_layer.h"
#include "util/timer_service.h"

namespace {

using namespace ccsip;
using sip::transport::Address;
using sip::transport::Peer;
using sip::transport::TransportKind;

Peer udpPeer(const char* ip) {
  Peer peer;
  peer.kind = TransportKind::Udp;
  peer.remote = Address{boost::asio::ip::make_address(ip), 5060};
  return peer;
}

// Keeps what a layer sends until the other side takes it.
class Wire final : public sip::transport::Transport {
 public:
  explicit Wire(const char* ip) : local_{boost::asio::ip::make_address(ip), 5060} {}
  bool send(const Peer&, std::string_view bytes) override {
    queue.emplace_back(bytes);
    return true;
  }
  Address localAddress(TransportKind) const override { return local_; }
  std::vector<std::string> queue;

 private:
  Address local_;
};

// UAS: answers every request at once with `status` (INVITE: 180 first when ringing is set).
class Uas final : public sip::txn::TransactionUser {
 public:
  void onRequest(const sip::txn::ServerTransactionHandle& txn, const sip::Message& request,
                 const Peer&) override {
    if (request.method() == sip::Method::Invite && ringing) {
      txn.respond(sip::makeResponse(request, 180, "Ringing", "uas-tag"));
    }
    txn.respond(sip::makeResponse(request, status, sip::defaultReasonPhrase(status), "uas-tag"));
  }
  void onAck(const sip::Message&, const Peer&, const sip::txn::ServerTransactionHandle&) override {
    ++acks;
  }
  void onCancel(const sip::txn::ServerTransactionHandle&, const sip::Message&) override {}
  void onStrayResponse(const sip::Message&, const Peer&) override {}
  int status = 200;
  bool ringing = false;
  long acks = 0;
};

// UAC TU: ACKs a 2xx statelessly, as the dialog layer does.
class Uac final : public sip::txn::TransactionUser, public sip::txn::ClientTransactionHandler {
 public:
  void onRequest(const sip::txn::ServerTransactionHandle&, const sip::Message&,
                 const Peer&) override {}
  void onAck(const sip::Message&, const Peer&, const sip::txn::ServerTransactionHandle&) override {}
  void onCancel(const sip::txn::ServerTransactionHandle&, const sip::Message&) override {}
  void onStrayResponse(const sip::Message&, const Peer&) override {}

  void onResponse(const sip::txn::ClientTransactionHandle& txn,
                  const sip::Message& response) override {
    ++responses;
    if (response.statusCode() / 100 == 2 && txn.request()->method() == sip::Method::Invite) {
      sip::Message ack =
          sip::Message::makeRequest(sip::Method::Ack, txn.request()->requestUri().text);
      ack.addHeader(sip::HeaderId::MaxForwards, "70");
      ack.addHeader(sip::HeaderId::From, txn.request()->headerValue(sip::HeaderId::From));
      ack.addHeader(sip::HeaderId::To, response.headerValue(sip::HeaderId::To));
      ack.addHeader(sip::HeaderId::CallId, txn.request()->callId());
      ack.addHeader(sip::HeaderId::CSeq, std::to_string(txn.request()->cseq().number) + " ACK");
      layer->sendStateless(ack, *txn.peer());
    }
  }
  void onTimeout(const sip::txn::ClientTransactionHandle&) override { ++failures; }
  void onTransportError(const sip::txn::ClientTransactionHandle&) override { ++failures; }

  sip::txn::TransactionLayer* layer = nullptr;
  long responses = 0;
  long failures = 0;
};

struct Bench {
  Bench() { uac.layer = &client; }
  // Delivers every queued message to the other side until both are quiet.
  void pump() {
    while (!clientWire.queue.empty() || !serverWire.queue.empty()) {
      std::vector<std::string> toServer;
      toServer.swap(clientWire.queue);
      for (std::string& bytes : toServer) server.onMessage(std::move(bytes), clientPeer);
      std::vector<std::string> toClient;
      toClient.swap(serverWire.queue);
      for (std::string& bytes : toClient) client.onMessage(std::move(bytes), serverPeer);
    }
  }
  sip::Message request(sip::Method method) const {
    sip::Message r = sip::Message::makeRequest(method, "sip:8000@192.0.2.2:5060");
    r.addHeader(sip::HeaderId::From, "<sip:2000@192.0.2.1:5060>;tag=as018c1714");
    r.addHeader(sip::HeaderId::To, "<sip:8000@192.0.2.2:5060>");
    r.addHeader(sip::HeaderId::Contact, "<sip:2000@192.0.2.1:5060>");
    r.addHeader(sip::HeaderId::CallId, "601c92114a50658915a5dd3a7af290b1@192.0.2.1");
    r.addHeader(sip::HeaderId::CSeq, std::string("102 ") + std::string(sip::methodName(method)));
    r.addHeader(sip::HeaderId::UserAgent, "ccsip-bench");
    return r;
  }
  void run(benchmark::State& state, sip::Method method) {
    for (auto _ : state) {
      client.sendRequest(request(method), serverPeer, uac);
      pump();
      // Every timer of both transactions runs out (the longest is Timer D, 32 s).
      clock.advance(std::chrono::seconds(33));
    }
    if (client.activeTransactions() != 0 || server.activeTransactions() != 0 || uac.failures != 0) {
      state.SkipWithError("transactions leaked or failed");
    }
    state.counters["responses/iter"] = benchmark::Counter(static_cast<double>(uac.responses) /
                                                          static_cast<double>(state.iterations()));
  }

  util::ManualTimerService clock;
  Wire clientWire{"192.0.2.1"};
  Wire serverWire{"192.0.2.2"};
  Peer clientPeer = udpPeer("192.0.2.1");
  Peer serverPeer = udpPeer("192.0.2.2");
  Uac uac;
  Uas uas;
  sip::txn::TransactionLayer client{clock, clientWire, uac};
  sip::txn::TransactionLayer server{clock, serverWire, uas};
};

// OPTIONS -> 200: non-INVITE client + server transactions, Timers E/F/K/J.
void BM_NonInviteRoundTrip(benchmark::State& state) {
  Bench bench;
  bench.run(state, sip::Method::Options);
}
BENCHMARK(BM_NonInviteRoundTrip);

// INVITE -> 180 -> 200 -> ACK (stateless, to the UAS TU): RFC 6026 Accepted on both sides.
void BM_InviteRoundTrip(benchmark::State& state) {
  Bench bench;
  bench.uas.ringing = true;
  bench.run(state, sip::Method::Invite);
}
BENCHMARK(BM_InviteRoundTrip);

// INVITE -> 486 -> ACK (generated by the client transaction, absorbed by the server one).
void BM_InviteRejectedRoundTrip(benchmark::State& state) {
  Bench bench;
  bench.uas.status = 486;
  bench.run(state, sip::Method::Invite);
}
BENCHMARK(BM_InviteRejectedRoundTrip);

}  // namespace

BENCHMARK_MAIN();
