#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kSwitch = "switch: {address: 192.0.2.10}\n";  // line 6

TEST(DnsSection, EveryTypeWithItsOptions) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "1000"
    name: Alice
    on: ccsip
    password: secret
    mailbox: "1000"
    no-answer-timeout: 20
    no-answer-overflow: voicemail
  - dn: 1001
  - {dn: "1002", password: pw2}
  - dn: "8000"
    type: routing-point
    name: Sales line
    routing-point: {target-group: sales, strategy: longest-idle, queue-timeout: 120}
    no-answer-overflow: voicemail:sales
  - {dn: "8001", type: routing-point}
  - dn: "9000"
    type: voicemail
    voicemail: {mailbox: "1000", access-number: "*97"}
  - {dn: "9001", type: voicemail}
  - {dn: asterisk, type: trunk}
agents:
  - {id: "5001", password: a}
groups:
  - {name: sales, members: ["5001"]}
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const Config& c = result.config;
  ASSERT_EQ(c.dns.size(), 8u);

  const DnConfig& alice = c.dns[0];
  EXPECT_EQ(alice.dn, "1000");
  EXPECT_EQ(alice.type, DnType::Extension);
  EXPECT_EQ(alice.name, "Alice");
  EXPECT_EQ(alice.on, DnLocation::Ccsip);
  EXPECT_EQ(alice.password, "secret");
  EXPECT_EQ(alice.mailbox, "1000");
  EXPECT_EQ(alice.noAnswer.timeout, std::chrono::seconds(20));
  // A bare `voicemail` is the DN's own mailbox.
  EXPECT_EQ(alice.noAnswer.overflow, (OverflowTarget{OverflowKind::Voicemail, "1000"}));

  // Without a password an extension is on the switch; with one, on ccsip.
  EXPECT_EQ(c.dns[1].dn, "1001");
  EXPECT_EQ(c.dns[1].on, DnLocation::Switch);
  EXPECT_FALSE(c.dns[1].noAnswer.timeout.has_value());
  EXPECT_FALSE(c.dns[1].noAnswer.overflow.has_value());
  EXPECT_EQ(c.dns[2].on, DnLocation::Ccsip);

  const DnConfig& rp = c.dns[3];
  EXPECT_EQ(rp.type, DnType::RoutingPoint);
  EXPECT_EQ(rp.on, DnLocation::Ccsip);
  EXPECT_EQ(rp.routingPoint.targetGroup, "sales");
  EXPECT_EQ(rp.routingPoint.strategy, "longest-idle");
  EXPECT_EQ(rp.routingPoint.queueTimeout, std::chrono::seconds(120));
  EXPECT_EQ(rp.noAnswer.overflow, (OverflowTarget{OverflowKind::Voicemail, "sales"}));
  EXPECT_EQ(c.dns[4].routingPoint.targetGroup, "");
  EXPECT_EQ(c.dns[4].routingPoint.strategy, "");
  EXPECT_FALSE(c.dns[4].routingPoint.queueTimeout.has_value());

  EXPECT_EQ(c.dns[5].type, DnType::Voicemail);
  EXPECT_EQ(c.dns[5].on, DnLocation::Switch);
  EXPECT_EQ(c.dns[5].voicemail.mailbox, "1000");
  EXPECT_EQ(c.dns[5].voicemail.accessNumber, "*97");
  EXPECT_EQ(c.dns[6].voicemail.mailbox, "");
  EXPECT_EQ(c.dns[6].voicemail.accessNumber, "9001");  // defaults to the DN
  EXPECT_EQ(c.dns[7].type, DnType::Trunk);

  // The DNs on ccsip register: their credentials join the extensions.
  ASSERT_EQ(c.extensions.size(), 2u);
  EXPECT_EQ(c.extensions[0].dn, "1000");
  EXPECT_EQ(c.extensions[0].password, "secret");
  EXPECT_EQ(c.extensions[0].name, "Alice");
  EXPECT_EQ(c.extensions[1].dn, "1002");
  EXPECT_EQ(toString(DnType::RoutingPoint), "routing-point");
  EXPECT_EQ(toString(DnLocation::Ccsip), "ccsip");
}

