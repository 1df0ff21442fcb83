#pragma once

// Test support for the dialog-usage tests: an in-memory wire between endpoints (each one a real
// TransactionLayer + UserAgentCore), a scripted raw peer, and recording handlers. All endpoints
// share one ManualTimerService, so protocol timers run without sleeping.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sip/dialog/invite_session.h"
#include "sip/dialog/notifier.h"
#include "sip/dialog/subscription.h"
#include "sip/dialog/user_agent_core.h"
#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/transport/transport.h"
#include "sip/txn/transaction_layer.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog::usage_test {

using namespace std::chrono_literals;
using transport::Address;
using transport::Peer;

inline Address address(std::uint16_t port) {
  return Address{boost::asio::ip::make_address("127.0.0.1"), port};
}

// "INVITE", "ACK", "200/INVITE", "487/INVITE": what a packet is, for the wire log.
inline std::string summary(const Message& message) {
  if (message.isRequest()) return std::string(message.methodName());
  return std::to_string(message.statusCode()) + "/" + std::string(message.cseq().methodText);
}

// Carries datagrams between sinks by destination address. Sending only queues; pump() delivers,
// so a callback never re-enters the other stack from inside a send (as on a real network), and
// messages sent "at the same time" really cross.
class Wire {
 public:
  struct Packet {
    Address from;
    Peer to;
    std::string bytes;
    Message parse() const { return parseMessage(bytes).message; }
  };

  void attach(const Address& at, transport::MessageSink& sink, std::string name) {
    sinks_[key(at)] = Sink{&sink, std::move(name)};
  }
  void post(const Address& from, const Peer& to, std::string_view bytes) {
    queue_.push_back(Packet{from, to, std::string(bytes)});
  }
  // Delivers until nothing is in flight. Returns the number of packets delivered.
  std::size_t pump() {
    std::size_t delivered = 0;
    while (!queue_.empty() && delivered < 10000) {
      Packet packet = std::move(queue_.front());
      queue_.pop_front();
      const Message parsed = packet.parse();
      const std::string who = nameOf(packet.from) + ":" + summary(parsed);
      if (dropIf && dropIf(packet, parsed)) {
        dropped.push_back(who);
        continue;
      }
      log.push_back(who);
      packets.push_back(packet);
      auto it = sinks_.find(key(packet.to.remote));
      if (it == sinks_.end()) continue;
      Peer from;
      from.kind = packet.to.kind;
      from.remote = packet.from;
      from.local = packet.to.remote;
      ++delivered;
      it->second.sink->onMessage(std::move(packet.bytes), from);
    }
    return delivered;
  }
  std::size_t count(std::string_view entry) const {
    return static_cast<std::size_t>(std::count(log.begin(), log.end(), entry));
  }
  // The last delivered packet whose summary is `entry` (sent by `sender`).
  const Packet* last(std::string_view entry) const {
    for (auto it = packets.rbegin(); it != packets.rend(); ++it) {
      const Message parsed = it->parse();
      if (nameOf(it->from) + ":" + summary(parsed) == entry) return &*it;
    }
    return nullptr;
  }
  void clearLog() {
    log.clear();
    packets.clear();
    dropped.clear();
  }

  std::function<bool(const Packet&, const Message&)> dropIf;
  std::vector<std::string> log;  // "uac:INVITE", "uas:200/INVITE", ...
  std::vector<std::string> dropped;
  std::vector<Packet> packets;

 private:
  struct Sink {
    transport::MessageSink* sink = nullptr;
    std::string name;
  };
  static std::string key(const Address& a) { return transport::toString(a); }
  std::string nameOf(const Address& a) const {
    auto it = sinks_.find(key(a));
    return it == sinks_.end() ? key(a) : it->second.name;
  }
  std::map<std::string, Sink> sinks_;
  std::deque<Packet> queue_;
};

class WireTransport final : public transport::Transport {
 public:
  WireTransport(Wire& wire, Address local) : wire_(wire), local_(local) {}
  bool send(const Peer& to, std::string_view bytes) override {
    wire_.post(local_, to, bytes);
    return true;
  }
  Address localAddress(transport::TransportKind) const override { return local_; }

 private:
  Wire& wire_;
  Address local_;
};

inline std::string contactOf(std::string_view user, std::uint16_t port) {
  return "<sip:" + std::string(user) + "@127.0.0.1:" + std::to_string(port) + ">";
}

// A SIP stack on the wire: transport, transaction layer and UA core.
struct Endpoint {
  Endpoint(Wire& wire, util::ManualTimerService& clock, std::string name, std::uint16_t port,
           UserAgentCoreOptions options = {}, std::uint64_t seed = 1)
      : transport(wire, address(port)),
        layer(clock, txn::TransactionLayerOptions{{}, nullptr, seed}),
        core(layer, clock, withDefaults(std::move(options), name, port, seed)) {
    layer.setTransport(transport);
    layer.setTransactionUser(core);
    wire.attach(address(port), layer, std::move(name));
  }
  static UserAgentCoreOptions withDefaults(UserAgentCoreOptions options, std::string_view name,
                                           std::uint16_t port, std::uint64_t seed) {
    if (options.contact.empty()) options.contact = contactOf(name, port);
    if (!options.randomSeed) options.randomSeed = seed + 100;
    return options;
  }
  // Every dialog, usage and transaction gone.
  bool idle() const {
    return core.dialogCount() == 0 && core.usageCount() == 0 && layer.activeTransactions() == 0;
  }

