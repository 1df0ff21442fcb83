#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using sip::transport::TransportKind;
using ::testing::HasSubstr;

TEST(SwitchSection, AbsentMeansNoSwitch) {
  auto result = load("");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  EXPECT_FALSE(result.config.pbx.has_value());
}

TEST(SwitchSection, MinimalGetsDefaults) {
  auto result = load("switch:\n  address: 192.0.2.10\n");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  ASSERT_TRUE(result.config.pbx.has_value());
  const SwitchConfig& pbx = *result.config.pbx;
  EXPECT_EQ(pbx.name, "asterisk");
  EXPECT_EQ(pbx.address.to_string(), "192.0.2.10");
  EXPECT_EQ(pbx.port, 5060);
  EXPECT_EQ(pbx.transport, TransportKind::Udp);
  ASSERT_EQ(pbx.trusted.size(), 1u);  // the switch itself
  EXPECT_EQ(toString(pbx.trusted[0]), "192.0.2.10/32");
  EXPECT_EQ(pbx.presence.event, PresenceEvent::Presence);
  EXPECT_EQ(pbx.presence.expires.count(), 3600);
  EXPECT_EQ(pbx.presence.retry.count(), 60);
  EXPECT_FALSE(pbx.mwi.extensionEnable);
  EXPECT_EQ(pbx.presence.fromUser, "sipserver");
  EXPECT_TRUE(pbx.presence.enable);
  EXPECT_EQ(pbx.mwi.expires.count(), 600);
  EXPECT_EQ(pbx.mwi.retry.count(), 60);
  EXPECT_EQ(pbx.optionsKeepalive.count(), 30);
  EXPECT_EQ(pbx.subscribeRate, 50u);
}

