#pragma once

// HTTP Digest authentication as SIP uses it (RFC 3261 22.4 over RFC 2617, with the algorithms of
// RFC 7616 that RFC 8760 brings to SIP). Parsing of WWW-Authenticate / Authorization values,
// formatting of both, and the hash computations for the server (verify) and the client (answer
// a challenge). Untrusted input never throws: parse functions return util::Result.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ccsip::sip::dialog {

enum class DigestAlgorithm : std::uint8_t { Md5, Md5Sess, Sha256, Sha256Sess };

// The token as written in the algorithm parameter: "MD5", "MD5-sess", "SHA-256", "SHA-256-sess".
std::string_view digestAlgorithmName(DigestAlgorithm algorithm);
// Case-insensitive (RFC 7616 3.3: tokens compare case-insensitively); nullopt when unsupported.
std::optional<DigestAlgorithm> digestAlgorithmFromName(std::string_view name);
bool isSessionAlgorithm(DigestAlgorithm algorithm);

// One auth-param of a challenge or credentials (RFC 7235 2.1): name lower-cased, value unquoted
// and unescaped.
struct AuthParam {
  std::string name;
  std::string value;
  bool quoted = false;
};

// A parsed "scheme param=value, ..." value. Parameter names are unique (RFC 7616 3.3, 3.4).
struct AuthValue {
  std::string scheme;  // as written
  std::vector<AuthParam> params;
  const AuthParam* find(std::string_view lowerName) const;
};

// The generic grammar of RFC 7235 2.1 / RFC 3261 25.1 (challenge, credentials): a scheme token,
// then comma-separated auth-params (token "=" token / quoted-string, LWS around "=" and ","
// tolerated, empty list elements skipped). Errors (code 400) for an unterminated quoted string,
// a missing "=", a duplicate parameter or an empty scheme. A token68 value (Basic) is not a SIP
// scheme and is rejected as well.
util::Result<AuthValue> parseAuthValue(std::string_view text);

// The scheme token of a header value ("Digest" of "Digest realm=..."), "" when none. Lets a
// caller skip schemes it does not know (RFC 4475 3.3.8 regaut01) before parsing.
std::string_view authScheme(std::string_view text);

// WWW-Authenticate / Proxy-Authenticate: Digest (RFC 2617 3.2.1, RFC 7616 3.3).
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::string domain;
  // The algorithm as written ("" when absent: RFC 2617 3.2.1 says MD5), and its value when
  // supported. A challenge with an unsupported algorithm parses; the client skips it.
  std::string algorithmText;
  std::optional<DigestAlgorithm> algorithm = DigestAlgorithm::Md5;
  std::vector<std::string> qopOptions;  // "auth", "auth-int"; empty: RFC 2069 style
  bool stale = false;
  bool userhash = false;
  bool offersQopAuth() const;
};

// Authorization / Proxy-Authorization: Digest (RFC 2617 3.2.2, RFC 7616 3.4).
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;  // hex digest, compared case-insensitively
  std::string algorithmText;
  std::optional<DigestAlgorithm> algorithm = DigestAlgorithm::Md5;
  std::string cnonce;
  std::string opaque;
  std::string qop;     // "" (RFC 2069 client), "auth", "auth-int"
  std::string ncText;  // the 8 hex digits as sent
  std::uint32_t nc = 0;
  bool userhash = false;
};

// Errors (code 400) when the scheme is not Digest, a required parameter is missing (realm, nonce
// for a challenge; username, realm, nonce, uri, response for credentials; cnonce and nc with a
// qop), or nc is not hexadecimal.
util::Result<DigestChallenge> parseDigestChallenge(std::string_view text);
util::Result<DigestCredentials> parseDigestCredentials(std::string_view text);

// Header values: `Digest realm="...", nonce="...", algorithm=SHA-256, qop="auth"`.
std::string formatDigestChallenge(const DigestChallenge& challenge);
std::string formatDigestCredentials(const DigestCredentials& credentials);

// Lower-case hex of H(data) for the algorithm's hash (MD5 or SHA-256).
std::string digestHash(DigestAlgorithm algorithm, std::string_view data);

// RFC 7616 3.4.2: H(username ":" realm ":" password) — what a credential store may keep instead
// of the password. The -sess variants use the same base HA1.
std::string computeHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password);

struct DigestResponseInput {
  DigestAlgorithm algorithm = DigestAlgorithm::Md5;
  std::string_view ha1;  // computeHa1() (not yet -sess adjusted)
  std::string_view nonce;
  std::string_view cnonce;
  std::string_view ncText;  // 8 hex digits
  std::string_view qop;     // "" or "auth" (auth-int is not supported)
  std::string_view method;
  std::string_view uri;
};

// RFC 2617 3.2.2.1 / RFC 7616 3.4.1: the request-digest (lower-case hex). With qop:
// KD(HA1, nonce:nc:cnonce:qop:HA2); without (RFC 2069): KD(HA1, nonce:HA2). -sess algorithms use
// H(HA1:nonce:cnonce) as HA1 (RFC 7616 3.4.2).
std::string computeDigestResponse(const DigestResponseInput& input);

// Constant-time comparison of two hex digests (case-insensitive), so a response check does not
// leak how many leading characters matched.
bool digestEquals(std::string_view expected, std::string_view received);

// The client side (ccsip authenticating its own requests to Asterisk): credentials answering
// `challenge`. Uses qop=auth when offered, else RFC 2069 style. Error when the challenge's
// algorithm is unsupported or it offers only auth-int.
struct DigestClientInput {
  std::string_view username;
  std::string_view password;
  std::string_view method;
  std::string_view uri;
  std::string_view cnonce;  // random hex chosen by the caller
  std::uint32_t nc = 1;
};
util::Result<DigestCredentials> answerDigestChallenge(const DigestChallenge& challenge,
                                                      const DigestClientInput& input);

// `bytes` random bytes from OpenSSL RAND_bytes as lower-case hex (cnonces, server secrets).
std::string randomHex(std::size_t bytes);

}  // namespace ccsip::sip::dialog
