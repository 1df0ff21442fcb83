// RFC 3261 17.2 server transactions, RFC 6026 Accepted, 17.2.3 matching, 9.2 CANCEL.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

const Peer kAlice = udpPeer("198.51.100.7", 5060);

sip::Message answer(const ServerTransactionHandle& txn, int status, std::string_view tag = "srv1") {
  return sip::makeResponse(*txn.request(), status, sip::defaultReasonPhrase(status),
                           status == 100 ? std::string_view() : tag);
}

class ServerTxnTest : public ::testing::Test {
 protected:
  void receive(const std::string& text, const Peer& from = kAlice) {
    h.layer.onMessage(text, from);
  }
  ServerTransactionHandle lastTxn() { return h.user.requests.back().txn; }
  void TearDown() override {
    h.drain();
    EXPECT_TRUE(h.idle()) << h.layer.activeServerTransactions() << " server, "
                          << h.layer.activeClientTransactions() << " client left";
  }
  Harness h;
};

TEST_F(ServerTxnTest, InviteGets100TryingAfter200ms) {
  receive(RequestText{}.str());
  ASSERT_EQ(h.user.requests.size(), 1u);
  EXPECT_EQ(lastTxn().state(), ServerTransactionState::Proceeding);
  h.clock.advance(199ms);
  EXPECT_TRUE(h.wire.sent.empty());
  h.clock.advance(1ms);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  sip::Message trying = sent[0].parse();
  EXPECT_EQ(trying.statusCode(), 100);
  EXPECT_TRUE(trying.to().tag.empty());
  EXPECT_EQ(sent[0].to.remote, kAlice.remote);
  EXPECT_TRUE(lastTxn().respond(answer(lastTxn(), 486)));
}

TEST_F(ServerTxnTest, NoTryingWhenTheTuAnswersFirst) {
  receive(RequestText{}.str());
  h.clock.advance(100ms);
  EXPECT_TRUE(lastTxn().respond(answer(lastTxn(), 180)));
  h.clock.advance(1s);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 180);
  lastTxn().respond(answer(lastTxn(), 603));
}

TEST_F(ServerTxnTest, InviteRetransmissionGetsLastProvisional) {
  const std::string invite = RequestText{}.str();
  receive(invite);
  receive(invite);  // before any response: absorbed silently
  EXPECT_EQ(h.user.requests.size(), 1u);
  EXPECT_TRUE(h.wire.sent.empty());
  lastTxn().respond(answer(lastTxn(), 180));
  h.wire.take();
  receive(invite);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 180);
  EXPECT_EQ(h.user.requests.size(), 1u);
  EXPECT_EQ(h.layer.counters().retransmissionsAbsorbed, 2u);
  lastTxn().respond(answer(lastTxn(), 486));
}

TEST_F(ServerTxnTest, TimerGDoublesToT2AndTimerHFails) {
  receive(RequestText{}.str());
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 486));
  EXPECT_EQ(txn.state(), ServerTransactionState::Completed);
  h.wire.take();
  // RFC 3261 17.2.1: G = T1, 2T1, 4T1, then T2 (4 s) until H = 64*T1 = 32 s.
  const std::vector<int> expectedAt = {500,   1500,  3500,  7500,  11500,
                                       15500, 19500, 23500, 27500, 31500};
  int elapsed = 0;
  for (int at : expectedAt) {
    h.clock.advance(util::Duration(at - elapsed - 1));
    EXPECT_TRUE(h.wire.sent.empty()) << "early retransmission before " << at;
    h.clock.advance(1ms);
    auto sent = h.wire.take();
    ASSERT_EQ(sent.size(), 1u) << "at " << at;
    EXPECT_EQ(sent[0].status(), 486);
    elapsed = at;
  }
  EXPECT_TRUE(h.user.failures.empty());
  h.clock.advance(util::Duration(32000 - elapsed));
  ASSERT_EQ(h.user.failures.size(), 1u);
  EXPECT_EQ(h.user.failures[0], TransactionFailure::Timeout);
  EXPECT_FALSE(txn.valid());
  EXPECT_EQ(h.layer.counters().serverTimeouts, 1u);
  EXPECT_TRUE(h.idle());
}

