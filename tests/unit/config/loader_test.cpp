#include "config/loader.h"

#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/embedded_config.h"

namespace ccsip::config {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMinimal = R"(sip:
  listen:
    - address: 127.0.0.1
      port: 5060
  domain: example.org
)";

std::string errorsOf(const LoadResult& result) {
  return toString(result.errors);
}

// Exactly one error, returned for inspection.
ConfigError onlyError(const LoadResult& result) {
  EXPECT_EQ(result.errors.size(), 1u) << errorsOf(result);
  return result.errors.empty() ? ConfigError{} : result.errors.front();
}

TEST(ConfigLoader, MinimalConfigGetsDefaults) {
  auto result = loadConfigText(kMinimal, "t.yaml");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const Config& c = result.config;
  ASSERT_EQ(c.sip.listen.size(), 1u);
  EXPECT_EQ(c.sip.listen[0].address.to_string(), "127.0.0.1");
  EXPECT_EQ(c.sip.listen[0].port, 5060);
  ASSERT_EQ(c.sip.listen[0].transports.size(), 2u);
  EXPECT_EQ(c.sip.listen[0].transports[0], sip::transport::TransportKind::Udp);
  EXPECT_EQ(c.sip.listen[0].transports[1], sip::transport::TransportKind::Tcp);
  EXPECT_EQ(c.sip.domain, "example.org");
  EXPECT_EQ(c.sip.timers.t1.count(), 500);
  EXPECT_EQ(c.sip.timers.t2.count(), 4000);
  EXPECT_EQ(c.sip.timers.t4.count(), 5000);
  EXPECT_EQ(c.sip.userAgent.rfind("ccsip/", 0), 0u);
  EXPECT_EQ(c.log.level, LogLevel::Info);
  EXPECT_EQ(c.registrar.realm, "example.org");  // defaults to the domain
  EXPECT_EQ(c.registrar.minExpires, 60u);
  EXPECT_EQ(c.registrar.maxExpires, 3600u);
  EXPECT_EQ(c.registrar.defaultExpires, 3600u);
  EXPECT_EQ(c.registrar.nonceLifetime.count(), 300);
  ASSERT_EQ(c.registrar.algorithms.size(), 2u);
  EXPECT_EQ(c.registrar.algorithms[0], DigestAlgorithm::Sha256);
  EXPECT_TRUE(c.extensions.empty());
}

TEST(ConfigLoader, FullConfig) {
  auto result = loadConfigText(R"(
sip:
  listen:
    - address: "::1"
      port: 0
      transports: [TCP]
    - {address: 10.0.0.1, port: 5070, transports: [udp]}
  domain: cc.example
  timers: {t1: 100, t2: 2000, t4: 3000}
  user-agent: test-ua
log:
  level: trace
registrar:
  realm: realm.example
  min-expires: 30
  max-expires: 7200
  default-expires: 600
  nonce-lifetime: 60
  algorithms: [MD5]
extensions:
  - dn: 2000
    password: 1234
  - {dn: "2001", password: secret, name: "Bob B"}
)",
                               "full.yaml");
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const Config& c = result.config;
  ASSERT_EQ(c.sip.listen.size(), 2u);
  EXPECT_TRUE(c.sip.listen[0].address.is_v6());
  EXPECT_EQ(c.sip.listen[0].port, 0);
  ASSERT_EQ(c.sip.listen[0].transports.size(), 1u);
  EXPECT_EQ(c.sip.listen[0].transports[0], sip::transport::TransportKind::Tcp);
  EXPECT_EQ(c.sip.listen[1].port, 5070);
  EXPECT_EQ(c.sip.timers.t1.count(), 100);
  EXPECT_EQ(c.sip.timers.t2.count(), 2000);
  EXPECT_EQ(c.sip.timers.t4.count(), 3000);
  EXPECT_EQ(c.sip.userAgent, "test-ua");
  EXPECT_EQ(c.log.level, LogLevel::Trace);
  EXPECT_EQ(c.registrar.realm, "realm.example");
  EXPECT_EQ(c.registrar.minExpires, 30u);
  EXPECT_EQ(c.registrar.maxExpires, 7200u);
  EXPECT_EQ(c.registrar.defaultExpires, 600u);
  EXPECT_EQ(c.registrar.nonceLifetime.count(), 60);
  ASSERT_EQ(c.registrar.algorithms.size(), 1u);
  EXPECT_EQ(c.registrar.algorithms[0], DigestAlgorithm::Md5);
  ASSERT_EQ(c.extensions.size(), 2u);
  EXPECT_EQ(c.extensions[0].dn, "2000");
  EXPECT_EQ(c.extensions[0].password, "1234");
  EXPECT_EQ(c.extensions[0].name, "");
  EXPECT_EQ(c.extensions[1].name, "Bob B");
}

