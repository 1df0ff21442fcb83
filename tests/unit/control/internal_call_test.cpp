// Phones registered on ccsip (docs/call-flows.md "Phones registered on ccsip"): digest-checked
// INVITEs, internal calls between two phones (InternalCall), a phone calling a routing point,
// and the registrar's bindings as the DNs' presence. In-memory wires, fake clock.

#include "control/internal_call.h"

#include <gtest/gtest.h>

#include "inbound_call_fixture.h"
#include "sip/dialog/credential_store.h"
#include "sip/dialog/digest.h"
#include "sip/dialog/location_table.h"
#include "sip/dialog/nonce_manager.h"

namespace ccsip::control {
namespace {

using namespace test;
using sip::dialog::DigestAlgorithm;

constexpr std::uint16_t kAlicePort = 5070;  // extension 1000's phone
constexpr std::uint16_t kBobPort = 5080;    // extension 1001's phone
constexpr const char* kDomain = "ccsip.test";

model::ModelSpec phoneSpec() {
  model::ModelSpec spec;
  for (const char* dn : {"1000", "1001", "1002"}) {
    model::DnSpec dnSpec{dn, model::DnType::Extension, {}};
    dnSpec.options.onCcsip = true;
    spec.dns.push_back(dnSpec);
  }
  spec.dns.push_back(model::DnSpec{"8000", model::DnType::RoutingPoint, {}});
  return spec;
}

class InternalCallTest : public ::testing::Test {
 protected:
  InternalCallTest()
      : model(model::ModelOptions{&sink, &wallClock, &connIds, nullptr}),
        locations(clock, locationOptions()),
        nonces(clock),
        alice(wire, clock, "alice", kAlicePort, phoneOptions(alicePhone), 1),
        bob(wire, clock, "bob", kBobPort, phoneOptions(bobPhone), 2),
        ccsip(wire, clock, "ccsip", kCcsipPort, ccsipOptions(), 3),
        control(services(), controlOptions()) {
    model.apply(phoneSpec());
    for (const char* dn : {"1000", "1001", "1002"}) {
      credentials.add(dn, std::string("pw") + dn);
    }
    bobPhone.newSessionHook = [](InviteSession& s, const Message&) { s.provisional(180); };
  }

  static sip::dialog::LocationOptions locationOptions() {
    sip::dialog::LocationOptions options;
    options.sweepInterval = util::Duration{0};
    return options;
  }
  static UserAgentCoreOptions phoneOptions(IncomingRecorder& recorder) {
    UserAgentCoreOptions options;
    options.sessions = &recorder;
    return options;
  }
  UserAgentCoreOptions ccsipOptions() {
    UserAgentCoreOptions options;
    options.sessions = &control;
    return options;
  }
  CallControlServices services() {
    CallControlServices services{&ccsip.core, &model, &router, &clock};
    services.locations = &locations;
    services.nonces = &nonces;
    services.credentials = &credentials;
    return services;
  }
  static CallControlOptions controlOptions() {
    CallControlOptions options;
    options.hasSwitch = false;
    options.domain = kDomain;
    options.phoneAuth.realm = kDomain;
    options.phoneAuth.algorithms = {DigestAlgorithm::Md5, DigestAlgorithm::Sha256};
    return options;
  }

  // The phone of `dn` registers from `port` (what the registrar would store).
  void registerPhone(const std::string& dn, std::uint16_t port) {
    sip::dialog::RegistrationUpdate update;
    update.contacts.push_back(sip::dialog::ContactUpdate{
        "sip:" + dn + "@127.0.0.1:" + std::to_string(port), std::chrono::seconds(300), {}, {}, {}});
    update.callId = "reg-" + dn;
    update.cseq = ++registerCSeq;
    update.source.remote = address(port);
    ASSERT_TRUE(locations.apply(std::string("sip:") + dn + "@" + kDomain, update).ok());
  }
  void unregisterPhone(const std::string& dn) {
    sip::dialog::RegistrationUpdate update;
    update.removeAll = true;
    update.callId = "reg-" + dn;
    update.cseq = ++registerCSeq;
    ASSERT_TRUE(locations.apply(std::string("sip:") + dn + "@" + kDomain, update).ok());
  }

