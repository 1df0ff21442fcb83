#include <gtest/gtest.h>

#include "config_test_support.h"

// A routing point's no-answer-overflow: where a call goes that found no agent. A bare
// `voicemail` there is the box of its target group.

namespace ccsip::config::test {
namespace {

constexpr const char* kSwitch = "switch: {address: 192.0.2.10}\n";  // line 6

TEST(RoutingPointOverflow, BareVoicemailIsTheTargetGroupsBox) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "8000"
    type: routing-point
    routing-point: {target-group: sales}
    no-answer-overflow: voicemail
  - {dn: "97000", type: voicemail, voicemail: {mailbox: "7000"}}
agents:
  - {id: "5001", password: a}
groups:
  - {name: sales, members: ["5001"], mailbox: "7000"}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  // Kept bare: the box is the group's, looked up when a call overflows (a reload may change it).
  EXPECT_EQ(result.config.findDn("8000")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Voicemail, ""}));
}

TEST(RoutingPointOverflow, OtherTargetsOfARoutingPoint) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - {dn: "8000", type: routing-point, no-answer-overflow: release}
  - {dn: "8001", type: routing-point, no-answer-overflow: "voicemail:7000"}
  - {dn: "8002", type: routing-point, no-answer-overflow: "dn:8000"}
  - {dn: "8003", type: routing-point, no-answer-overflow: "1000"}
  - {dn: "1000"}
  - {dn: "97000", type: voicemail, voicemail: {mailbox: "7000"}}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  EXPECT_EQ(result.config.findDn("8000")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Release, ""}));
  EXPECT_EQ(result.config.findDn("8001")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Voicemail, "7000"}));
  EXPECT_EQ(result.config.findDn("8002")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Dn, "8000"}));
  EXPECT_EQ(result.config.findDn("8003")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Dn, "1000"}));
}

TEST(RoutingPointOverflow, BareVoicemailWithoutATargetGroup) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - {dn: "8000", type: routing-point, no-answer-overflow: voicemail}
  - {dn: "97000", type: voicemail}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:8: dns[0].no-answer-overflow: voicemail on a routing point means its target "
            "group's box, and this one has no routing-point.target-group: set one, or write "
            "voicemail:<box>");
}

TEST(RoutingPointOverflow, BareVoicemailWithAGroupWithoutMailbox) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "8000"
    type: routing-point
    routing-point: {target-group: sales}
    no-answer-overflow: voicemail
  - {dn: "97000", type: voicemail}
groups:
  - {name: sales, members: []}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:11: dns[0].no-answer-overflow: voicemail on a routing point means its target "
            "group's box, and group \"sales\" has no mailbox: set its mailbox, or write "
            "voicemail:<box>");
}

TEST(RoutingPointOverflow, BareVoicemailWhoseGroupBoxNoVoicemailDnReaches) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "8000"
    type: routing-point
    routing-point: {target-group: sales}
    no-answer-overflow: voicemail
  - {dn: "91000", type: voicemail, voicemail: {mailbox: "1000"}}
groups:
  - {name: sales, members: [], mailbox: "7000"}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:11: dns[0].no-answer-overflow: no voicemail DN reaches box \"7000\": add a dns "
            "entry of type voicemail (voicemail.mailbox: 7000, or no mailbox to take any box)");
}

TEST(RoutingPointOverflow, AnUnknownTargetGroupIsReportedOnceAtTheGroup) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "8000"
    type: routing-point
    routing-point: {target-group: nosuch}
    no-answer-overflow: voicemail
  - {dn: "97000", type: voicemail}
)");
  const ConfigError error = onlyError(result);
  EXPECT_EQ(error.field, "dns[0].routing-point.target-group");
}

}  // namespace
}  // namespace ccsip::config::test
