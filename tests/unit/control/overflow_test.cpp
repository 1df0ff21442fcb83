#include "control/overflow.h"

#include <gtest/gtest.h>

#include "../model/model_test_support.h"

// The no-answer decisions of control/overflow.h: which timeout, overflow and action apply to a
// call ringing on a DN, and where each overflow target sends it.

namespace ccsip::control {
namespace {

using namespace std::chrono_literals;
using config::OverflowKind;
using config::OverflowTarget;
using model::DnType;

// demoSpec (extensions 1000-1003, agents a1000-a1003, routing point 5000, voicemail DN 6000
// taking any box) plus: 1001 with its own timeout and overflow and box "1001"; agent a1002 with
// its own; deposit number 91001 for box 1001; routing point 5000 -> group sales (box "sales").
model::ModelSpec overflowSpec() {
  model::ModelSpec spec = model::test::demoSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "1001") {
      dn.options.mailbox = "1001";
      dn.options.noAnswerTimeout = 7s;
      dn.options.noAnswerOverflow = "dn:1003";
    }
    if (dn.dn == "5000") dn.options.targetGroup = "sales";
  }
  spec.dns.push_back(model::test::dnSpec("91001", DnType::Voicemail));
  spec.dns.back().options.voicemailBox = "1001";
  spec.dns.push_back(model::test::dnSpec("5001", DnType::RoutingPoint));
  for (model::AgentSpec& agent : spec.agents) {
    if (agent.agentId == "a1002") {
      agent.options.mailbox = "a1002";
      agent.options.noAnswerTimeout = 4s;
      agent.options.noAnswerOverflow = "voicemail:a1002";
      agent.options.noAnswerAction = "none";
    }
  }
  return spec;
}

class OverflowTest : public model::test::ModelTest {
 protected:
  OverflowTest() {
    model_.apply(overflowSpec());
    options_.noAnswerTimeout = 15s;
  }

  void login(const std::string& agentId, const std::string& dn) {
    model::AgentLoginRequest request;
    request.agentId = agentId;
    request.password = "pw";
    request.dn = dn;
    ASSERT_TRUE(model_.agentLogin(request).ok());
  }

  CallControlOptions options_;
};

// --- timeouts: the first that is set wins

TEST_F(OverflowTest, DnWithoutAgentTakesItsOwnTimeout) {
  options_.noAnswer.extnTimeout = 20s;
  EXPECT_EQ(planNoAnswer(model_, "1001", options_).timeout, 7s);
}

TEST_F(OverflowTest, DnWithoutAgentOrOwnTimeoutTakesTheExtnDefault) {
  options_.noAnswer.extnTimeout = 20s;
  options_.noAnswer.agentTimeout = 30s;
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).timeout, 20s);
}

TEST_F(OverflowTest, WithoutAnyDefaultTheApplicationTimeout) {
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).timeout, 15s);
  login("a1000", "1000");
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).timeout, 15s);
  // An unknown number (dn:<number> through the switch) is supervised like an extension.
  options_.noAnswer.extnTimeout = 9s;
  EXPECT_EQ(planNoAnswer(model_, "5559999", options_).timeout, 9s);
}

TEST_F(OverflowTest, AnAgentsOwnTimeoutWinsOverTheDns) {
  login("a1002", "1001");  // the DN has 7 s, the agent 4 s
  const NoAnswerPlan plan = planNoAnswer(model_, "1001", options_);
  EXPECT_EQ(plan.timeout, 4s);
  EXPECT_EQ(plan.agentId, "a1002");
}

TEST_F(OverflowTest, AnAgentWithoutOwnTimeoutTakesTheDnsThenTheAgentDefault) {
  options_.noAnswer.agentTimeout = 11s;
  options_.noAnswer.extnTimeout = 20s;
  login("a1000", "1001");  // the DN has 7 s
  EXPECT_EQ(planNoAnswer(model_, "1001", options_).timeout, 7s);
  EXPECT_EQ(planNoAnswer(model_, "1001", options_).overflow,
            (OverflowTarget{OverflowKind::Dn, "1003"}));
  login("a1001", "1002");  // nothing on the DN
  EXPECT_EQ(planNoAnswer(model_, "1002", options_).timeout, 11s);
}