TEST(ConfigLoader, BadPortNamesFileLineAndField) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 127.0.0.1
      port: abc
  domain: example.org
)",
                               "demo.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(toString(e),
            "demo.yaml:4: sip.listen[0].port: expected an integer 0..65535, got \"abc\"");
  EXPECT_EQ(e.column, 13);
}

TEST(ConfigLoader, PortOutOfRange) {
  for (const char* port : {"65536", "-1", "1.5", "0x10", "99999999999999999999999"}) {
    auto result = loadConfigText(std::string(R"(sip:
  listen:
    - address: 127.0.0.1
      port: )") + port + "\n  domain: d\n",
                                 "t.yaml");
    auto e = onlyError(result);
    EXPECT_EQ(e.line, 4) << port;
    EXPECT_EQ(e.field, "sip.listen[0].port");
    EXPECT_THAT(e.message, HasSubstr("expected an integer 0..65535")) << port;
  }
}

TEST(ConfigLoader, WrongTypes) {
  auto result = loadConfigText(R"(sip:
  listen: 127.0.0.1
  domain: [a, b]
  timers: 5
log: info
registrar:
  algorithms: MD5
extensions:
  dn: 1000
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 6u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:2: sip.listen: expected a list, got \"127.0.0.1\"");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:3: sip.domain: expected a string, got a list");
  EXPECT_EQ(toString(result.errors[2]), "t.yaml:4: sip.timers: expected a map, got \"5\"");
  EXPECT_EQ(toString(result.errors[3]), "t.yaml:5: log: expected a map, got \"info\"");
  EXPECT_EQ(toString(result.errors[4]),
            "t.yaml:7: registrar.algorithms: expected a list, got \"MD5\"");
  EXPECT_EQ(toString(result.errors[5]), "t.yaml:9: extensions: expected a list, got a map");
}

TEST(ConfigLoader, NullValueReportedAtItsKey) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 127.0.0.1
      port: 1
  domain:

log:
  level: info
)",
                               "t.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(toString(e), "t.yaml:5: sip.domain: expected a string, got nothing (null)");
}

TEST(ConfigLoader, UnknownKeysAreErrorsWithSuggestion) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 127.0.0.1
      prot: 5060
  domain: d
  timers: {t1: 500, t3: 1}
logs:
  level: info
frobnicate: 1
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 5u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:3: sip.listen[0].port: missing required field");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:4: sip.listen[0].prot: unknown key (did you mean \"port\"?)");
  EXPECT_EQ(result.errors[2].field, "sip.timers.t3");
  EXPECT_THAT(result.errors[2].message, HasSubstr("unknown key"));
  EXPECT_EQ(toString(result.errors[3]), "t.yaml:7: logs: unknown key (did you mean \"log\"?)");
  EXPECT_EQ(result.errors[4].line, 9);
  EXPECT_EQ(result.errors[4].field, "frobnicate");
  EXPECT_THAT(result.errors[4].message,
              HasSubstr("expected one of: sip, log, registrar, extensions"));
}

TEST(ConfigLoader, MissingRequiredFields) {
  auto result = loadConfigText(R"(log:
  level: info
extensions:
  - name: x
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]), "t.yaml:1: sip: missing required field");
  EXPECT_EQ(toString(result.errors[1]), "t.yaml:4: extensions[0].dn: missing required field");
  EXPECT_EQ(toString(result.errors[2]), "t.yaml:4: extensions[0].password: missing required field");

  auto sip = loadConfigText("sip: {}\n", "t.yaml");
  ASSERT_EQ(sip.errors.size(), 2u) << errorsOf(sip);
  EXPECT_EQ(sip.errors[0].field, "sip.listen");
  EXPECT_EQ(sip.errors[1].field, "sip.domain");
}

TEST(ConfigLoader, DuplicateDn) {
  auto result = loadConfigText(std::string(kMinimal) + R"(extensions:
  - dn: "1000"
    password: a
  - dn: "1001"
    password: b
  - dn: 1000
    password: c
)",
                               "t.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(toString(e),
            "t.yaml:11: extensions[2].dn: duplicate dn \"1000\" (first defined at line 7)");
  EXPECT_EQ(result.config.extensions.size(), 2u);
}

TEST(ConfigLoader, BadDnAndEmptyPassword) {
  auto result = loadConfigText(std::string(kMinimal) + R"(extensions:
  - dn: "10 00"
    password: ""
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(result.errors[0].field, "extensions[0].dn");
  EXPECT_THAT(result.errors[0].message, HasSubstr("expected a SIP user name"));
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:8: extensions[0].password: expected a non-empty string");
}

TEST(ConfigLoader, DuplicateKey) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 127.0.0.1
      port: 5060
  domain: a
  domain: b
)",
                               "t.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(toString(e), "t.yaml:6: sip.domain: duplicate key (first at line 5)");
}

