#include "control/make_call.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "../dialog/usage_test_support.h"
#include "control/call_control.h"
#include "model/model.h"
#include "sip/sdp.h"

namespace ccsip::control {
namespace {

using namespace sip::dialog::usage_test;
using sip::Message;
using sip::dialog::Body;
using sip::dialog::InviteSession;
using sip::dialog::SessionEnd;
using sip::dialog::UserAgentCoreOptions;

constexpr std::uint16_t kCcsipPort = 5060;
constexpr std::uint16_t kSwitchPort = 5080;  // Asterisk: both legs are dialled there

class RecordingSink final : public model::EventSink {
 public:
  void onEvent(const model::TEvent& event) override {
    const auto* dn = event.fields.if_contains("thisDN");
    events.push_back(event.name + " " +
                     (dn != nullptr && dn->is_string() ? std::string(dn->as_string()) : "?"));
    all.push_back(event);
  }
  std::vector<std::string> events;  // "EventDialing 1000"
  std::vector<model::TEvent> all;
};

class SequenceConnIds final : public model::ConnIdSource {
 public:
  model::ConnId next() override { return model::ConnId{next_++}; }

 private:
  std::uint64_t next_ = 1;
};

class NoRouter final : public RouteDecider {
 public:
  void route(model::ConnId, std::string_view, RouteCallback&) override {}
  void onDeliveryFailed(model::ConnId, std::string_view, const DeliveryFailure&,
                        RouteCallback&) override {}
  void onCallEnded(model::ConnId) override {}
};

// One phone behind the switch: the UAS of one leg, recording what happens to it. `reofferAnswer`
// answers a re-INVITE offer at once (flow IV's message 7), and is offered in the 2xx to a
// re-INVITE without offer.
class Phone final : public sip::dialog::InviteSessionHandler {
 public:
  void onOffer(InviteSession& s, const Body& offer) override {
    events.push_back("offer");
    offers.push_back(offer.content);
    if (s.state() == InviteSession::State::Confirmed && !reofferAnswer.empty()) {
      s.accept(sdp(reofferAnswer));
    }
  }
  void onOfferRequired(InviteSession& s) override {
    events.push_back("offer-required");
    if (s.state() == InviteSession::State::Confirmed && !reofferAnswer.empty()) {
      s.accept(sdp(reofferAnswer));  // a re-INVITE without offer: the phone offers
    }
  }
  void onAnswer(InviteSession&, const Body& answer) override {
    events.push_back("answer");
    answers.push_back(answer.content);
  }
  void onConfirmed(InviteSession&) override { events.push_back("confirmed"); }
  void onTerminated(InviteSession&, const SessionEnd& end) override {
    events.push_back("terminated " + std::string(toString(end.reason)));
  }
  bool has(std::string_view event) const {
    return std::find(events.begin(), events.end(), event) != events.end();
  }

  std::string dn;
  std::shared_ptr<InviteSession> session;
  std::vector<std::string> events;
  std::vector<std::string> offers;
  std::vector<std::string> answers;
  std::string reofferAnswer;
};

// The switch: each INVITE reaches the phone of its Request-URI user, which rings (180) unless
// `onInvite[dn]` says otherwise.
class Switch final : public sip::dialog::IncomingSessionHandler {
 public:
  sip::dialog::InviteSessionHandler* onNewSession(const std::shared_ptr<InviteSession>& session,
                                                  const Message& invite) override {
    auto phone = std::make_unique<Phone>();
    phone->dn = std::string(invite.requestUri().user);
    phone->session = session;
    Phone& stored = *phone;
    phones.push_back(std::move(phone));
    if (auto it = onInvite.find(stored.dn); it != onInvite.end()) {
      it->second(*session);
    } else {
      session->provisional(180);
    }
    return &stored;
  }
  // The last phone called for `dn`; nullptr if none.
  Phone* phone(std::string_view dn) {
    for (auto it = phones.rbegin(); it != phones.rend(); ++it) {
      if ((*it)->dn == dn) return it->get();
    }
    return nullptr;
  }