TEST_F(OverflowTest, VoicemailAndTrunkDnsAreNotSupervised) {
  EXPECT_EQ(planNoAnswer(model_, "6000", options_).timeout, util::Duration::zero());
  EXPECT_EQ(planNoAnswer(model_, "asterisk", options_).timeout, util::Duration::zero());
}

TEST_F(OverflowTest, OverflowNoneKeepsRinging) {
  options_.noAnswer.extnOverflow = OverflowTarget{OverflowKind::None, ""};
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).timeout, util::Duration::zero());
}

// --- overflow targets and the agent's action

TEST_F(OverflowTest, OverflowOrderFollowsTheTimeouts) {
  options_.noAnswer.extnOverflow = OverflowTarget{OverflowKind::Release, ""};
  options_.noAnswer.agentOverflow = OverflowTarget{OverflowKind::Dn, "1002"};
  EXPECT_EQ(planNoAnswer(model_, "1001", options_).overflow,
            (OverflowTarget{OverflowKind::Dn, "1003"}));  // the DN's own
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).overflow,
            (OverflowTarget{OverflowKind::Release, ""}));  // extn default
  login("a1000", "1000");
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).overflow,
            (OverflowTarget{OverflowKind::Dn, "1002"}));  // agent default
  login("a1002", "1002");
  EXPECT_EQ(planNoAnswer(model_, "1002", options_).overflow,
            (OverflowTarget{OverflowKind::Voicemail, "a1002"}));  // the agent's own
}

TEST_F(OverflowTest, ABareVoicemailIsTheAgentsBoxThenTheDns) {
  options_.noAnswer.extnOverflow = OverflowTarget{OverflowKind::Voicemail, ""};
  options_.noAnswer.agentOverflow = OverflowTarget{OverflowKind::Voicemail, ""};
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).overflow,
            (OverflowTarget{OverflowKind::Voicemail, "1000"}));  // the DN's box
  login("a1003", "1000");                                        // a1003 has box "a1003"
  EXPECT_EQ(planNoAnswer(model_, "1000", options_).overflow,
            (OverflowTarget{OverflowKind::Voicemail, "a1003"}));
  login("a1001", "1002");  // neither has a box
  EXPECT_EQ(planNoAnswer(model_, "1002", options_).overflow,
            (OverflowTarget{OverflowKind::Recall, ""}));
}

TEST_F(OverflowTest, AgentActionFromTheAgentThenTheDefault) {
  options_.noAnswer.agentAction = config::NoAnswerAction::NotReady;
  EXPECT_FALSE(planNoAnswer(model_, "1000", options_).agentNotReady);  // nobody logged in
  login("a1000", "1000");
  EXPECT_TRUE(planNoAnswer(model_, "1000", options_).agentNotReady);
  login("a1002", "1002");  // says none itself
  EXPECT_FALSE(planNoAnswer(model_, "1002", options_).agentNotReady);
  options_.noAnswer.agentAction = config::NoAnswerAction::None;
  EXPECT_FALSE(planNoAnswer(model_, "1000", options_).agentNotReady);
}