TEST_F(ServerTxnTest, AckForNonSuccessIsAbsorbedAndTimerIEnds) {
  RequestText invite;
  receive(invite.str());
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 486, "t486"));
  h.wire.take();
  RequestText ack = invite;
  ack.method = "ACK";
  ack.to = invite.to + ";tag=t486";
  receive(ack.str());
  EXPECT_EQ(txn.state(), ServerTransactionState::Confirmed);
  EXPECT_TRUE(h.user.acks.empty());
  receive(ack.str());  // absorbed in Confirmed
  EXPECT_TRUE(h.user.acks.empty());
  h.clock.advance(4999ms);  // no more G retransmissions once confirmed
  EXPECT_TRUE(h.wire.sent.empty());
  EXPECT_TRUE(txn.valid());
  h.clock.advance(1ms);  // Timer I = T4
  EXPECT_FALSE(txn.valid());
  EXPECT_TRUE(h.user.failures.empty());
  EXPECT_TRUE(h.idle());
}

TEST_F(ServerTxnTest, AcceptedAbsorbsInviteAndPassesAcksUntilTimerL) {
  // RFC 6026 8: 2xx moves to Accepted, the TU retransmits the 2xx, ACKs go to the TU.
  RequestText invite;
  receive(invite.str());
  ServerTransactionHandle txn = lastTxn();
  EXPECT_TRUE(txn.respond(answer(txn, 200)));
  EXPECT_EQ(txn.state(), ServerTransactionState::Accepted);
  h.wire.take();
  receive(invite.str());
  EXPECT_TRUE(h.wire.sent.empty()) << "the layer never retransmits a 2xx itself";
  EXPECT_EQ(h.user.requests.size(), 1u);
  EXPECT_TRUE(txn.respond(answer(txn, 200)));  // the TU's own 2xx retransmission
  EXPECT_EQ(h.wire.take().size(), 1u);
  EXPECT_FALSE(txn.respond(answer(txn, 486)));  // no non-2xx after a 2xx

  RequestText ack = invite;  // ACK with the same branch (matches the transaction)
  ack.method = "ACK";
  ack.to = invite.to + ";tag=srv1";
  receive(ack.str());
  ASSERT_EQ(h.user.acks.size(), 1u);
  EXPECT_EQ(h.user.acks[0].txn, txn);
  RequestText ack2 = ack;  // the usual ACK for 2xx: a new branch, no transaction
  ack2.via = "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKnewack";
  receive(ack2.str());
  ASSERT_EQ(h.user.acks.size(), 2u);
  EXPECT_FALSE(h.user.acks[1].txn.valid());
  EXPECT_TRUE(h.wire.sent.empty());

  h.clock.advance(31999ms);
  EXPECT_TRUE(txn.valid());
  h.clock.advance(1ms);  // Timer L = 64*T1
  EXPECT_FALSE(txn.valid());
  EXPECT_TRUE(h.idle());
}

TEST_F(ServerTxnTest, NonInviteTryingCompletedTimerJ) {
  RequestText options;
  options.method = "OPTIONS";
  receive(options.str());
  ServerTransactionHandle txn = lastTxn();
  EXPECT_EQ(txn.state(), ServerTransactionState::Trying);
  receive(options.str());  // Trying: absorbed, nothing to resend
  h.clock.advance(1s);
  EXPECT_TRUE(h.wire.sent.empty()) << "no 100 Trying for non-INVITE";
  sip::Message second = answer(txn, 200);  // built now: Completed keeps no request
  txn.respond(answer(txn, 200));
  EXPECT_EQ(txn.state(), ServerTransactionState::Completed);
  EXPECT_FALSE(txn.respond(std::move(second)));
  h.wire.take();
  receive(options.str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 200);
  EXPECT_EQ(h.user.requests.size(), 1u);
  h.clock.advance(31999ms);
  EXPECT_TRUE(txn.valid());
  h.clock.advance(1ms);  // Timer J = 64*T1
  EXPECT_FALSE(txn.valid());
}

