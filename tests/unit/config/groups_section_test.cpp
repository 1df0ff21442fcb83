#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kAgents = R"(agents:
  - {id: "5001", password: a}
  - {id: "5002", password: a}
  - {id: "5003", password: a}
)";  // lines 6-9

TEST(GroupsSection, MembersInOrder) {
  auto result = load(std::string(kAgents) + R"(groups:
  - name: sales
    members: ["5002", "5001", 5003]
    mailbox: "7000"
  - {name: empty}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  ASSERT_EQ(result.config.groups.size(), 2u);
  const GroupConfig& sales = result.config.groups[0];
  EXPECT_EQ(sales.name, "sales");
  EXPECT_EQ(sales.members, (std::vector<std::string>{"5002", "5001", "5003"}));
  EXPECT_EQ(sales.mailbox, "7000");
  EXPECT_TRUE(result.config.groups[1].members.empty());
  EXPECT_EQ(result.config.findGroup("empty"), &result.config.groups[1]);
  EXPECT_EQ(result.config.findGroup("nope"), nullptr);
}

TEST(GroupsSection, DuplicatesAndUnknownMembers) {
  auto result = load(std::string(kAgents) + R"(groups:
  - {name: sales, members: ["5001", "5001", "9999"]}
  - {name: support}
  - {name: sales}
)");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:11: groups[0].members[1]: agent \"5001\" listed twice");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:11: groups[0].members[2]: unknown agent \"9999\"");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:13: groups[2].name: duplicate group \"sales\" (first defined at line 11)");
}

TEST(GroupsSection, BadShapes) {
  auto result = load(R"(groups:
  - {members: []}
  - {name: a, members: "5001"}
  - {name: b, mailbox: "x y", colour: red}
)");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:7: groups[0].name: missing required field");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:8: groups[1].members: expected a list, got \"5001\"");
  EXPECT_EQ(result.errors[2].field, "groups[2].mailbox");
  EXPECT_THAT(result.errors[3].message, HasSubstr("unknown key"));
}

}  // namespace
}  // namespace ccsip::config::test
