// RFC 3261 17.1 client transactions, RFC 6026 Accepted, 17.1.3 matching, 9.1 CANCEL.

#include <gtest/gtest.h>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

const Peer kBob = udpPeer("203.0.113.5", 5060);

class ClientTxnTest : public ::testing::Test {
 protected:
  ClientTransactionHandle send(sip::Method method, const Peer& to = kBob) {
    return h.layer.sendRequest(outgoingRequest(method), to, handler);
  }
  // Feeds the remote's response to the last request sent (or `request`).
  void reply(const Sent& request, int status, const Peer& from = kBob) {
    h.layer.onMessage(responseTo(request, status), from);
  }
  // Asserts exactly one retransmission happens `at` ms after the previous one.
  void expectRetransmissionAfter(int ms) {
    h.clock.advance(util::Duration(ms - 1));
    EXPECT_TRUE(h.wire.sent.empty()) << "early retransmission, expected after " << ms;
    h.clock.advance(1ms);
    EXPECT_EQ(h.wire.take().size(), 1u) << "no retransmission after " << ms;
  }
  void TearDown() override {
    h.drain();
    EXPECT_TRUE(h.idle()) << h.layer.activeClientTransactions() << " client, "
                          << h.layer.activeServerTransactions() << " server left";
  }
  Harness h;
  RecordingHandler handler;
};

TEST_F(ClientTxnTest, AddsViaWithCookieRportAndMaxForwards) {
  ClientTransactionHandle txn = send(sip::Method::Options);
  ASSERT_TRUE(txn.valid());
  EXPECT_EQ(txn.state(), ClientTransactionState::Trying);
  ASSERT_EQ(h.wire.sent.size(), 1u);
  EXPECT_EQ(h.wire.sent[0].to.remote, kBob.remote);
  sip::Message sent = h.wire.sent[0].parse();
  ASSERT_NE(sent.topVia(), nullptr);
  EXPECT_TRUE(sent.topVia()->hasMagicCookie());
  EXPECT_GT(sent.topVia()->branch.size(), 7u);
  EXPECT_TRUE(sent.topVia()->hasRport);
  EXPECT_EQ(sent.topVia()->transport, "UDP");
  EXPECT_EQ(sent.topVia()->host, "192.0.2.10");
  EXPECT_EQ(sent.topVia()->port, 5060);
  EXPECT_EQ(sent.maxForwards(), 70u);
  EXPECT_EQ(h.layer.counters().clientTransactionsCreated, 1u);
}

TEST_F(ClientTxnTest, BranchesAreUnique) {
  send(sip::Method::Options);
  h.layer.sendRequest(outgoingRequest(sip::Method::Options, "c2"), kBob, handler);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].parse().topVia()->branch, sent[1].parse().topVia()->branch);
}

TEST_F(ClientTxnTest, TimerADoublesAndTimerBTimesOut) {
  ClientTransactionHandle txn = send(sip::Method::Invite);
  EXPECT_EQ(txn.state(), ClientTransactionState::Calling);
  h.wire.take();
  // RFC 3261 17.1.1.2: A = T1, doubling (no T2 cap for INVITE): 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
  for (int interval : {500, 1000, 2000, 4000, 8000, 16000}) expectRetransmissionAfter(interval);
  EXPECT_EQ(handler.timeouts, 0);
  h.clock.advance(500ms);  // B = 64*T1 = 32 s
  EXPECT_EQ(handler.timeouts, 1);
  EXPECT_EQ(handler.terminated, 1);
  EXPECT_FALSE(txn.valid());
  EXPECT_EQ(h.layer.counters().clientTimeouts, 1u);
  EXPECT_EQ(h.layer.counters().retransmissionsSent, 6u);
}

TEST_F(ClientTxnTest, TimerECappedAtT2AndTimerF) {
  ClientTransactionHandle txn = send(sip::Method::Options);
  h.wire.take();
  // RFC 3261 17.1.2.2: E = T1, 2T1, 4T1, then T2; F = 64*T1.
  for (int interval : {500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000}) {
    expectRetransmissionAfter(interval);
  }
  EXPECT_EQ(handler.timeouts, 0);
  h.clock.advance(500ms);
  EXPECT_EQ(handler.timeouts, 1);
  EXPECT_FALSE(txn.valid());
}

