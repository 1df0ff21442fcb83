#include "sip/dialog/registrar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "sip/parser.h"
#include "sip/serializer.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {
namespace {

using std::chrono::seconds;

struct Event {
  std::string what;
  std::string aor;
  std::string contact;
};

class RecordingHandler final : public RegistrationHandler {
 public:
  void onRegistered(std::string_view aor, const Binding& b) override {
    events.push_back({"registered", std::string(aor), b.contact});
  }
  void onUnregistered(std::string_view aor, const Binding& b, UnregisterReason r) override {
    events.push_back({std::string(unregisterReasonName(r)), std::string(aor), b.contact});
  }
  std::vector<Event> events;
};

// A REGISTER as a phone writes it; every field can be changed by a test.
struct Spec {
  std::string requestUri = "sip:ccsip.test";
  std::string toUser = "1000";
  std::string toHost = "ccsip.test";
  std::vector<std::string> contacts = {"<sip:1000@192.0.2.20:5062>"};
  std::string expires;  // Expires header; "" for none
  std::string callId = "reg-1@192.0.2.20";
  std::vector<std::string> authorization;
  std::string extra;  // more header lines, CRLF-terminated
};

sip::Message parse(std::string text) {
  auto parsed = sip::parseMessage(std::move(text));
  EXPECT_TRUE(parsed.ok()) << (parsed.error ? parsed.error->reason : "");
  return std::move(parsed.message);
}

std::vector<std::string> values(const sip::Message& message, HeaderId id) {
  std::vector<std::string> out;
  for (const HeaderField& field : message.headers()) {
    if (field.id == id) out.emplace_back(field.value);
  }
  return out;
}

std::vector<DigestChallenge> challengesOf(const sip::Message& response) {
  std::vector<DigestChallenge> out;
  for (const std::string& value : values(response, HeaderId::WwwAuthenticate)) {
    auto challenge = parseDigestChallenge(value);
    EXPECT_TRUE(challenge.ok()) << value;
    if (challenge) out.push_back(challenge.value());
  }
  return out;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

transport::Peer phonePeer() {
  transport::Peer peer;
  peer.remote = {boost::asio::ip::make_address("192.0.2.20"), 5062};
  peer.local = {boost::asio::ip::make_address("127.0.0.1"), 5060};
  return peer;
}

RegistrarOptions labOptions() {
  RegistrarOptions options;
  options.domain = "ccsip.test";
  options.localHosts = {"127.0.0.1", "::1"};
  options.realm = "ccsip";
  options.server = "ccsip-test";
  return options;
}

class RegistrarTest : public ::testing::Test {
 protected:
  RegistrarTest() {
    timers_.advance(seconds(1000));
    store_.add("1000", "secret");
    store_.add("2000", "other");
  }

  sip::Message send(const Spec& spec) {
    const std::uint32_t cseq = ++cseq_;
    std::string text = "REGISTER " + spec.requestUri +
                       " SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP 192.0.2.20:5062;rport;branch=z9hG4bK-" +
                       std::to_string(cseq) +
                       "\r\n"
                       "Max-Forwards: 70\r\n"
                       "From: <sip:" +
                       spec.toUser + "@" + spec.toHost +
                       ">;tag=ph1\r\n"
                       "To: <sip:" +
                       spec.toUser + "@" + spec.toHost +
                       ">\r\n"
                       "Call-ID: " +
                       spec.callId + "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\n";
    for (const std::string& contact : spec.contacts) text += "Contact: " + contact + "\r\n";
    if (!spec.expires.empty()) text += "Expires: " + spec.expires + "\r\n";
    for (const std::string& auth : spec.authorization) text += "Authorization: " + auth + "\r\n";
    text += spec.extra;
    text += "User-Agent: test-phone\r\nContent-Length: 0\r\n\r\n";
    return registrar_.handleRegister(parse(std::move(text)), phonePeer());
  }

  // Answers the challenge of `response` for `algorithm` the way a phone does.
  std::string answer(const sip::Message& response, DigestAlgorithm algorithm, const Spec& spec,
                     const std::string& user, const std::string& password, std::uint32_t nc = 1) {
    for (const DigestChallenge& challenge : challengesOf(response)) {
      if (challenge.algorithm != algorithm) continue;
      auto creds = answerDigestChallenge(challenge, {.username = user,
                                                     .password = password,
                                                     .method = "REGISTER",
                                                     .uri = spec.requestUri,
                                                     .cnonce = "0a4f113b",
                                                     .nc = nc});
      EXPECT_TRUE(creds.ok());
      return formatDigestCredentials(creds.value());
    }
    ADD_FAILURE() << "no challenge for " << digestAlgorithmName(algorithm);
    return {};
  }

  // The two-step REGISTER of a phone: unauthenticated, then with credentials.
  sip::Message registerWithAuth(Spec spec, DigestAlgorithm algorithm = DigestAlgorithm::Sha256,
                                const std::string& password = "secret") {
    const sip::Message challenge = send(spec);
    EXPECT_EQ(challenge.statusCode(), 401);
    spec.authorization = {answer(challenge, algorithm, spec, spec.toUser, password)};
    return send(spec);
  }

  util::ManualTimerService timers_;
  RecordingHandler handler_;
  LocationTable table_{timers_, {}, &handler_};
  NonceManager nonces_{timers_};
  StaticCredentialStore store_;
  Registrar registrar_{labOptions(), table_, nonces_, &store_};
  std::uint32_t cseq_ = 0;
};

TEST_F(RegistrarTest, NoCredentialsGets401WithSha256ThenMd5) {
  const sip::Message response = send({});
  EXPECT_EQ(response.statusCode(), 401);
  EXPECT_EQ(response.reasonPhrase(), "Unauthorized");
  EXPECT_FALSE(response.to().tag.empty());
  EXPECT_EQ(response.headerValue(HeaderId::Server), "ccsip-test");
  const auto challenges = challengesOf(response);
  ASSERT_EQ(challenges.size(), 2u);
  // RFC 8760 2.4: the preferred algorithm first.
  EXPECT_EQ(challenges[0].algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(challenges[1].algorithm, DigestAlgorithm::Md5);
  for (const DigestChallenge& c : challenges) {
    EXPECT_EQ(c.realm, "ccsip");
    EXPECT_TRUE(c.offersQopAuth());
    EXPECT_FALSE(c.stale);
    EXPECT_EQ(nonces_.check(c.nonce), NonceStatus::Valid);
  }
  EXPECT_EQ(table_.bindingCount(), 0u);
  const std::string wire = toString(response);
  EXPECT_NE(wire.find("WWW-Authenticate: Digest realm=\"ccsip\""), std::string::npos) << wire;
}

TEST_F(RegistrarTest, GoodSha256Gets200WithContactExpiresAndDate) {
  const sip::Message response = registerWithAuth({});
  ASSERT_EQ(response.statusCode(), 200) << toString(response);
  const auto contacts = response.contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].uri.text, "sip:1000@192.0.2.20:5062");
  EXPECT_EQ(contacts[0].param("expires"), "3600");
  EXPECT_FALSE(response.headerValue(HeaderId::Date).empty());
  EXPECT_NE(response.headerValue(HeaderId::Date).find("GMT"), std::string_view::npos);
  EXPECT_FALSE(response.to().tag.empty());
  ASSERT_EQ(handler_.events.size(), 1u);
  EXPECT_EQ(handler_.events[0].what, "registered");
  EXPECT_EQ(handler_.events[0].aor, "sip:1000@ccsip.test");
  const auto bindings = table_.lookup(registrar_.aorForUser("1000"));
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].source.remote.port, 5062);
}