  WireTransport transport;
  txn::TransactionLayer layer;
  UserAgentCore core;
};

// A peer scripted by the test: records what arrives, sends what the test writes.
class RawPeer final : public transport::MessageSink {
 public:
  RawPeer(Wire& wire, std::string name, std::uint16_t port) : wire_(wire), local_(address(port)) {
    wire.attach(local_, *this, std::move(name));
  }
  void onMessage(std::string bytes, const Peer& from) override {
    received.push_back(Received{parseMessage(std::move(bytes)).message, from});
  }
  void send(const Message& message, std::uint16_t toPort) {
    Peer to;
    to.remote = address(toPort);
    wire_.post(local_, to, toString(message));
  }
  void sendText(std::string_view text, std::uint16_t toPort) {
    Peer to;
    to.remote = address(toPort);
    wire_.post(local_, to, text);
  }
  // The last received request of `method` (nullptr if none).
  const Message* lastRequest(Method method) const {
    for (auto it = received.rbegin(); it != received.rend(); ++it) {
      if (it->message.isRequest() && it->message.method() == method) return &it->message;
    }
    return nullptr;
  }
  const Message* lastResponse(Method method) const {
    for (auto it = received.rbegin(); it != received.rend(); ++it) {
      if (it->message.isResponse() && it->message.cseq().method == method) return &it->message;
    }
    return nullptr;
  }
  std::size_t countRequests(Method method) const {
    return static_cast<std::size_t>(std::count_if(received.begin(), received.end(), [&](auto& r) {
      return r.message.isRequest() && r.message.method() == method;
    }));
  }

  // Requests of `method` counted once per transaction (retransmissions share the branch).
  std::size_t countTransactions(Method method) const {
    std::vector<std::string> branches;
    for (const auto& r : received) {
      if (!r.message.isRequest() || r.message.method() != method || !r.message.topVia()) continue;
      const std::string branch(r.message.topVia()->branch);
      if (std::find(branches.begin(), branches.end(), branch) == branches.end()) {
        branches.push_back(branch);
      }
    }
    return branches.size();
  }

  struct Received {
    Message message;
    Peer from;
  };
  std::vector<Received> received;

 private:
  Wire& wire_;
  Address local_;
};

// Records InviteSessionHandler callbacks as short strings; hooks let a test answer.
class SessionRecorder final : public InviteSessionHandler {
 public:
  void onProvisional(InviteSession&, const Message& r) override {
    events.push_back("provisional " + std::to_string(r.statusCode()));
  }
  void onEarly(InviteSession&, const Message&) override { events.push_back("early"); }
  void onAnswered(InviteSession&, const Message&) override { events.push_back("answered"); }
  void onOffer(InviteSession& s, const Body& offer) override {
    events.push_back("offer " + offer.content);
    if (offerHook) offerHook(s, offer);
  }
  void onOfferRequired(InviteSession& s) override {
    events.push_back("offer-required");
    if (offerRequiredHook) offerRequiredHook(s);
  }
  void onAnswer(InviteSession&, const Body& answer) override {
    events.push_back("answer " + answer.content);
  }
  void onConfirmed(InviteSession&) override { events.push_back("confirmed"); }
  void onReinviteRejected(InviteSession&, int status) override {
    events.push_back("reinvite-rejected " + std::to_string(status));
  }
  void onTerminated(InviteSession&, const SessionEnd& end) override {
    events.push_back("terminated " + std::string(toString(end.reason)) + " " +
                     std::to_string(end.status));
    ++terminations;
  }
  bool has(std::string_view event) const {
    return std::find(events.begin(), events.end(), event) != events.end();
  }
  std::size_t count(std::string_view event) const {
    return static_cast<std::size_t>(std::count(events.begin(), events.end(), event));
  }

  std::vector<std::string> events;
  int terminations = 0;
  std::function<void(InviteSession&, const Body&)> offerHook;
  std::function<void(InviteSession&)> offerRequiredHook;
};

// Adopts every incoming session with one recorder; optional hook to answer at once.
class IncomingRecorder final : public IncomingSessionHandler {
 public:
  InviteSessionHandler* onNewSession(const std::shared_ptr<InviteSession>& session,
                                     const Message& invite) override {
    sessions.push_back(session);
    if (newSessionHook) newSessionHook(*session, invite);
    return &recorder;
  }
  std::shared_ptr<InviteSession> last() const {
    return sessions.empty() ? nullptr : sessions.back();
  }
  SessionRecorder recorder;
  std::vector<std::shared_ptr<InviteSession>> sessions;
  std::function<void(InviteSession&, const Message&)> newSessionHook;
};

inline Body sdp(std::string text) {
  return Body{"application/sdp", std::move(text)};
}

}  // namespace ccsip::sip::dialog::usage_test