TEST_F(OverflowTest, ResolveEveryKind) {
  using enum OverflowAction;
  EXPECT_EQ(resolveOverflow(model_, {OverflowKind::Recall, ""}, Release).action, Recall);
  EXPECT_EQ(resolveOverflow(model_, {OverflowKind::Release, ""}, Recall).action, Release);
  EXPECT_EQ(resolveOverflow(model_, {OverflowKind::None, ""}, Recall).action, Recall);

  const OverflowStep dn = resolveOverflow(model_, {OverflowKind::Dn, "1003"}, Recall);
  EXPECT_EQ(dn.action, Deliver);
  EXPECT_EQ(dn.dn, "1003");
  const OverflowStep external = resolveOverflow(model_, {OverflowKind::Dn, "5559999"}, Recall);
  EXPECT_EQ(external.action, Deliver);
  const OverflowStep rp = resolveOverflow(model_, {OverflowKind::Dn, "5001"}, Recall);
  EXPECT_EQ(rp.action, Route);
  EXPECT_EQ(rp.dn, "5001");

  const OverflowStep own = resolveOverflow(model_, {OverflowKind::Voicemail, "1001"}, Recall);
  EXPECT_EQ(own.action, Deliver);
  EXPECT_EQ(own.dn, "91001");  // the box's own deposit number
  EXPECT_FALSE(own.anyBox);
  const OverflowStep any = resolveOverflow(model_, {OverflowKind::Voicemail, "sales"}, Recall);
  EXPECT_EQ(any.dn, "6000");  // takes any box: the box goes along
  EXPECT_TRUE(any.anyBox);
  EXPECT_EQ(any.mailbox, "sales");
}

TEST_F(OverflowTest, AVoicemailBoxNoDnReachesFallsBack) {
  model::ModelSpec spec = overflowSpec();
  std::erase_if(spec.dns, [](const model::DnSpec& dn) { return dn.dn == "6000"; });
  model_.apply(spec);
  EXPECT_EQ(
      resolveOverflow(model_, {OverflowKind::Voicemail, "sales"}, OverflowAction::Recall).action,
      OverflowAction::Recall);
}

TEST_F(OverflowTest, RoutingPointOverflowBareVoicemailIsTheGroupsBox) {
  EXPECT_EQ(routingPointOverflow(model_, "5000"), (OverflowTarget{OverflowKind::Release, ""}));
  model::ModelSpec spec = overflowSpec();
  for (model::DnSpec& dn : spec.dns) {
    if (dn.dn == "5000") dn.options.noAnswerOverflow = "voicemail";
    if (dn.dn == "5001") dn.options.noAnswerOverflow = "dn:1003";
  }
  model_.apply(spec);
  EXPECT_EQ(routingPointOverflow(model_, "5000"),
            (OverflowTarget{OverflowKind::Voicemail, "sales"}));
  EXPECT_EQ(routingPointOverflow(model_, "5001"), (OverflowTarget{OverflowKind::Dn, "1003"}));
  EXPECT_EQ(routingPointOverflow(model_, "nosuch"), (OverflowTarget{OverflowKind::Release, ""}));
}

TEST_F(OverflowTest, HeadersOfAnOverflowLeg) {
  OverflowStep step{OverflowAction::Deliver, "91001", "1001", false};
  auto headers = overflowHeaders("sip:1001@192.0.2.1:5060", kDiversionNoAnswer, step);
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].name, "Diversion");
  EXPECT_EQ(headers[0].value, "<sip:1001@192.0.2.1:5060>;reason=no-answer;counter=1");
  step.anyBox = true;
  headers = overflowHeaders("sip:5000@192.0.2.1:5060", kDiversionUnavailable, step);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[1].name, "X-Ccsip-Mailbox");
  EXPECT_EQ(headers[1].value, "1001");
}

TEST(NoAnswerDefaultsFrom, TakesTheOptionsSection) {
  config::OptionsConfig options;
  options.extnNoAnswerTimeout = 21s;
  options.agentNoAnswerTimeout = 12s;
  options.extnNoAnswerOverflow = OverflowTarget{OverflowKind::Voicemail, ""};
  options.agentNoAnswerOverflow = OverflowTarget{OverflowKind::Release, ""};
  options.agentNoAnswerAction = config::NoAnswerAction::NotReady;
  const NoAnswerDefaults defaults = noAnswerDefaultsFrom(options);
  EXPECT_EQ(defaults.extnTimeout, util::Duration(21s));
  EXPECT_EQ(defaults.agentTimeout, util::Duration(12s));
  EXPECT_EQ(defaults.extnOverflow, options.extnNoAnswerOverflow);
  EXPECT_EQ(defaults.agentOverflow, options.agentNoAnswerOverflow);
  EXPECT_EQ(defaults.agentAction, config::NoAnswerAction::NotReady);
}

}  // namespace
}  // namespace ccsip::control