TEST_F(RegistrarTest, GoodMd5Gets200) {
  Spec spec;
  spec.expires = "600";
  const sip::Message response = registerWithAuth(spec, DigestAlgorithm::Md5);
  ASSERT_EQ(response.statusCode(), 200) << toString(response);
  const auto contacts = response.contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].param("expires"), "600");
}

TEST_F(RegistrarTest, LocalAddressInRequestUriIsServed) {
  // Phones configured with the server's IP: "REGISTER sip:127.0.0.1:5060", To/From the same.
  Spec spec;
  spec.requestUri = "sip:127.0.0.1:5060";
  spec.toHost = "127.0.0.1:5060";
  const sip::Message response = registerWithAuth(spec);
  ASSERT_EQ(response.statusCode(), 200) << toString(response);
  // The AOR is keyed by the domain, whatever host the phone used.
  EXPECT_EQ(table_.lookup("sip:1000@ccsip.test").size(), 1u);
}

TEST_F(RegistrarTest, WrongPasswordGets403) {
  const sip::Message response = registerWithAuth({}, DigestAlgorithm::Sha256, "wrong");
  EXPECT_EQ(response.statusCode(), 403);
  EXPECT_TRUE(values(response, HeaderId::WwwAuthenticate).empty());
  EXPECT_EQ(table_.bindingCount(), 0u);
  EXPECT_TRUE(handler_.events.empty());
}

