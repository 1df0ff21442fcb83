#include "sip/dialog/digest_authenticator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "sip/parser.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {
namespace {

constexpr const char* kUri = "sip:1001@ccsip.test";

sip::Message invite(const std::string& header = {}, const std::string& uri = kUri) {
  std::string text = "INVITE " + uri +
                     " SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:1000@ccsip.test>;tag=a\r\n"
                     "To: <sip:1001@ccsip.test>\r\n"
                     "Call-ID: c1\r\n"
                     "CSeq: 1 INVITE\r\n" +
                     header + "Content-Length: 0\r\n\r\n";
  auto parsed = sip::parseMessage(std::move(text));
  EXPECT_TRUE(parsed.ok());
  return std::move(parsed.message);
}

class DigestAuthenticatorTest : public ::testing::Test {
 protected:
  DigestAuthenticatorTest() : nonces(clock), auth(options(false), nonces, store) {
    store.add("1000", "pw1000");
  }
  static DigestAuthenticatorOptions options(bool proxy) {
    DigestAuthenticatorOptions options;
    options.realm = "ccsip.test";
    options.algorithms = {DigestAlgorithm::Md5, DigestAlgorithm::Sha256};
    options.proxy = proxy;
    return options;
  }
  // The credentials of `user` / `password` answering a fresh challenge of `authenticator`.
  std::string credentials(DigestAuthenticator& authenticator, const std::string& user,
                          const std::string& password, std::uint32_t nc = 1,
                          const std::string& uri = kUri) {
    const ExtraHeaders challenge = authenticator.challenge(false);
    auto parsed = parseDigestChallenge(challenge.front().value);
    EXPECT_TRUE(parsed.ok());
    auto answer = answerDigestChallenge(*parsed, {user, password, "INVITE", uri, "c0ffee", nc});
    EXPECT_TRUE(answer.ok());
    return formatDigestCredentials(*answer);
  }

  util::ManualTimerService clock;
  NonceManager nonces;
  StaticCredentialStore store;
  DigestAuthenticator auth;
};

TEST_F(DigestAuthenticatorTest, ChallengeIs401WithOneWwwAuthenticatePerAlgorithm) {
  EXPECT_EQ(auth.challengeStatus(), 401);
  const ExtraHeaders headers = auth.challenge(false);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].name, "WWW-Authenticate");
  auto md5 = parseDigestChallenge(headers[0].value);
  auto sha = parseDigestChallenge(headers[1].value);
  ASSERT_TRUE(md5.ok() && sha.ok());
  EXPECT_EQ(md5->algorithm, DigestAlgorithm::Md5);
  EXPECT_EQ(sha->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(md5->nonce, sha->nonce);
  EXPECT_EQ(md5->realm, "ccsip.test");
  EXPECT_FALSE(md5->stale);
}

TEST_F(DigestAuthenticatorTest, NoCredentialsAreChallenged) {
  EXPECT_EQ(auth.verify(invite(), "1000").status, 401);
  // Another scheme, or credentials for another realm, are no credentials of ours.
  EXPECT_EQ(auth.verify(invite("Authorization: Basic Zm9vOmJhcg==\r\n"), "1000").status, 401);
}

TEST_F(DigestAuthenticatorTest, RightPasswordAuthenticatesOnce) {
  const std::string header = "Authorization: " + credentials(auth, "1000", "pw1000") + "\r\n";
  EXPECT_TRUE(auth.verify(invite(header), "1000").authenticated());
  // The same nonce count again is a replay: a new challenge, stale.
  const DigestVerdict replay = auth.verify(invite(header), "1000");
  EXPECT_EQ(replay.status, 401);
  EXPECT_TRUE(replay.stale);
}

TEST_F(DigestAuthenticatorTest, WrongPasswordIs403) {
  const std::string header = "Authorization: " + credentials(auth, "1000", "nope") + "\r\n";
  EXPECT_EQ(auth.verify(invite(header), "1000").status, 403);
}

TEST_F(DigestAuthenticatorTest, CredentialsOfAnotherUserThanTheIdentityAre403) {
  store.add("1001", "pw1001");
  const std::string header = "Authorization: " + credentials(auth, "1001", "pw1001") + "\r\n";
  EXPECT_EQ(auth.verify(invite(header), "1000").status, 403);
}

TEST_F(DigestAuthenticatorTest, UnknownUserIs403) {
  const std::string header = "Authorization: " + credentials(auth, "4711", "pw") + "\r\n";
  EXPECT_EQ(auth.verify(invite(header), "4711").status, 403);
}

TEST_F(DigestAuthenticatorTest, DigestUriOtherThanTheRequestUriIs400) {
  const std::string header =
      "Authorization: " + credentials(auth, "1000", "pw1000", 1, "sip:127.0.0.1:5060") + "\r\n";
  EXPECT_EQ(auth.verify(invite(header), "1000").status, 400);
}

TEST_F(DigestAuthenticatorTest, MalformedCredentialsAre400) {
  EXPECT_EQ(auth.verify(invite("Authorization: Digest username=\"1000\r\n"), "1000").status, 400);
}

TEST_F(DigestAuthenticatorTest, ExpiredNonceIsChallengedAgainAsStale) {
  const std::string header = "Authorization: " + credentials(auth, "1000", "pw1000") + "\r\n";
  clock.advance(nonces.lifetime() + std::chrono::seconds(1));
  const DigestVerdict verdict = auth.verify(invite(header), "1000");
  EXPECT_EQ(verdict.status, 401);
  EXPECT_TRUE(verdict.stale);
}

TEST_F(DigestAuthenticatorTest, ProxyModeUses407AndProxyHeaders) {
  DigestAuthenticator proxy(options(true), nonces, store);
  EXPECT_EQ(proxy.challengeStatus(), 407);
  EXPECT_EQ(proxy.challenge(false).front().name, "Proxy-Authenticate");
  const std::string creds = credentials(proxy, "1000", "pw1000");
  // Authorization is not what a proxy challenge is answered with.
  EXPECT_EQ(proxy.verify(invite("Authorization: " + creds + "\r\n"), "1000").status, 407);
  EXPECT_TRUE(
      proxy.verify(invite("Proxy-Authorization: " + creds + "\r\n"), "1000").authenticated());
}

}  // namespace
}  // namespace ccsip::sip::dialog
