#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

using ::testing::HasSubstr;

TEST(CtiSection, DefaultsWithoutTheSection) {
  auto result = load("");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const CtiConfig& cti = result.config.cti;
  EXPECT_FALSE(cti.listen.has_value());
  EXPECT_TRUE(cti.applications.empty());
  EXPECT_EQ(cti.maxQueue, 10'000u);
  EXPECT_EQ(cti.maxClients, 10'000u);
  EXPECT_EQ(cti.openSessionTimeout.count(), 30);
  EXPECT_FALSE(result.config.http.listen.has_value());
  EXPECT_EQ(result.config.http.webRoot, "");
}

TEST(CtiSection, EveryKey) {
  auto result = load(R"(cti:
  listen: {address: 127.0.0.1, port: 7000}
  applications:
    - {name: desktop, token: t-desk}
    - {name: router, token: "t router"}
  max-queue: 500
  max-clients: 20
  open-session-timeout: 0
)");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const CtiConfig& cti = result.config.cti;
  ASSERT_TRUE(cti.listen.has_value());
  EXPECT_EQ(cti.listen->address.to_string(), "127.0.0.1");
  EXPECT_EQ(cti.listen->port, 7000);
  ASSERT_EQ(cti.applications.size(), 2u);
  EXPECT_EQ(cti.applications[0].name, "desktop");
  EXPECT_EQ(cti.applications[0].token, "t-desk");
  EXPECT_EQ(cti.applications[1].token, "t router");
  EXPECT_EQ(cti.maxQueue, 500u);
  EXPECT_EQ(cti.maxClients, 20u);
  EXPECT_EQ(cti.openSessionTimeout.count(), 0);
}

TEST(CtiSection, BadValues) {
  auto result = load(R"(cti:
  listen: {address: localhost, port: 70000}
  applications:
    - {name: desktop, token: a}
    - {name: desktop, token: b}
    - {name: other, token: a}
    - {name: x}
    - {token: c}
    - {name: y, token: ""}
  max-queue: 0
  max-clients: many
  open-session-timeout: 3601
)");
  ASSERT_EQ(result.errors.size(), 10u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: cti.listen.address: expected an IPv4 or IPv6 address, got \"localhost\"");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:7: cti.listen.port: expected an integer 0..65535, got \"70000\"");
  EXPECT_EQ(toString(result.errors[2]),
            "t.yaml:10: cti.applications[1].name: duplicate application \"desktop\" (first "
            "defined at line 9)");
  EXPECT_EQ(toString(result.errors[3]),
            "t.yaml:11: cti.applications[2].token: token already used at line 9");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:12: cti.applications[3].token: missing required field");
  EXPECT_EQ(toString(result.errors[5]),
            "t.yaml:13: cti.applications[4].name: missing required field");
  EXPECT_EQ(result.errors[6].field, "cti.applications[5].token");
  EXPECT_EQ(result.errors[7].field, "cti.max-queue");
  EXPECT_EQ(result.errors[8].field, "cti.max-clients");
  EXPECT_EQ(result.errors[9].field, "cti.open-session-timeout");
  EXPECT_FALSE(result.config.cti.listen.has_value());
}

TEST(HttpSection, EveryKey) {
  auto result = load("http:\n  listen: {address: \"::\", port: 8080}\n  web-root: web\n");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  ASSERT_TRUE(result.config.http.listen.has_value());
  EXPECT_TRUE(result.config.http.listen->address.is_v6());
  EXPECT_EQ(result.config.http.listen->port, 8080);
  EXPECT_EQ(result.config.http.webRoot, "web");
}

TEST(HttpSection, ListenIsRequired) {
  EXPECT_EQ(onlyErrorText(load("http:\n  web-root: web\n")),
            "t.yaml:7: http.listen: missing required field");
  EXPECT_EQ(onlyErrorText(load("http:\n  listen: {address: 127.0.0.1}\n")),
            "t.yaml:7: http.listen.port: missing required field");
  EXPECT_EQ(onlyErrorText(load("http:\n  listen: {port: 1}\n  web-root: \"\"\n")),
            "t.yaml:7: http.listen.address: missing required field");
}

TEST(CtiSection, WrongShapes) {
  auto result = load(R"(cti:
  listen: 7000
  applications: {name: a, token: b}
http:
  listen: [127.0.0.1, 8080]
)");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:7: cti.listen: expected a map, got \"7000\"");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:8: cti.applications: expected a list, got a map");
  EXPECT_EQ(toString(result.errors[2]), "t.yaml:10: http.listen: expected a map, got a list");
  EXPECT_EQ(onlyErrorText(load("cti: on\n")), "t.yaml:6: cti: expected a map, got \"on\"");
}

TEST(ListenPorts, TakenTwiceIsAnError) {
  // sip.listen takes 127.0.0.1:5060 for UDP and TCP.
  auto result = load(R"(cti:
  listen: {address: 0.0.0.0, port: 5060}
http:
  listen: {address: 127.0.0.1, port: 5060}
)");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: cti.listen: address and port already used by sip.listen[0] (tcp)");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: http.listen: address and port already used by sip.listen[0] (tcp)");

  auto same = load(R"(cti:
  listen: {address: "::", port: 7000}
http:
  listen: {address: 127.0.0.2, port: 7000}
)");
  EXPECT_EQ(onlyErrorText(same),
            "t.yaml:9: http.listen: address and port already used by "
            "cti.listen");
}

TEST(ListenPorts, DistinctOrEphemeralPortsAreFine) {
  EXPECT_TRUE(load(R"(cti:
  listen: {address: 127.0.0.1, port: 0}
http:
  listen: {address: 127.0.0.1, port: 0}
)")
                  .ok());
  EXPECT_TRUE(load(R"(cti:
  listen: {address: 127.0.0.2, port: 5060}
http:
  listen: {address: 127.0.0.1, port: 8080}
)")
                  .ok());
  // SIP over UDP only leaves the TCP port free.
  auto udp = loadConfigText(R"(sip:
  listen: [{address: 127.0.0.1, port: 5060, transports: [udp]}]
  domain: d
cti:
  listen: {address: 127.0.0.1, port: 5060}
)",
                            "t.yaml");
  EXPECT_TRUE(udp.ok()) << errorsOf(udp);
}

}  // namespace
}  // namespace ccsip::config::test
