// Finished transactions keep only what RFC 3261 17 still asks of them: a Completed non-INVITE
// server transaction its key and serialized final response (17.2.2), a client transaction with
// its final response its key (17.1.2.2 Timer K) and, for a 3xx-6xx to INVITE, its serialized ACK
// (17.1.1.3). The parsed messages go; the answers on the wire stay the same.

#include <gtest/gtest.h>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

const Peer kSwitch = udpPeer("198.51.100.7", 5060);

// A NOTIFY as chan_sip sends it, body included (the part that made lingering transactions big).
RequestText notifyText() {
  RequestText notify;
  notify.method = "NOTIFY";
  notify.uri = "sip:sipserver@192.0.2.10:5060";
  notify.via = "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK5a1b2c3d";
  notify.from = "<sip:1000@198.51.100.7>;tag=as137441b5";
  notify.to = "<sip:sipserver@192.0.2.10>;tag=sub-tag-1";
  notify.callId = "3848276298220188511@192.0.2.10";
  notify.cseq = 102;
  notify.extra =
      "Contact: <sip:1000@198.51.100.7:5060>\r\n"
      "Event: presence\r\n"
      "Subscription-State: active\r\n";
  return notify;
}

class CompletedTxnTest : public ::testing::Test {
 protected:
  void TearDown() override {
    h.drain();
    EXPECT_TRUE(h.idle());
  }
  Harness h;
};

TEST_F(CompletedTxnTest, RetransmittedNotifyGetsTheIdentical200FromTheSlimmedTransaction) {
  // The TU answers from inside onRequest, as the dialog layer does.
  h.user.onRequestHook = [](const ServerTransactionHandle& txn, const sip::Message& request) {
    sip::Message ok = sip::makeResponse(request, 200, "OK");
    ok.addHeader(sip::HeaderId::Contact, "<sip:sipserver@192.0.2.10:5060>");
    EXPECT_TRUE(txn.respond(std::move(ok)));
    // RFC 3261 17.2.2: the request the TU is handed stays readable until onRequest returns.
    EXPECT_EQ(request.method(), sip::Method::Notify);
    EXPECT_EQ(request.headerValue(sip::HeaderId::Event), "presence");
    EXPECT_NE(txn.request(), nullptr);
  };
  const std::string notify = notifyText().str();
  h.layer.onMessage(notify, kSwitch);
  ASSERT_EQ(h.user.requests.size(), 1u);
  const ServerTransactionHandle txn = h.user.requests[0].txn;
  EXPECT_EQ(txn.state(), ServerTransactionState::Completed);
  EXPECT_EQ(txn.request(), nullptr) << "Completed keeps the serialized 200, not the NOTIFY";
  auto first = h.wire.take();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].status(), 200);

  // Retransmissions (Timer E of the switch: 500 ms, 1 s, 2 s, 4 s, ...) all get the same bytes,
  // to the same place, until Timer J.
  for (const auto at : {500ms, 1000ms, 2000ms, 4000ms, 24000ms}) {
    h.clock.advance(at);
    h.layer.onMessage(notify, kSwitch);
    auto again = h.wire.take();
    ASSERT_EQ(again.size(), 1u) << "after " << at.count() << " ms more";
    EXPECT_EQ(again[0].bytes, first[0].bytes);
    EXPECT_EQ(again[0].to.remote, first[0].to.remote);
  }
  EXPECT_EQ(h.user.requests.size(), 1u) << "a retransmission never reaches the TU";
  EXPECT_EQ(h.layer.counters().retransmissionsAbsorbed, 5u);
  EXPECT_EQ(h.layer.counters().retransmissionsSent, 5u);

  // The next NOTIFY of the dialog (chan_sip reuses the branch with CSeq 103) is a new request.
  RequestText next = notifyText();
  next.cseq = 103;
  h.layer.onMessage(next.str(), kSwitch);
  EXPECT_EQ(h.user.requests.size(), 2u);

  // Timer J = 64*T1 from the 200.
  h.clock.advance(32000ms - 500ms - 1000ms - 2000ms - 4000ms - 24000ms - 1ms);
  EXPECT_TRUE(txn.valid());
  h.clock.advance(1ms);
  EXPECT_FALSE(txn.valid());
}

TEST_F(CompletedTxnTest, AnswerLaterFromTheHandleAlsoSlims) {
  h.layer.onMessage(notifyText().str(), kSwitch);
  const ServerTransactionHandle txn = h.user.requests[0].txn;
  ASSERT_NE(txn.request(), nullptr) << "kept while the TU has not answered";
  txn.respond(sip::makeResponse(*txn.request(), 100, "Trying"));
  ASSERT_NE(txn.request(), nullptr) << "kept in Proceeding";
  txn.respond(sip::makeResponse(*txn.request(), 489, "Bad Event", "t1"));
  EXPECT_EQ(txn.request(), nullptr);
  const std::string final = h.wire.take().back().bytes;
  h.layer.onMessage(notifyText().str(), kSwitch);
  auto again = h.wire.take();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].bytes, final);
}

TEST_F(CompletedTxnTest, OverTcpTheRequestOutlivesTheTransactionUntilOnRequestReturns) {
  // RFC 3261 17.2.2: Timer J is 0 over TCP, so the 200 ends the transaction inside onRequest.
  bool checked = false;
  h.user.onRequestHook = [&](const ServerTransactionHandle& txn, const sip::Message& request) {
    EXPECT_TRUE(txn.respond(sip::makeResponse(request, 200, "OK")));
    EXPECT_FALSE(txn.valid());
    // Still readable (the sanitizers check it): the dialog layer goes on with the NOTIFY body.
    EXPECT_EQ(request.callId(), "3848276298220188511@192.0.2.10");
    EXPECT_EQ(request.headerValue(sip::HeaderId::Event), "presence");
    checked = true;
  };
  h.layer.onMessage(notifyText().str(), tcpPeer("198.51.100.7", 40000, 7));
  EXPECT_TRUE(checked);
  EXPECT_EQ(h.layer.activeServerTransactions(), 0u);
  EXPECT_EQ(h.wire.take().size(), 1u);
}