  std::shared_ptr<InviteSession> invite(Endpoint& phone, const std::string& fromDn,
                                        const std::string& target,
                                        sip::dialog::ExtraHeaders headers = {}) {
    InviteSessionOptions options;
    options.requestUri = "sip:" + target + "@127.0.0.1:5060";
    options.from = "\"Phone " + fromDn + "\" <sip:" + fromDn + "@" + kDomain + ">";
    options.to = "<sip:" + target + "@" + kDomain + ">";
    options.offer = sdp(kCallerSdp);
    options.headers = std::move(headers);
    auto session = phone.core.invite(options, callerRecorder);
    EXPECT_NE(session, nullptr);
    wire.pump();
    return session;
  }

  // RFC 3261 22.2: the phone's INVITE is challenged (401), then sent again with credentials for
  // `user` / `password` answering that challenge.
  std::shared_ptr<InviteSession> call(Endpoint& phone, const std::string& fromDn,
                                      const std::string& target, std::string user = {},
                                      std::string password = {}) {
    if (user.empty()) user = fromDn;
    if (password.empty()) password = "pw" + user;
    invite(phone, fromDn, target);
    const auto* challenged = wire.last("ccsip:401/INVITE");
    if (challenged == nullptr) {
      ADD_FAILURE() << "no 401";
      return nullptr;
    }
    const Message response = challenged->parse();
    auto challenge = sip::dialog::parseDigestChallenge(
        std::string(response.headerValue(HeaderId::WwwAuthenticate)));
    EXPECT_TRUE(challenge.ok());
    if (!challenge) return nullptr;
    const std::string uri = "sip:" + target + "@127.0.0.1:5060";
    auto credentials = sip::dialog::answerDigestChallenge(
        *challenge, {user, password, "INVITE", uri, "0a4f113b", 1});
    EXPECT_TRUE(credentials.ok());
    if (!credentials) return nullptr;
    return invite(phone, fromDn, target,
                  {{"Authorization", sip::dialog::formatDigestCredentials(*credentials)}});
  }

  // Alice (1000) calls Bob (1001), whose phone rings.
  std::shared_ptr<InviteSession> ringing() {
    registerPhone("1001", kBobPort);
    auto session = call(alice, "1000", "1001");
    EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDialing 1000", "EventRinging 1001"}));
    return session;
  }
  std::shared_ptr<InviteSession> answered() {
    auto session = ringing();
    if (bobPhone.last() == nullptr) {
      ADD_FAILURE() << "no callee leg";
      return session;
    }
    EXPECT_TRUE(bobPhone.last()->accept(sdp(kAgentSdp)));
    wire.pump();
    return session;
  }

  std::size_t countTo(std::string_view entry, std::uint16_t port) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < wire.log.size(); ++i) {
      if (wire.log[i] == entry && wire.packets[i].to.remote.port == port) ++n;
    }
    return n;
  }
  void run(util::Duration total, util::Duration step = std::chrono::milliseconds(100)) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }
  void expectNothingLeft() {
    run(std::chrono::minutes(2));
    for (auto* endpoint : {&alice, &bob, &ccsip}) {
      EXPECT_TRUE(endpoint->idle())
          << endpoint->core.dialogCount() << " dialogs, " << endpoint->core.usageCount()
          << " usages, " << endpoint->layer.activeTransactions() << " txns";
    }
    EXPECT_EQ(control.callCount(), 0u);
    EXPECT_EQ(model.queryServer().calls, 0u);
  }
  model::ConnId onlyCall() const {
    const model::Call* call = model.findCall(model::ConnId{1});
    return call != nullptr ? call->connId : model::ConnId{};
  }

  Wire wire;
  util::ManualTimerService clock;
  RecordingSink sink;
  model::ManualWallClock wallClock;
  SequenceConnIds connIds;
  model::CallModel model;
  FakeRouter router;
  sip::dialog::LocationTable locations;
  sip::dialog::NonceManager nonces;
  sip::dialog::StaticCredentialStore credentials;
  std::uint32_t registerCSeq = 0;
  SessionRecorder callerRecorder;
  IncomingRecorder alicePhone;
  IncomingRecorder bobPhone;
  Endpoint alice;
  Endpoint bob;
  Endpoint ccsip;
  CallControl control;
};

