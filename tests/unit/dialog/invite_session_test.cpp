#include "sip/dialog/invite_session.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "usage_test_support.h"

namespace ccsip::sip::dialog {
namespace {

using namespace usage_test;

class InviteSessionTest : public ::testing::Test {
 protected:
  InviteSessionTest()
      : uac(wire, clock, "uac", 5060, {}, 1), uas(wire, clock, "uas", 5070, uasOptions(), 2) {}

  UserAgentCoreOptions uasOptions() {
    UserAgentCoreOptions options;
    options.sessions = &incoming;
    return options;
  }

  std::shared_ptr<InviteSession> call(const Body& offer) {
    InviteSessionOptions options;
    options.requestUri = "sip:uas@127.0.0.1:5070";
    options.from = "<sip:uac@127.0.0.1:5060>";
    options.offer = offer;
    auto session = uac.core.invite(options, caller);
    EXPECT_NE(session, nullptr);
    return session;
  }

  // Runs the clock in steps, delivering what each step sends.
  void run(util::Duration total, util::Duration step = 10ms) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }

  // An established early-offer call whose callee answers offers with "answer <offer>".
  std::shared_ptr<InviteSession> establish() {
    incoming.recorder.offerHook = [](InviteSession& s, const Body& offer) {
      s.accept(sdp("answer " + offer.content));
    };
    auto session = call(sdp("o1"));
    wire.pump();
    EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
    EXPECT_EQ(incoming.last()->state(), InviteSession::State::Confirmed);
    return session;
  }

  void expectIdleAfterDrain() {
    run(std::chrono::minutes(2), 100ms);
    EXPECT_TRUE(uac.idle()) << uac.core.dialogCount() << " dialogs, " << uac.core.usageCount()
                            << " usages, " << uac.layer.activeTransactions() << " txns";
    EXPECT_TRUE(uas.idle()) << uas.core.dialogCount() << " dialogs, " << uas.core.usageCount()
                            << " usages, " << uas.layer.activeTransactions() << " txns";
    EXPECT_EQ(clock.pending(), 0u);
  }