TEST_F(ClientTxnTest, NonInviteProceedingRetransmitsEveryT2) {
  send(sip::Method::Bye);
  Sent request = h.wire.take()[0];
  h.clock.advance(100ms);
  reply(request, 100);
  EXPECT_EQ(handler.statuses, std::vector<int>{100});
  expectRetransmissionAfter(400);   // the pending E (T1) still fires ...
  expectRetransmissionAfter(4000);  // ... then every T2
  expectRetransmissionAfter(4000);
  reply(request, 200);
  EXPECT_EQ(handler.statuses, (std::vector<int>{100, 200}));
  h.clock.advance(10s);
  EXPECT_TRUE(h.wire.sent.empty());
}

TEST_F(ClientTxnTest, NonInviteCompletedAbsorbsRetransmissionsUntilTimerK) {
  ClientTransactionHandle txn = send(sip::Method::Register);
  Sent request = h.wire.take()[0];
  reply(request, 200);
  EXPECT_EQ(txn.state(), ClientTransactionState::Completed);
  reply(request, 200);
  EXPECT_EQ(handler.statuses, std::vector<int>{200});
  h.clock.advance(4999ms);
  EXPECT_TRUE(txn.valid());
  EXPECT_TRUE(h.wire.sent.empty());
  h.clock.advance(1ms);  // K = T4
  EXPECT_FALSE(txn.valid());
  EXPECT_EQ(handler.terminated, 1);
  EXPECT_TRUE(h.user.strays.empty());
}

TEST_F(ClientTxnTest, InviteProceedingStopsTimersAndNonSuccessIsAcked) {
  ClientTransactionHandle txn = send(sip::Method::Invite);
  Sent invite = h.wire.take()[0];
  reply(invite, 180);
  EXPECT_EQ(txn.state(), ClientTransactionState::Proceeding);
  h.clock.advance(60s);  // neither Timer A nor B in Proceeding
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_EQ(handler.timeouts, 0);
  reply(invite, 486);
  EXPECT_EQ(txn.state(), ClientTransactionState::Completed);
  EXPECT_EQ(handler.statuses, (std::vector<int>{180, 486}));
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  // RFC 3261 17.1.1.3: the ACK repeats the INVITE's Request-URI, top Via, From, Call-ID, CSeq
  // number; To comes from the response.
  sip::Message ack = sent[0].parse();
  sip::Message inv = invite.parse();
  EXPECT_EQ(ack.method(), sip::Method::Ack);
  EXPECT_EQ(ack.requestUri().text, inv.requestUri().text);
  EXPECT_EQ(ack.topVia()->branch, inv.topVia()->branch);
  EXPECT_EQ(ack.vias().size(), 1u);
  EXPECT_EQ(ack.callId(), inv.callId());
  EXPECT_EQ(ack.from().tag, "aaa");
  EXPECT_EQ(ack.to().tag, "bbb");
  EXPECT_EQ(ack.cseq().number, inv.cseq().number);
  EXPECT_EQ(ack.cseq().method, sip::Method::Ack);
  EXPECT_EQ(sent[0].to.remote, kBob.remote);

  reply(invite, 486);  // retransmitted final: ACK again, not to the TU
  sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method(), sip::Method::Ack);
  EXPECT_EQ(handler.statuses.size(), 2u);
  h.clock.advance(31999ms);
  EXPECT_TRUE(txn.valid());
  h.clock.advance(1ms);  // D = 32 s over UDP
  EXPECT_FALSE(txn.valid());
}

TEST_F(ClientTxnTest, InviteAcceptedPassesEvery2xxUntilTimerM) {
  ClientTransactionHandle txn = send(sip::Method::Invite);
  Sent invite = h.wire.take()[0];
  reply(invite, 200);
  EXPECT_EQ(txn.state(), ClientTransactionState::Accepted);
  EXPECT_TRUE(h.wire.sent.empty()) << "the TU ACKs a 2xx, not the transaction";
  reply(invite, 200);  // RFC 6026 7.2: each 2xx to the TU
  EXPECT_EQ(handler.statuses, (std::vector<int>{200, 200}));
  reply(invite, 486);  // not after a 2xx
  EXPECT_EQ(handler.statuses.size(), 2u);
  h.clock.advance(10s);
  EXPECT_TRUE(h.wire.sent.empty()) << "no retransmission once accepted";
  h.clock.advance(22s);  // M = 64*T1
  EXPECT_FALSE(txn.valid());
  reply(invite, 200);  // after Timer M: a stray for the dialog layer
  ASSERT_EQ(h.user.strays.size(), 1u);
  EXPECT_EQ(h.layer.counters().strayResponses, 1u);
}