TEST(DnsSection, WrongShapes) {
  auto result = load(R"(dns:
  - 1000
  - {type: extension, password: x}
  - {dn: "10 00", password: x}
  - {dn: "", password: x}
)");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:7: dns[0]: expected a map, got \"1000\"");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:8: dns[1].dn: missing required field");
  EXPECT_THAT(toString(result.errors[2]),
              HasSubstr("t.yaml:9: dns[2].dn: expected a SIP user name"));
  EXPECT_EQ(toString(result.errors[3]), "t.yaml:10: dns[3].dn: expected a non-empty string");
  EXPECT_EQ(onlyErrorText(load("dns: {dn: 1}\n")), "t.yaml:6: dns: expected a list, got a map");
}

TEST(DnsSection, DuplicateDn) {
  auto result = load(R"(dns:
  - {dn: "1000", password: a}
  - {dn: "1001", password: b}
  - {dn: 1000, password: c}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:9: dns[2].dn: duplicate dn \"1000\" (first defined at line 7)");
  EXPECT_EQ(result.config.dns.size(), 2u);
}

TEST(DnsSection, UnknownTypeJudgesNothingElse) {
  // Which keys apply depends on the type: only the type is reported, and the DN still counts
  // as defined for the agent referring to it.
  auto result = load(R"(dns:
  - {dn: "1000", type: phone, password: x, routing-point: {}}
agents:
  - {id: a, password: p, default-dn: "1000"}
)");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:7: dns[0].type: expected one of extension, routing-point, voicemail, trunk, "
            "got \"phone\"");
}

TEST(DnsSection, LocationAndPassword) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - {dn: "1000", on: switch, password: x}
  - {dn: "1001", on: ccsip}
  - {dn: "1002", on: asterisk}
  - {dn: "1003", on: ccsip, password: ""}
)");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:8: dns[0].password: a password is for phones that register on ccsip "
            "(on: ccsip); this extension is on the switch");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: dns[1].password: missing required field (an extension on ccsip "
            "registers with it)");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:10: dns[2].on: expected one of switch, ccsip, got \"asterisk\"");
  EXPECT_EQ(toString(result.errors[3]), "t.yaml:11: dns[3].password: expected a non-empty string");
}

TEST(DnsSection, KeysOfOtherTypes) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - dn: "8000"
    type: routing-point
    on: ccsip
    password: x
    mailbox: "8000"
    no-answer-timeout: 10
    voicemail: {mailbox: "1"}
  - dn: "1000"
    routing-point: {target-group: g}
    voicemail: {}
  - dn: "9000"
    type: voicemail
    no-answer-timeout: 10
    no-answer-overflow: release
    routing-point: {}
  - {dn: trunk, type: trunk, mailbox: "1", no-answer-overflow: release}
)");
  ASSERT_EQ(result.errors.size(), 12u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:10: dns[0].on: applies to extensions only, this DN is a routing-point");
  EXPECT_EQ(result.errors[1].field, "dns[0].password");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:12: dns[0].mailbox: applies to extensions (a voicemail DN names its box in "
            "voicemail.mailbox) only, this DN is a routing-point");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:13: dns[0].no-answer-timeout: a routing point does not ring: use "
            "routing-point.queue-timeout");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:14: dns[0].voicemail: applies to voicemail DNs only, this DN is a "
            "routing-point");
  EXPECT_EQ(toString(result.errors[5]),
            "t.yaml:16: dns[1].routing-point: applies to routing points only, this DN is an "
            "extension");
  EXPECT_EQ(result.errors[6].field, "dns[1].voicemail");
  EXPECT_EQ(toString(result.errors[7]),
            "t.yaml:20: dns[2].no-answer-timeout: applies to extensions only, this DN is a "
            "voicemail");
  EXPECT_EQ(toString(result.errors[8]),
            "t.yaml:21: dns[2].no-answer-overflow: applies to extensions and routing points "
            "only, this DN is a voicemail");
  EXPECT_EQ(result.errors[9].field, "dns[2].routing-point");
  EXPECT_EQ(result.errors[10].field, "dns[3].mailbox");
  EXPECT_EQ(result.errors[11].field, "dns[3].no-answer-overflow");
}

