// libFuzzer target: URI parser and the header-value parsers built on it (name-addr, Via, CSeq,
// list splitting). Checks that a parsed URI compares equal to itself and that every view stays
// inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/headers.h"
#include "sip/uri.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "uri check broken: %s\ninput: %.*s\n", what, static_cast<int>(input.size()),
               input.data());
  std::abort();
}

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void checkUri(const ccsip::sip::Uri& uri, std::string_view input) {
  for (std::string_view part :
       {uri.text, uri.schemeText, uri.user, uri.password, uri.host, uri.params, uri.headers}) {
    if (!inside(part, input)) fail("view outside the input", input);
  }
  if (!ccsip::sip::uriEquivalent(uri, uri)) fail("not equivalent to itself", input);
  (void)uri.param("transport");
  (void)uri.param("lr");
  (void)ccsip::sip::addressOfRecord(uri);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string_view text(input);

  if (auto uri = ccsip::sip::parseUri(text); uri.ok()) {
    checkUri(*uri, text);
    // Parsing the same text again gives the same URI.
    auto again = ccsip::sip::parseUri(uri->text);
    if (!again.ok() || !ccsip::sip::uriEquivalent(*uri, *again)) fail("re-parse", text);
  }
  if (auto na = ccsip::sip::parseNameAddr(text); na.ok()) {
    if (!na->wildcard) checkUri(na->uri, text);
    (void)na->param("tag");
    (void)na->param("expires");
  }
  if (auto via = ccsip::sip::parseVia(text); via.ok()) {
    if (!inside(via->host, text) || !inside(via->branch, text)) fail("via view", text);
    (void)via->param("received");
  }
  (void)ccsip::sip::parseCSeq(text);
  for (std::string_view item : ccsip::sip::splitList(text)) {
    if (!inside(item, text)) fail("list item outside the input", text);
  }
  return 0;
}