TEST_F(InternalCallTest, CallBetweenTwoRegisteredPhonesWithEventsOnBothDns) {
  auto session = ringing();
  // The callee leg: a new INVITE to Bob's registered contact, with Alice's offer and identity.
  ASSERT_NE(wire.last("ccsip:INVITE"), nullptr);
  const Message leg = wire.last("ccsip:INVITE")->parse();
  EXPECT_EQ(leg.requestUri().text, "sip:1001@127.0.0.1:5080");
  EXPECT_EQ(leg.to().uri.text, "sip:1001@ccsip.test");
  EXPECT_EQ(leg.from().uri.text, "sip:1000@ccsip.test");
  EXPECT_EQ(leg.from().displayName, "Phone 1000");
  EXPECT_EQ(leg.body(), kCallerSdp);
  EXPECT_EQ(countTo("ccsip:180/INVITE", kAlicePort), 1u);

  ASSERT_NE(bobPhone.last(), nullptr);
  EXPECT_TRUE(bobPhone.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  EXPECT_TRUE(callerRecorder.has(std::string("answer ") + kAgentSdp));
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventDialing 1000", "EventRinging 1001",
                                      "EventEstablished 1001", "EventEstablished 1000"}));
  const model::Call* call = model.findCall(model::ConnId{1});
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->type, model::CallType::Internal);

  session->end();  // Alice hangs up
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kBobPort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, CalleeHangsUpFirst) {
  answered();
  ASSERT_NE(bobPhone.last(), nullptr);
  bobPhone.last()->end();
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAlicePort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  EXPECT_TRUE(callerRecorder.has("terminated remote-bye 0"));
  expectNothingLeft();
}

TEST_F(InternalCallTest, InviteWithoutCredentialsIsChallengedWith401) {
  registerPhone("1001", kBobPort);
  invite(alice, "1000", "1001");
  ASSERT_NE(wire.last("ccsip:401/INVITE"), nullptr);
  const Message response = wire.last("ccsip:401/INVITE")->parse();
  std::vector<std::string> challenges;
  for (const auto& header : response.headers()) {
    if (header.id == HeaderId::WwwAuthenticate) challenges.emplace_back(header.value);
  }
  ASSERT_EQ(challenges.size(), 2u);  // one per algorithm, MD5 first as configured
  auto md5 = sip::dialog::parseDigestChallenge(challenges[0]);
  ASSERT_TRUE(md5.ok());
  EXPECT_EQ(md5->realm, kDomain);
  EXPECT_EQ(md5->algorithm, DigestAlgorithm::Md5);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(wire.count("ccsip:INVITE"), 0u);
  expectNothingLeft();
}