  Wire wire;
  util::ManualTimerService clock;
  IncomingRecorder incoming;
  SessionRecorder caller;
  Endpoint uac;
  Endpoint uas;
};

TEST_F(InviteSessionTest, EarlyOfferCallThenBye) {
  incoming.newSessionHook = [](InviteSession& s, const Message&) { s.provisional(180); };
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp("a1")); };
  auto session = call(sdp("o1"));
  wire.pump();

  EXPECT_EQ(caller.events, (std::vector<std::string>{"early", "provisional 180", "answered",
                                                     "answer a1", "confirmed"}));
  EXPECT_EQ(incoming.recorder.events, (std::vector<std::string>{"offer o1", "confirmed"}));
  auto callee = incoming.last();
  ASSERT_NE(callee, nullptr);
  ASSERT_NE(session->dialog(), nullptr);
  ASSERT_NE(callee->dialog(), nullptr);
  EXPECT_EQ(session->dialog()->id().localTag, callee->dialog()->id().remoteTag);
  EXPECT_EQ(session->dialog()->id().remoteTag, callee->dialog()->id().localTag);
  EXPECT_EQ(session->localBody().content, "o1");
  EXPECT_EQ(session->remoteBody().content, "a1");
  EXPECT_EQ(callee->remoteBody().content, "o1");
  EXPECT_EQ(uac.core.dialogCount(), 1u);
  EXPECT_EQ(uas.core.dialogCount(), 1u);
  EXPECT_EQ(wire.count("uac:ACK"), 1u);
  EXPECT_EQ(wire.count("uas:200/INVITE"), 1u);
  EXPECT_EQ(wire.last("uas:200/INVITE")->parse().headerValue(HeaderId::Contact),
            "<sip:uas@127.0.0.1:5070>");

  session->end();
  wire.pump();
  EXPECT_TRUE(caller.has("terminated local-bye 0"));
  EXPECT_TRUE(incoming.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(wire.count("uas:200/BYE"), 1u);
  EXPECT_EQ(uac.core.dialogCount(), 0u);
  EXPECT_EQ(uas.core.dialogCount(), 0u);
  // No retransmission of the 2xx: the ACK stopped it.
  run(10s);
  EXPECT_EQ(wire.count("uas:200/INVITE"), 1u);
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, Rfc3725FlowIOfferIn200AnswerInAck) {
  incoming.recorder.offerRequiredHook = [](InviteSession& s) { s.accept(sdp("O1")); };
  auto session = call({});
  wire.pump();
  EXPECT_TRUE(wire.last("uac:INVITE")->parse().body().empty());
  EXPECT_EQ(caller.events, (std::vector<std::string>{"answered", "offer O1"}));
  EXPECT_EQ(session->state(), InviteSession::State::Accepted);
  EXPECT_EQ(wire.count("uac:ACK"), 0u);  // the ACK waits for the answer

  // The answer takes a while (MakeCall: the other party answers first); the callee keeps
  // retransmitting its 2xx meanwhile, and a re-INVITE is refused until then.
  run(2s);
  EXPECT_EQ(wire.count("uas:200/INVITE"), 3u);  // 0, 0.5 s, 1.5 s
  EXPECT_EQ(wire.count("uac:ACK"), 0u);
  EXPECT_FALSE(session->reinvite(sdp("x")));

  EXPECT_TRUE(session->provideAnswer(sdp("A1")));
  wire.pump();
  const Message ack = wire.last("uac:ACK")->parse();
  EXPECT_EQ(ack.body(), "A1");
  EXPECT_EQ(ack.contentType(), "application/sdp");
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  EXPECT_TRUE(caller.has("confirmed"));
  EXPECT_EQ(incoming.recorder.events,
            (std::vector<std::string>{"offer-required", "answer A1", "confirmed"}));
  EXPECT_EQ(incoming.last()->remoteBody().content, "A1");
  EXPECT_EQ(incoming.last()->localBody().content, "O1");
  EXPECT_FALSE(session->provideAnswer(sdp("again")));
  run(10s);
  EXPECT_EQ(wire.count("uas:200/INVITE"), 3u);

  incoming.last()->end();
  expectIdleAfterDrain();
  EXPECT_TRUE(caller.has("terminated remote-bye 0"));
}