TEST(ConfigLoader, BadEnums) {
  auto result = loadConfigText(std::string(kMinimal) + R"(log:
  level: verbose
registrar:
  algorithms: [SHA-256, SHA-512, sha-256]
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 3u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:7: log.level: expected one of trace, debug, info, warn, error, got "
            "\"verbose\"");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:9: registrar.algorithms[1]: expected one of SHA-256, MD5, got \"SHA-512\"");
  EXPECT_EQ(result.errors[2].field, "registrar.algorithms[2]");
  EXPECT_THAT(result.errors[2].message, HasSubstr("listed twice"));
}

TEST(ConfigLoader, ListenChecks) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: localhost
      port: 5060
    - address: 127.0.0.1
      port: 5060
      transports: []
    - address: 127.0.0.1
      port: 5060
      transports: [udp, sctp, udp]
    - address: 127.0.0.1
      port: 5060
      transports: [tcp]
  domain: d
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 4u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:3: sip.listen[0].address: expected an IPv4 or IPv6 address, got "
            "\"localhost\"");
  EXPECT_EQ(toString(result.errors[1]),
            "t.yaml:7: sip.listen[1].transports: expected at least one transport (udp, tcp)");
  EXPECT_EQ(result.errors[2].field, "sip.listen[2].transports[1]");
  EXPECT_EQ(result.errors[3].field, "sip.listen[2].transports[2]");

  auto twice = loadConfigText(R"(sip:
  listen:
    - {address: 127.0.0.1, port: 5060}
    - {address: 127.0.0.1, port: 5060, transports: [tcp]}
    - {address: 127.0.0.1, port: 0}
    - {address: 127.0.0.1, port: 0}
  domain: d
)",
                              "t.yaml");
  auto e = onlyError(twice);
  EXPECT_EQ(toString(e), "t.yaml:4: sip.listen[1]: address, port and transport tcp already listed");
}

TEST(ConfigLoader, TimerRanges) {
  auto result = loadConfigText(R"(sip:
  listen: [{address: 127.0.0.1, port: 1}]
  domain: d
  timers:
    t1: 0
    t2: 1000
    t4: 600001
)",
                               "t.yaml");
  ASSERT_EQ(result.errors.size(), 2u) << errorsOf(result);
  EXPECT_EQ(toString(result.errors[0]),
            "t.yaml:5: sip.timers.t1: expected an integer 1..600000, got \"0\"");
  EXPECT_EQ(result.errors[1].line, 7);

  auto order = loadConfigText(R"(sip:
  listen: [{address: 127.0.0.1, port: 1}]
  domain: d
  timers: {t1: 5000, t2: 4000}
)",
                              "t.yaml");
  auto e = onlyError(order);
  EXPECT_EQ(e.field, "sip.timers.t2");
  EXPECT_THAT(e.message, HasSubstr("must not be below t1"));
}

TEST(ConfigLoader, ExpiresOrder) {
  auto result = loadConfigText(std::string(kMinimal) + R"(registrar:
  min-expires: 600
  max-expires: 300
)",
                               "t.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(toString(e),
            "t.yaml:8: registrar.max-expires: max-expires (300) is below min-expires (600)");

  auto def = loadConfigText(std::string(kMinimal) + R"(registrar:
  default-expires: 10
)",
                            "t.yaml");
  auto d = onlyError(def);
  EXPECT_EQ(d.line, 7);
  EXPECT_EQ(d.field, "registrar.default-expires");

  auto zero = loadConfigText(std::string(kMinimal) + "registrar: {nonce-lifetime: 0}\n", "t.yaml");
  EXPECT_EQ(onlyError(zero).field, "registrar.nonce-lifetime");

  auto realm = loadConfigText(std::string(kMinimal) + "registrar: {realm: 'a\"b'}\n", "t.yaml");
  EXPECT_EQ(onlyError(realm).field, "registrar.realm");
}

TEST(ConfigLoader, SyntaxErrorHasLine) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 127.0.0.1
      port: [5060
  domain: d
)",
                               "bad.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(e.file, "bad.yaml");
  EXPECT_GE(e.line, 4);
  EXPECT_THAT(toString(e), HasSubstr("YAML syntax error"));

  auto tab = loadConfigText("sip:\n\t listen: 1\n", "tab.yaml");
  auto t = onlyError(tab);
  EXPECT_EQ(t.line, 2);
}