TEST_F(RegistrarTest, UnknownUserIsChallengedThenForbidden) {
  Spec spec;
  spec.toUser = "4711";
  const sip::Message challenge = send(spec);
  EXPECT_EQ(challenge.statusCode(), 401);  // no hint that 4711 does not exist
  spec.authorization = {answer(challenge, DigestAlgorithm::Sha256, spec, "4711", "guess")};
  EXPECT_EQ(send(spec).statusCode(), 403);
}

TEST_F(RegistrarTest, UsernameMustMatchToUser) {
  Spec spec;
  const sip::Message challenge = send(spec);
  // 2000 authenticates correctly but tries to register 1000's AOR.
  spec.authorization = {answer(challenge, DigestAlgorithm::Sha256, spec, "2000", "other")};
  EXPECT_EQ(send(spec).statusCode(), 403);
  EXPECT_EQ(table_.bindingCount(), 0u);
}

TEST_F(RegistrarTest, CredentialsForAnotherRealmAreChallengedAgain) {
  Spec spec;
  const sip::Message first = send(spec);
  DigestChallenge foreign = challengesOf(first).front();
  foreign.realm = "asterisk";
  auto creds = answerDigestChallenge(foreign, {.username = "1000",
                                               .password = "secret",
                                               .method = "REGISTER",
                                               .uri = spec.requestUri,
                                               .cnonce = "c"});
  ASSERT_TRUE(creds.ok());
  spec.authorization = {formatDigestCredentials(creds.value())};
  const sip::Message response = send(spec);
  EXPECT_EQ(response.statusCode(), 401);
  const auto challenges = challengesOf(response);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_FALSE(challenges[0].stale);
  EXPECT_EQ(challenges[0].realm, "ccsip");
}

TEST_F(RegistrarTest, ExpiredNonceGets401StaleThenSucceeds) {
  Spec spec;
  const sip::Message first = send(spec);
  timers_.advance(seconds(301));
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, spec, "1000", "secret")};
  const sip::Message stale = send(spec);
  ASSERT_EQ(stale.statusCode(), 401);
  const auto challenges = challengesOf(stale);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_TRUE(challenges[0].stale);  // RFC 2617 3.2.1
  EXPECT_TRUE(challenges[1].stale);
  EXPECT_NE(toString(stale).find("stale=true"), std::string::npos);

  spec.authorization = {answer(stale, DigestAlgorithm::Sha256, spec, "1000", "secret")};
  EXPECT_EQ(send(spec).statusCode(), 200);
}

TEST_F(RegistrarTest, ExpiredNonceWithWrongPasswordIs403) {
  Spec spec;
  const sip::Message first = send(spec);
  timers_.advance(seconds(301));
  spec.authorization = {answer(first, DigestAlgorithm::Md5, spec, "1000", "wrong")};
  EXPECT_EQ(send(spec).statusCode(), 403);
}

TEST_F(RegistrarTest, NonceFromAnotherServerInstanceIsStale) {
  // A phone still holding a nonce of a previous run (another secret) is re-challenged quietly.
  util::ManualTimerService otherClock;
  otherClock.advance(seconds(1000));
  NonceManager previous(otherClock, {.secret = "previous-run"});
  DigestChallenge old{.realm = "ccsip", .nonce = previous.issue(), .qopOptions = {"auth"}};
  Spec spec;
  auto creds = answerDigestChallenge(old, {.username = "1000",
                                           .password = "secret",
                                           .method = "REGISTER",
                                           .uri = spec.requestUri,
                                           .cnonce = "c"});
  ASSERT_TRUE(creds.ok());
  spec.authorization = {formatDigestCredentials(creds.value())};
  const sip::Message response = send(spec);
  ASSERT_EQ(response.statusCode(), 401);
  EXPECT_TRUE(challengesOf(response).at(0).stale);
}