TEST_F(InviteSessionTest, TwoHundredRetransmittedUntilAckThenByeAfter64T1) {
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Ack;
  };
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp("a1")); };
  auto session = call(sdp("o1"));
  wire.pump();
  EXPECT_EQ(wire.count("uas:200/INVITE"), 1u);

  // RFC 3261 13.3.1.4: T1, doubling up to T2 (4 s): +0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s.
  const std::vector<int> retransmitAt = {500,   1500,  3500,  7500,  11500,
                                         15500, 19500, 23500, 27500, 31500};
  int now = 0;
  std::size_t expected = 1;
  for (int at : retransmitAt) {
    run(util::Duration(at - 10 - now));
    EXPECT_EQ(wire.count("uas:200/INVITE"), expected) << "before " << at << " ms";
    run(20ms);
    now = at + 10;
    ++expected;
    EXPECT_EQ(wire.count("uas:200/INVITE"), expected) << "at " << at << " ms";
  }
  // Each retransmission was ACKed again by the caller (RFC 3261 13.2.2.4).
  EXPECT_EQ(wire.dropped.size(), expected);
  EXPECT_TRUE(caller.has("confirmed"));
  EXPECT_FALSE(incoming.recorder.has("confirmed"));

  // 64*T1 = 32 s without ACK: the callee gives up with BYE.
  run(util::Duration(32000 - now + 20));
  EXPECT_EQ(wire.count("uas:BYE"), 1u);
  EXPECT_TRUE(incoming.recorder.has("terminated timeout 408"));
  EXPECT_TRUE(caller.has("terminated remote-bye 0"));
  EXPECT_EQ(wire.count("uas:200/INVITE"), expected);
  wire.dropIf = nullptr;
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, ReinviteHoldAndRetrieve) {
  auto session = establish();
  auto callee = incoming.last();
  caller.events.clear();
  incoming.recorder.events.clear();

  EXPECT_TRUE(session->reinvite(sdp("sendonly")));
  EXPECT_FALSE(session->reinvite(sdp("again")));  // RFC 3261 14.1: one at a time
  wire.pump();
  EXPECT_EQ(incoming.recorder.events, (std::vector<std::string>{"offer sendonly", "confirmed"}));
  EXPECT_EQ(caller.events, (std::vector<std::string>{"answer answer sendonly", "confirmed"}));
  EXPECT_EQ(session->localBody().content, "sendonly");
  EXPECT_EQ(session->remoteBody().content, "answer sendonly");
  const Message reinvite = wire.last("uac:INVITE")->parse();
  EXPECT_FALSE(reinvite.to().tag.empty());
  EXPECT_EQ(reinvite.cseq().number, 2u);

  EXPECT_TRUE(session->reinvite(sdp("sendrecv")));
  wire.pump();
  EXPECT_EQ(session->remoteBody().content, "answer sendrecv");
  EXPECT_EQ(wire.last("uac:INVITE")->parse().cseq().number, 3u);
  EXPECT_EQ(wire.count("uac:ACK"), 3u);

  // The callee holds the caller the other way round.
  caller.offerHook = [](InviteSession& s, const Body& offer) {
    s.accept(sdp("caller-answer " + offer.content));
  };
  EXPECT_TRUE(callee->reinvite(sdp("inactive")));
  wire.pump();
  EXPECT_EQ(callee->remoteBody().content, "caller-answer inactive");
  EXPECT_EQ(wire.last("uas:INVITE")->parse().cseq().number, 1u);

  // Late-offer re-INVITE: the 2xx offers, our ACK answers.
  incoming.recorder.offerRequiredHook = [](InviteSession& s) { s.accept(sdp("fresh-offer")); };
  caller.offerHook = nullptr;
  EXPECT_TRUE(session->reinvite());
  wire.pump();
  EXPECT_TRUE(caller.has("offer fresh-offer"));
  EXPECT_TRUE(session->provideAnswer(sdp("late-answer")));
  wire.pump();
  EXPECT_EQ(callee->remoteBody().content, "late-answer");
  EXPECT_EQ(wire.last("uac:ACK")->parse().body(), "late-answer");

  session->end();
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, ReinviteRejectedKeepsTheSession) {
  auto session = establish();
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(488); };
  EXPECT_TRUE(session->reinvite(sdp("video")));
  wire.pump();
  EXPECT_TRUE(caller.has("reinvite-rejected 488"));
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(session->localBody().content, "o1");
  EXPECT_EQ(incoming.last()->state(), InviteSession::State::Confirmed);
  session->end();
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, GlareGets491AndRetriesAfterTheRfc3261Timers) {
  auto session = establish();
  auto callee = incoming.last();
  caller.offerHook = [](InviteSession& s, const Body& offer) {
    s.accept(sdp("answer " + offer.content));
  };
  EXPECT_TRUE(session->reinvite(sdp("from-caller")));
  EXPECT_TRUE(callee->reinvite(sdp("from-callee")));
  wire.pump();
  EXPECT_EQ(wire.count("uac:491/INVITE"), 1u);
  EXPECT_EQ(wire.count("uas:491/INVITE"), 1u);
  EXPECT_FALSE(caller.has("reinvite-rejected 491"));
  EXPECT_EQ(wire.count("uac:INVITE"), 2u);
  EXPECT_EQ(wire.count("uas:INVITE"), 1u);

  // RFC 3261 14.1: the callee (not the Call-ID owner) retries within 0-2 s, the caller (owner)
  // within 2.1-4 s, so they no longer collide.
  run(2050ms);
  EXPECT_EQ(wire.count("uas:INVITE"), 2u);
  EXPECT_EQ(wire.count("uac:INVITE"), 2u);
  EXPECT_EQ(callee->remoteBody().content, "answer from-callee");
  run(2000ms);
  EXPECT_EQ(wire.count("uac:INVITE"), 3u);
  EXPECT_EQ(session->remoteBody().content, "answer from-caller");
  EXPECT_EQ(wire.count("uac:491/INVITE"), 1u);
  EXPECT_EQ(wire.count("uas:491/INVITE"), 1u);
  session->end();
  expectIdleAfterDrain();
}