TEST_F(InternalCallTest, WrongPasswordGets403) {
  registerPhone("1001", kBobPort);
  call(alice, "1000", "1001", "1000", "not-the-password");
  EXPECT_EQ(wire.count("ccsip:403/INVITE"), 1u);
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(InternalCallTest, CredentialsOfAnotherExtensionThanFromGet403) {
  registerPhone("1001", kBobPort);
  // Bob's right password, but the INVITE claims to come from Alice.
  call(alice, "1000", "1001", "1001", "pw1001");
  EXPECT_EQ(wire.count("ccsip:403/INVITE"), 1u);
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(InternalCallTest, UnknownNumberGets404) {
  call(alice, "1000", "4711");
  EXPECT_EQ(wire.count("ccsip:404/INVITE"), 1u);
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(InternalCallTest, UnregisteredCalleeGets480AndIsOutOfService) {
  call(alice, "1000", "1002");
  ASSERT_NE(wire.last("ccsip:480/INVITE"), nullptr);
  EXPECT_EQ(wire.last("ccsip:480/INVITE")->parse().reasonPhrase(), "Not Registered");
  EXPECT_EQ(sink.events, std::vector<std::string>{"EventDNOutOfService 1002"});
  EXPECT_EQ(wire.count("ccsip:INVITE"), 0u);
  expectNothingLeft();
}

TEST_F(InternalCallTest, BusyCalleeGives486AndDestinationBusy) {
  registerPhone("1001", kBobPort);
  bobPhone.newSessionHook = [](InviteSession& s, const Message&) { s.reject(486); };
  call(alice, "1000", "1001");
  EXPECT_EQ(countTo("ccsip:486/INVITE", kAlicePort), 1u);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDialing 1000", "EventDestinationBusy 1000",
                                                   "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, CalleeRefusalIsPassedBack) {
  registerPhone("1001", kBobPort);
  bobPhone.newSessionHook = [](InviteSession& s, const Message&) {
    s.provisional(180);
    s.reject(603);
  };
  call(alice, "1000", "1001");
  EXPECT_EQ(countTo("ccsip:603/INVITE", kAlicePort), 1u);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDialing 1000", "EventRinging 1001",
                                                   "EventReleased 1001", "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, NoAnswerCancelsTheCalleeAndAnswersThe480) {
  ringing();
  run(std::chrono::seconds(16));  // the default no-answer-timeout is 15 s
  EXPECT_EQ(countTo("ccsip:CANCEL", kBobPort), 1u);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kAlicePort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, CallerCancelsWhileTheCalleeRings) {
  auto session = ringing();
  session->end();  // CANCEL
  wire.pump();
  EXPECT_EQ(countTo("ccsip:CANCEL", kBobPort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.begin() + 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1000", "EventAbandoned 1001"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, CtiReleaseCallEndsBothLegs) {
  answered();
  ASSERT_TRUE(control.releaseCall(PartyRequest{model::ConnId{1}, "1001", 7}).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAlicePort), 1u);
  EXPECT_EQ(countTo("ccsip:BYE", kBobPort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, ReinviteIsRelayedToTheOtherPhone) {
  auto session = answered();
  ASSERT_NE(bobPhone.last(), nullptr);
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp(kCallerSdp)); };
  const std::string held = std::string(kAgentSdp) + "a=sendonly\r\n";
  ASSERT_TRUE(bobPhone.last()->reinvite(sdp(held)));
  wire.pump();
  EXPECT_EQ(countTo("ccsip:INVITE", kAlicePort), 1u);
  EXPECT_EQ(countTo("ccsip:200/INVITE", kBobPort), 1u);  // the relayed answer
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InternalCallTest, HoldAndRetrieveByEitherPhonesDn) {
  auto session = answered();
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp(kCallerSdp)); };
  const std::size_t before = sink.events.size();
  // The callee's DN holds the caller: the caller's leg is re-INVITEd a=sendonly.
  ASSERT_TRUE(control.holdCall(PartyRequest{onlyCall(), "1001", 21}).ok());
  wire.pump();
  ASSERT_EQ(countTo("ccsip:INVITE", kAlicePort), 1u);
  EXPECT_NE(wire.last("ccsip:INVITE")->parse().body().find("a=sendonly"), std::string::npos);
  EXPECT_EQ(countTo("ccsip:INVITE", kBobPort), 1u);  // the callee's leg is left alone
  EXPECT_EQ(control.holdCall(PartyRequest{onlyCall(), "1000", 22}).error().code,
            model::toInt(model::ErrorCode::InvalidCallState));
  ASSERT_TRUE(control.retrieveCall(PartyRequest{onlyCall(), "1001", 23}).ok());
  wire.pump();
  EXPECT_NE(wire.last("ccsip:INVITE")->parse().body().find("a=sendrecv"), std::string::npos);
  EXPECT_EQ(std::vector<std::string>(sink.events.begin() + static_cast<std::ptrdiff_t>(before),
                                     sink.events.end()),
            (std::vector<std::string>{"EventHeld 1001", "EventRetrieved 1001"}));
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InternalCallTest, TheCallerConsultsAThirdPhoneAndCompletesTheTransfer) {
  registerPhone("1002", kBobPort);  // 1002's phone sits behind the same endpoint as 1001's
  auto session = answered();
  // Every phone answers re-INVITEs with its own description, and offers when asked.
  callerRecorder.offerHook = [](InviteSession& s, const Body&) { s.accept(sdp(kCallerSdp)); };
  const std::string targetSdp =
      "v=0\r\no=target 300 3 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  auto own = [this, targetSdp](InviteSession& s) {
    return sdp(&s == bobPhone.sessions[0].get() ? std::string(kAgentSdp) : targetSdp);
  };
  bobPhone.recorder.offerHook = [own](InviteSession& s, const Body&) {
    if (s.state() == InviteSession::State::Confirmed) s.accept(own(s));
  };
  bobPhone.recorder.offerRequiredHook = [own](InviteSession& s) {
    if (s.state() == InviteSession::State::Confirmed) s.accept(own(s));
  };
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(
      control.initiateTransfer(InitiateTransferRequest{onlyCall(), "1000", "1002", {}, 17}).ok());
  wire.pump();
  ASSERT_EQ(bobPhone.sessions.size(), 2u);
  ASSERT_TRUE(bobPhone.sessions[1]->accept(sdp(targetSdp)));
  wire.pump();
  // The caller's phone (the consulting line) got 1002's offer in a re-INVITE.
  EXPECT_NE(wire.last("ccsip:INVITE")->parse().body().find("m=audio 30000"), std::string::npos);
  ASSERT_TRUE(
      control.completeTransfer(CallPairRequest{onlyCall(), model::ConnId{2}, "1000", 18}).ok());
  wire.pump();
  EXPECT_EQ(countTo("ccsip:BYE", kAlicePort), 1u);
  EXPECT_EQ(std::vector<std::string>(sink.events.begin() + static_cast<std::ptrdiff_t>(before),
                                     sink.events.end()),
            (std::vector<std::string>{"EventHeld 1000", "EventDialing 1000", "EventRinging 1002",
                                      "EventEstablished 1002", "EventEstablished 1000",
                                      "EventReleased 1000", "EventReleased 1000",
                                      "EventPartyChanged 1001", "EventPartyChanged 1002"}));
  const model::Call* call = model.findCall(model::ConnId{1});
  ASSERT_NE(call, nullptr);
  EXPECT_NE(call->findParty("1002"), nullptr);
  EXPECT_NE(call->findParty("1001"), nullptr);
  // 1001 and 1002 talk; 1001 hangs up and 1002's phone gets BYE.
  bobPhone.sessions[0]->end();
  wire.pump();
  EXPECT_EQ(bobPhone.sessions[1]->state(), InviteSession::State::Terminated);
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1001", "EventReleased 1002"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, PhoneCallsRoutingPointAndReachesTheAgentsPhone) {
  registerPhone("1001", kBobPort);
  router.targets = {"1001"};
  auto session = call(alice, "1000", "8000");
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDialing 1000", "EventRouteRequest 8000",
                                                   "EventRouteUsed 8000", "EventRinging 1001"}));
  ASSERT_NE(wire.last("ccsip:INVITE"), nullptr);
  EXPECT_EQ(wire.last("ccsip:INVITE")->parse().requestUri().text, "sip:1001@127.0.0.1:5080");
  ASSERT_NE(bobPhone.last(), nullptr);
  EXPECT_TRUE(bobPhone.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventEstablished 1001", "EventEstablished 1000"}));
  session->end();
  wire.pump();
  EXPECT_EQ(std::vector<std::string>(sink.events.end() - 2, sink.events.end()),
            (std::vector<std::string>{"EventReleased 1000", "EventReleased 1001"}));
  expectNothingLeft();
}