TEST_F(RegistrarTest, ReplayedNonceCountIsStale) {
  Spec spec;
  const sip::Message first = send(spec);
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, spec, "1000", "secret", 1)};
  EXPECT_EQ(send(spec).statusCode(), 200);
  // The same credentials again (nc=1) on a new CSeq: a replay.
  const sip::Message replay = send(spec);
  ASSERT_EQ(replay.statusCode(), 401);
  EXPECT_TRUE(challengesOf(replay).at(0).stale);
  // The next nc with the same nonce is fine.
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, spec, "1000", "secret", 2)};
  EXPECT_EQ(send(spec).statusCode(), 200);
}

TEST_F(RegistrarTest, Rfc2069ClientWithoutQop) {
  Spec spec;
  const sip::Message first = send(spec);
  DigestChallenge challenge = challengesOf(first).at(1);  // MD5
  challenge.qopOptions.clear();
  auto creds = answerDigestChallenge(
      challenge,
      {.username = "1000", .password = "secret", .method = "REGISTER", .uri = spec.requestUri});
  ASSERT_TRUE(creds.ok());
  spec.authorization = {formatDigestCredentials(creds.value())};
  EXPECT_EQ(send(spec).statusCode(), 200);
}

TEST_F(RegistrarTest, UnregisterRemovesBindingAndNotifies) {
  ASSERT_EQ(registerWithAuth({}).statusCode(), 200);
  Spec spec;
  spec.contacts = {"<sip:1000@192.0.2.20:5062>;expires=0"};
  const sip::Message response = registerWithAuth(spec);
  ASSERT_EQ(response.statusCode(), 200);
  EXPECT_TRUE(response.contacts().empty());
  EXPECT_EQ(table_.bindingCount(), 0u);
  ASSERT_EQ(handler_.events.size(), 2u);
  EXPECT_EQ(handler_.events[1].what, "unregistered");
}

TEST_F(RegistrarTest, WildcardUnregistersAll) {
  Spec two;
  two.contacts = {"<sip:1000@192.0.2.20:5062>", "<sip:1000@192.0.2.21:5062>;q=0.5"};
  const sip::Message registered = registerWithAuth(two);
  ASSERT_EQ(registered.statusCode(), 200);
  EXPECT_EQ(registered.contacts().size(), 2u);
  const std::string wire = toString(registered);
  EXPECT_NE(wire.find("<sip:1000@192.0.2.21:5062>;expires=3600;q=0.5"), std::string::npos) << wire;

  Spec wildcard;
  wildcard.contacts = {"*"};
  wildcard.expires = "0";
  const sip::Message response = registerWithAuth(wildcard);
  ASSERT_EQ(response.statusCode(), 200) << toString(response);
  EXPECT_TRUE(response.contacts().empty());
  EXPECT_EQ(table_.bindingCount(), 0u);

  Spec bad;
  bad.contacts = {"*"};
  bad.expires = "3600";
  EXPECT_EQ(registerWithAuth(bad).statusCode(), 400);
}

TEST_F(RegistrarTest, TooBriefGets423WithMinExpires) {
  Spec spec;
  spec.expires = "30";
  const sip::Message response = registerWithAuth(spec);
  ASSERT_EQ(response.statusCode(), 423);
  EXPECT_EQ(response.headerValue(HeaderId::MinExpires), "60");
  EXPECT_EQ(table_.bindingCount(), 0u);
}

TEST_F(RegistrarTest, LongExpiryIsShortenedToMaximum) {
  Spec spec;
  spec.expires = "86400";
  const sip::Message response = registerWithAuth(spec);
  ASSERT_EQ(response.statusCode(), 200);
  EXPECT_EQ(response.contacts().at(0).param("expires"), "7200");
}