TEST(GlareDelayTest, RangesAndTenMillisecondUnits) {
  util::Random random(7);
  std::set<long> owner;
  std::set<long> other;
  for (int i = 0; i < 5000; ++i) {
    const long a = glareRetryDelay(true, random).count();
    const long b = glareRetryDelay(false, random).count();
    EXPECT_GE(a, 2100);
    EXPECT_LE(a, 4000);
    EXPECT_GE(b, 0);
    EXPECT_LE(b, 2000);
    EXPECT_EQ(a % 10, 0);
    EXPECT_EQ(b % 10, 0);
    owner.insert(a);
    other.insert(b);
  }
  EXPECT_GT(owner.size(), 150u);
  EXPECT_GT(other.size(), 150u);
}

TEST_F(InviteSessionTest, CancelBeforeAnswerGets487) {
  incoming.newSessionHook = [](InviteSession& s, const Message&) { s.provisional(180); };
  auto session = call(sdp("o1"));
  wire.pump();
  EXPECT_TRUE(caller.has("early"));
  EXPECT_EQ(uas.core.dialogCount(), 1u);
  session->end();
  wire.pump();
  EXPECT_EQ(wire.count("uac:CANCEL"), 1u);
  EXPECT_EQ(wire.count("uas:200/CANCEL"), 1u);
  EXPECT_EQ(wire.count("uas:487/INVITE"), 1u);
  EXPECT_EQ(wire.count("uac:ACK"), 1u);  // the transaction layer's ACK for the 487
  EXPECT_TRUE(incoming.recorder.has("terminated cancelled 487"));
  EXPECT_TRUE(caller.has("terminated cancelled 487"));
  EXPECT_EQ(uac.core.dialogCount(), 0u);
  EXPECT_EQ(uas.core.dialogCount(), 0u);
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, CancelWaitsForAProvisionalResponse) {
  auto session = call(sdp("o1"));  // the callee application stays silent
  session->end();
  wire.pump();
  EXPECT_EQ(wire.count("uac:CANCEL"), 0u);  // RFC 3261 9.1: not before a 1xx
  run(300ms);                               // the callee's layer sends 100 Trying at 200 ms
  EXPECT_EQ(wire.count("uas:100/INVITE"), 1u);
  EXPECT_EQ(wire.count("uac:CANCEL"), 1u);
  EXPECT_EQ(wire.count("uas:487/INVITE"), 1u);
  EXPECT_TRUE(caller.has("terminated cancelled 487"));
  EXPECT_TRUE(incoming.recorder.has("terminated cancelled 487"));
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, CancelCrossing200EndsWithAckAndBye) {
  incoming.newSessionHook = [](InviteSession& s, const Message&) { s.provisional(180); };
  auto session = call(sdp("o1"));
  wire.pump();
  auto callee = incoming.last();
  EXPECT_TRUE(callee->accept(sdp("a1")));  // the 200 is on the wire...
  session->end();                          // ...when the caller cancels
  wire.pump();
  EXPECT_EQ(wire.count("uac:CANCEL"), 1u);
  EXPECT_EQ(wire.count("uas:487/INVITE"), 0u);
  EXPECT_EQ(wire.count("uac:ACK"), 1u);
  EXPECT_EQ(wire.count("uac:BYE"), 1u);
  EXPECT_EQ(wire.count("uas:200/BYE"), 1u);
  EXPECT_TRUE(caller.has("terminated cancelled 200"));
  EXPECT_EQ(caller.terminations, 1);
  EXPECT_TRUE(incoming.recorder.has("terminated remote-bye 0"));
  EXPECT_EQ(incoming.recorder.terminations, 1);
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, ByeCrossingReinvite) {
  auto session = establish();
  auto callee = incoming.last();
  EXPECT_TRUE(session->reinvite(sdp("hold")));
  callee->end();
  wire.pump();
  // The callee's dialog is gone when the re-INVITE arrives: 481; the caller ends on the BYE.
  EXPECT_EQ(wire.count("uas:481/INVITE"), 1u);
  EXPECT_EQ(wire.count("uac:200/BYE"), 1u);
  EXPECT_EQ(caller.terminations, 1);
  EXPECT_TRUE(caller.has("terminated remote-bye 0"));
  EXPECT_FALSE(caller.has("reinvite-rejected 481"));
  EXPECT_TRUE(incoming.recorder.has("terminated local-bye 0"));
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, ByeWhileReinvitePendingAnswers487) {
  auto session = establish();
  incoming.recorder.offerHook = nullptr;  // the callee application sits on the re-INVITE
  EXPECT_TRUE(session->reinvite(sdp("hold")));
  wire.pump();
  EXPECT_TRUE(incoming.recorder.has("offer hold"));
  session->end();
  wire.pump();
  // RFC 3261 15.1.2: the pending re-INVITE gets 487, the BYE 200.
  EXPECT_EQ(wire.count("uas:487/INVITE"), 1u);
  EXPECT_EQ(wire.count("uas:200/BYE"), 1u);
  EXPECT_TRUE(incoming.recorder.has("terminated remote-bye 0"));
  EXPECT_TRUE(caller.has("terminated local-bye 0"));
  EXPECT_EQ(caller.terminations, 1);
  EXPECT_FALSE(incoming.last()->accept(sdp("too late")));
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, CalleeByeWaitsForTheAck) {
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.method() == Method::Ack;
  };
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) {
    s.accept(sdp("a1"));
    s.end();  // RFC 3261 15: no BYE before the ACK
  };
  auto session = call(sdp("o1"));
  wire.pump();
  EXPECT_TRUE(incoming.recorder.has("terminated local-bye 0"));
  EXPECT_EQ(wire.count("uas:BYE"), 0u);
  wire.dropIf = nullptr;
  run(600ms);  // the retransmitted 200 is ACKed again; this ACK gets through
  EXPECT_GE(wire.count("uac:ACK"), 1u);
  EXPECT_EQ(wire.count("uas:BYE"), 1u);
  EXPECT_TRUE(caller.has("terminated remote-bye 0"));
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, RejectedCall) {
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) { s.reject(486); };
  auto session = call(sdp("o1"));
  wire.pump();
  EXPECT_TRUE(caller.has("terminated rejected 486"));
  EXPECT_TRUE(incoming.recorder.has("terminated rejected 486"));
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, NoAnswerTimesOut) {
  wire.dropIf = [](const Wire::Packet&, const Message& m) { return m.isRequest(); };
  auto session = call(sdp("o1"));
  run(33s, 100ms);
  EXPECT_TRUE(caller.has("terminated timeout 408"));
  wire.dropIf = nullptr;
  expectIdleAfterDrain();
}