  std::vector<std::unique_ptr<Phone>> phones;
  std::map<std::string, std::function<void(InviteSession&)>> onInvite;
};

// A session description as a phone or Asterisk writes it.
std::string audioSdp(const std::string& user, int port) {
  return "v=0\r\no=" + user + " 4242 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n" +
         "t=0 0\r\nm=audio " + std::to_string(port) +
         " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
         "a=sendrecv\r\n";
}

model::ModelSpec spec() {
  model::ModelSpec spec;
  for (const char* dn : {"1000", "1001", "1002"}) {
    spec.dns.push_back(model::DnSpec{dn, model::DnType::Extension, {}});
  }
  spec.dns[0].options.name = "Agent \"One\"";
  spec.dns[2].options.noAnswerTimeout = std::chrono::seconds(60);
  spec.dns.push_back(model::DnSpec{"5000", model::DnType::RoutingPoint, {}});
  return spec;
}

class MakeCallTest : public ::testing::Test {
 protected:
  MakeCallTest()
      : model(model::ModelOptions{&sink, &wallClock, &connIds, nullptr}),
        asterisk(wire, clock, "switch", kSwitchPort, switchOptions(), 2),
        ccsip(wire, clock, "ccsip", kCcsipPort, {}, 3) {
    model.apply(spec());
    useFlow(config::MakeCallFlow::Flow1);
  }

  UserAgentCoreOptions switchOptions() {
    UserAgentCoreOptions options;
    options.sessions = &phones;
    return options;
  }
  void useFlow(config::MakeCallFlow flow) {
    CallControlOptions options;
    options.switchHost = "127.0.0.1";
    options.switchPort = kSwitchPort;
    options.makeCallFlow = flow;
    control.reset();
    control = std::make_unique<CallControl>(
        CallControlServices{&ccsip.core, &model, &router, &clock}, options);
  }

  // MakeCall thisDN -> otherDN with referenceId 7; the ConnId (1 for the first call).
  model::ConnId makeCall(const std::string& thisDn, const std::string& otherDn) {
    MakeCallRequest request{thisDn, otherDn, {{"case", "77"}}, boost::json::value(7)};
    auto id = control->makeCall(request);
    EXPECT_TRUE(id.ok()) << (id ? "" : id.error().message);
    wire.pump();
    return id ? *id : model::ConnId{};
  }

  // Flow I up to otherDN ringing: thisDN answered with O1, otherDN got it.
  model::ConnId flowOneRinging(const std::string& otherDn) {
    const model::ConnId id = makeCall("1000", otherDn);
    Phone* agent = phones.phone("1000");
    if (agent == nullptr) {
      ADD_FAILURE() << "no INVITE to 1000";
      return id;
    }
    EXPECT_TRUE(agent->session->accept(sdp(audioSdp("agent", 4000))));
    wire.pump();
    EXPECT_NE(phones.phone(otherDn), nullptr);
    return id;
  }

  // Flow I, answered by otherDN.
  model::ConnId flowOneEstablished(const std::string& otherDn) {
    const model::ConnId id = flowOneRinging(otherDn);
    Phone* other = phones.phone(otherDn);
    if (other == nullptr) return id;
    EXPECT_TRUE(other->session->accept(sdp(audioSdp("customer", 6000))));
    wire.pump();
    EXPECT_EQ(sink.events.back(), "EventEstablished 1000");
    return id;
  }

  // Packets of `entry` ("ccsip:ACK") sent in the dialog (Call-ID) of `phone`.
  std::vector<Message> sentIn(std::string_view entry, const Phone* phone) const {
    std::vector<Message> out;
    if (phone == nullptr) return out;
    for (std::size_t i = 0; i < wire.log.size(); ++i) {
      if (wire.log[i] != entry) continue;
      Message message = wire.packets[i].parse();
      if (message.callId() == phone->session->callId()) out.push_back(std::move(message));
    }
    return out;
  }
  // A field of the index-th event as text, or "<absent>".
  std::string field(std::size_t index, std::string_view key) const {
    if (index >= sink.all.size()) return "<no event>";
    const auto* value = sink.all[index].fields.if_contains(key);
    if (value == nullptr) return "<absent>";
    return value->is_string() ? std::string(value->as_string()) : boost::json::serialize(*value);
  }

  void run(util::Duration total, util::Duration step = std::chrono::milliseconds(100)) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }

  // No call, dialog, usage, transaction or timer left anywhere.
  void expectNothingLeft() {
    run(std::chrono::minutes(2));
    for (auto* endpoint : {&asterisk, &ccsip}) {
      EXPECT_TRUE(endpoint->idle())
          << endpoint->core.dialogCount() << " dialogs, " << endpoint->core.usageCount()
          << " usages, " << endpoint->layer.activeTransactions() << " txns";
    }
    EXPECT_EQ(control->callCount(), 0u);
    EXPECT_EQ(model.queryServer().calls, 0u);
    EXPECT_EQ(clock.pending(), 0u);
  }

