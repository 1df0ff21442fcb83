#include "sip/dialog/digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ccsip::sip::dialog {
namespace {

// RFC 2617 3.5: the Mufasa example (MD5, qop=auth).
TEST(Digest, Rfc2617ExampleResponse) {
  const std::string ha1 =
      computeHa1(DigestAlgorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  const std::string response = computeDigestResponse({.algorithm = DigestAlgorithm::Md5,
                                                      .ha1 = ha1,
                                                      .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                                      .cnonce = "0a4f113b",
                                                      .ncText = "00000001",
                                                      .qop = "auth",
                                                      .method = "GET",
                                                      .uri = "/dir/index.html"});
  EXPECT_EQ(response, "6629fae49393a05397450978507c4ef1");
}

// RFC 7616 3.9.1: the same request answered with MD5 and with SHA-256.
TEST(Digest, Rfc7616ExampleResponses) {
  const DigestResponseInput base{.ha1 = "",
                                 .nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                 .cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                                 .ncText = "00000001",
                                 .qop = "auth",
                                 .method = "GET",
                                 .uri = "/dir/index.html"};
  const std::string ha1Md5 =
      computeHa1(DigestAlgorithm::Md5, "Mufasa", "http-auth@example.org", "Circle of Life");
  DigestResponseInput md5 = base;
  md5.algorithm = DigestAlgorithm::Md5;
  md5.ha1 = ha1Md5;
  EXPECT_EQ(computeDigestResponse(md5), "8ca523f5e9506fed4657c9700eebdbec");

  const std::string ha1Sha =
      computeHa1(DigestAlgorithm::Sha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  DigestResponseInput sha = base;
  sha.algorithm = DigestAlgorithm::Sha256;
  sha.ha1 = ha1Sha;
  EXPECT_EQ(computeDigestResponse(sha),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(Digest, HashesOfEmptyInput) {
  EXPECT_EQ(digestHash(DigestAlgorithm::Md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(digestHash(DigestAlgorithm::Sha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, NoQopResponseIsRfc2069Style) {
  const std::string ha1 = computeHa1(DigestAlgorithm::Md5, "u", "r", "p");
  const std::string ha2 = digestHash(DigestAlgorithm::Md5, "REGISTER:sip:example.com");
  EXPECT_EQ(computeDigestResponse({.algorithm = DigestAlgorithm::Md5,
                                   .ha1 = ha1,
                                   .nonce = "n",
                                   .method = "REGISTER",
                                   .uri = "sip:example.com"}),
            digestHash(DigestAlgorithm::Md5, ha1 + ":n:" + ha2));
}

TEST(Digest, SessionAlgorithmHashesNonceAndCnonceIntoHa1) {
  const std::string ha1 = computeHa1(DigestAlgorithm::Sha256Sess, "u", "r", "p");
  const std::string sessHa1 = digestHash(DigestAlgorithm::Sha256, ha1 + ":n:c");
  DigestResponseInput plain{.algorithm = DigestAlgorithm::Sha256,
                            .ha1 = sessHa1,
                            .nonce = "n",
                            .cnonce = "c",
                            .ncText = "00000001",
                            .qop = "auth",
                            .method = "REGISTER",
                            .uri = "sip:x"};
  DigestResponseInput sess = plain;
  sess.algorithm = DigestAlgorithm::Sha256Sess;
  sess.ha1 = ha1;
  EXPECT_EQ(computeDigestResponse(sess), computeDigestResponse(plain));
}

TEST(Digest, AlgorithmNamesAreCaseInsensitive) {
  EXPECT_EQ(digestAlgorithmFromName("md5"), DigestAlgorithm::Md5);
  EXPECT_EQ(digestAlgorithmFromName("SHA-256"), DigestAlgorithm::Sha256);
  EXPECT_EQ(digestAlgorithmFromName("sha-256-SESS"), DigestAlgorithm::Sha256Sess);
  EXPECT_EQ(digestAlgorithmFromName("MD5-sess"), DigestAlgorithm::Md5Sess);
  EXPECT_FALSE(digestAlgorithmFromName("SHA-512-256").has_value());
  EXPECT_FALSE(digestAlgorithmFromName("").has_value());
}

TEST(Digest, ParsesRfc2617Credentials) {
  auto creds = parseDigestCredentials(
      "Digest username=\"Mufasa\",\r\n"
      "                 realm=\"testrealm@host.com\",\r\n"
      "                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
      "                 uri=\"/dir/index.html\",\r\n"
      "                 qop=auth,\r\n"
      "                 nc=00000001,\r\n"
      "                 cnonce=\"0a4f113b\",\r\n"
      "                 response=\"6629fae49393a05397450978507c4ef1\",\r\n"
      "                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->username, "Mufasa");
  EXPECT_EQ(creds->realm, "testrealm@host.com");
  EXPECT_EQ(creds->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(creds->uri, "/dir/index.html");
  EXPECT_EQ(creds->qop, "auth");
  EXPECT_EQ(creds->nc, 1u);
  EXPECT_EQ(creds->ncText, "00000001");
  EXPECT_EQ(creds->cnonce, "0a4f113b");
  EXPECT_EQ(creds->response, "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(creds->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(creds->algorithm, DigestAlgorithm::Md5);  // absent: MD5
  EXPECT_TRUE(creds->algorithmText.empty());
}

TEST(Digest, ParsesRfc2617Challenge) {
  auto challenge = parseDigestChallenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(challenge.ok()) << challenge.error().message;
  EXPECT_EQ(challenge->realm, "testrealm@host.com");
  EXPECT_EQ(challenge->qopOptions, (std::vector<std::string>{"auth", "auth-int"}));
  EXPECT_TRUE(challenge->offersQopAuth());
  EXPECT_FALSE(challenge->stale);
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Md5);
}

TEST(Digest, ParsesQuotedEscapesCommasAndCaseInsensitiveNames) {
  auto value = parseAuthValue(
      "digest REALM=\"a \\\"quoted\\\", realm\" ,, Nonce = abc/def==x , qop=\"auth\"");
  // "abc/def==x" holds '=' which an unquoted value cannot: rejected.
  EXPECT_FALSE(value.ok());

  auto challenge = parseDigestChallenge(
      "digest REALM=\"a \\\"quoted\\\", realm\" ,, Nonce = abc/def , QOP=\"auth\", "
      "Stale=TRUE, algorithm=sha-256");
  ASSERT_TRUE(challenge.ok()) << challenge.error().message;
  EXPECT_EQ(challenge->realm, "a \"quoted\", realm");
  EXPECT_EQ(challenge->nonce, "abc/def");
  EXPECT_TRUE(challenge->stale);
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(challenge->algorithmText, "sha-256");
}

TEST(Digest, RejectsMalformedValues) {
  for (const char* bad : {
           "",
           "   ",
           "Digest realm=\"unterminated",
           "Digest realm",
           "Digest realm=",
           "Digest realm=\"a\" nonce=\"b\"",   // missing comma
           "Digest realm=\"a\", realm=\"b\"",  // duplicate
           "Digest =\"a\"",
           "Digest, realm=\"a\"",
       }) {
    EXPECT_FALSE(parseAuthValue(bad).ok()) << bad;
  }
  // Token68 (Basic credentials) is not a SIP scheme.
  EXPECT_FALSE(parseAuthValue("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").ok());
}

TEST(Digest, CredentialsNeedTheirRequiredParameters) {
  EXPECT_FALSE(parseDigestCredentials("Digest realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")
                   .ok());  // no username
  EXPECT_FALSE(parseDigestCredentials(
                   "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", "
                   "qop=auth, nc=00000001")
                   .ok());  // qop without cnonce
  EXPECT_FALSE(parseDigestCredentials(
                   "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", "
                   "qop=auth, nc=zz, cnonce=\"c\"")
                   .ok());  // nc not hex
  EXPECT_FALSE(parseDigestCredentials("Basic username=\"u\"").ok());
  EXPECT_FALSE(parseDigestChallenge("Digest nonce=\"n\"").ok());  // no realm
  EXPECT_FALSE(parseDigestChallenge("Digest realm=\"r\"").ok());  // no nonce
}

TEST(Digest, SchemeOfUnknownSchemeValue) {
  // RFC 4475 3.3.8 regaut01.
  EXPECT_EQ(authScheme("NoOneKnowsThisScheme opaque-data=here"), "NoOneKnowsThisScheme");
  EXPECT_EQ(authScheme("  Digest realm=\"x\""), "Digest");
  EXPECT_EQ(authScheme(""), "");
}

TEST(Digest, UnsupportedAlgorithmParsesButIsFlagged) {
  auto challenge = parseDigestChallenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256");
  ASSERT_TRUE(challenge.ok());
  EXPECT_FALSE(challenge->algorithm.has_value());
  EXPECT_EQ(challenge->algorithmText, "SHA-512-256");
  EXPECT_FALSE(answerDigestChallenge(challenge.value(), {.username = "u", .password = "p"}).ok());
}

TEST(Digest, FormatRoundTrips) {
  DigestChallenge challenge;
  challenge.realm = "ccsip \"lab\"";
  challenge.nonce = "abc";
  challenge.algorithm = DigestAlgorithm::Sha256;
  challenge.qopOptions = {"auth"};
  challenge.stale = true;
  const std::string text = formatDigestChallenge(challenge);
  EXPECT_EQ(text,
            "Digest realm=\"ccsip \\\"lab\\\"\", nonce=\"abc\", algorithm=SHA-256, qop=\"auth\", "
            "stale=true");
  auto back = parseDigestChallenge(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->realm, challenge.realm);
  EXPECT_TRUE(back->stale);

  auto creds = answerDigestChallenge(back.value(), {.username = "1000",
                                                    .password = "secret",
                                                    .method = "REGISTER",
                                                    .uri = "sip:ccsip.test",
                                                    .cnonce = "c0ffee",
                                                    .nc = 0x1a});
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->ncText, "0000001a");
  auto parsed = parseDigestCredentials(formatDigestCredentials(creds.value()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->username, "1000");
  EXPECT_EQ(parsed->nc, 0x1au);
  EXPECT_EQ(parsed->qop, "auth");
  EXPECT_EQ(parsed->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(parsed->response, creds->response);
}

TEST(Digest, DigestEqualsIsCaseInsensitiveAndExact) {
  EXPECT_TRUE(digestEquals("abcdef", "ABCDEF"));
  EXPECT_FALSE(digestEquals("abcdef", "abcde0"));
  EXPECT_FALSE(digestEquals("abcdef", "abcdef0"));
  EXPECT_FALSE(digestEquals("", ""));
}

TEST(Digest, RandomHexHasRequestedLength) {
  const std::string a = randomHex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, randomHex(16));
}

// Every WWW-Authenticate value of the traces of one directory.
std::vector<std::string> wwwAuthenticateLines(const std::string& directory) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("WWW-Authenticate:", 0) == 0) out.push_back(line.substr(17));
    }
  }
  return out;
}

// The challenges real Asterisk 20 sends (chan_pjsip and chan_sip), from the captured traces.
TEST(Digest, ParsesAsteriskPjsipChallenges) {
  const auto lines =
      wwwAuthenticateLines(std::string(CCSIP_SHARED_DIR) + "/traces/asterisk-20-pjsip");
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    auto challenge = parseDigestChallenge(line);
    ASSERT_TRUE(challenge.ok()) << line << ": " << challenge.error().message;
    EXPECT_EQ(challenge->realm, "asterisk");
    EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Md5);
    EXPECT_TRUE(challenge->offersQopAuth());
    EXPECT_FALSE(challenge->opaque.empty());
    EXPECT_NE(challenge->nonce.find('/'), std::string::npos);
  }
  auto fixed = parseDigestChallenge(
      " Digest realm=\"asterisk\",nonce=\"1795789384/a8e77745271dd186d11142dc328619f1\","
      "opaque=\"6af8cf8c0b357956\",algorithm=MD5,qop=\"auth\"");
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->nonce, "1795789384/a8e77745271dd186d11142dc328619f1");
  EXPECT_EQ(fixed->opaque, "6af8cf8c0b357956");
  EXPECT_EQ(fixed->qopOptions, (std::vector<std::string>{"auth"}));

  // Answering it (ccsip as a client of Asterisk) echoes opaque and uses qop=auth.
  auto creds = answerDigestChallenge(fixed.value(), {.username = "sipserver",
                                                     .password = "pw",
                                                     .method = "SUBSCRIBE",
                                                     .uri = "sip:1000@127.0.0.1:5080",
                                                     .cnonce = "abcd",
                                                     .nc = 1});
  ASSERT_TRUE(creds.ok());
  const std::string header = formatDigestCredentials(creds.value());
  EXPECT_NE(header.find("opaque=\"6af8cf8c0b357956\""), std::string::npos);
  EXPECT_NE(header.find("qop=auth, nc=00000001"), std::string::npos);
}

TEST(Digest, ParsesAsteriskChanSipChallenges) {
  const auto lines = wwwAuthenticateLines(std::string(CCSIP_SHARED_DIR) + "/traces/asterisk-20");
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    auto challenge = parseDigestChallenge(line);
    ASSERT_TRUE(challenge.ok()) << line << ": " << challenge.error().message;
    EXPECT_EQ(challenge->realm, "asterisk");
    EXPECT_EQ(challenge->algorithm, DigestAlgorithm::Md5);
    // chan_sip offers no qop: the answer is RFC 2069 style.
    EXPECT_TRUE(challenge->qopOptions.empty());
    auto creds = answerDigestChallenge(
        challenge.value(),
        {.username = "u", .password = "p", .method = "INVITE", .uri = "sip:1000@asterisk"});
    ASSERT_TRUE(creds.ok());
    EXPECT_TRUE(creds->qop.empty());
    EXPECT_EQ(formatDigestCredentials(creds.value()).find("nc="), std::string::npos);
  }
}

}  // namespace
}  // namespace ccsip::sip::dialog