TEST_F(InviteSessionTest, TearingDownTheStacksWithCallsUpIsSafe) {
  auto session = establish();
  EXPECT_TRUE(session->reinvite(sdp("pending")));  // a transaction and timers in flight
  auto second = call({});
  wire.pump();
  // The fixture now destroys both stacks while the sessions (held here and by the recorder)
  // are alive; they must neither call into the dead cores nor leak.
}

// --- against a scripted peer

class ScriptedPeerTest : public ::testing::Test {
 protected:
  ScriptedPeerTest() : uac(wire, clock, "uac", 5060, {}, 1), peer(wire, "peer", 5080) {}

  std::shared_ptr<InviteSession> callPeer(const Body& offer = sdp("o1")) {
    InviteSessionOptions options;
    options.requestUri = "sip:peer@127.0.0.1:5080";
    options.from = "<sip:uac@127.0.0.1:5060>";
    options.offer = offer;
    auto session = uac.core.invite(options, caller);
    wire.pump();
    return session;
  }
  Message responseFromPeer(const Message& request, int status, std::string_view tag) {
    Message response = makeResponse(request, status, defaultReasonPhrase(status), tag);
    if (status > 100 && status < 300) {
      response.addHeader(HeaderId::Contact, "<sip:peer@127.0.0.1:5080>");
    }
    if (status / 100 == 2 && request.method() == Method::Invite) {
      response.setBody("application/sdp", "answer");
    }
    return response;
  }
  void run(util::Duration total, util::Duration step = 100ms) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }
  std::size_t receivedWithTag(Method method, std::string_view toTag) const {
    std::size_t n = 0;
    for (const auto& r : peer.received) {
      if (r.message.isRequest() && r.message.method() == method && r.message.to().tag == toTag) {
        ++n;
      }
    }
    return n;
  }

  Wire wire;
  util::ManualTimerService clock;
  SessionRecorder caller;
  Endpoint uac;
  RawPeer peer;
};

