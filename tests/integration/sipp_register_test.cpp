// REGISTER with digest authentication against the real ccsip, driven by SIPp.

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

// SIPp 3.6 answers only the first WWW-Authenticate and knows only MD5 (createAuthHeader:
// "authentication must use MD5"), so these tests offer MD5 first.
TestConfigOptions sippAuthConfig() {
  TestConfigOptions options;
  options.algorithms = "[MD5, SHA-256]";
  return options;
}

SippOptions registerAs(const std::string& dn, const std::string& password,
                       const std::string& scenario = "register_auth.xml") {
  SippOptions options;
  options.scenario = scenario;
  options.service = dn;
  options.authUser = dn;
  options.authPassword = password;
  return options;
}

class SippRegisterTest : public ServerTest {};

TEST_F(SippRegisterTest, DigestChallengeThenRightPasswordGets200OverUdp) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  auto options = registerAs("1000", testPassword("1000"));
  options.target = ccsip_.udpTarget();
  options.calls = 3;  // three Call-IDs, each challenged and accepted
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(SippRegisterTest, DigestChallengeThenRightPasswordGets200OverTcp) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  auto options = registerAs("1001", testPassword("1001"));
  options.target = ccsip_.tcpTarget();
  options.tcp = true;
  options.calls = 3;
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(SippRegisterTest, EveryConfiguredExtensionCanRegister) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    SCOPED_TRACE(dn);
    auto options = registerAs(dn, testPassword(dn));
    options.target = ccsip_.udpTarget();
    EXPECT_TRUE(sippPasses(options));
  }
}

TEST_F(SippRegisterTest, WrongPasswordIsRefusedOverUdp) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  auto options = registerAs("1000", "not-the-password", "register_wrong_password.xml");
  options.target = ccsip_.udpTarget();
  EXPECT_TRUE(sippPasses(options));
}

TEST_F(SippRegisterTest, WrongPasswordIsRefusedOverTcp) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  auto options = registerAs("1002", "not-the-password", "register_wrong_password.xml");
  options.target = ccsip_.tcpTarget();
  options.tcp = true;
  EXPECT_TRUE(sippPasses(options));
}

// The positive scenario must be able to fail: with a wrong password it cannot reach its 200.
TEST_F(SippRegisterTest, AuthScenarioFailsWithWrongPassword) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  auto options = registerAs("1000", "not-the-password");
  options.target = ccsip_.udpTarget();
  options.timeout = std::chrono::seconds(20);
  std::string report;
  EXPECT_EQ(sippExitCode(options, &report), std::optional<int>(1)) << report;
}

// An AOR that is not a configured extension never gets a 200, whatever the password (the
// registrar may challenge first or refuse at once: RFC 3261 10.3 steps 2-3).
TEST_F(SippRegisterTest, UnknownExtensionIsRefused) {
  ASSERT_TRUE(startServer(sippAuthConfig()));
  std::string report;
  auto positive = registerAs("4999", "anything");
  positive.target = ccsip_.udpTarget();
  positive.timeout = std::chrono::seconds(20);
  EXPECT_NE(sippExitCode(positive, &report), std::optional<int>(0)) << report;
  EXPECT_TRUE(answersOptionsUdp());
}

}  // namespace
}  // namespace ccsip::itest
