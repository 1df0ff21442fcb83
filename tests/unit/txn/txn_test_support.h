#pragma once

// Fakes shared by the transaction-layer tests: a transport that records what is sent, a TU and a
// client handler that record callbacks, and request/response text builders.

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_layer.h"
#include "util/timer_service.h"

namespace ccsip::sip::txn::test {

using transport::Address;
using transport::Peer;
using transport::TransportKind;
using namespace std::chrono_literals;

inline Address addr(std::string_view ip, std::uint16_t port) {
  return Address{boost::asio::ip::make_address(std::string(ip)), port};
}

inline Peer udpPeer(std::string_view ip, std::uint16_t port) {
  Peer peer;
  peer.kind = TransportKind::Udp;
  peer.remote = addr(ip, port);
  peer.local = addr("192.0.2.10", 5060);
  return peer;
}

inline Peer tcpPeer(std::string_view ip, std::uint16_t port, std::uint64_t connection) {
  Peer peer = udpPeer(ip, port);
  peer.kind = TransportKind::Tcp;
  peer.connectionId = connection;
  return peer;
}

struct Sent {
  Peer to;
  std::string bytes;
  sip::Message parse() const {
    auto result = sip::parseMessage(
        bytes, to.kind == TransportKind::Udp ? sip::Framing::Datagram : sip::Framing::Stream);
    return std::move(result.message);
  }
  int status() const { return parse().statusCode(); }
  sip::Method method() const { return parse().method(); }
};

class FakeTransport final : public transport::Transport {
 public:
  bool send(const Peer& to, std::string_view bytes) override {
    if (fail) return false;
    sent.push_back(Sent{to, std::string(bytes)});
    return true;
  }
  Address localAddress(TransportKind) const override { return local; }

  std::vector<Sent> take() {
    std::vector<Sent> out;
    out.swap(sent);
    return out;
  }

  std::vector<Sent> sent;
  bool fail = false;
  Address local = addr("192.0.2.10", 5060);
};

struct ReceivedRequest {
  ServerTransactionHandle txn;
  std::string text;  // the request as the TU saw it, serialized
  Peer from;
  sip::Message parse() const { return sip::parseMessage(text).message; }
};

class RecordingUser final : public TransactionUser {
 public:
  void onRequest(const ServerTransactionHandle& txn, const sip::Message& request,
                 const Peer& from) override {
    requests.push_back({txn, sip::toString(request), from});
    if (onRequestHook) onRequestHook(txn, request);
  }
  void onAck(const sip::Message& ack, const Peer& from,
             const ServerTransactionHandle& invite) override {
    acks.push_back({invite, sip::toString(ack), from});
  }
  void onCancel(const ServerTransactionHandle& invite, const sip::Message& cancel) override {
    cancels.push_back({invite, sip::toString(cancel), {}});
    if (onCancelHook) onCancelHook(invite, cancel);
  }
  void onStrayResponse(const sip::Message& response, const Peer& from) override {
    strays.push_back({{}, sip::toString(response), from});
  }
  void onServerTransactionFailure(const ServerTransactionHandle& txn,
                                  TransactionFailure failure) override {
    failures.push_back(failure);
    EXPECT_TRUE(txn.valid());
  }

  std::vector<ReceivedRequest> requests;
  std::vector<ReceivedRequest> acks;
  std::vector<ReceivedRequest> cancels;
  std::vector<ReceivedRequest> strays;
  std::vector<TransactionFailure> failures;
  std::function<void(const ServerTransactionHandle&, const sip::Message&)> onRequestHook;
  std::function<void(const ServerTransactionHandle&, const sip::Message&)> onCancelHook;
};

class RecordingHandler final : public ClientTransactionHandler {
 public:
  void onResponse(const ClientTransactionHandle& txn, const sip::Message& response) override {
    statuses.push_back(response.statusCode());
    if (onResponseHook) onResponseHook(txn, response);
  }
  void onTimeout(const ClientTransactionHandle&) override { ++timeouts; }
  void onTransportError(const ClientTransactionHandle&) override { ++transportErrors; }
  void onTerminated(const ClientTransactionHandle& txn) override {
    ++terminated;
    EXPECT_TRUE(txn.valid());
  }

  std::vector<int> statuses;
  int timeouts = 0;
  int transportErrors = 0;
  int terminated = 0;
  std::function<void(const ClientTransactionHandle&, const sip::Message&)> onResponseHook;
};

struct RequestText {
  std::string method = "INVITE";
  std::string uri = "sip:bob@192.0.2.10";
  std::string via = "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds";
  std::string from = "<sip:alice@example.com>;tag=1928301774";
  std::string to = "<sip:bob@example.com>";
  std::string callId = "a84b4c76e66710@pc33.example.com";
  std::uint32_t cseq = 314159;
  std::string cseqMethod;  // defaults to method
  std::string extra;       // extra header lines, each ending in \r\n

  std::string str() const {
    std::string out = method + " " + uri + " SIP/2.0\r\n";
    out += "Via: " + via + "\r\n";
    out += "Max-Forwards: 70\r\n";
    out += "From: " + from + "\r\n";
    out += "To: " + to + "\r\n";
    out += "Call-ID: " + callId + "\r\n";
    out +=
        "CSeq: " + std::to_string(cseq) + " " + (cseqMethod.empty() ? method : cseqMethod) + "\r\n";
    out += extra;
    out += "Content-Length: 0\r\n\r\n";
    return out;
  }
  sip::Message message() const { return sip::parseMessage(str()).message; }
};

// A request the TU sends: no Via (the layer adds it).
inline sip::Message outgoingRequest(sip::Method method, std::string_view callId = "c1@ccsip",
                                    std::uint32_t cseq = 1) {
  sip::Message request = sip::Message::makeRequest(method, "sip:bob@203.0.113.5");
  request.addHeader(sip::HeaderId::From, "<sip:alice@ccsip>;tag=aaa");
  request.addHeader(sip::HeaderId::To, "<sip:bob@203.0.113.5>");
  request.addHeader(sip::HeaderId::CallId, callId);
  request.addHeader(sip::HeaderId::CSeq,
                    std::to_string(cseq) + " " + std::string(sip::methodName(method)));
  return request;
}

// The response a remote UAS would send for a request as it went on the wire.
inline std::string responseTo(const Sent& request, int status, std::string_view toTag = "bbb") {
  sip::Message parsed = request.parse();
  return sip::toString(sip::makeResponse(parsed, status, sip::defaultReasonPhrase(status),
                                         status == 100 ? std::string_view() : toTag));
}

// Everything a test builds around one layer.
struct Harness {
  explicit Harness(TransactionLayerOptions options = {}) : layer(clock, wire, user, options) {}
  util::ManualTimerService clock;
  FakeTransport wire;
  RecordingUser user;
  TransactionLayer layer;

  // Runs every timer to the end (after Timer D, the longest, 32 s).
  void drain() { clock.advance(std::chrono::minutes(5)); }
  bool idle() const { return layer.activeTransactions() == 0 && clock.pending() == 0; }
};

}  // namespace ccsip::sip::txn::test
