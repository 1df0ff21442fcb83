#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

// The checks that span sections (cross_check.cpp), each reported at the referring line.

namespace ccsip::config::test {
namespace {

using ::testing::HasSubstr;

TEST(CrossCheck, AgentDefaultDnMustBeAConfiguredExtension) {
  auto result = load(R"(extensions:
  - {dn: "1000", password: a}
dns:
  - {dn: "8000", type: routing-point}
agents:
  - {id: a1, password: p, default-dn: "1000"}
  - {id: a2, password: p, default-dn: "1999"}
  - {id: a3, password: p, default-dn: "8000"}
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:12: agents[1].default-dn: unknown DN \"1999\"");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:13: agents[2].default-dn: DN \"8000\" is a routing-point: an agent logs in "
            "on an extension");
}

TEST(CrossCheck, GroupMembersMustBeAgentsAndTargetGroupsMustExist) {
  auto result = load(R"(dns:
  - {dn: "8000", type: routing-point, routing-point: {target-group: sales}}
  - {dn: "8001", type: routing-point, routing-point: {target-group: salse}}
agents:
  - {id: "5001", password: p}
groups:
  - {name: sales, members: ["5001", "5002"]}
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:8: dns[1].routing-point.target-group: unknown group \"salse\"");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:12: groups[0].members[1]: unknown agent \"5002\"");
}

TEST(CrossCheck, DnsOnTheSwitchNeedASwitchSection) {
  auto result = load(R"(dns:
  - {dn: "1000"}
  - {dn: "1001", on: switch}
  - {dn: "1002", password: x}
  - {dn: "9000", type: voicemail}
  - {dn: pbx, type: trunk}
  - {dn: "8000", type: routing-point}
)");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: dns[0].dn: this extension is on the switch (on: switch, or no password), "
            "but there is no switch section");
  EXPECT_EQ(result.errors[1].field, "dns[1].dn");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:10: dns[3].dn: a voicemail DN is reached through the switch, but there is "
            "no switch section");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:11: dns[4].dn: a trunk DN stands for the switch, but there is no switch "
            "section");
  EXPECT_TRUE(load("switch: {address: 192.0.2.1}\ndns:\n  - {dn: \"1000\"}\n"
                   "  - {dn: \"9000\", type: voicemail}\n  - {dn: pbx, type: trunk}\n")
                  .ok());
}

TEST(CrossCheck, OverflowToABareNumberNeedsAConfiguredDn) {
  auto result = load(R"(dns:
  - {dn: "1000", password: a, no-answer-overflow: "1001"}
  - {dn: "1001", password: a, no-answer-overflow: relase}
agents:
  - {id: a, password: p, no-answer-overflow: "2000"}
options:
  no-answer-overflow: "1000"
  extn-no-answer-overflow: "3000"
)");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:8: dns[1].no-answer-overflow: unknown DN \"relase\" (expected voicemail, "
            "voicemail:<box>, recall, release, none, dn:<number> or a configured DN)");
  EXPECT_EQ(result.errors[1].field, "agents[0].no-answer-overflow");
  EXPECT_EQ(result.errors[2].field, "options.extn-no-answer-overflow");
  EXPECT_EQ(result.config.options.noAnswerOverflow, (OverflowTarget{OverflowKind::Dn, "1000"}));
}

TEST(CrossCheck, OverflowToAnyNumberNeedsTheSwitchUnlessConfigured) {
  auto result = load(R"(dns:
  - {dn: "1000", password: a, no-answer-overflow: "dn:1001"}
  - {dn: "1001", password: a, no-answer-overflow: "dn:0800555"}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:8: dns[1].no-answer-overflow: \"0800555\" is no configured DN, and with no "
            "switch section there is nothing to dial it through");
  auto withSwitch = load(R"(switch: {address: 192.0.2.1}
dns:
  - {dn: "1001", password: a, no-answer-overflow: "dn:0800555"}
)");
  EXPECT_TRUE(withSwitch.ok()) << errorsOf(withSwitch);
}

TEST(CrossCheck, OverflowNeverToTheTrunk) {
  auto result = load(R"(switch: {address: 192.0.2.1}
dns:
  - {dn: pbx, type: trunk}
  - {dn: "1000", password: a, no-answer-overflow: pbx}
options:
  no-answer-overflow: "dn:pbx"
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:9: dns[1].no-answer-overflow: DN \"pbx\" is a trunk: not an overflow target");
  EXPECT_EQ(result.errors[1].field, "options.no-answer-overflow");
}