TEST_F(RegistrarTest, ExpirySweepRemovesBindingAndCallsOnUnregistered) {
  Spec spec;
  spec.expires = "60";
  ASSERT_EQ(registerWithAuth(spec).statusCode(), 200);
  timers_.advance(seconds(30));
  EXPECT_EQ(table_.bindingCount(), 1u);
  timers_.advance(seconds(60));  // past 60 s plus one sweep period
  EXPECT_EQ(table_.bindingCount(), 0u);
  ASSERT_EQ(handler_.events.size(), 2u);
  EXPECT_EQ(handler_.events[1].what, "expired");
  EXPECT_EQ(handler_.events[1].contact, "sip:1000@192.0.2.20:5062");
}

TEST_F(RegistrarTest, RefreshShowsRemainingLifetimeOfOtherBindings) {
  Spec first;
  first.contacts = {"<sip:1000@192.0.2.20:5062>;expires=600"};
  ASSERT_EQ(registerWithAuth(first).statusCode(), 200);
  timers_.advance(seconds(100));
  Spec second;
  second.contacts = {"<sip:1000@192.0.2.30:5062>;expires=900"};
  const sip::Message response = registerWithAuth(second);
  ASSERT_EQ(response.statusCode(), 200);
  const std::string wire = toString(response);
  EXPECT_NE(wire.find("<sip:1000@192.0.2.20:5062>;expires=500"), std::string::npos) << wire;
  EXPECT_NE(wire.find("<sip:1000@192.0.2.30:5062>;expires=900"), std::string::npos) << wire;
}

TEST_F(RegistrarTest, ForeignDomainGets404) {
  Spec spec;
  spec.requestUri = "sip:elsewhere.example";
  EXPECT_EQ(send(spec).statusCode(), 404);
}

TEST_F(RegistrarTest, ToInForeignDomainGets404AfterAuthentication) {
  Spec spec;
  spec.toHost = "elsewhere.example";
  EXPECT_EQ(registerWithAuth(spec).statusCode(), 404);
}

TEST_F(RegistrarTest, UnsupportedRequireGets420) {
  Spec spec;
  spec.extra = "Require: foo, path\r\n";
  const sip::Message response = send(spec);
  EXPECT_EQ(response.statusCode(), 420);
  EXPECT_EQ(response.headerValue(HeaderId::Unsupported), "foo");
}

TEST_F(RegistrarTest, MalformedDigestGets400) {
  Spec spec;
  spec.authorization = {"Digest username=\"1000\", realm=\"ccsip\""};
  EXPECT_EQ(send(spec).statusCode(), 400);
}

TEST_F(RegistrarTest, DigestUriOtherThanRequestUriGets400) {
  Spec spec;
  const sip::Message first = send(spec);
  Spec other = spec;
  other.requestUri = "sip:someone-else.example";
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, other, "1000", "secret")};
  EXPECT_EQ(send(spec).statusCode(), 400);
}

TEST_F(RegistrarTest, UnknownSchemeIsIgnoredAndChallenged) {
  Spec spec;
  spec.authorization = {"NoOneKnowsThisScheme opaque-data=here"};
  EXPECT_EQ(send(spec).statusCode(), 401);
}

TEST_F(RegistrarTest, OutOfOrderRegisterGets500) {
  Spec spec;
  const sip::Message first = send(spec);
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, spec, "1000", "secret", 1)};
  ASSERT_EQ(send(spec).statusCode(), 200);
  // A REGISTER of the same Call-ID with a lower CSeq arriving late.
  cseq_ -= 2;
  spec.authorization = {answer(first, DigestAlgorithm::Sha256, spec, "1000", "secret", 2)};
  EXPECT_EQ(send(spec).statusCode(), 500);
}

TEST_F(RegistrarTest, StoredHa1InsteadOfPassword) {
  Credentials hashed;
  hashed.username = "3000";
  hashed.ha1Sha256 = computeHa1(DigestAlgorithm::Sha256, "3000", "ccsip", "pw3000");
  store_.add(hashed);
  Spec spec;
  spec.toUser = "3000";
  EXPECT_EQ(registerWithAuth(spec, DigestAlgorithm::Sha256, "pw3000").statusCode(), 200);
  // No MD5 hash stored: MD5 credentials cannot be checked.
  EXPECT_EQ(registerWithAuth(spec, DigestAlgorithm::Md5, "pw3000").statusCode(), 403);
}