TEST_F(ServerTxnTest, UnansweredNonInviteEndsAfter64T1) {
  RequestText options;
  options.method = "OPTIONS";
  receive(options.str());
  ServerTransactionHandle txn = lastTxn();
  h.clock.advance(31999ms);
  EXPECT_TRUE(txn.valid());
  EXPECT_TRUE(h.user.failures.empty());
  h.clock.advance(1ms);
  ASSERT_EQ(h.user.failures.size(), 1u);
  EXPECT_EQ(h.user.failures[0], TransactionFailure::Timeout);
  EXPECT_FALSE(txn.valid());
  EXPECT_FALSE(txn.respond(sip::makeResponse(options.message(), 200, "OK", "t")));
  EXPECT_TRUE(h.wire.sent.empty());
}

TEST_F(ServerTxnTest, ManyRfc2543TransactionsMatchTheRightOne) {
  std::vector<RequestText> requests;
  for (int i = 0; i < 50; ++i) {
    RequestText r;
    r.method = "OPTIONS";
    r.via = "SIP/2.0/UDP 198.51.100.7:5060;branch=legacy" + std::to_string(i % 5);
    r.callId = "call" + std::to_string(i % 10) + "@pc33";
    r.cseq = static_cast<std::uint32_t>(i);
    requests.push_back(r);
    receive(r.str());
  }
  ASSERT_EQ(h.user.requests.size(), 50u);
  for (auto& r : requests) receive(r.str());
  EXPECT_EQ(h.user.requests.size(), 50u);
  for (auto& r : h.user.requests) EXPECT_TRUE(r.txn.respond(answer(r.txn, 200)));
  h.wire.take();
  receive(requests[17].str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].parse().cseq().number, 17u);
}

TEST_F(ServerTxnTest, NonInviteProceedingResendsProvisional) {
  RequestText bye;
  bye.method = "BYE";
  receive(bye.str());
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 100));
  EXPECT_EQ(txn.state(), ServerTransactionState::Proceeding);
  h.wire.take();
  receive(bye.str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 100);
  txn.respond(answer(txn, 200));
}

TEST_F(ServerTxnTest, TcpHasNoRetransmissionsAndZeroTimers) {
  const Peer tcp = tcpPeer("198.51.100.7", 40000, 77);
  RequestText invite;
  invite.via = "SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bKtcp1";
  receive(invite.str(), tcp);
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 486, "t1"));
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to.connectionId, 77u);
  EXPECT_EQ(sent[0].to.kind, TransportKind::Tcp);
  h.clock.advance(10s);
  EXPECT_TRUE(h.wire.sent.empty()) << "Timer G is for unreliable transports only";
  RequestText ack = invite;
  ack.method = "ACK";
  ack.to = invite.to + ";tag=t1";
  receive(ack.str(), tcp);
  EXPECT_FALSE(txn.valid()) << "Timer I = 0 over TCP";

  RequestText options = invite;
  options.method = "OPTIONS";
  options.via = "SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bKtcp2";
  receive(options.str(), tcp);
  ServerTransactionHandle txn2 = lastTxn();
  txn2.respond(answer(txn2, 200));
  EXPECT_FALSE(txn2.valid()) << "Timer J = 0 over TCP";
  EXPECT_TRUE(h.idle());
}

TEST_F(ServerTxnTest, CancelGets200AndTuAnswers487) {
  RequestText invite;
  h.user.onCancelHook = [](const ServerTransactionHandle& txn, const sip::Message& cancel) {
    EXPECT_EQ(cancel.method(), sip::Method::Cancel);
    EXPECT_TRUE(txn.respond(answer(txn, 487)));
  };
  receive(invite.str());
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 180));
  h.wire.take();
  RequestText cancel = invite;
  cancel.method = "CANCEL";
  receive(cancel.str());
  ASSERT_EQ(h.user.cancels.size(), 1u);
  EXPECT_EQ(h.user.cancels[0].txn, txn);
  EXPECT_EQ(h.user.requests.size(), 1u) << "CANCEL never reaches onRequest";
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 2u);
  sip::Message ok = sent[0].parse();
  EXPECT_EQ(ok.statusCode(), 200);
  EXPECT_EQ(ok.cseq().method, sip::Method::Cancel);
  EXPECT_EQ(ok.to().tag, "srv1") << "RFC 3261 9.2: same To tag as the INVITE's responses";
  EXPECT_EQ(sent[1].status(), 487);
  EXPECT_EQ(sent[1].parse().cseq().method, sip::Method::Invite);
  EXPECT_EQ(txn.state(), ServerTransactionState::Completed);

  receive(cancel.str());  // retransmitted CANCEL: the 200 again, no second onCancel
  sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 200);
  EXPECT_EQ(h.user.cancels.size(), 1u);

  RequestText ack = invite;
  ack.method = "ACK";
  ack.to = invite.to + ";tag=srv1";
  receive(ack.str());
  EXPECT_EQ(txn.state(), ServerTransactionState::Confirmed);
  EXPECT_TRUE(h.user.acks.empty());
}