TEST_F(ScriptedPeerTest, ForkingFirst2xxWinsOthersGetAckAndBye) {
  auto session = callPeer();
  const Message* invite = peer.lastRequest(Method::Invite);
  ASSERT_NE(invite, nullptr);
  const Message inviteCopy = invite->clone();
  peer.send(responseFromPeer(inviteCopy, 180, "fork-a"), 5060);
  peer.send(responseFromPeer(inviteCopy, 180, "fork-b"), 5060);
  wire.pump();
  EXPECT_EQ(caller.count("early"), 2u);
  EXPECT_EQ(uac.core.dialogCount(), 2u);

  peer.send(responseFromPeer(inviteCopy, 200, "fork-a"), 5060);
  peer.send(responseFromPeer(inviteCopy, 200, "fork-b"), 5060);
  wire.pump();
  EXPECT_EQ(caller.count("answered"), 1u);
  EXPECT_EQ(caller.count("confirmed"), 1u);
  EXPECT_EQ(caller.terminations, 0);
  EXPECT_EQ(session->dialog()->id().remoteTag, "fork-a");
  EXPECT_EQ(uac.core.dialogCount(), 1u);
  EXPECT_EQ(receivedWithTag(Method::Ack, "fork-a"), 1u);
  EXPECT_EQ(receivedWithTag(Method::Ack, "fork-b"), 1u);
  EXPECT_EQ(receivedWithTag(Method::Bye, "fork-a"), 0u);
  EXPECT_EQ(receivedWithTag(Method::Bye, "fork-b"), 1u);

  // Retransmissions: each gets its ACK again, the losing fork no second BYE.
  peer.send(responseFromPeer(inviteCopy, 200, "fork-b"), 5060);
  peer.send(responseFromPeer(inviteCopy, 200, "fork-a"), 5060);
  wire.pump();
  EXPECT_EQ(receivedWithTag(Method::Ack, "fork-a"), 2u);
  EXPECT_EQ(receivedWithTag(Method::Ack, "fork-b"), 2u);
  EXPECT_EQ(receivedWithTag(Method::Bye, "fork-b"), 1u);
  // The ACK re-sent is the same message (same Via branch).
  std::set<std::string> ackBranches;
  for (const auto& r : peer.received) {
    if (r.message.isRequest() && r.message.method() == Method::Ack &&
        r.message.to().tag == "fork-a") {
      ackBranches.insert(std::string(r.message.topVia()->branch));
    }
  }
  EXPECT_EQ(ackBranches.size(), 1u);

  const Message* bye = peer.lastRequest(Method::Bye);
  peer.send(responseFromPeer(bye->clone(), 200, ""), 5060);
  session->end();
  wire.pump();
  const Message* bye2 = peer.lastRequest(Method::Bye);
  EXPECT_EQ(bye2->to().tag, "fork-a");
  peer.send(responseFromPeer(bye2->clone(), 200, ""), 5060);
  run(std::chrono::minutes(2));
  EXPECT_TRUE(uac.idle());
}

