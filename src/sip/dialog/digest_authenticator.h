#pragma once

// Digest authentication of requests other than REGISTER (RFC 3261 22): an INVITE from a phone
// registered on ccsip proves that it is the extension it claims in From, with the credentials
// and nonces the registrar uses. ccsip is the UAS of that INVITE (a B2BUA, not a proxy), so it
// challenges with 401 and WWW-Authenticate (RFC 3261 22.2), as Asterisk does; `proxy` switches
// to 407 and Proxy-Authenticate (RFC 3261 22.3) for deployments whose phones expect that.
//
// The answers follow the registrar's (registrar.h): no or foreign-realm credentials -> a
// challenge; a right digest with an expired or replayed nonce -> a challenge with stale=true;
// a wrong digest, an unknown user or a username other than the claimed identity -> 403;
// malformed credentials or a digest uri other than the Request-URI -> 400.

#include <string>
#include <string_view>
#include <vector>

#include "sip/dialog/credential_store.h"
#include "sip/dialog/digest.h"
#include "sip/dialog/nonce_manager.h"
#include "sip/dialog/usage_types.h"
#include "sip/message.h"

namespace ccsip::sip::dialog {

struct DigestAuthenticatorOptions {
  std::string realm;
  // One challenge per algorithm, in this order (RFC 8760 2.4: most preferred first).
  std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
  bool allowNoQop = true;  // RFC 2069 clients
  bool proxy = false;      // 407 / Proxy-Authenticate / Proxy-Authorization
};

// What verify() decided.
struct DigestVerdict {
  int status = 0;      // 0: authenticated; 401 / 407: challenge; else the error status
  bool stale = false;  // challenge with stale=true
  std::string reason;  // reason phrase of an error status
  bool authenticated() const { return status == 0; }
};

class DigestAuthenticator {
 public:
  DigestAuthenticator(DigestAuthenticatorOptions options, NonceManager& nonces,
                      const CredentialStore& credentials);

  // Checks the request's credentials for our realm against `identity` (the user the request
  // claims to be, e.g. its From user).
  DigestVerdict verify(const Message& request, std::string_view identity);
  // The headers of a challenge response (one per algorithm, one fresh nonce).
  ExtraHeaders challenge(bool stale);
  int challengeStatus() const { return options_.proxy ? 407 : 401; }

 private:
  DigestVerdict challengeVerdict(bool stale) const;

  DigestAuthenticatorOptions options_;
  NonceManager& nonces_;
  const CredentialStore& credentials_;
};

}  // namespace ccsip::sip::dialog