TEST(DnsSection, RoutingPointSettings) {
  auto result = load(R"(dns:
  - dn: "8000"
    type: routing-point
    routing-point: {strategy: longest-idle, queue-timeout: 86401}
  - dn: "8001"
    type: routing-point
    routing-point: {target-group: sales, strategy: round-robin, queue-timout: 5}
  - {dn: "8002", type: routing-point, routing-point: {target-group: "a b"}}
groups:
  - {name: sales}
)");
  ASSERT_EQ(result.errors.size(), 5u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:9: dns[0].routing-point.strategy: a strategy needs a target-group to pick "
            "agents from");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: dns[0].routing-point.queue-timeout: expected an integer 0..86400, got "
            "\"86401\"");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:12: dns[1].routing-point.strategy: expected one of longest-idle, got "
            "\"round-robin\"");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:12: dns[1].routing-point.queue-timout: unknown key (did you mean "
            "\"queue-timeout\"?)");
  EXPECT_THAT(toString(result.errors[4]),
              HasSubstr("t.yaml:13: dns[2].routing-point.target-group: expected a name without "
                        "spaces"));
}

TEST(DnsSection, WrongShapesOfTheSubMaps) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - {dn: "8000", type: routing-point, routing-point: sales}
  - {dn: "9000", type: voicemail, voicemail: "1000"}
  - {dn: "1000", password: a, mailbox: "my box", name: [a]}
)");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:8: dns[0].routing-point: expected a map, got \"sales\"");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:9: dns[1].voicemail: expected a map, got \"1000\"");
  EXPECT_EQ(result.errors[2].field, "dns[2].name");
  EXPECT_THAT(toString(result.errors[3]),
              HasSubstr("t.yaml:10: dns[2].mailbox: expected a SIP user name"));
}

TEST(DnsSection, VoicemailSettings) {
  auto result = load(std::string(kSwitch) + R"(dns:
  - {dn: "9000", type: voicemail, voicemail: {mailbox: "1@2", access-number: ""}}
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(result.errors[0].field, "dns[0].voicemail.mailbox");
  EXPECT_EQ(result.errors[1].field, "dns[0].voicemail.access-number");
}

TEST(DnsSection, NoAnswerOverflowChecksOfTheDnItself) {
  auto result = load(R"(dns:
  - {dn: "1000", password: a, no-answer-overflow: voicemail}
  - {dn: "1001", password: a, no-answer-overflow: "1001"}
  - {dn: "1002", password: a, no-answer-overflow: "dn:1002"}
  - {dn: "8000", type: routing-point, no-answer-overflow: recall}
  - {dn: "1003", password: a, no-answer-overflow: "voicemail:"}
  - {dn: "1004", password: a, no-answer-overflow: [release]}
  - {dn: "1005", password: a, no-answer-timeout: 3601}
  - {dn: "1006", password: a, no-answer-timeout: 0, no-answer-overflow: release}
  - {dn: "1007", password: a, no-answer-overflow: recall}
  - {dn: "8001", type: routing-point, no-answer-overflow: none}
)");
  ASSERT_EQ(result.errors.size(), 8u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: dns[0].no-answer-overflow: voicemail needs a mailbox here: set mailbox, "
            "or write voicemail:<box>");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:8: dns[1].no-answer-overflow: a DN cannot overflow to itself");
  EXPECT_EQ(result.errors[2].field, "dns[2].no-answer-overflow");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:10: dns[3].no-answer-overflow: a call that found no agent must leave the "
            "routing point: expected voicemail, voicemail:<box>, release or a DN, got "
            "\"recall\"");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:11: dns[4].no-answer-overflow: expected voicemail, voicemail:<box>, recall, "
            "release, none, dn:<number> or a configured DN, got \"voicemail:\"");
  EXPECT_EQ(toString(result.errors[5]),
            "t.yaml:12: dns[5].no-answer-overflow: expected a string, got a list");
  EXPECT_EQ(toString(result.errors[6]),
            "t.yaml:13: dns[6].no-answer-timeout: expected an integer 0..3600, got \"3601\"");
  EXPECT_EQ(result.errors[7].field, "dns[9].no-answer-overflow");
  const DnConfig* never = result.config.findDn("1006");
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(never->noAnswer.timeout, std::chrono::seconds(0));
  EXPECT_EQ(never->noAnswer.overflow, (OverflowTarget{OverflowKind::Release, ""}));
  EXPECT_EQ(result.config.findDn("1007")->noAnswer.overflow,
            (OverflowTarget{OverflowKind::Recall, ""}));
}

}  // namespace
}  // namespace ccsip::config::test