TEST_F(ScriptedPeerTest, Late2xxRetransmissionAfterTimerMStillAcked) {
  auto session = callPeer();
  const Message invite = peer.lastRequest(Method::Invite)->clone();
  peer.send(responseFromPeer(invite, 200, "t1"), 5060);
  wire.pump();
  EXPECT_EQ(receivedWithTag(Method::Ack, "t1"), 1u);
  run(40s);  // the INVITE client transaction is gone (Timer M = 64*T1)
  EXPECT_EQ(uac.layer.activeClientTransactions(), 0u);
  peer.send(responseFromPeer(invite, 200, "t1"), 5060);
  wire.pump();
  EXPECT_EQ(receivedWithTag(Method::Ack, "t1"), 2u);  // via onStrayResponse
  EXPECT_EQ(receivedWithTag(Method::Bye, "t1"), 0u);
  // A 2xx no dialog wants is ACKed and BYEd (RFC 3261 13.2.2.4).
  peer.send(responseFromPeer(invite, 200, "stranger"), 5060);
  wire.pump();
  EXPECT_EQ(receivedWithTag(Method::Ack, "stranger"), 1u);
  EXPECT_EQ(receivedWithTag(Method::Bye, "stranger"), 1u);
  session->end();
  run(std::chrono::minutes(2));
  EXPECT_TRUE(uac.idle());
}

// A raw UAC calling our UAS: CSeq ordering and tag-only matching.
class RawCallerTest : public ::testing::Test {
 protected:
  RawCallerTest() : uas(wire, clock, "uas", 5070, options(), 2), peer(wire, "peer", 5080) {}
  UserAgentCoreOptions options() {
    UserAgentCoreOptions o;
    o.sessions = &incoming;
    return o;
  }
  std::string request(const std::string& method, std::uint32_t cseq, const std::string& toTag,
                      const std::string& branch, bool portsInUris = true,
                      const std::string& body = "") {
    const std::string port = portsInUris ? ":5080" : "";
    const std::string uasPort = portsInUris ? ":5070" : "";
    std::string text = method +
                       " sip:uas@127.0.0.1:5070 SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK" +
                       branch +
                       "\r\n"
                       "Max-Forwards: 70\r\n"
                       "From: <sip:peer@127.0.0.1" +
                       port +
                       ">;tag=peertag\r\n"
                       "To: <sip:uas@127.0.0.1" +
                       uasPort + ">" + (toTag.empty() ? "" : ";tag=" + toTag) +
                       "\r\n"
                       "Call-ID: raw-call@127.0.0.1\r\n"
                       "CSeq: " +
                       std::to_string(cseq) + " " + method +
                       "\r\n"
                       "Contact: <sip:peer@127.0.0.1:5080>\r\n";
    if (!body.empty()) text += "Content-Type: application/sdp\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return text;
  }

  Wire wire;
  util::ManualTimerService clock;
  IncomingRecorder incoming;
  Endpoint uas;
  RawPeer peer;
};