TEST(CrossCheck, VoicemailBoxesNeedAVoicemailDnThatReachesThem) {
  auto result = load(R"(switch: {address: 192.0.2.1}
dns:
  - {dn: "9000", type: voicemail, voicemail: {mailbox: "1000"}}
  - {dn: "1000", mailbox: "1000", no-answer-overflow: voicemail}
  - {dn: "1001", mailbox: "1001", no-answer-overflow: voicemail}
agents:
  - {id: a, password: p, no-answer-overflow: "voicemail:1000"}
  - {id: b, password: p, mailbox: b, no-answer-overflow: voicemail}
options:
  no-answer-overflow: voicemail
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:10: dns[2].no-answer-overflow: no voicemail DN reaches box \"1001\": add a "
            "dns entry of type voicemail (voicemail.mailbox: 1001, or no mailbox to take any "
            "box)");
  EXPECT_EQ(result.errors[1].field, "agents[1].no-answer-overflow");

  // A voicemail DN without a fixed mailbox takes any box.
  auto any = load(R"(switch: {address: 192.0.2.1}
dns:
  - {dn: "9000", type: voicemail}
  - {dn: "1001", mailbox: "1001", no-answer-overflow: voicemail}
)");
  EXPECT_TRUE(any.ok()) << errorsOf(any);
}

TEST(CrossCheck, ExtensionsAndDnsShareOneNumberSpace) {
  auto result = load(R"(extensions:
  - {dn: "1000", password: a}
dns:
  - {dn: "1000", password: b}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:9: dns[0].dn: duplicate dn \"1000\" (first defined at line 7)");

  // `extensions` is read first: the one reported may be the earlier line.
  auto above = load(R"(dns:
  - {dn: "1000", password: b}
extensions:
  - {dn: "1000", password: a}
)");
  EXPECT_EQ(onlyErrorText(above),
            "t.yaml:7: dns[0].dn: duplicate dn \"1000\" (also defined at line 9)");
}

TEST(CrossCheck, ExtensionsBecomeDnsAndDnsOnCcsipBecomeExtensions) {
  auto result = load(R"(switch: {address: 192.0.2.1}
extensions:
  - {dn: "1000", password: a, name: Alice}
dns:
  - {dn: "2000", on: ccsip, password: b, name: Bob}
  - {dn: "2001"}
agents:
  - {id: x, password: p, default-dn: "1000"}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const Config& c = result.config;
  ASSERT_EQ(c.extensions.size(), 2u);
  EXPECT_EQ(c.extensions[0].dn, "1000");
  EXPECT_EQ(c.extensions[1].dn, "2000");
  EXPECT_EQ(c.extensions[1].password, "b");
  EXPECT_EQ(c.extensions[1].name, "Bob");
  ASSERT_EQ(c.dns.size(), 3u);
  EXPECT_EQ(c.dns[0].dn, "2000");
  EXPECT_EQ(c.dns[1].dn, "2001");
  const DnConfig* alice = c.findDn("1000");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->type, DnType::Extension);
  EXPECT_EQ(alice->on, DnLocation::Ccsip);
  EXPECT_EQ(alice->password, "a");
  EXPECT_EQ(alice->name, "Alice");
}

TEST(CrossCheck, ErrorsOfEverySectionTogether) {
  auto result = load(R"(switch: {address: nowhere}
dns:
  - {dn: "1000", type: routing-point, routing-point: {target-group: g}}
agents:
  - {id: a, password: p, default-dn: "1000"}
groups:
  - {name: h, members: [b]}
options:
  makecall-flow: 3
cti:
  applications: [{name: a}]
http:
  listen: {address: 127.0.0.1, port: 5060}
)");
  EXPECT_EQ(result.errors.size(), 7u) << errorsOf(result);
  for (std::size_t i = 1; i < result.errors.size(); ++i) {
    EXPECT_LE(result.errors[i - 1].line, result.errors[i].line);
  }
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:6: switch.address"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:8: dns[0].routing-point.target-group"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:10: agents[0].default-dn"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:12: groups[0].members[0]"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:14: options.makecall-flow"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:16: cti.applications[0].token"));
  EXPECT_THAT(errorsOf(result), HasSubstr("t.yaml:18: http.listen"));
}

}  // namespace
}  // namespace ccsip::config::test