  Wire wire;
  util::ManualTimerService clock;
  RecordingSink sink;
  model::ManualWallClock wallClock;
  SequenceConnIds connIds;
  model::CallModel model;
  NoRouter router;
  Switch phones;
  Endpoint asterisk;
  Endpoint ccsip;
  std::unique_ptr<CallControl> control;
};

using Events = std::vector<std::string>;

// --- flow I

TEST_F(MakeCallTest, FlowOneOutboundCallReleasedByThisDn) {
  const model::ConnId id = makeCall("1000", "5551234");
  EXPECT_EQ(sink.events, Events{"EventDialing 1000"});
  EXPECT_EQ(field(0, "referenceId"), "7");
  EXPECT_EQ(field(0, "otherDN"), "5551234");
  EXPECT_EQ(field(0, "callType"), "Outbound");
  EXPECT_EQ(field(0, "connId"), id.str());

  // Message 1: INVITE thisDN without offer; its phone shows the number it is about to call.
  Phone* agent = phones.phone("1000");
  ASSERT_NE(agent, nullptr);
  const auto invites1 = sentIn("ccsip:INVITE", agent);
  ASSERT_EQ(invites1.size(), 1u);
  const Message& invite1 = invites1[0];
  EXPECT_EQ(invite1.requestUri().text, "sip:1000@127.0.0.1:5080");
  EXPECT_TRUE(invite1.body().empty());
  EXPECT_EQ(invite1.from().uri.text, "sip:5551234@127.0.0.1:5080");
  EXPECT_EQ(agent->events, Events{"offer-required"});

  // Message 2: thisDN answers with offer O1, and its 2xx waits for the ACK.
  const std::string o1 = audioSdp("agent", 4000);
  ASSERT_TRUE(agent->session->accept(sdp(o1)));
  wire.pump();
  EXPECT_TRUE(sentIn("ccsip:ACK", agent).empty());

  // Message 3: INVITE otherDN with O1, from thisDN (its configured name).
  Phone* customer = phones.phone("5551234");
  ASSERT_NE(customer, nullptr);
  const auto invites2 = sentIn("ccsip:INVITE", customer);
  ASSERT_EQ(invites2.size(), 1u);
  const Message& invite2 = invites2[0];
  EXPECT_EQ(invite2.requestUri().text, "sip:5551234@127.0.0.1:5080");
  EXPECT_EQ(invite2.body(), o1);
  EXPECT_EQ(invite2.from().uri.text, "sip:1000@127.0.0.1:5080");
  EXPECT_EQ(invite2.from().displayName, "Agent \\\"One\\\"");
  EXPECT_NE(invite2.callId(), invite1.callId());
  EXPECT_EQ(customer->offers, std::vector<std::string>{o1});
  // Its 180: the external number is reached.
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventNetworkReached 1000"}));
  EXPECT_EQ(field(1, "otherDN"), "5551234");

  // Messages 4-6: otherDN answers A1; ACK otherDN (no body), ACK thisDN with A1.
  const std::string a1 = audioSdp("customer", 6000);
  ASSERT_TRUE(customer->session->accept(sdp(a1)));
  wire.pump();
  ASSERT_EQ(sentIn("ccsip:ACK", customer).size(), 1u);
  EXPECT_TRUE(sentIn("ccsip:ACK", customer)[0].body().empty());
  ASSERT_EQ(sentIn("ccsip:ACK", agent).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:ACK", agent)[0].body(), a1);
  EXPECT_EQ(agent->answers, std::vector<std::string>{a1});
  EXPECT_EQ(agent->session->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(customer->session->state(), InviteSession::State::Confirmed);
  EXPECT_EQ(sink.events,
            (Events{"EventDialing 1000", "EventNetworkReached 1000", "EventEstablished 1000"}));
  EXPECT_EQ(field(2, "otherDN"), "5551234");
  EXPECT_EQ(field(2, "callType"), "Outbound");
  EXPECT_EQ(model.findCall(id)->userData.at("case"), "77");

  // ReleaseCall: BYE both legs.
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", boost::json::value(8)}).ok());
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", agent).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", customer).size(), 1u);
  EXPECT_TRUE(agent->has("terminated remote-bye"));
  EXPECT_TRUE(customer->has("terminated remote-bye"));
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  EXPECT_EQ(field(3, "referenceId"), "8");
  EXPECT_EQ(field(3, "cause"), "normal");
  expectNothingLeft();
}

TEST_F(MakeCallTest, FlowOneInternalCallReleasedByTheCalledPhone) {
  const model::ConnId id = flowOneEstablished("1001");
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventEstablished 1001",
                                 "EventEstablished 1000"}));
  EXPECT_EQ(field(0, "callType"), "Internal");
  EXPECT_EQ(field(1, "otherDN"), "1000");
  EXPECT_EQ(field(3, "otherDN"), "1001");
  EXPECT_EQ(model.findCall(id)->parties.size(), 2u);

  // otherDN hangs up: thisDN is released too.
  phones.phone("1001")->session->end();
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sink.events.size(), 6u);
  EXPECT_EQ(sink.events[4], "EventReleased 1001");
  EXPECT_EQ(sink.events[5], "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(MakeCallTest, ThisDnLegReleasedLeavesNoHalfCall) {
  flowOneEstablished("1001");
  phones.phone("1000")->session->end();
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1001")).size(), 1u);
  EXPECT_TRUE(phones.phone("1001")->has("terminated remote-bye"));
  EXPECT_EQ(sink.events.at(4), "EventReleased 1000");
  EXPECT_EQ(sink.events.at(5), "EventReleased 1001");
  expectNothingLeft();
}