TEST(SwitchSection, FullSection) {
  auto result = load(R"(switch:
  name: pbx1
  address: "2001:db8::5"
  port: 5080
  transport: TCP
  trusted: [10.1.0.0/16, "2001:db8::/64", 192.0.2.99]
  presence: {enable: false, event: dialog, expires: 600, retry: 30, from-user: ccsip}
  mwi: {extension-enable: true, expires: 1800, retry: 120}
  options-keepalive: 0
  subscribe-rate: 500
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const SwitchConfig& pbx = *result.config.pbx;
  EXPECT_EQ(pbx.name, "pbx1");
  EXPECT_TRUE(pbx.address.is_v6());
  EXPECT_EQ(pbx.port, 5080);
  EXPECT_EQ(pbx.transport, TransportKind::Tcp);
  // The switch address is covered by 2001:db8::/64: not added again.
  ASSERT_EQ(pbx.trusted.size(), 3u);
  EXPECT_EQ(toString(pbx.trusted[0]), "10.1.0.0/16");
  EXPECT_EQ(toString(pbx.trusted[1]), "2001:db8::/64");
  EXPECT_EQ(toString(pbx.trusted[2]), "192.0.2.99/32");
  EXPECT_EQ(pbx.presence.event, PresenceEvent::Dialog);
  EXPECT_EQ(pbx.presence.expires.count(), 600);
  EXPECT_EQ(pbx.presence.retry.count(), 30);
  EXPECT_TRUE(pbx.mwi.extensionEnable);
  EXPECT_EQ(pbx.mwi.expires.count(), 1800);
  EXPECT_EQ(pbx.mwi.retry.count(), 120);
  EXPECT_EQ(pbx.optionsKeepalive.count(), 0);
  EXPECT_EQ(pbx.presence.fromUser, "ccsip");
  EXPECT_FALSE(pbx.presence.enable);
  EXPECT_EQ(pbx.subscribeRate, 500u);
  EXPECT_EQ(toString(PresenceEvent::Dialog), "dialog");
}

TEST(SwitchSection, UncoveredAddressIsTrustedFirst) {
  auto result = load("switch: {address: 192.0.2.10, trusted: [10.0.0.0/8]}\n");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  ASSERT_EQ(result.config.pbx->trusted.size(), 2u);
  EXPECT_EQ(toString(result.config.pbx->trusted[0]), "192.0.2.10/32");
  EXPECT_EQ(toString(result.config.pbx->trusted[1]), "10.0.0.0/8");
}

TEST(SwitchSection, MissingAddress) {
  EXPECT_EQ(onlyErrorText(load("switch:\n  port: 5060\n")),
            "t.yaml:7: switch.address: missing required field");
  EXPECT_EQ(onlyErrorText(load("switch: []\n")), "t.yaml:6: switch: expected a map, got a list");
}

TEST(SwitchSection, HostNameIsNotAnAddress) {
  EXPECT_EQ(onlyErrorText(load("switch:\n  address: asterisk.local\n")),
            "t.yaml:7: switch.address: expected an IPv4 or IPv6 address, got "
            "\"asterisk.local\"");
}

TEST(SwitchSection, BadValues) {
  auto result = load(R"(switch:
  address: 192.0.2.10
  name: "my pbx"
  port: 0
  transport: tls
  trusted: [10.0.0.0/33, 10.0.0.0/8, 10.0.0.1/8, "", nonsense]
  presence: {event: xml, expires: 0, retry: -1}
  mwi: {extension-enable: yes, expires: 86401}
  options-keepalive: 3601
  keepalive: 30
)");
  ASSERT_EQ(result.errors.size(), 14u) << errorsOf(result);
  EXPECT_EQ(result.errors[0].field, "switch.name");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: switch.port: expected an integer 1..65535, got \"0\"");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:10: switch.transport: expected one of udp, tcp, got \"tls\"");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:11: switch.trusted[0]: expected an IPv4 or IPv6 address or block "
            "(10.0.0.0/8), got \"10.0.0.0/33\"");
  // 10.0.0.1/8 is 10.0.0.0/8 again.
  EXPECT_EQ(toString(result.errors[4]), "t.yaml:11: switch.trusted[2]: 10.0.0.0/8 listed twice");
  EXPECT_EQ(result.errors[5].field, "switch.trusted[3]");
  EXPECT_EQ(result.errors[6].field, "switch.trusted[4]");
  EXPECT_EQ(toString(result.errors[7]),
            "t.yaml:12: switch.presence.event: expected one of presence, dialog, got \"xml\"");
  EXPECT_EQ(result.errors[8].field, "switch.presence.expires");
  EXPECT_EQ(result.errors[9].field, "switch.presence.retry");
  EXPECT_EQ(toString(result.errors[10]),
            "t.yaml:13: switch.mwi.extension-enable: expected one of true, false, got \"yes\"");
  EXPECT_EQ(result.errors[11].field, "switch.mwi.expires");
  EXPECT_EQ(toString(result.errors[12]),
            "t.yaml:14: switch.options-keepalive: expected an integer 0..3600, got \"3601\"");
  EXPECT_EQ(result.errors[13].field, "switch.keepalive");
}

TEST(SwitchSection, WrongShapes) {
  auto result = load(R"(switch:
  address: 192.0.2.10
  trusted: 10.0.0.0/8
  presence: dialog
  mwi: [true]
)");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:8: switch.trusted: expected a list, got \"10.0.0.0/8\"");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: switch.presence: expected a map, got \"dialog\"");
  EXPECT_EQ(toString(result.errors[2]), "t.yaml:10: switch.mwi: expected a map, got a list");
}

TEST(SwitchSection, UnknownKeySuggestsTheRightOne) {
  auto result = load("switch:\n  address: 192.0.2.10\n  presence: {evnet: dialog}\n");
  EXPECT_EQ(onlyErrorText(result),
            "t.yaml:8: switch.presence.evnet: unknown key (did you mean \"event\"?)");
}

}  // namespace
}  // namespace ccsip::config::test
