#include "sip/dialog/registrar.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "sip/headers.h"
#include "sip/serializer.h"
#include "sip/uri.h"

namespace ccsip::sip::dialog {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view stripBrackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3261 19.1.4: escaped and unescaped user parts are equivalent; the AOR key and the
// comparison with the Digest username use the unescaped form.
std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// RFC 3261 10.3 step 2 / 8.2.2.3: the extensions this registrar implements.
bool isSupportedExtension(std::string_view option) {
  return iequals(option, "path");
}

// Remaining lifetime in whole seconds, rounded up so a live binding never shows expires=0.
std::int64_t remainingSeconds(util::TimePoint expiresAt, util::TimePoint now) {
  if (expiresAt <= now) return 0;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(expiresAt - now);
  return (left.count() + 999) / 1000;
}

std::string formatContact(const Binding& binding, util::TimePoint now) {
  std::string out = "<" + binding.contact +
                    ">;expires=" + std::to_string(remainingSeconds(binding.expiresAt, now));
  if (binding.q) out += ";q=" + formatQValue(*binding.q);
  if (!binding.instanceId.empty()) out += ";+sip.instance=" + binding.instanceId;
  if (binding.regId) out += ";reg-id=" + std::to_string(*binding.regId);
  return out;
}

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

}  // namespace