TEST_F(MakeCallTest, ThisDnBusy) {
  phones.onInvite["1000"] = [](InviteSession& s) { s.reject(486); };
  makeCall("1000", "5551234");
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "cause"), "busy");
  EXPECT_EQ(phones.phones.size(), 1u);  // otherDN never called
  expectNothingLeft();
}

TEST_F(MakeCallTest, ThisDnNotFound) {
  // chan_pjsip's answer for an endpoint that is not registered.
  phones.onInvite["1000"] = [](InviteSession& s) { s.reject(404); };
  makeCall("1000", "5551234");
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "cause"), "rejected-404");
  expectNothingLeft();
}

TEST_F(MakeCallTest, ThisDnNoAnswerIsCancelled) {
  makeCall("1000", "5551234");
  run(std::chrono::milliseconds(14'800));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1000")).size(), 0u);
  run(std::chrono::milliseconds(300));  // the default no-answer-timeout, 15 s
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1000")).size(), 1u);
  EXPECT_TRUE(phones.phone("1000")->has("terminated cancelled"));
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "cause"), "no-answer");
  expectNothingLeft();
}

TEST_F(MakeCallTest, OtherDnBusy) {
  phones.onInvite["5551234"] = [](InviteSession& s) { s.reject(486); };
  flowOneRinging("5551234");
  Phone* agent = phones.phone("1000");
  // thisDN's 2xx is ACKed (RFC 3261 13.2.2.4) and the session ended at once.
  EXPECT_EQ(sentIn("ccsip:ACK", agent).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", agent).size(), 1u);
  EXPECT_EQ(sink.events,
            (Events{"EventDialing 1000", "EventDestinationBusy 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "otherDN"), "5551234");
  EXPECT_EQ(field(2, "cause"), "busy");
  expectNothingLeft();
}

TEST_F(MakeCallTest, InternalOtherDnBusyAfterRinging) {
  flowOneRinging("1001");
  phones.phone("1001")->session->reject(486);
  wire.pump();
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001",
                                 "EventDestinationBusy 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(2, "otherDN"), "1001");
  expectNothingLeft();
}

TEST_F(MakeCallTest, OtherDnNotFound) {
  phones.onInvite["5559999"] = [](InviteSession& s) { s.reject(404); };
  flowOneRinging("5559999");
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "cause"), "rejected-404");
  expectNothingLeft();
}

TEST_F(MakeCallTest, OtherDnNoAnswer) {
  flowOneRinging("1001");
  run(std::chrono::milliseconds(14'800));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1001")).size(), 0u);
  run(std::chrono::milliseconds(300));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1001")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventReleased 1001",
                                 "EventReleased 1000"}));
  EXPECT_EQ(field(2, "cause"), "no-answer");
  EXPECT_EQ(field(3, "cause"), "no-answer");
  expectNothingLeft();
}

TEST_F(MakeCallTest, FlowOneGivesOtherDnUpBeforeThisDnsTwoHundredExpires) {
  // 1002 rings for 60 s, but thisDN retransmits its unacknowledged 2xx only for 64*T1.
  flowOneRinging("1002");
  run(std::chrono::milliseconds(29'900));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1002")).size(), 0u);
  run(std::chrono::milliseconds(200));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1002")).size(), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  EXPECT_EQ(field(sink.events.size() - 1, "cause"), "no-answer");
  expectNothingLeft();
}

TEST_F(MakeCallTest, OtherDnTimeout) {
  // The switch never answers the INVITE for otherDN (no 100 either).
  wire.dropIf = [](const Wire::Packet&, const Message& m) {
    return m.isRequest() && m.requestUri().user == "5551234";
  };
  makeCall("1000", "5551234");
  ASSERT_TRUE(phones.phone("1000")->session->accept(sdp(audioSdp("agent", 4000))));
  wire.pump();
  EXPECT_EQ(phones.phone("5551234"), nullptr);
  run(std::chrono::seconds(15));
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "cause"), "no-answer");
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  expectNothingLeft();  // Timer B ends the INVITE transaction nobody answered
}

TEST_F(MakeCallTest, ReleaseCallWhileThisDnRings) {
  const model::ConnId id = makeCall("1000", "1001");
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", boost::json::value(9)}).ok());
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1000")).size(), 1u);
  EXPECT_TRUE(phones.phone("1000")->has("terminated cancelled"));
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventReleased 1000"}));
  EXPECT_EQ(field(1, "referenceId"), "9");
  EXPECT_EQ(phones.phones.size(), 1u);
  // The call is gone: a second request is refused.
  EXPECT_FALSE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

TEST_F(MakeCallTest, ReleaseCallWhileOtherDnRings) {
  const model::ConnId id = flowOneRinging("1001");
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", boost::json::value(9)}).ok());
  wire.pump();
  // thisDN's 2xx is ACKed and BYEd, otherDN cancelled.
  EXPECT_EQ(sentIn("ccsip:ACK", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1001")).size(), 1u);
  EXPECT_TRUE(phones.phone("1001")->has("terminated cancelled"));
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventReleased 1000",
                                 "EventAbandoned 1001"}));
  expectNothingLeft();
}

TEST_F(MakeCallTest, ClearCallWhenEstablished) {
  const model::ConnId id = flowOneEstablished("1001");
  EXPECT_TRUE(control->clearCall(PartyRequest{id, "1001", boost::json::value(3)}).ok());
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1001")).size(), 1u);
  EXPECT_EQ(sink.events.at(4), "EventReleased 1001");
  EXPECT_EQ(field(4, "referenceId"), "3");
  EXPECT_EQ(sink.events.at(5), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(MakeCallTest, ReinviteFromAPhoneIsRelayedToTheOtherPhone) {
  const model::ConnId id = flowOneEstablished("1001");
  phones.phone("1000")->reofferAnswer = audioSdp("agent", 4002);
  const std::size_t invitesTo1000 = sentIn("ccsip:INVITE", phones.phone("1000")).size();
  ASSERT_TRUE(phones.phone("1001")->session->reinvite(sdp(audioSdp("customer", 6002))));
  wire.pump();
  // docs/call-flows.md "re-INVITE from a leg (relay)": the offer goes to 1000's phone, its answer
  // back into the 200 to 1001.
  const auto relayed = sentIn("ccsip:INVITE", phones.phone("1000"));
  ASSERT_EQ(relayed.size(), invitesTo1000 + 1);
  EXPECT_NE(relayed.back().body().find("m=audio 6002"), std::string::npos);
  const auto answered = sentIn("ccsip:200/INVITE", phones.phone("1001"));
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_NE(answered.back().body().find("m=audio 4002"), std::string::npos);
  EXPECT_EQ(model.findCall(id)->parties.size(), 2u);
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

TEST_F(MakeCallTest, HoldAndRetrieveReinviteTheOtherPartysLeg) {
  const model::ConnId id = flowOneEstablished("1001");
  phones.phone("1001")->reofferAnswer = audioSdp("customer", 6000);
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control->holdCall(PartyRequest{id, "1000", boost::json::value(14)}).ok());
  wire.pump();
  // RFC 3264 8.4: 1001's leg only, with the last description it got (thisDN's O1), a=sendonly.
  auto toOther = sentIn("ccsip:INVITE", phones.phone("1001"));
  ASSERT_EQ(toOther.size(), 2u);
  EXPECT_NE(toOther.back().body().find("a=sendonly"), std::string::npos);
  EXPECT_NE(toOther.back().body().find("m=audio 4000"), std::string::npos);
  EXPECT_EQ(sentIn("ccsip:INVITE", phones.phone("1000")).size(), 1u);
  ASSERT_EQ(sink.events.size(), before + 1);
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  EXPECT_EQ(field(before, "referenceId"), "14");
  // Held already; and only the holder retrieves.
  EXPECT_EQ(control->holdCall(PartyRequest{id, "1000", {}}).error().code,
            model::toInt(model::ErrorCode::InvalidCallState));
  EXPECT_EQ(control->retrieveCall(PartyRequest{id, "1001", {}}).error().code,
            model::toInt(model::ErrorCode::InvalidCallState));
  ASSERT_TRUE(control->retrieveCall(PartyRequest{id, "1000", boost::json::value(15)}).ok());
  wire.pump();
  toOther = sentIn("ccsip:INVITE", phones.phone("1001"));
  ASSERT_EQ(toOther.size(), 3u);
  EXPECT_NE(toOther.back().body().find("a=sendrecv"), std::string::npos);
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  EXPECT_EQ(field(before + 1, "referenceId"), "15");
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

TEST_F(MakeCallTest, HoldRefusedByThePhoneIsAnEventError) {
  const model::ConnId id = flowOneEstablished("1001");
  ASSERT_TRUE(control->holdCall(PartyRequest{id, "1000", boost::json::value(14)}).ok());
  wire.pump();
  // 1001's phone has no answer ready: it refuses.
  ASSERT_TRUE(phones.phone("1001")->session->reject(488));
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventError 1000");
  EXPECT_EQ(field(sink.all.size() - 1, "errorCode"), "65");
  EXPECT_EQ(field(sink.all.size() - 1, "referenceId"), "14");
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

TEST_F(MakeCallTest, ConsultFromAMadeCallAndReconnect) {
  const model::ConnId id = flowOneEstablished("1001");
  phones.phone("1000")->reofferAnswer = audioSdp("agent", 4000);
  phones.phone("1001")->reofferAnswer = audioSdp("customer", 6000);
  const std::size_t before = sink.events.size();
  ASSERT_TRUE(control
                  ->initiateTransfer(InitiateTransferRequest{
                      id, "1000", "1002", {{"case", "1"}}, boost::json::value(17)})
                  .ok());
  wire.pump();
  Phone* target = phones.phone("1002");
  ASSERT_NE(target, nullptr);
  EXPECT_TRUE(sentIn("ccsip:INVITE", target).front().body().empty());
  ASSERT_TRUE(target->session->accept(sdp(audioSdp("target", 8000))));
  wire.pump();
  EXPECT_NE(sentIn("ccsip:INVITE", phones.phone("1000")).back().body().find("m=audio 8000"),
            std::string::npos);
  EXPECT_EQ(Events(sink.events.begin() + static_cast<std::ptrdiff_t>(before), sink.events.end()),
            (Events{"EventHeld 1000", "EventDialing 1000", "EventRinging 1002",
                    "EventEstablished 1002", "EventEstablished 1000"}));
  const model::ConnId consult{2};
  EXPECT_EQ(field(before + 1, "callType"), "Consult");
  EXPECT_EQ(field(before + 1, "userData"), R"({"case":"1"})");
  ASSERT_TRUE(control->reconnectCall(CallPairRequest{consult, id, "1000", {}}).ok());
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", target).size(), 1u);
  // 1001 offers (re-INVITE without offer), thisDN's phone answers.
  EXPECT_TRUE(sentIn("ccsip:INVITE", phones.phone("1001")).back().body().empty());
  EXPECT_EQ(sink.events.back(), "EventRetrieved 1000");
  // The made call is as before: 1000 holds it, then releases it.
  ASSERT_TRUE(control->holdCall(PartyRequest{id, "1000", {}}).ok());
  wire.pump();
  EXPECT_EQ(sink.events.back(), "EventHeld 1000");
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

TEST_F(MakeCallTest, BadRequestsAreRefusedBeforeAnythingIsSent) {
  auto errorOf = [&](const std::string& thisDn, const std::string& otherDn) {
    auto id = control->makeCall(MakeCallRequest{thisDn, otherDn, {}, {}});
    return id ? 0 : id.error().code;
  };
  EXPECT_EQ(errorOf("4444", "1001"), model::toInt(model::ErrorCode::UnknownDn));
  EXPECT_EQ(errorOf("5000", "1001"), model::toInt(model::ErrorCode::WrongDnType));
  EXPECT_EQ(errorOf("1000", ""), model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(errorOf("1000", "1001@evil.example"), model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(errorOf("1000", "1001>;x"), model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(errorOf("1000", "1000"), model::toInt(model::ErrorCode::BadFieldValue));
  EXPECT_EQ(errorOf("1000", "5000"), model::toInt(model::ErrorCode::NotSupported));
  ASSERT_TRUE(model.endpointOffline("1000").ok());
  sink.events.clear();
  EXPECT_EQ(errorOf("1000", "1001"), model::toInt(model::ErrorCode::DnOutOfService));
  wire.pump();
  EXPECT_TRUE(wire.log.empty());
  EXPECT_TRUE(sink.events.empty());
  expectNothingLeft();
}

TEST_F(MakeCallTest, TearingDownWithCallsUpIsSafe) {
  flowOneEstablished("1001");
  makeCall("1002", "5551234");
  // The fixture destroys CallControl and the stacks with both calls alive.
}

TEST_F(MakeCallTest, TheFlowReloadsForTheNextCall) {
  control->setMakeCallFlow(config::MakeCallFlow::Flow4);
  const model::ConnId id = makeCall("1000", "1001");
  ASSERT_NE(phones.phone("1000"), nullptr);
  EXPECT_EQ(phones.phone("1000")->events, Events{"offer"});  // flow IV offers without media
  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1000", {}}).ok());
  expectNothingLeft();
}

// --- flow IV (RFC 3725 4.4)

class MakeCallFlowFourTest : public MakeCallTest {
 protected:
  MakeCallFlowFourTest() { useFlow(config::MakeCallFlow::Flow4); }

  // Up to otherDN ringing: thisDN answered without media.
  model::ConnId ringing(const std::string& otherDn) {
    const model::ConnId id = makeCall("1000", otherDn);
    Phone* agent = phones.phone("1000");
    if (agent == nullptr) {
      ADD_FAILURE() << "no INVITE to 1000";
      return id;
    }
    EXPECT_TRUE(agent->session->accept(sdp(noMediaAnswer)));
    wire.pump();
    EXPECT_NE(phones.phone(otherDn), nullptr);
    return id;
  }

  const std::string noMediaAnswer = "v=0\r\no=agent 77 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
};

TEST_F(MakeCallFlowFourTest, HappyPath) {
  const model::ConnId id = makeCall("1000", "1001");
  // Message 1: INVITE thisDN with an offer without media.
  Phone* agent = phones.phone("1000");
  ASSERT_NE(agent, nullptr);
  ASSERT_EQ(agent->offers.size(), 1u);
  auto offer1 = sip::sdp::parseSdp(agent->offers[0]);
  ASSERT_TRUE(offer1.ok()) << agent->offers[0];
  EXPECT_TRUE(offer1->media.empty());
  EXPECT_EQ(offer1->origin.username, "ccsip");
  EXPECT_EQ(offer1->origin.sessionVersion, 1u);
  EXPECT_EQ(offer1->origin.address, "127.0.0.1");

  // Messages 2-3: its answer (no media) is ACKed at once, without body.
  ASSERT_TRUE(agent->session->accept(sdp(noMediaAnswer)));
  wire.pump();
  ASSERT_EQ(sentIn("ccsip:ACK", agent).size(), 1u);
  EXPECT_TRUE(sentIn("ccsip:ACK", agent)[0].body().empty());

  // Message 4: INVITE otherDN without offer.
  Phone* called = phones.phone("1001");
  ASSERT_NE(called, nullptr);
  EXPECT_TRUE(sentIn("ccsip:INVITE", called).at(0).body().empty());
  EXPECT_EQ(called->events, Events{"offer-required"});
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001"}));

  // Message 5: otherDN answers with O2; message 6: re-INVITE thisDN with O2' (our origin,
  // version 2); message 7: thisDN answers A2' (at once); messages 8-9: both ACKed, otherDN's
  // ACK carries A2'.
  const std::string o2 = audioSdp("callee", 6000);
  const std::string a2 = audioSdp("agent", 4000);
  agent->reofferAnswer = a2;
  ASSERT_TRUE(called->session->accept(sdp(o2)));
  wire.pump();
  const auto reinvites = sentIn("ccsip:INVITE", agent);
  ASSERT_EQ(reinvites.size(), 2u);
  auto offer2 = sip::sdp::parseSdp(reinvites[1].body());
  ASSERT_TRUE(offer2.ok());
  auto expected = sip::sdp::parseSdp(o2);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(offer2->media, expected->media);
  EXPECT_EQ(offer2->connection, expected->connection);
  EXPECT_EQ(offer2->origin.username, "ccsip");
  EXPECT_EQ(offer2->origin.sessionId, offer1->origin.sessionId);
  EXPECT_EQ(offer2->origin.sessionVersion, 2u);
  ASSERT_EQ(sentIn("ccsip:ACK", agent).size(), 2u);
  EXPECT_TRUE(sentIn("ccsip:ACK", agent)[1].body().empty());
  ASSERT_EQ(sentIn("ccsip:ACK", called).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:ACK", called)[0].body(), a2);
  EXPECT_EQ(called->answers, std::vector<std::string>{a2});
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventEstablished 1001",
                                 "EventEstablished 1000"}));

  EXPECT_TRUE(control->releaseCall(PartyRequest{id, "1001", {}}).ok());
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:BYE", agent).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", called).size(), 1u);
  EXPECT_EQ(sink.events.at(4), "EventReleased 1001");
  EXPECT_EQ(sink.events.at(5), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(MakeCallFlowFourTest, ThisDnHangsUpWhileOtherDnRings) {
  ringing("1001");
  phones.phone("1000")->session->end();
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1001")).size(), 1u);
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventReleased 1000",
                                 "EventAbandoned 1001"}));
  expectNothingLeft();
}

TEST_F(MakeCallFlowFourTest, OtherDnBusy) {
  phones.onInvite["1001"] = [](InviteSession& s) { s.reject(600); };
  ringing("1001");
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sink.events,
            (Events{"EventDialing 1000", "EventDestinationBusy 1000", "EventReleased 1000"}));
  expectNothingLeft();
}

TEST_F(MakeCallFlowFourTest, OtherDnNoAnswerUsesItsOwnTimeout) {
  // Flow IV has no 2xx waiting for its ACK: 1002's own 60 s apply.
  ringing("1002");
  run(std::chrono::seconds(59));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1002")).size(), 0u);
  run(std::chrono::seconds(2));
  EXPECT_EQ(sentIn("ccsip:CANCEL", phones.phone("1002")).size(), 1u);
  EXPECT_EQ(sink.events.back(), "EventReleased 1000");
  expectNothingLeft();
}

TEST_F(MakeCallFlowFourTest, ThisDnRefusingTheReinviteReleasesBoth) {
  ringing("1001");
  // thisDN refuses otherDN's session description.
  Phone* agent = phones.phone("1000");
  agent->reofferAnswer.clear();
  ASSERT_TRUE(phones.phone("1001")->session->accept(sdp(audioSdp("callee", 6000))));
  wire.pump();
  ASSERT_EQ(sentIn("ccsip:INVITE", agent).size(), 2u);
  ASSERT_TRUE(agent->session->reject(488));
  wire.pump();
  // otherDN's 2xx is ACKed and BYEd; thisDN BYEd.
  EXPECT_EQ(sentIn("ccsip:ACK", phones.phone("1001")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1001")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", agent).size(), 1u);
  EXPECT_EQ(sink.events, (Events{"EventDialing 1000", "EventRinging 1001", "EventReleased 1001",
                                 "EventReleased 1000"}));
  EXPECT_EQ(field(3, "cause"), "rejected-488");
  expectNothingLeft();
}

TEST_F(MakeCallFlowFourTest, UnparsableOfferFromOtherDnReleasesBoth) {
  ringing("5551234");
  ASSERT_TRUE(phones.phone("5551234")->session->accept(sdp("this is not sdp")));
  wire.pump();
  EXPECT_EQ(sentIn("ccsip:INVITE", phones.phone("1000")).size(), 1u);  // no re-INVITE
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("5551234")).size(), 1u);
  EXPECT_EQ(sentIn("ccsip:BYE", phones.phone("1000")).size(), 1u);
  EXPECT_EQ(sink.events,
            (Events{"EventDialing 1000", "EventNetworkReached 1000", "EventReleased 1000"}));
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control
