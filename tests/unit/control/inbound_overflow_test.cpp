#include <gtest/gtest.h>

#include "inbound_call_fixture.h"

// InboundCall's no-answer supervision and overflow (docs/call-flows.md "No answer and
// voicemail"), over in-memory SIP wires with a fake clock: the agent leg is CANCELed when the
// no-answer timeout expires, then the overflow target applies (voicemail, another DN, recall,
// release); a routing point that finds no agent sends the call to its overflow.

namespace ccsip::control::test {
namespace {

using namespace std::chrono_literals;

// The fixture's DNs (1000, 1001 with a 5 s timeout, routing points 5000 and 8000) plus:
//   1000: box "1000", overflow `voicemail` (its own box);
//   1002: overflow dn:1001;  1003: overflow release;  1004: overflow none;
//   91000: deposit number of box 1000 (access number 91000);
//   97000: deposit number of box 7000, dialled as *97000;
//   6000: a voicemail DN that takes any box;
//   5000 -> group sales (box 7000; agent a1 on 1000), overflow `voicemail` (the group's box).
model::ModelSpec overflowSpec() {
  model::ModelSpec spec = test::spec();
  spec.dns[0].options.mailbox = "1000";
  spec.dns[0].options.noAnswerTimeout = 5s;
  spec.dns[0].options.noAnswerOverflow = "voicemail:1000";
  auto extension = [&](const char* dn, const char* overflow) {
    model::DnSpec entry{dn, model::DnType::Extension, {}};
    entry.options.noAnswerTimeout = 5s;
    entry.options.noAnswerOverflow = overflow;
    spec.dns.push_back(entry);
  };
  extension("1002", "dn:1001");
  extension("1003", "release");
  extension("1004", "none");
  auto voicemail = [&](const char* dn, const char* box, const char* access) {
    model::DnSpec entry{dn, model::DnType::Voicemail, {}};
    entry.options.voicemailBox = box;
    entry.options.accessNumber = access;
    spec.dns.push_back(entry);
  };
  voicemail("91000", "1000", "91000");
  voicemail("97000", "7000", "*97000");
  voicemail("6000", "", "6000");
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "5000") {
      dn.options.targetGroup = "sales";
      dn.options.noAnswerOverflow = "voicemail";
    }
  }
  model::AgentSpec agent;
  agent.agentId = "a1";
  agent.options.password = "pw";
  agent.options.defaultDn = "1000";
  spec.agents.push_back(agent);
  spec.groups.push_back(model::GroupSpec{"sales", {"a1"}, "7000"});
  return spec;
}

class InboundOverflowTest : public InboundCallFixture {
 protected:
  InboundOverflowTest() { model.apply(overflowSpec()); }

  // A call routed to `dn`, ringing there; events forgotten.
  std::shared_ptr<InviteSession> ringingAt(const std::string& dn) {
    router.targets = {dn};
    auto session = call(caller);
    EXPECT_EQ(sink.events.back(), "EventRinging " + dn);
    sink.events.clear();
    sink.all.clear();
    return session;
  }

  // The answer of the last leg (a voicemail system answering): the caller is connected.
  void answerLastLeg(const std::shared_ptr<InviteSession>& session) {
    ASSERT_NE(phones.last(), nullptr);
    EXPECT_TRUE(phones.last()->accept(sdp(kAgentSdp)));
    wire.pump();
    EXPECT_EQ(session->state(), InviteSession::State::Confirmed);
  }

  // The last leg hangs up: the call ends.
  void hangUpLastLeg() {
    ASSERT_NE(phones.last(), nullptr);
    phones.last()->end();
    wire.pump();
  }
};