TEST_F(ClientTxnTest, TcpHasNoRetransmissionsAndZeroDandK) {
  const Peer tcp = tcpPeer("203.0.113.5", 5060, 0);
  ClientTransactionHandle invite = send(sip::Method::Invite, tcp);
  Sent inviteSent = h.wire.take()[0];
  EXPECT_EQ(inviteSent.parse().topVia()->transport, "TCP");
  h.clock.advance(31s);
  EXPECT_TRUE(h.wire.sent.empty()) << "Timer A is for unreliable transports only";
  reply(inviteSent, 603, tcp);
  EXPECT_EQ(h.wire.take().size(), 1u);  // the ACK
  EXPECT_FALSE(invite.valid()) << "Timer D = 0 over TCP";

  ClientTransactionHandle options = send(sip::Method::Options, tcp);
  Sent optionsSent = h.wire.take()[0];
  reply(optionsSent, 200, tcp);
  EXPECT_FALSE(options.valid()) << "Timer K = 0 over TCP";

  ClientTransactionHandle lost = send(sip::Method::Options, tcp);
  h.wire.take();
  h.clock.advance(32s);  // Timer F still runs over TCP
  EXPECT_EQ(handler.timeouts, 1);
  EXPECT_FALSE(lost.valid());
  EXPECT_TRUE(h.idle());
}

TEST_F(ClientTxnTest, TransportErrorIsReportedAsynchronously) {
  h.wire.fail = true;
  ClientTransactionHandle txn = send(sip::Method::Invite);
  ASSERT_TRUE(txn.valid());
  EXPECT_EQ(handler.transportErrors, 0) << "never from inside sendRequest";
  h.clock.advance(0ms);
  EXPECT_EQ(handler.transportErrors, 1);
  EXPECT_EQ(handler.terminated, 1);
  EXPECT_FALSE(txn.valid());
  EXPECT_TRUE(h.idle());
}

TEST_F(ClientTxnTest, TransportErrorOnRetransmission) {
  ClientTransactionHandle txn = send(sip::Method::Options);
  h.wire.fail = true;
  h.clock.advance(500ms);
  EXPECT_EQ(handler.transportErrors, 1);
  EXPECT_FALSE(txn.valid());
}

TEST_F(ClientTxnTest, AsynchronousConnectionFailureEndsTcpTransactions) {
  const Peer tcp = tcpPeer("203.0.113.5", 5060, 0);
  ClientTransactionHandle txn = send(sip::Method::Invite, tcp);
  ClientTransactionHandle other = send(sip::Method::Options, tcpPeer("203.0.113.6", 5060, 0));
  transport::TransportError error;
  error.kind = transport::TransportErrorKind::ConnectFailed;
  error.peer = tcp;
  h.layer.onTransportError(error);
  EXPECT_EQ(handler.transportErrors, 1);
  EXPECT_FALSE(txn.valid());
  EXPECT_TRUE(other.valid());
}

TEST_F(ClientTxnTest, CancelWaitsForProvisional) {
  ClientTransactionHandle txn = send(sip::Method::Invite);
  Sent invite = h.wire.take()[0];
  RecordingHandler cancelHandler;
  EXPECT_TRUE(h.layer.sendCancel(txn, &cancelHandler));
  EXPECT_FALSE(h.layer.sendCancel(txn, &cancelHandler)) << "one CANCEL per INVITE";
  EXPECT_TRUE(h.wire.sent.empty()) << "RFC 3261 9.1: no CANCEL before a provisional response";
  reply(invite, 180);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  sip::Message cancel = sent[0].parse();
  sip::Message inv = invite.parse();
  EXPECT_EQ(cancel.method(), sip::Method::Cancel);
  EXPECT_EQ(cancel.requestUri().text, inv.requestUri().text);
  EXPECT_EQ(cancel.topVia()->text, inv.topVia()->text);
  EXPECT_EQ(cancel.callId(), inv.callId());
  EXPECT_EQ(cancel.headerValue(sip::HeaderId::To), inv.headerValue(sip::HeaderId::To));
  EXPECT_EQ(cancel.headerValue(sip::HeaderId::From), inv.headerValue(sip::HeaderId::From));
  EXPECT_EQ(cancel.cseq().number, inv.cseq().number);
  EXPECT_EQ(cancel.cseq().method, sip::Method::Cancel);
  EXPECT_EQ(h.layer.activeClientTransactions(), 2u);

  // 17.1.3: same branch, the CSeq method tells the two transactions apart.
  reply(sent[0], 200);
  EXPECT_EQ(cancelHandler.statuses, std::vector<int>{200});
  reply(invite, 487);
  EXPECT_EQ(handler.statuses, (std::vector<int>{180, 487}));
  EXPECT_EQ(h.wire.take().size(), 1u);  // ACK for the 487
}

