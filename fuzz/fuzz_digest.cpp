// libFuzzer target: the Authorization / WWW-Authenticate parsers of the registrar. Checks that
// whatever parses formats back to text that parses to the same values (the registrar and the
// client side both write what they read).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/dialog/digest.h"

namespace {

using namespace ccsip::sip::dialog;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "digest check broken: %s\ninput: %.*s\n", what,
               static_cast<int>(input.size()), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)authScheme(input);
  if (auto value = parseAuthValue(input); value.ok()) {
    if (value->scheme.empty()) fail("empty scheme accepted", input);
  }

  if (auto challenge = parseDigestChallenge(input); challenge.ok()) {
    auto again = parseDigestChallenge(formatDigestChallenge(*challenge));
    if (!again.ok()) fail("formatted challenge does not parse", input);
    if (again->realm != challenge->realm || again->nonce != challenge->nonce ||
        again->opaque != challenge->opaque || again->domain != challenge->domain ||
        again->algorithm != challenge->algorithm || again->stale != challenge->stale ||
        again->offersQopAuth() != challenge->offersQopAuth()) {
      fail("challenge round trip", input);
    }
    (void)answerDigestChallenge(*challenge, {.username = "u",
                                             .password = "p",
                                             .method = "REGISTER",
                                             .uri = "sip:x",
                                             .cnonce = "c",
                                             .nc = 1});
  }

  if (auto creds = parseDigestCredentials(input); creds.ok()) {
    auto again = parseDigestCredentials(formatDigestCredentials(*creds));
    if (!again.ok()) fail("formatted credentials do not parse", input);
    if (again->username != creds->username || again->realm != creds->realm ||
        again->nonce != creds->nonce || again->uri != creds->uri ||
        again->response != creds->response || again->qop != creds->qop || again->nc != creds->nc ||
        again->algorithm != creds->algorithm) {
      fail("credentials round trip", input);
    }
    const std::string ha1 = computeHa1(creds->algorithm.value_or(DigestAlgorithm::Md5),
                                       creds->username, creds->realm, "p");
    (void)digestEquals(
        computeDigestResponse({.algorithm = creds->algorithm.value_or(DigestAlgorithm::Md5),
                               .ha1 = ha1,
                               .nonce = creds->nonce,
                               .cnonce = creds->cnonce,
                               .ncText = creds->ncText,
                               .qop = creds->qop,
                               .method = "REGISTER",
                               .uri = creds->uri}),
        creds->response);
  }
  return 0;
}