TEST(ConfigLoader, EmptyAndScalarDocuments) {
  auto empty = loadConfigText("", "e.yaml");
  EXPECT_EQ(toString(onlyError(empty)),
            "e.yaml:1: the file is empty: expected a map with at least a sip section");
  auto comment = loadConfigText("# nothing\n", "e.yaml");
  EXPECT_EQ(comment.errors.size(), 1u);
  auto scalar = loadConfigText("hello\n", "s.yaml");
  EXPECT_EQ(toString(onlyError(scalar)), "s.yaml:1: expected a map, got \"hello\"");
  auto two = loadConfigText(std::string(kMinimal) + "---\nlog: {}\n", "two.yaml");
  auto e = onlyError(two);
  EXPECT_EQ(e.line, 6);  // the "---" line
  EXPECT_THAT(e.message, HasSubstr("expected one YAML document"));
  // yaml-cpp 0.7's LoadAll loops forever on this one; the loader must return.
  EXPECT_FALSE(loadConfigText(",p", "p.yaml").ok());
}

TEST(ConfigLoader, NonScalarKey) {
  auto result = loadConfigText(std::string(kMinimal) + "? [a, b]\n: 1\n", "t.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(e.line, 6);
  EXPECT_THAT(e.message, HasSubstr("a key must be a plain name"));
}

TEST(ConfigLoader, ManyErrorsAllReported) {
  auto result = loadConfigText(R"(sip:
  listen:
    - address: 1.2.3
      port: x
      transports: [foo]
  domain: ""
log: {level: loud}
registrar: {min-expires: -5, algorithms: []}
extensions:
  - {dn: "1", password: p, colour: red}
  - 7
)",
                               "many.yaml");
  EXPECT_EQ(result.errors.size(), 9u) << errorsOf(result);
  // Sorted by line.
  for (std::size_t i = 1; i < result.errors.size(); ++i) {
    EXPECT_LE(result.errors[i - 1].line, result.errors[i].line);
  }
}

TEST(ConfigLoader, HostileInputDoesNotThrow) {
  std::string deep(5000, '[');
  EXPECT_FALSE(loadConfigText(deep, "deep.yaml").ok());
  std::string deepMap;
  for (int i = 0; i < 3000; ++i) deepMap += "{a: ";
  EXPECT_FALSE(loadConfigText(deepMap, "deep.yaml").ok());
  EXPECT_FALSE(loadConfigText(std::string("sip:\0\x01\xff", 7), "bin.yaml").ok());
  EXPECT_FALSE(loadConfigText("*alias\n", "a.yaml").ok());
  EXPECT_FALSE(loadConfigText("a: &x [*x]\n", "a.yaml").ok());
}

TEST(ConfigLoader, UnreadableFile) {
  auto result = loadConfigFile("/nonexistent/ccsip.yaml");
  auto e = onlyError(result);
  EXPECT_EQ(e.line, 0);
  EXPECT_THAT(toString(e), HasSubstr("/nonexistent/ccsip.yaml: cannot read the file"));
  EXPECT_FALSE(loadConfigFile("/").ok());
}

TEST(ConfigLoader, FileErrorsCarryThePath) {
  std::string path = ::testing::TempDir() + "ccsip_loader_test.yaml";
  {
    std::ofstream out(path);
    out << "sip:\n  listen: []\n  domain: d\n";
  }
  auto result = loadConfigFile(path);
  auto e = onlyError(result);
  EXPECT_EQ(toString(e), path + ":2: sip.listen: expected at least one listen entry");
  std::remove(path.c_str());
}

TEST(ConfigLoader, EmbeddedDemoConfigLoadsCleanly) {
  auto result = loadEmbeddedConfig();
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  const Config& c = result.config;
  ASSERT_EQ(c.sip.listen.size(), 1u);
  EXPECT_EQ(c.sip.listen[0].address.to_string(), "127.0.0.1");
  EXPECT_EQ(c.sip.listen[0].port, 5060);
  EXPECT_EQ(c.sip.listen[0].transports.size(), 2u);
  EXPECT_EQ(c.log.level, LogLevel::Info);
  ASSERT_GE(c.extensions.size(), 4u);
  EXPECT_EQ(c.extensions[0].dn, "1000");
  EXPECT_EQ(c.extensions[3].dn, "1003");
}

TEST(ConfigLoader, EmbeddedTextIsTheDemoFile) {
  std::ifstream in(std::string(CCSIP_SOURCE_DIR) + "/config/demo.yaml", std::ios::binary);
  ASSERT_TRUE(in) << "config/demo.yaml missing";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(embeddedConfigText(), text);
  EXPECT_TRUE(loadConfigFile(std::string(CCSIP_SOURCE_DIR) + "/config/demo.yaml").ok());
}

TEST(ConfigLoader, LogLevelNames) {
  EXPECT_EQ(parseLogLevel("warn"), LogLevel::Warn);
  EXPECT_EQ(parseLogLevel("WARN"), std::nullopt);
  EXPECT_EQ(toString(LogLevel::Trace), "trace");
  EXPECT_EQ(toString(DigestAlgorithm::Sha256), "SHA-256");
}

}  // namespace
}  // namespace ccsip::config