TEST_F(RawCallerTest, OutOfOrderCSeqGets500AndUrisWithoutPortsStillMatch) {
  incoming.recorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp("a")); };
  peer.sendText(request("INVITE", 10, "", "inv", true, "v=0"), 5070);
  wire.pump();
  const Message* ok = peer.lastResponse(Method::Invite);
  ASSERT_NE(ok, nullptr);
  ASSERT_EQ(ok->statusCode(), 200);
  const std::string tag(ok->to().tag);
  peer.sendText(request("ACK", 10, tag, "ack"), 5070);
  wire.pump();
  EXPECT_TRUE(incoming.recorder.has("confirmed"));

  // chan_pjsip prints From/To without ports: the dialog is still found by Call-ID and tags.
  peer.sendText(request("INFO", 11, tag, "info1", /*portsInUris=*/false), 5070);
  wire.pump();
  EXPECT_EQ(peer.lastResponse(Method::Info)->statusCode(), 200);
  // RFC 3261 12.2.2: lower CSeq than the last one -> 500.
  peer.sendText(request("INFO", 5, tag, "info2"), 5070);
  wire.pump();
  EXPECT_EQ(peer.lastResponse(Method::Info)->statusCode(), 500);
  // Right Call-ID and From tag, wrong To tag -> 481.
  peer.sendText(request("BYE", 12, "wrongtag", "bye0"), 5070);
  wire.pump();
  EXPECT_EQ(peer.lastResponse(Method::Bye)->statusCode(), 481);
  peer.sendText(request("BYE", 13, tag, "bye1", false), 5070);
  wire.pump();
  EXPECT_EQ(peer.lastResponse(Method::Bye)->statusCode(), 200);
  EXPECT_TRUE(incoming.recorder.has("terminated remote-bye 0"));
  clock.advance(std::chrono::minutes(2));
  EXPECT_TRUE(uas.idle());
}

TEST_F(RawCallerTest, UpdateRefreshAndOffer) {
  incoming.recorder.offerHook = [](InviteSession& s, const Body& offer) {
    s.accept(sdp("answer " + offer.content));
  };
  peer.sendText(request("INVITE", 1, "", "inv", true, "v=0"), 5070);
  wire.pump();
  const std::string tag(peer.lastResponse(Method::Invite)->to().tag);
  peer.sendText(request("ACK", 1, tag, "ack"), 5070);
  // RFC 4028-style refresh: UPDATE without body -> 200 at once.
  peer.sendText(request("UPDATE", 2, tag, "upd1"), 5070);
  wire.pump();
  EXPECT_EQ(peer.lastResponse(Method::Update)->statusCode(), 200);
  EXPECT_TRUE(peer.lastResponse(Method::Update)->body().empty());
  // RFC 3311: an UPDATE with an offer is answered in its 200.
  peer.sendText(request("UPDATE", 3, tag, "upd2", true, "v=1"), 5070);
  wire.pump();
  ASSERT_EQ(peer.lastResponse(Method::Update)->statusCode(), 200);
  EXPECT_EQ(peer.lastResponse(Method::Update)->body(), "answer v=1");
  EXPECT_EQ(incoming.last()->remoteBody().content, "v=1");
  incoming.last()->end();
  wire.pump();
  EXPECT_EQ(peer.countRequests(Method::Bye), 1u);
}

TEST_F(RawCallerTest, OfferIn200WithoutAnswerInAckEndsTheCall) {
  incoming.recorder.offerRequiredHook = [](InviteSession& s) { s.accept(sdp("O1")); };
  peer.sendText(request("INVITE", 1, "", "inv"), 5070);
  wire.pump();
  const std::string tag(peer.lastResponse(Method::Invite)->to().tag);
  peer.sendText(request("ACK", 1, tag, "ack"), 5070);
  wire.pump();
  EXPECT_EQ(peer.countRequests(Method::Bye), 1u);
  EXPECT_TRUE(incoming.recorder.has("terminated error 488"));
  clock.advance(std::chrono::minutes(2));
  EXPECT_EQ(uas.core.dialogCount(), 0u);
}

}  // namespace
}  // namespace ccsip::sip::dialog
