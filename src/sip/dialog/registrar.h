#pragma once

// The REGISTER handler (RFC 3261 10.3) with Digest authentication (RFC 3261 22.4, RFC 8760).
// Takes a parsed request and returns the response to send; the application passes REGISTER
// server transactions to it, so this class knows nothing of the transaction layer.
//
// Answers chosen here (RFC 3261 leaves them open):
// - Request-URI host not served (neither the domain nor a local address): 404 Not Found, as
//   RFC 3261 21.4.5 words it ("the domain in the Request-URI does not match any of the domains
//   handled by the recipient"); this server does not forward REGISTERs (10.3 step 1).
// - Unknown user: with authentication on, the user gets the same 401 challenge as everyone (so
//   the answer to a request without credentials never tells whether a user exists), and once
//   it sends credentials, 403 Forbidden — like chan_sip's alwaysauthreject. 404 would let
//   anyone enumerate the agents' extensions. With authentication off: 404 (10.3 step 5).
// - Wrong password (a correct-looking response for a nonce of ours that does not match): 403
//   at once, no second challenge. A phone with a wrong password then stops and shows the
//   failure instead of looping on 401s (RFC 3261 22.2: a UAC should not retry with the same
//   credentials), and a password guesser gains nothing over a 401. Only a request whose digest
//   is right but whose nonce is expired, unknown (issued before a restart) or replayed is
//   challenged again, with stale=true (RFC 2617 3.2.1), so phones re-register transparently.
// - Username of the credentials other than the To user: 403 (10.3 step 4: a user may only
//   register its own AOR; third-party registration is not offered).
// - Credentials for another realm, an algorithm or qop not offered: ignored, 401 challenge.
//   Malformed Digest credentials, or a digest uri other than the Request-URI: 400 (RFC 2617
//   3.2.2.5).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/dialog/credential_store.h"
#include "sip/dialog/digest.h"
#include "sip/dialog/location_table.h"
#include "sip/dialog/nonce_manager.h"
#include "sip/message.h"
#include "sip/transport/transport.h"
#include "util/random.h"

namespace ccsip::sip::dialog {

struct RegistrarOptions {
  // The SIP domain of the AORs ("sip:<user>@<domain>" is the location-table key).
  std::string domain;
  // Other hosts a REGISTER may address: ccsip's IP addresses and host names (phones often
  // register to "sip:192.0.2.10:5060"). Compared case-insensitively, port ignored.
  std::vector<std::string> localHosts;
  // The Digest realm (RFC 3261 22.1: a SIP realm is usually the domain); empty: the domain.
  std::string realm;
  bool requireAuth = true;
  // One WWW-Authenticate per algorithm, in this order (RFC 8760 2.4: most preferred first).
  std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
  // Accept credentials without qop (RFC 2069 clients). The challenge always offers qop=auth.
  bool allowNoQop = true;
  // Server header of the responses; empty: none.
  std::string server;
};

class Registrar {
 public:
  // `credentials` may be null: then any user of the domain may register (lab set-ups) and
  // requireAuth is ignored.
  Registrar(RegistrarOptions options, LocationTable& locations, NonceManager& nonces,
            const CredentialStore* credentials);

  // RFC 3261 10.3 on one REGISTER received from `source`. Returns 200 (with every current
  // binding as Contact;expires= and a Date), 401 challenges, or the error of the step that
  // failed (400, 403, 404, 420, 423, 500, 503).
  sip::Message handleRegister(const sip::Message& request, const transport::Peer& source);

  // The location-table key of a user of the domain: "sip:<user>@<domain>".
  std::string aorForUser(std::string_view user) const;
  // True when `host` is the domain or one of the local hosts.
  bool servesHost(std::string_view host) const;
  const RegistrarOptions& options() const { return options_; }
  LocationTable& locations() { return locations_; }

 private:
  struct AuthOutcome;
  AuthOutcome authenticate(const sip::Message& request, std::string_view toUser);
  sip::Message respond(const sip::Message& request, int status, std::string_view reason = {});
  sip::Message challenge(const sip::Message& request, bool stale);

  RegistrarOptions options_;
  LocationTable& locations_;
  NonceManager& nonces_;
  const CredentialStore* credentials_;
  util::Random random_;
};

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 3261 20.17, the RFC 1123 form).
std::string formatSipDate(std::chrono::system_clock::time_point time);

}  // namespace ccsip::sip::dialog