TEST_F(InboundOverflowTest, NoAnswerToTheDnsVoicemail) {
  auto session = ringingAt("1000");
  run(4'900ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 0u);
  run(200ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_TRUE(phones.sessions.front()->terminated());
  ASSERT_EQ(countTo("ccsip:INVITE", kAgentPort), 2u);
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(invite.requestUri().text, "sip:91000@127.0.0.1:5080");
  EXPECT_EQ(invite.headerValue("Diversion"),
            "<sip:1000@127.0.0.1:5080>;reason=no-answer;counter=1");
  EXPECT_EQ(invite.findHeader("X-Ccsip-Mailbox"), nullptr);  // the number says the box
  EXPECT_EQ(invite.body(), kCallerSdp);  // the caller is not answered: early offer
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDiverted 1000", "EventRinging 91000"}));
  EXPECT_EQ(field(0, "thirdPartyDN"), "91000");
  EXPECT_EQ(field(1, "thirdPartyDN"), "1000");  // the voicemail sees where the call came from

  answerLastLeg(session);
  hangUpLastLeg();
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"EventDiverted 1000", "EventRinging 91000",
                                      "EventEstablished 91000", "EventReleased 91000"}));
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "ended 0000000000000001",
                                                  "ended 0000000000000001"}));
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, AVoicemailDnTakingAnyBoxGetsTheBoxInAHeader) {
  model::ModelSpec spec = overflowSpec();
  std::erase_if(spec.dns, [](const model::DnSpec& dn) { return dn.dn == "91000"; });
  model.apply(spec);
  auto session = ringingAt("1000");
  run(5'100ms);
  const Message invite = lastTo("ccsip:INVITE", kAgentPort);
  EXPECT_EQ(invite.requestUri().text, "sip:6000@127.0.0.1:5080");
  EXPECT_EQ(invite.headerValue("X-Ccsip-Mailbox"), "1000");
  answerLastLeg(session);
  hangUpLastLeg();
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, NoAnswerToAnotherDnThenItsOwnOverflowRecalls) {
  auto session = ringingAt("1002");  // overflow dn:1001; 1001 recalls (the default)
  run(5'100ms);
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:1001@127.0.0.1:5080");
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDiverted 1002", "EventRinging 1001"}));
  // 1001 does not answer either: back to the routing point, which routes afresh.
  router.targets = {"1000"};
  run(5'100ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 2u);
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:1000@127.0.0.1:5080");
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).findHeader("Diversion"), nullptr);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventDiverted 1002", "EventRinging 1001",
                                                   "EventReleased 1001", "EventRouteRequest 5000",
                                                   "EventRouteUsed 5000", "EventRinging 1000"}));
  EXPECT_EQ(router.log.back(), "route 5000");
  answerLastLeg(session);
  hangUpLastLeg();
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, NoAnswerReleaseRejectsTheCaller) {
  auto session = ringingAt("1003");
  run(5'100ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_TRUE(callerRecorder.has("terminated rejected 480"));
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventReleased 1003"}));
  EXPECT_EQ(field(0, "cause"), "no-answer");
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, OverflowNoneKeepsRinging) {
  auto session = ringingAt("1004");
  run(60s);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 0u);
  answerLastLeg(session);
  hangUpLastLeg();
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, RecallByDefaultGoesBackToTheRouter) {
  auto session = ringingAt("1001");  // 5 s, no overflow of its own: the default recall
  router.targets = {"1002"};
  run(5'100ms);
  EXPECT_EQ(router.log, (std::vector<std::string>{"route 5000", "failed 5000 1001 no-answer 408"}));
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).findHeader("Diversion"), nullptr);
  answerLastLeg(session);
  hangUpLastLeg();
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, TheApplicationDefaultsApplyToDnsWithoutTheirOwn) {
  NoAnswerDefaults defaults;
  defaults.extnTimeout = 2s;
  defaults.extnOverflow = config::OverflowTarget{config::OverflowKind::Release, ""};
  control.setNoAnswerDefaults(defaults);
  model::ModelSpec spec = overflowSpec();
  spec.dns.push_back(model::DnSpec{"1005", model::DnType::Extension, {}});
  model.apply(spec);
  auto session = ringingAt("1005");
  run(1'900ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 0u);
  run(200ms);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, AgentNoAnswerActionSetsTheAgentNotReady) {
  NoAnswerDefaults defaults;
  defaults.agentTimeout = 3s;
  defaults.agentAction = config::NoAnswerAction::NotReady;
  control.setNoAnswerDefaults(defaults);
  model::ModelSpec spec = overflowSpec();  // 1005: nothing of its own, so the defaults apply
  spec.dns.push_back(model::DnSpec{"1005", model::DnType::Extension, {}});
  model.apply(spec);
  model::AgentLoginRequest login;
  login.agentId = "a1";
  login.password = "pw";
  login.dn = "1005";
  login.initialState = model::AgentState::Ready;
  ASSERT_TRUE(model.agentLogin(login).ok());
  auto session = ringingAt("1005");
  router.giveUpStatus = 480;  // the recall finds nobody
  run(3'100ms);
  EXPECT_EQ(countTo("ccsip:CANCEL", kAgentPort), 1u);
  EXPECT_EQ(model.findAgent("a1")->state, model::AgentState::NotReady);
  EXPECT_EQ(router.log.at(1), "failed 5000 1005 no-answer 408");  // agent-no-answer-overflow
  // NotReady before the DN is freed; then the recall, and with nobody left the routing point's
  // overflow: the group's box.
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventAgentNotReady 1005", "EventReleased 1005",
                                                   "EventRouteRequest 5000", "EventDiverted 5000",
                                                   "EventRinging 97000"}));
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:*97000@127.0.0.1:5080");
  answerLastLeg(session);
  hangUpLastLeg();
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, RoutingPointWithNoAgentGoesToTheGroupsVoicemail) {
  router.giveUpStatus = 480;  // the router finds nobody
  auto session = call(caller);
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).requestUri().text, "sip:*97000@127.0.0.1:5080");
  EXPECT_EQ(lastTo("ccsip:INVITE", kAgentPort).headerValue("Diversion"),
            "<sip:5000@127.0.0.1:5080>;reason=unavailable;counter=1");
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventDiverted 5000",
                                                   "EventRinging 97000"}));
  EXPECT_EQ(field(1, "thirdPartyDN"), "97000");
  answerLastLeg(session);
  hangUpLastLeg();
  EXPECT_EQ(sink.events.back(), "EventReleased 97000");
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, ARefusedOverflowLegReleasesTheCaller) {
  router.giveUpStatus = 480;
  phones.newSessionHook = [](InviteSession& s, const Message&) { s.reject(486); };
  auto session = call(caller);
  EXPECT_EQ(countTo("ccsip:486/INVITE", kCallerPort), 1u);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"EventRouteRequest 5000", "EventDiverted 5000",
                                                   "EventDestinationBusy 5000"}));
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, RoutingPointWithoutOverflowReleasesAsBefore) {
  router.giveUpStatus = 480;
  auto session = call(caller, "8000");
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 0u);
  expectNothingLeft();
}

TEST_F(InboundOverflowTest, OverflowsAreBounded) {
  // 1002 -> 1001 -> recall -> 1002 -> 1001 ...: released after a few hops.
  model::ModelSpec spec = overflowSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "1001") dn.options.noAnswerOverflow = "dn:1002";
  }
  model.apply(spec);
  auto session = ringingAt("1002");
  run(60s);
  EXPECT_EQ(countTo("ccsip:480/INVITE", kCallerPort), 1u);
  EXPECT_EQ(countTo("ccsip:INVITE", kAgentPort), 5u);  // the first leg and four overflows
  expectNothingLeft();
}

}  // namespace
}  // namespace ccsip::control::test