TEST_F(ServerTxnTest, UnmatchedCancelGets481) {
  RequestText cancel;
  cancel.method = "CANCEL";
  receive(cancel.str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 481);
  EXPECT_FALSE(sent[0].parse().to().tag.empty());
  EXPECT_TRUE(h.user.cancels.empty());
  EXPECT_TRUE(h.user.requests.empty());
  EXPECT_EQ(h.layer.counters().cancelsUnmatched, 1u);
}

TEST_F(ServerTxnTest, CancelAfterFinalResponseHasNoEffect) {
  RequestText invite;
  receive(invite.str());
  lastTxn().respond(answer(lastTxn(), 200));
  h.wire.take();
  RequestText cancel = invite;
  cancel.method = "CANCEL";
  receive(cancel.str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 200);
  EXPECT_TRUE(h.user.cancels.empty());
}

TEST_F(ServerTxnTest, CancelBeforeAnyResponseGetsFreshTag) {
  RequestText invite;
  receive(invite.str());
  RequestText cancel = invite;
  cancel.method = "CANCEL";
  receive(cancel.str());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status(), 200);
  EXPECT_FALSE(sent[0].parse().to().tag.empty());
  ASSERT_EQ(h.user.cancels.size(), 1u);
  lastTxn().respond(answer(lastTxn(), 487));
}

TEST_F(ServerTxnTest, Rfc2543MatchingWithoutMagicCookie) {
  RequestText invite;
  invite.via = "SIP/2.0/UDP 198.51.100.7:5060;branch=oldstyle1";
  receive(invite.str());
  ASSERT_EQ(h.user.requests.size(), 1u);
  ServerTransactionHandle txn = lastTxn();
  receive(invite.str());
  EXPECT_EQ(h.user.requests.size(), 1u) << "retransmission matched by the RFC 2543 rules";

  RequestText other = invite;  // another Call-ID: another transaction
  other.callId = "different@pc33";
  receive(other.str());
  ASSERT_EQ(h.user.requests.size(), 2u);
  h.user.requests[1].txn.respond(answer(h.user.requests[1].txn, 603));

  RequestText cancel = invite;
  cancel.method = "CANCEL";
  receive(cancel.str());
  ASSERT_EQ(h.user.cancels.size(), 1u);
  EXPECT_EQ(h.user.cancels[0].txn, txn);
  txn.respond(answer(txn, 487, "t2543"));

  RequestText ack = invite;
  ack.method = "ACK";
  ack.to = invite.to + ";tag=t2543";
  receive(ack.str());
  EXPECT_EQ(txn.state(), ServerTransactionState::Confirmed);
  EXPECT_TRUE(h.user.acks.empty());
  RequestText wrongTag = ack;  // To tag of another response: not this transaction
  wrongTag.to = invite.to + ";tag=zzz";
  receive(wrongTag.str());
  EXPECT_EQ(h.user.acks.size(), 1u);
}

TEST_F(ServerTxnTest, BadBranchTortureFallsBackToRfc2543) {
  // RFC 4475 3.2.1: a bare magic cookie identifies no transaction.
  std::ifstream in(std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475/badbranch.dat",
                   std::ios::binary);
  ASSERT_TRUE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Peer from = udpPeer("192.0.2.1", 5060);
  receive(text, from);
  ASSERT_EQ(h.user.requests.size(), 1u);
  receive(text, from);
  EXPECT_EQ(h.user.requests.size(), 1u);
  lastTxn().respond(answer(lastTxn(), 200));
  receive(text, from);
  EXPECT_EQ(h.wire.take().size(), 2u);
}

