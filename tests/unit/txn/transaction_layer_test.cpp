// The receive path (transport -> parser -> transactions -> TU) and full round trips between two
// layers over a fake wire.

#include "sip/txn/transaction_layer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

const Peer kAlice = udpPeer("198.51.100.7", 5062);

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(TransactionLayerTest, ReceivedRequestsGetReceivedAndRport) {
  Harness h;
  RequestText text;
  text.method = "OPTIONS";
  text.via = "SIP/2.0/UDP pc33.example.com:5060;rport;branch=z9hG4bKr1";
  h.layer.onMessage(text.str(), kAlice);
  ASSERT_EQ(h.user.requests.size(), 1u);
  sip::Message seen = h.user.requests[0].parse();
  EXPECT_EQ(seen.topVia()->received, "198.51.100.7");
  EXPECT_EQ(seen.topVia()->rport, std::optional<std::uint16_t>(5062));
  ServerTransactionHandle txn = h.user.requests[0].txn;
  EXPECT_EQ(txn.request()->topVia()->received, "198.51.100.7");
  txn.respond(sip::makeResponse(*txn.request(), 200, "OK", "x"));
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to.remote, kAlice.remote) << "RFC 3581: back to the source port";
  sip::Message response = sent[0].parse();
  EXPECT_EQ(response.topVia()->received, "198.51.100.7");
  EXPECT_EQ(response.topVia()->rport, std::optional<std::uint16_t>(5062));
  h.drain();
  EXPECT_TRUE(h.idle());
}

TEST(TransactionLayerTest, StrayAckGetsReceivedToo) {
  Harness h;
  RequestText ack;
  ack.method = "ACK";
  ack.via = "SIP/2.0/UDP pc33.example.com;branch=z9hG4bKack";
  h.layer.onMessage(ack.str(), kAlice);
  ASSERT_EQ(h.user.acks.size(), 1u);
  EXPECT_EQ(h.user.acks[0].parse().topVia()->received, "198.51.100.7");
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_TRUE(h.idle());
}

TEST(TransactionLayerTest, BadVersionGets505WithParserReason) {
  Harness h;
  std::string text = readFile(std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475/badvers.dat");
  ASSERT_FALSE(text.empty());
  h.layer.onMessage(text, udpPeer("192.0.2.50", 5060));
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  sip::Message response = sent[0].parse();
  EXPECT_EQ(response.statusCode(), 505);
  EXPECT_FALSE(response.to().tag.empty());
  EXPECT_EQ(h.layer.counters().badRequestsAnswered, 1u);
  EXPECT_TRUE(h.user.requests.empty());
  EXPECT_TRUE(h.idle()) << "stateless";
}

TEST(TransactionLayerTest, MalformedRequestGets400WithParserReason) {
  Harness h;
  RequestText text;
  text.method = "OPTIONS";
  text.extra = "Max-Forwards: eleven\r\n";  // a second, unparsable Max-Forwards
  auto parsed = sip::parseMessage(text.str());
  ASSERT_FALSE(parsed.ok()) << "the parser accepts a non-numeric Max-Forwards";
  ASSERT_TRUE(parsed.message.canBuildResponse());
  h.layer.onMessage(text.str(), kAlice);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  sip::Message response = sent[0].parse();
  EXPECT_EQ(response.statusCode(), parsed.error->status);
  EXPECT_EQ(response.reasonPhrase(), parsed.error->reason);
  EXPECT_FALSE(response.reasonPhrase().empty());
  EXPECT_EQ(sent[0].to.remote, addr("198.51.100.7", 5060));
}

TEST(TransactionLayerTest, MalformedAckIsNeverAnswered) {
  Harness h;
  RequestText text;
  text.method = "ACK";
  text.extra = "Max-Forwards: eleven\r\n";
  h.layer.onMessage(text.str(), kAlice);
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_TRUE(h.user.acks.empty());
  EXPECT_EQ(h.layer.counters().messagesDropped, 1u);
}

TEST(TransactionLayerTest, GarbageAndBadResponsesAreDropped) {
  Harness h;
  h.layer.onMessage("\x01\x02 not sip at all", kAlice);
  h.layer.onMessage("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK1\r\nCSeq: nope\r\n\r\n",
                    kAlice);
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_TRUE(h.user.strays.empty());
  EXPECT_EQ(h.layer.counters().parseErrors, 2u);
  EXPECT_EQ(h.layer.counters().messagesDropped, 2u);
}

TEST(TransactionLayerTest, TortureMessagesNeverLeakOrCrash) {
  Harness h;
  const std::filesystem::path dir = std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".dat") continue;
    ++files;
    h.layer.onMessage(readFile(entry.path()), kAlice);
  }
  EXPECT_GT(files, 40);
  for (const ReceivedRequest& r : h.user.requests) {
    if (r.txn.valid() && r.txn.request()->method() != sip::Method::Ack) {
      r.txn.respond(sip::makeResponse(*r.txn.request(), 500, "Server Error", "t"));
    }
  }
  h.drain();
  EXPECT_TRUE(h.idle());
}