TEST_F(InternalCallTest, UnregisteredAgentFailsDeliveryAndTheCallIsRerouted) {
  registerPhone("1001", kBobPort);
  router.targets = {"1002", "1001"};  // 1002's phone is not registered
  auto session = call(alice, "1000", "8000");
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 8000", "failed 8000 1002 error 480"}));
  EXPECT_EQ(model.findDn("1002")->presence, model::EndpointPresence::Offline);
  ASSERT_NE(bobPhone.last(), nullptr);
  EXPECT_TRUE(bobPhone.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  session->end();
  wire.pump();
  expectNothingLeft();
}

TEST_F(InternalCallTest, RegistrationsPutTheDnInAndOutOfService) {
  unregisterPhone("1001");  // nothing to remove: no event
  registerPhone("1001", kBobPort);
  EXPECT_TRUE(sink.events.empty());  // from unknown to idle: nothing to tell
  unregisterPhone("1001");
  EXPECT_EQ(sink.events, std::vector<std::string>{"EventDNOutOfService 1001"});
  registerPhone("1001", kBobPort);
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventDNOutOfService 1001", "EventDNBackInService 1001"}));
}

TEST_F(InternalCallTest, MakeCallFromAnUnregisteredPhoneIsRefused) {
  MakeCallRequest request{"1002", "1001", {}, 1};
  auto made = control.makeCall(request);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, static_cast<int>(model::ErrorCode::DnOutOfService));
}

TEST_F(InternalCallTest, MakeCallRingsTheRegisteredPhones) {
  registerPhone("1000", kAlicePort);
  registerPhone("1001", kBobPort);
  alicePhone.newSessionHook = [](InviteSession& s, const Message&) { s.accept(sdp(kCallerSdp)); };
  auto made = control.makeCall(MakeCallRequest{"1000", "1001", {}, 1});
  ASSERT_TRUE(made.ok());
  wire.pump();
  ASSERT_NE(wire.last("ccsip:INVITE"), nullptr);
  EXPECT_EQ(countTo("ccsip:INVITE", kAlicePort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kBobPort), 1u);
  EXPECT_EQ(wire.last("ccsip:INVITE")->parse().from().uri.text, "sip:1000@ccsip.test");
  ASSERT_NE(bobPhone.last(), nullptr);
  EXPECT_TRUE(bobPhone.last()->accept(sdp(kAgentSdp)));
  wire.pump();
  ASSERT_TRUE(control.releaseCall(PartyRequest{*made, "1000", 2}).ok());
  wire.pump();
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control