TEST_F(ClientTxnTest, CancelDroppedWhenFinalComesFirst) {
  ClientTransactionHandle txn = send(sip::Method::Invite);
  Sent invite = h.wire.take()[0];
  EXPECT_TRUE(h.layer.sendCancel(txn));
  reply(invite, 486);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method(), sip::Method::Ack);
  EXPECT_FALSE(h.layer.sendCancel(txn));
}

TEST_F(ClientTxnTest, CancelOnlyForInvite) {
  ClientTransactionHandle txn = send(sip::Method::Options);
  EXPECT_FALSE(h.layer.sendCancel(txn));
  EXPECT_FALSE(h.layer.sendCancel(ClientTransactionHandle()));
}

TEST_F(ClientTxnTest, RejectsAckAndIncompleteRequests) {
  EXPECT_FALSE(send(sip::Method::Ack).valid());
  sip::Message noCallId = sip::Message::makeRequest(sip::Method::Options, "sip:bob@203.0.113.5");
  noCallId.addHeader(sip::HeaderId::CSeq, "1 OPTIONS");
  EXPECT_FALSE(h.layer.sendRequest(std::move(noCallId), kBob, handler).valid());
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_EQ(h.layer.activeTransactions(), 0u);
}

TEST_F(ClientTxnTest, KeepsTheTusViaAndRejectsADuplicateBranch) {
  sip::Message request = outgoingRequest(sip::Method::Options);
  request.addHeader(sip::HeaderId::Via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKmine");
  sip::Message copy = request.clone();
  EXPECT_TRUE(h.layer.sendRequest(std::move(request), kBob, handler).valid());
  EXPECT_EQ(h.wire.sent[0].parse().topVia()->branch, "z9hG4bKmine");
  EXPECT_FALSE(h.layer.sendRequest(std::move(copy), kBob, handler).valid());
}

TEST_F(ClientTxnTest, StrayResponseGoesToTheTu) {
  Sent fake{kBob, RequestText{}.str()};
  reply(fake, 200);
  ASSERT_EQ(h.user.strays.size(), 1u);
  EXPECT_EQ(h.user.strays[0].parse().statusCode(), 200);
}

TEST_F(ClientTxnTest, DetachedHandlerGetsNoCallbacks) {
  ClientTransactionHandle txn = send(sip::Method::Options);
  Sent request = h.wire.take()[0];
  txn.detach();
  reply(request, 200);
  EXPECT_TRUE(handler.statuses.empty());
  h.drain();
  EXPECT_EQ(handler.terminated, 0);
}

TEST_F(ClientTxnTest, StatelessAckGetsAViaOnce) {
  sip::Message ack = outgoingRequest(sip::Method::Ack);
  EXPECT_TRUE(h.layer.sendStateless(ack, kBob));
  ASSERT_NE(ack.topVia(), nullptr);
  const std::string branch(ack.topVia()->branch);
  EXPECT_TRUE(h.layer.sendStateless(ack, kBob));  // a 2xx retransmission: the same ACK again
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].bytes, sent[1].bytes);
  EXPECT_EQ(sent[1].parse().topVia()->branch, branch);
  EXPECT_EQ(h.layer.activeTransactions(), 0u);
  EXPECT_EQ(h.layer.counters().statelessSent, 2u);
}

TEST_F(ClientTxnTest, HandlerMayStartATransactionFromACallback) {
  handler.onResponseHook = [this](const ClientTransactionHandle&, const sip::Message& r) {
    if (r.statusCode() == 401) {
      h.layer.sendRequest(outgoingRequest(sip::Method::Register, "c1@ccsip", 2), kBob, handler);
    }
  };
  send(sip::Method::Register);
  Sent first = h.wire.take()[0];
  reply(first, 401);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].parse().cseq().number, 2u);
  reply(sent[0], 200);
  EXPECT_EQ(handler.statuses, (std::vector<int>{401, 200}));
}

}  // namespace
}  // namespace ccsip::sip::txn::test
