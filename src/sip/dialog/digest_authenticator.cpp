#include "sip/dialog/digest_authenticator.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "sip/header_id.h"
#include "sip/uri.h"

namespace ccsip::sip::dialog {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 2617 3.2.2.5: the digest-uri names the Request-URI.
bool sameUri(std::string_view digestUri, const Message& request) {
  const Uri& requestUri = request.requestUri();
  if (digestUri == requestUri.text) return true;
  auto parsed = parseUri(digestUri);
  return parsed && uriEquivalent(parsed.value(), requestUri);
}

DigestAlgorithm baseAlgorithm(DigestAlgorithm algorithm) {
  return (algorithm == DigestAlgorithm::Sha256 || algorithm == DigestAlgorithm::Sha256Sess)
             ? DigestAlgorithm::Sha256
             : DigestAlgorithm::Md5;
}

DigestVerdict reject(int status, std::string reason) {
  return DigestVerdict{status, false, std::move(reason)};
}

}  // namespace

DigestAuthenticator::DigestAuthenticator(DigestAuthenticatorOptions options, NonceManager& nonces,
                                         const CredentialStore& credentials)
    : options_(std::move(options)), nonces_(nonces), credentials_(credentials) {}

DigestVerdict DigestAuthenticator::challengeVerdict(bool stale) const {
  return DigestVerdict{challengeStatus(), stale, {}};
}

DigestVerdict DigestAuthenticator::verify(const Message& request, std::string_view identity) {
  const HeaderId header = options_.proxy ? HeaderId::ProxyAuthorization : HeaderId::Authorization;
  // RFC 3261 22.4: pick the credentials for our realm among possibly several.
  std::optional<DigestCredentials> mine;
  for (const HeaderField& field : request.headers()) {
    if (field.id != header) continue;
    // RFC 4475 3.3.8: an unknown scheme is no credentials at all (a challenge, not a 400).
    if (!iequals(authScheme(field.value), "Digest")) continue;
    auto parsed = parseDigestCredentials(field.value);
    if (!parsed) return reject(400, "Bad Authorization Header");
    if (parsed->realm != options_.realm) continue;
    mine = std::move(parsed.value());
    break;
  }
  if (!mine) return challengeVerdict(false);
  const DigestCredentials& creds = *mine;

  const bool offered =
      creds.algorithm && std::find(options_.algorithms.begin(), options_.algorithms.end(),
                                   *creds.algorithm) != options_.algorithms.end();
  const bool qopOk = creds.qop == "auth" || (creds.qop.empty() && options_.allowNoQop);
  if (!offered || !qopOk) return challengeVerdict(false);
  if (!sameUri(creds.uri, request)) return reject(400, "Authorization URI Mismatch");
  // A phone speaks for its own extension only.
  if (creds.username != identity) return reject(403, "Forbidden");

  const std::optional<Credentials> known = credentials_.find(creds.username);
  if (!known) return reject(403, "Forbidden");
  const DigestAlgorithm base = baseAlgorithm(*creds.algorithm);
  std::string ha1;
  if (!known->password.empty()) {
    ha1 = computeHa1(base, creds.username, options_.realm, known->password);
  } else {
    ha1 = base == DigestAlgorithm::Sha256 ? known->ha1Sha256 : known->ha1Md5;
  }
  if (ha1.empty()) return reject(403, "Forbidden");
  const std::string expected = computeDigestResponse({.algorithm = *creds.algorithm,
                                                      .ha1 = ha1,
                                                      .nonce = creds.nonce,
                                                      .cnonce = creds.cnonce,
                                                      .ncText = creds.ncText,
                                                      .qop = creds.qop,
                                                      .method = request.methodName(),
                                                      .uri = creds.uri});
  // RFC 3261 22.2: a UAC should not retry the same credentials; a wrong password is final.
  if (!digestEquals(expected, creds.response)) return reject(403, "Forbidden");
  // The digest proves the password; only the nonce is not acceptable: RFC 2617 3.2.1 stale.
  if (nonces_.check(creds.nonce) != NonceStatus::Valid) return challengeVerdict(true);
  if (!creds.qop.empty() && !nonces_.acceptNonceCount(creds.nonce, creds.nc)) {
    return challengeVerdict(true);
  }
  return DigestVerdict{};
}

ExtraHeaders DigestAuthenticator::challenge(bool stale) {
  const std::string name(
      headerName(options_.proxy ? HeaderId::ProxyAuthenticate : HeaderId::WwwAuthenticate));
  const std::string nonce = nonces_.issue();
  ExtraHeaders headers;
  for (DigestAlgorithm algorithm : options_.algorithms) {
    DigestChallenge offer;
    offer.realm = options_.realm;
    offer.nonce = nonce;
    offer.algorithm = algorithm;
    offer.qopOptions = {"auth"};
    offer.stale = stale;
    headers.push_back(ExtraHeader{name, formatDigestChallenge(offer)});
  }
  return headers;
}

}  // namespace ccsip::sip::dialog