std::string formatSipDate(std::chrono::system_clock::time_point time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

struct Registrar::AuthOutcome {
  int status = 0;  // 0: authenticated; 401: challenge; else an error status
  bool stale = false;
  std::string reason;

  static AuthOutcome accepted() { return AuthOutcome{}; }
  static AuthOutcome challenge(bool stale) { return AuthOutcome{401, stale, {}}; }
  static AuthOutcome reject(int status, std::string reason) {
    return AuthOutcome{status, false, std::move(reason)};
  }
};

Registrar::Registrar(RegistrarOptions options, LocationTable& locations, NonceManager& nonces,
                     const CredentialStore* credentials)
    : options_(std::move(options)),
      locations_(locations),
      nonces_(nonces),
      credentials_(credentials) {
  if (options_.realm.empty()) options_.realm = options_.domain;
}

std::string Registrar::aorForUser(std::string_view user) const {
  return "sip:" + std::string(user) + "@" + options_.domain;
}

bool Registrar::servesHost(std::string_view host) const {
  host = stripBrackets(host);
  if (iequals(host, stripBrackets(options_.domain))) return true;
  return std::any_of(
      options_.localHosts.begin(), options_.localHosts.end(),
      [host](const std::string& local) { return iequals(host, stripBrackets(local)); });
}

Message Registrar::respond(const Message& request, int status, std::string_view reason) {
  if (reason.empty()) reason = defaultReasonPhrase(status);
  // RFC 3261 8.2.6.2: a final response carries a To tag.
  Message response = makeResponse(request, status, reason, random_.tag());
  if (!options_.server.empty()) response.addHeader(HeaderId::Server, options_.server);
  return response;
}

Message Registrar::challenge(const Message& request, bool stale) {
  Message response = respond(request, 401, "Unauthorized");
  // One nonce for every algorithm: the nonce names the challenge, not the hash function.
  const std::string nonce = nonces_.issue();
  for (DigestAlgorithm algorithm : options_.algorithms) {
    DigestChallenge offer;
    offer.realm = options_.realm;
    offer.nonce = nonce;
    offer.algorithm = algorithm;
    offer.qopOptions = {"auth"};
    offer.stale = stale;
    response.addHeader(HeaderId::WwwAuthenticate, formatDigestChallenge(offer));
  }
  return response;
}

Registrar::AuthOutcome Registrar::authenticate(const Message& request, std::string_view toUser) {
  // RFC 3261 22.4: pick the credentials for our realm among possibly several.
  std::optional<DigestCredentials> mine;
  for (const HeaderField& field : request.headers()) {
    if (field.id != HeaderId::Authorization) continue;
    // RFC 4475 3.3.8: an unknown scheme is no credentials at all (a 401, not a 400).
    if (!iequals(authScheme(field.value), "Digest")) continue;
    auto parsed = parseDigestCredentials(field.value);
    if (!parsed) return AuthOutcome::reject(400, "Bad Authorization Header");
    if (parsed->realm != options_.realm) continue;
    mine = std::move(parsed.value());
    break;
  }
  if (!mine) return AuthOutcome::challenge(false);
  const DigestCredentials& creds = *mine;

  const bool offered =
      creds.algorithm && std::find(options_.algorithms.begin(), options_.algorithms.end(),
                                   *creds.algorithm) != options_.algorithms.end();
  const bool qopOk = creds.qop == "auth" || (creds.qop.empty() && options_.allowNoQop);
  if (!offered || !qopOk) return AuthOutcome::challenge(false);
  // RFC 2617 3.2.2.5: the digest-uri must name the Request-URI.
  if (!sameUri(creds.uri, request)) return AuthOutcome::reject(400, "Authorization URI Mismatch");
  // RFC 3261 10.3 step 4: a user registers its own AOR only.
  if (creds.username != toUser) return AuthOutcome::reject(403, "Forbidden");

  const std::optional<Credentials> known = credentials_->find(creds.username);
  if (!known) return AuthOutcome::reject(403, "Forbidden");
  const DigestAlgorithm base = baseAlgorithm(*creds.algorithm);
  std::string ha1;
  if (!known->password.empty()) {
    ha1 = computeHa1(base, creds.username, options_.realm, known->password);
  } else {
    ha1 = base == DigestAlgorithm::Sha256 ? known->ha1Sha256 : known->ha1Md5;
  }
  if (ha1.empty()) return AuthOutcome::reject(403, "Forbidden");

  const std::string expected = computeDigestResponse({.algorithm = *creds.algorithm,
                                                      .ha1 = ha1,
                                                      .nonce = creds.nonce,
                                                      .cnonce = creds.cnonce,
                                                      .ncText = creds.ncText,
                                                      .qop = creds.qop,
                                                      .method = request.methodName(),
                                                      .uri = creds.uri});
  if (!digestEquals(expected, creds.response)) return AuthOutcome::reject(403, "Forbidden");
  // The digest proves the password; only the nonce is not acceptable: RFC 2617 3.2.1 stale.
  if (nonces_.check(creds.nonce) != NonceStatus::Valid) return AuthOutcome::challenge(true);
  if (!creds.qop.empty() && !nonces_.acceptNonceCount(creds.nonce, creds.nc)) {
    return AuthOutcome::challenge(true);
  }
  return AuthOutcome::accepted();
}

Message Registrar::handleRegister(const Message& request, const transport::Peer& source) {
  if (request.method() != Method::Register) {
    Message response = respond(request, 405);
    response.addHeader(HeaderId::Allow, "REGISTER");
    return response;
  }

  // RFC 3261 10.3 step 1: only REGISTERs for our domain (or addressed to us by IP).
  const Uri& requestUri = request.requestUri();
  if (!requestUri.isSip() || !servesHost(requestUri.host)) return respond(request, 404);

  // Step 2: Require.
  std::string unsupported;
  for (std::string_view option : request.headerValues(HeaderId::Require)) {
    if (isSupportedExtension(option)) continue;
    if (!unsupported.empty()) unsupported += ", ";
    unsupported += option;
  }
  if (!unsupported.empty()) {
    Message response = respond(request, 420);
    response.addHeader(HeaderId::Unsupported, unsupported);
    return response;
  }

  const Uri& to = request.to().uri;
  const std::string toUser = unescape(to.user);

  // Steps 3-4: authentication and authorisation.
  if (credentials_ != nullptr && options_.requireAuth) {
    const AuthOutcome outcome = authenticate(request, toUser);
    if (outcome.status == 401) return challenge(request, outcome.stale);
    if (outcome.status != 0) return respond(request, outcome.status, outcome.reason);
  }

  // Step 5: the AOR must belong to the domain.
  if (!to.isSip() || toUser.empty() || !servesHost(to.host)) return respond(request, 404);
  if (credentials_ != nullptr && !options_.requireAuth && !credentials_->find(toUser)) {
    return respond(request, 404);
  }

  // Steps 6-7: Contact list, expiry, binding updates.
  auto update = locations_.parseRegistration(request, source);
  if (!update) {
    Message response = respond(request, update.error().code, update.error().message);
    if (update.error().code == 423) {
      // RFC 3261 10.3 step 7 / 20.23.
      response.addHeader(HeaderId::MinExpires,
                         std::to_string(locations_.options().minExpires.count()));
    }
    return response;
  }
  auto bindings = locations_.apply(aorForUser(toUser), update.value());
  if (!bindings) return respond(request, bindings.error().code, bindings.error().message);

  // Step 8: 200 with every current binding and its remaining lifetime.
  Message response = respond(request, 200, "OK");
  const util::TimePoint now = locations_.now();
  for (const Binding& binding : bindings.value()) {
    response.addHeader(HeaderId::Contact, formatContact(binding, now));
  }
  // RFC 3327 5.3: a registrar that supports Path echoes it in the 200.
  for (const std::string& path : update->path) response.addHeader("Path", path);
  // RFC 3261 10.3 step 8: a Date header lets simple UAs set their clock.
  response.addHeader(HeaderId::Date, formatSipDate(std::chrono::system_clock::now()));
  return response;
}

}  // namespace ccsip::sip::dialog