TEST(TransactionLayerTest, NothingHappensBeforeWiring) {
  util::ManualTimerService clock;
  TransactionLayer layer(clock);
  layer.onMessage(RequestText{}.str(), kAlice);
  EXPECT_EQ(layer.activeTransactions(), 0u);
  EXPECT_EQ(layer.counters().messagesDropped, 1u);
  FakeTransport wire;
  RecordingUser user;
  layer.setTransport(wire);
  layer.setTransactionUser(user);
  layer.onMessage(RequestText{}.str(), kAlice);
  EXPECT_EQ(user.requests.size(), 1u);
  user.requests[0].txn.respond(sip::makeResponse(*user.requests[0].txn.request(), 404, "NF", "t"));
  clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(layer.activeTransactions(), 0u);
}

TEST(TransactionLayerTest, DestroyingTheLayerCancelsItsTimers) {
  util::ManualTimerService clock;
  FakeTransport wire;
  RecordingUser user;
  RecordingHandler handler;
  {
    TransactionLayer layer(clock, wire, user);
    layer.sendRequest(outgoingRequest(sip::Method::Invite), udpPeer("203.0.113.5", 5060), handler);
    layer.onMessage(RequestText{}.str(), kAlice);
    EXPECT_GT(clock.pending(), 0u);
  }
  EXPECT_EQ(clock.pending(), 0u);
  clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(handler.timeouts, 0);
}

// Two layers (a UAC and a UAS) joined by a fake wire that delivers on demand.
struct Pair {
  Pair() {
    uacWire.local = addr("192.0.2.1", 5060);
    uasWire.local = addr("192.0.2.2", 5060);
  }
  // Delivers everything each side sent to the other, until both are quiet.
  void pump() {
    for (bool any = true; any;) {
      any = false;
      for (Sent& s : uacWire.take()) {
        uas.onMessage(std::move(s.bytes), udpPeer("192.0.2.1", 5060));
        any = true;
      }
      for (Sent& s : uasWire.take()) {
        uac.onMessage(std::move(s.bytes), udpPeer("192.0.2.2", 5060));
        any = true;
      }
    }
  }
  util::ManualTimerService clock;
  FakeTransport uacWire, uasWire;
  RecordingUser uacUser, uasUser;
  TransactionLayer uac{clock, uacWire, uacUser};
  TransactionLayer uas{clock, uasWire, uasUser};
  RecordingHandler handler;
};

TEST(TransactionLayerTest, RoundTripInviteRingingOkAck) {
  Pair p;
  p.uasUser.onRequestHook = [](const ServerTransactionHandle& txn, const sip::Message& request) {
    txn.respond(sip::makeResponse(request, 180, "Ringing", "uas1"));
    txn.respond(sip::makeResponse(request, 200, "OK", "uas1"));
  };
  ClientTransactionHandle txn = p.uac.sendRequest(outgoingRequest(sip::Method::Invite),
                                                  udpPeer("192.0.2.2", 5060), p.handler);
  p.handler.onResponseHook = [&](const ClientTransactionHandle&, const sip::Message& response) {
    if (response.statusCode() != 200) return;
    sip::Message ack = outgoingRequest(sip::Method::Ack);
    ack.setToTag(response.to().tag);
    p.uac.sendStateless(ack, udpPeer("192.0.2.2", 5060));
  };
  p.pump();
  EXPECT_EQ(p.handler.statuses, (std::vector<int>{180, 200}));
  ASSERT_EQ(p.uasUser.acks.size(), 1u);
  EXPECT_EQ(txn.state(), ClientTransactionState::Accepted);
  p.clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(p.uac.activeTransactions(), 0u);
  EXPECT_EQ(p.uas.activeTransactions(), 0u);
  EXPECT_EQ(p.clock.pending(), 0u);
}

TEST(TransactionLayerTest, RoundTripCancel) {
  Pair p;
  p.uasUser.onRequestHook = [](const ServerTransactionHandle& txn, const sip::Message& request) {
    txn.respond(sip::makeResponse(request, 180, "Ringing", "uas1"));
  };
  p.uasUser.onCancelHook = [](const ServerTransactionHandle& invite, const sip::Message&) {
    invite.respond(sip::makeResponse(*invite.request(), 487, "Request Terminated", "uas1"));
  };
  ClientTransactionHandle txn = p.uac.sendRequest(outgoingRequest(sip::Method::Invite),
                                                  udpPeer("192.0.2.2", 5060), p.handler);
  EXPECT_TRUE(p.uac.sendCancel(txn));
  p.pump();
  EXPECT_EQ(p.handler.statuses, (std::vector<int>{180, 487}));
  EXPECT_EQ(p.uasUser.cancels.size(), 1u);
  EXPECT_TRUE(p.uasUser.acks.empty()) << "the ACK for 487 is absorbed by the server transaction";
  p.clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(p.uac.activeTransactions() + p.uas.activeTransactions(), 0u);
  EXPECT_EQ(p.clock.pending(), 0u);
}

}  // namespace
}  // namespace ccsip::sip::txn::test
