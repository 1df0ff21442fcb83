#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDns = R"(dns:
  - {dn: "1000", password: a}
  - {dn: "1001", password: b}
)";  // lines 6-8

TEST(AgentsSection, FullAgents) {
  auto result = load(std::string(kDns) + R"(agents:
  - id: "5001"
    name: Ann Agent
    password: pw1
    default-dn: "1000"
    mailbox: "5001"
    no-answer-timeout: 12
    no-answer-overflow: recall
    no-answer-action: notready
  - {id: agent.b@example, password: pw2}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  ASSERT_EQ(result.config.agents.size(), 2u);
  const AgentConfig& ann = result.config.agents[0];
  EXPECT_EQ(ann.id, "5001");
  EXPECT_EQ(ann.name, "Ann Agent");
  EXPECT_EQ(ann.password, "pw1");
  EXPECT_EQ(ann.defaultDn, "1000");
  EXPECT_EQ(ann.mailbox, "5001");
  EXPECT_EQ(ann.noAnswer.timeout, std::chrono::seconds(12));
  EXPECT_EQ(ann.noAnswer.overflow, (OverflowTarget{OverflowKind::Recall, ""}));
  EXPECT_EQ(ann.noAnswerAction, NoAnswerAction::NotReady);
  const AgentConfig& b = result.config.agents[1];
  EXPECT_EQ(b.id, "agent.b@example");
  EXPECT_EQ(b.defaultDn, "");
  EXPECT_FALSE(b.noAnswer.timeout.has_value());
  EXPECT_FALSE(b.noAnswer.overflow.has_value());
  EXPECT_FALSE(b.noAnswerAction.has_value());
  EXPECT_NE(result.config.findAgent("5001"), nullptr);
  EXPECT_EQ(result.config.findAgent("nobody"), nullptr);
  EXPECT_EQ(toString(NoAnswerAction::NotReady), "notready");
  EXPECT_EQ(toString(NoAnswerAction::None), "none");
}

TEST(AgentsSection, DuplicateId) {
  auto result = load(R"(agents:
  - {id: "5001", password: a}
  - {id: "5002", password: a}
  - {id: 5001, password: a}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:9: agents[2].id: duplicate agent id \"5001\" (first defined at line 7)");
  EXPECT_EQ(result.config.agents.size(), 2u);
}

TEST(AgentsSection, RequiredAndBadValues) {
  auto result = load(R"(agents:
  - {password: a}
  - {id: "a b", password: x}
  - {id: "5003"}
  - {id: "5004", password: ""}
  - {id: "5005", password: x, no-answer-action: logout}
  - {id: "5006", password: x, no-answer-overflow: voicemail}
  - {id: "5007", password: x, mailbox: "x y"}
  - {id: "5008", password: x, default-dn: "a b"}
  - {id: "5009", password: x, no-answer-timeout: -1}
  - {id: "5010", password: x, skill: 3}
  - x
)");
  ASSERT_EQ(result.errors.size(), 11u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:7: agents[0].id: missing required field");
  EXPECT_THAT(toString(result.errors[1]),
              HasSubstr("t.yaml:8: agents[1].id: expected a name without spaces"));
  EXPECT_EQ(toString(result.errors[2]), "t.yaml:9: agents[2].password: missing required field");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:10: agents[3].password: expected a non-empty string");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:11: agents[4].no-answer-action: expected one of notready, none, got "
            "\"logout\"");
  EXPECT_EQ(toString(result.errors[5]),
            "t.yaml:12: agents[5].no-answer-overflow: voicemail needs a mailbox here: set "
            "mailbox, or write voicemail:<box>");
  EXPECT_EQ(result.errors[6].field, "agents[6].mailbox");
  EXPECT_EQ(result.errors[7].field, "agents[7].default-dn");
  EXPECT_EQ(result.errors[8].field, "agents[8].no-answer-timeout");
  EXPECT_THAT(toString(result.errors[9]), HasSubstr("t.yaml:16: agents[9].skill: unknown key"));
  EXPECT_EQ(toString(result.errors[10]), "t.yaml:17: agents[10]: expected a map, got \"x\"");
}

TEST(AgentsSection, IdsTooLongOrWithControlCharacters) {
  auto result = load("agents:\n  - {id: \"" + std::string(129, 'a') +
                     "\", password: x}\n  - {id: \"a\\tb\", password: x}\n");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(result.errors[0].field, "agents[0].id");
  EXPECT_EQ(result.errors[1].field, "agents[1].id");
  EXPECT_TRUE(load("agents:\n  - {id: \"" + std::string(128, 'a') + "\", password: x}\n").ok());
}

}  // namespace
}  // namespace ccsip::config::test
