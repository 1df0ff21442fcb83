#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using namespace std::chrono_literals;

const OverflowTarget kRecall{OverflowKind::Recall, ""};
const OverflowTarget kRelease{OverflowKind::Release, ""};

TEST(OptionsSection, Defaults) {
  auto result = load("");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const OptionsConfig& o = result.config.options;
  EXPECT_EQ(o.noAnswerTimeout, 15s);
  EXPECT_EQ(o.noAnswerOverflow, kRecall);
  EXPECT_EQ(o.extnNoAnswerTimeout, 15s);
  EXPECT_EQ(o.extnNoAnswerOverflow, kRecall);
  EXPECT_EQ(o.agentNoAnswerTimeout, 15s);
  EXPECT_EQ(o.agentNoAnswerOverflow, kRecall);
  EXPECT_EQ(o.agentNoAnswerAction, NoAnswerAction::None);
  EXPECT_EQ(o.makecallFlow, MakeCallFlow::Flow1);
}

TEST(OptionsSection, ExtensionAndAgentDefaultsFallBackToTheGeneralOnes) {
  auto result = load(R"(options:
  no-answer-timeout: 25
  no-answer-overflow: release
  agent-no-answer-timeout: 10
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const OptionsConfig& o = result.config.options;
  EXPECT_EQ(o.noAnswerTimeout, 25s);
  EXPECT_EQ(o.noAnswerOverflow, kRelease);
  EXPECT_EQ(o.extnNoAnswerTimeout, 25s);
  EXPECT_EQ(o.extnNoAnswerOverflow, kRelease);
  EXPECT_EQ(o.agentNoAnswerTimeout, 10s);
  EXPECT_EQ(o.agentNoAnswerOverflow, kRelease);
}

TEST(OptionsSection, EveryKey) {
  auto result = load(R"(switch: {address: 192.0.2.1}
dns:
  - {dn: "9000", type: voicemail}
options:
  no-answer-timeout: 0
  no-answer-overflow: none
  extn-no-answer-timeout: 30
  extn-no-answer-overflow: voicemail
  agent-no-answer-timeout: 12
  agent-no-answer-overflow: "dn:0800123"
  agent-no-answer-action: notready
  makecall-flow: 4
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const OptionsConfig& o = result.config.options;
  EXPECT_EQ(o.noAnswerTimeout, 0s);
  EXPECT_EQ(o.noAnswerOverflow, (OverflowTarget{OverflowKind::None, ""}));
  EXPECT_EQ(o.extnNoAnswerTimeout, 30s);
  // Application-wide, a bare `voicemail` stays "the mailbox of whoever did not answer".
  EXPECT_EQ(o.extnNoAnswerOverflow, (OverflowTarget{OverflowKind::Voicemail, ""}));
  EXPECT_EQ(o.agentNoAnswerTimeout, 12s);
  EXPECT_EQ(o.agentNoAnswerOverflow, (OverflowTarget{OverflowKind::Dn, "0800123"}));
  EXPECT_EQ(o.agentNoAnswerAction, NoAnswerAction::NotReady);
  EXPECT_EQ(o.makecallFlow, MakeCallFlow::Flow4);
}

TEST(OptionsSection, BadValues) {
  auto result = load(R"(options:
  no-answer-timeout: 15s
  no-answer-overflow: "voicemail box"
  extn-no-answer-timeout: 4000
  agent-no-answer-action: logout
  makecall-flow: 2
  make-call-flow: 1
)");
  ASSERT_EQ(result.errors.size(), 6u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: options.no-answer-timeout: expected an integer 0..3600, got \"15s\"");
  EXPECT_EQ(result.errors[1].field, "options.no-answer-overflow");
  EXPECT_EQ(result.errors[2].field, "options.extn-no-answer-timeout");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:10: options.agent-no-answer-action: expected one of notready, none, got "
            "\"logout\"");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:11: options.makecall-flow: expected one of 1, 4, got \"2\"");
  EXPECT_EQ(toString(result.errors[5]),
            "t.yaml:12: options.make-call-flow: unknown key (did you mean \"makecall-flow\"?)");
}

}  // namespace
}  // namespace ccsip::config::test