// RFC 4475 3.3.8: an Authorization with an unknown scheme -> 401.
TEST(RegistrarTorture, Regaut01Gets401) {
  util::ManualTimerService timers;
  LocationTable table(timers);
  NonceManager nonces(timers);
  StaticCredentialStore store;
  store.add("j.user", "secret");
  RegistrarOptions options;
  options.domain = "example.com";
  Registrar registrar(options, table, nonces, &store);
  const sip::Message response = registrar.handleRegister(
      parse(readFile(std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475/regaut01.dat")),
      phonePeer());
  EXPECT_EQ(response.statusCode(), 401);
  const auto challenges = challengesOf(response);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].realm, "example.com");  // realm defaults to the domain
}

class OpenRegistrarTest : public ::testing::Test {
 protected:
  sip::Message handle(const std::string& file) {
    return registrar_.handleRegister(
        parse(readFile(std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475/" + file)), phonePeer());
  }
  static RegistrarOptions options() {
    RegistrarOptions options;
    options.domain = "example.com";
    return options;
  }
  util::ManualTimerService timers_;
  LocationTable table_{timers_};
  NonceManager nonces_{timers_};
  Registrar registrar_{options(), table_, nonces_, nullptr};
};

// RFC 4475 3.3.13: without angle brackets ";unknownparam" is a Contact header parameter, not
// part of the URI; with them it is a URI parameter and part of the binding.
TEST_F(OpenRegistrarTest, Cparam01And02) {
  const sip::Message first = handle("cparam01.dat");
  ASSERT_EQ(first.statusCode(), 200) << toString(first);
  auto bindings = table_.lookup("sip:watson@example.com");
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].contact, "sip:+19725552222@gw1.example.net");

  const sip::Message second = handle("cparam02.dat");
  ASSERT_EQ(second.statusCode(), 200) << toString(second);
  // The two URIs are equivalent (RFC 3261 19.1.4: a parameter present in one URI only is
  // ignored), so cparam02 (another Call-ID) updates the binding of cparam01.
  bindings = table_.lookup("sip:watson@example.com");
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].contact, "sip:+19725552222@gw1.example.net;unknownparam");
  const std::string wire = toString(second);
  EXPECT_NE(wire.find("<sip:+19725552222@gw1.example.net;unknownparam>;expires="),
            std::string::npos)
      << wire;
}

// RFC 4475 3.3.15: the escaped headers stay part of the stored Contact URI.
TEST_F(OpenRegistrarTest, Regescrt) {
  const sip::Message response = handle("regescrt.dat");
  ASSERT_EQ(response.statusCode(), 200) << toString(response);
  const std::string wire = toString(response);
  EXPECT_NE(wire.find("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>;expires="),
            std::string::npos)
      << wire;
}

TEST(RegistrarOpen, AuthOffStillRejectsUnknownUsersOfAStore) {
  util::ManualTimerService timers;
  LocationTable table(timers);
  NonceManager nonces(timers);
  StaticCredentialStore store;
  store.add("watson", "x");
  RegistrarOptions options;
  options.domain = "example.com";
  options.requireAuth = false;
  Registrar registrar(options, table, nonces, &store);
  const std::string text =
      readFile(std::string(CCSIP_SHARED_DIR) + "/torture/rfc4475/cparam01.dat");
  EXPECT_EQ(registrar.handleRegister(parse(text), phonePeer()).statusCode(), 200);
  std::string unknown = text;
  for (std::size_t at; (at = unknown.find("watson")) != std::string::npos;) {
    unknown.replace(at, 6, "holmes");
  }
  EXPECT_EQ(registrar.handleRegister(parse(unknown), phonePeer()).statusCode(), 404);
}

TEST(SipDate, Rfc1123Form) {
  EXPECT_EQ(formatSipDate(std::chrono::system_clock::from_time_t(784111777)),
            "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace ccsip::sip::dialog