TEST_F(CompletedTxnTest, InviteKeepsItsRequestUntilConfirmed) {
  RequestText invite;
  h.layer.onMessage(invite.str(), kSwitch);
  const ServerTransactionHandle txn = h.user.requests[0].txn;
  txn.respond(sip::makeResponse(*txn.request(), 486, "Busy Here", "b1"));
  // Completed: Timer G resends the 486, and a Timer H failure names the request to the TU.
  EXPECT_NE(txn.request(), nullptr);
  RequestText ack = invite;
  ack.method = "ACK";
  ack.to = invite.to + ";tag=b1";
  h.layer.onMessage(ack.str(), kSwitch);
  EXPECT_EQ(txn.state(), ServerTransactionState::Confirmed);
  EXPECT_EQ(txn.request(), nullptr);
}

TEST_F(CompletedTxnTest, AcceptedInviteKeepsItsRequestForTheTusRetransmissions) {
  RequestText invite;
  h.layer.onMessage(invite.str(), kSwitch);
  const ServerTransactionHandle txn = h.user.requests[0].txn;
  txn.respond(sip::makeResponse(*txn.request(), 200, "OK", "a1"));
  EXPECT_EQ(txn.state(), ServerTransactionState::Accepted);
  // RFC 6026 8.5: the TU retransmits its 2xx through the transaction.
  ASSERT_NE(txn.request(), nullptr);
  EXPECT_TRUE(txn.respond(sip::makeResponse(*txn.request(), 200, "OK", "a1")));
  EXPECT_EQ(h.wire.take().size(), 2u);
  // RFC 6026 8.4: a retransmitted INVITE is absorbed in Accepted (the layer sends nothing).
  h.layer.onMessage(invite.str(), kSwitch);
  EXPECT_TRUE(h.wire.take().empty());
}

class CompletedClientTest : public ::testing::Test {
 protected:
  void TearDown() override {
    h.drain();
    EXPECT_TRUE(h.idle());
  }
  Harness h;
  RecordingHandler handler;
  const Peer to = udpPeer("203.0.113.5", 5060);
};

TEST_F(CompletedClientTest, NonInviteKeepsOnlyItsKeyAndAbsorbsRetransmittedResponses) {
  bool sawRequest = false;
  handler.onResponseHook = [&](const ClientTransactionHandle& txn, const sip::Message&) {
    // The handler of the final response still sees the request (dialogs are built from it).
    sawRequest = txn.request() != nullptr;
  };
  ClientTransactionHandle txn =
      h.layer.sendRequest(outgoingRequest(sip::Method::Subscribe), to, handler);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  h.layer.onMessage(responseTo(sent[0], 200), to);
  EXPECT_TRUE(sawRequest);
  EXPECT_EQ(txn.state(), ClientTransactionState::Completed);
  EXPECT_EQ(txn.request(), nullptr);
  // RFC 3261 17.1.2.2: retransmitted 200s are absorbed by the key alone until Timer K (T4).
  h.clock.advance(1s);
  h.layer.onMessage(responseTo(sent[0], 200), to);
  EXPECT_EQ(handler.statuses, (std::vector<int>{200}));
  EXPECT_EQ(h.layer.counters().strayResponses, 0u);
  EXPECT_EQ(h.layer.counters().retransmissionsAbsorbed, 1u);
  EXPECT_TRUE(h.wire.take().empty()) << "no request retransmission after the final response";
  h.clock.advance(4s);
  EXPECT_FALSE(txn.valid());
}

TEST_F(CompletedClientTest, InviteRejectedResendsTheSameAckWithoutItsRequest) {
  ClientTransactionHandle txn =
      h.layer.sendRequest(outgoingRequest(sip::Method::Invite), to, handler);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  h.layer.onMessage(responseTo(sent[0], 486), to);
  EXPECT_EQ(txn.state(), ClientTransactionState::Completed);
  EXPECT_EQ(txn.request(), nullptr);
  auto ack = h.wire.take();
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_EQ(ack[0].method(), sip::Method::Ack);
  // RFC 3261 17.1.1.2: each retransmitted 486 gets the ACK again, byte for byte.
  h.layer.onMessage(responseTo(sent[0], 486), to);
  auto again = h.wire.take();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].bytes, ack[0].bytes);
  EXPECT_EQ(handler.statuses, (std::vector<int>{486}));
}

TEST_F(CompletedClientTest, InviteAcceptedStillPassesEvery2xx) {
  ClientTransactionHandle txn =
      h.layer.sendRequest(outgoingRequest(sip::Method::Invite), to, handler);
  auto sent = h.wire.take();
  h.layer.onMessage(responseTo(sent[0], 200), to);
  EXPECT_EQ(txn.state(), ClientTransactionState::Accepted);
  EXPECT_EQ(txn.request(), nullptr);
  // RFC 6026 7.2: 2xx retransmissions (and forks) go to the TU, which ACKs each.
  h.layer.onMessage(responseTo(sent[0], 200), to);
  h.layer.onMessage(responseTo(sent[0], 200, "fork2"), to);
  EXPECT_EQ(handler.statuses, (std::vector<int>{200, 200, 200}));
  EXPECT_FALSE(h.layer.sendCancel(txn)) << "no CANCEL after a final response";
}

}  // namespace
}  // namespace ccsip::sip::txn::test