TEST_F(ServerTxnTest, SameBranchDifferentSentByIsAnotherTransaction) {
  RequestText a;
  a.method = "OPTIONS";
  RequestText b = a;
  b.via = "SIP/2.0/UDP 198.51.100.8:5060;branch=z9hG4bK776asdhds";
  receive(a.str());
  receive(b.str(), udpPeer("198.51.100.8", 5060));
  EXPECT_EQ(h.user.requests.size(), 2u);
  EXPECT_EQ(h.layer.activeServerTransactions(), 2u);
  for (auto& r : h.user.requests) r.txn.respond(answer(r.txn, 200));
}

TEST_F(ServerTxnTest, ValidatorRejectsInsideTheTransaction) {
  class Reject405 final : public RequestValidator {
   public:
    std::optional<sip::Message> validate(const sip::Message& request, const Peer&) override {
      if (request.method() != sip::Method::Unknown) return std::nullopt;
      sip::Message response = sip::makeResponse(request, 405, "Method Not Allowed", "v1");
      response.addHeader(sip::HeaderId::Allow, "INVITE, ACK, CANCEL, BYE, OPTIONS");
      return response;
    }
  } validator;
  TransactionLayerOptions options;
  options.validator = &validator;
  Harness local(options);
  RequestText foo;
  foo.method = "FOO";
  local.layer.onMessage(foo.str(), kAlice);
  EXPECT_TRUE(local.user.requests.empty());
  local.layer.onMessage(foo.str(), kAlice);  // retransmission: the same 405 again
  auto sent = local.wire.take();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].status(), 405);
  EXPECT_EQ(sent[1].status(), 405);
  RequestText options2;
  options2.method = "OPTIONS";
  local.layer.onMessage(options2.str(), kAlice);
  EXPECT_EQ(local.user.requests.size(), 1u);
  local.user.requests[0].txn.respond(answer(local.user.requests[0].txn, 200));
  local.drain();
  EXPECT_TRUE(local.idle());
}

TEST_F(ServerTxnTest, RespondFromInsideOnRequest) {
  h.user.onRequestHook = [](const ServerTransactionHandle& txn, const sip::Message&) {
    EXPECT_TRUE(txn.respond(answer(txn, 200)));
  };
  RequestText options;
  options.method = "OPTIONS";
  receive(options.str(), tcpPeer("198.51.100.7", 40000, 5));
  EXPECT_EQ(h.wire.take().size(), 1u);
  EXPECT_EQ(h.layer.activeServerTransactions(), 0u);
}

TEST_F(ServerTxnTest, ResponseTransportFailureOnRetransmissionIsReported) {
  receive(RequestText{}.str());
  ServerTransactionHandle txn = lastTxn();
  txn.respond(answer(txn, 500));
  h.wire.fail = true;
  h.clock.advance(500ms);  // Timer G cannot send
  ASSERT_EQ(h.user.failures.size(), 1u);
  EXPECT_EQ(h.user.failures[0], TransactionFailure::TransportError);
  EXPECT_FALSE(txn.valid());
}

}  // namespace
}  // namespace ccsip::sip::txn::test

namespace ccsip::sip::txn::test {
namespace {

// chan_sip reuses one Via branch for every NOTIFY of an MWI subscription
// (traces/asterisk-20/mwi-message-summary.txt): a new CSeq under a known branch is a new request,
// not a retransmission, even while the first transaction is still in Completed (Timer J).
TEST_F(ServerTxnTest, ReusedBranchWithNewCSeqIsANewRequest) {
  RequestText notify;
  notify.method = "NOTIFY";
  notify.cseq = 102;
  receive(notify.str());
  ASSERT_EQ(h.user.requests.size(), 1u);
  EXPECT_TRUE(lastTxn().respond(answer(lastTxn(), 200)));
  h.clock.advance(8s);
  notify.cseq = 103;
  receive(notify.str());
  ASSERT_EQ(h.user.requests.size(), 2u);
  EXPECT_EQ(h.user.requests.back().parse().cseq().number, 103u);
  EXPECT_TRUE(lastTxn().respond(answer(lastTxn(), 200)));
  // A retransmission of the second is still absorbed with its own 200.
  h.wire.take();
  receive(notify.str());
  EXPECT_EQ(h.user.requests.size(), 2u);
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].parse().cseq().number, 103u);
}

}  // namespace
}  // namespace ccsip::sip::txn::test
