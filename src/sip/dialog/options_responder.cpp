#include "sip/dialog/options_responder.h"

#include <cctype>

#include "sip/headers.h"
#include "sip/serializer.h"

namespace ccsip::sip::dialog {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

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

}  // namespace

OptionsResponder::OptionsResponder(OptionsResponderOptions options)
    : options_(std::move(options)),
      allow_(join(options_.allow)),
      accept_(join(options_.accept)),
      acceptEncoding_(join(options_.acceptEncoding)),
      acceptLanguage_(join(options_.acceptLanguage)),
      supported_(join(options_.supported)),
      allowEvents_(join(options_.allowEvents)) {}

sip::Message OptionsResponder::respond(const sip::Message& request, int statusCode) {
  std::string unsupported;
  // RFC 3261 8.2.2.3: every option tag of every Require value.
  for (std::string_view option : request.headerValues(HeaderId::Require)) {
    bool known = false;
    for (const std::string& supported : options_.supported) known |= iequals(option, supported);
    if (known) continue;
    if (!unsupported.empty()) unsupported += ", ";
    unsupported += option;
  }
  if (!unsupported.empty()) statusCode = 420;

  // RFC 3261 8.2.6.2: a final response carries a To tag (kept when the request had one).
  Message response =
      makeResponse(request, statusCode, defaultReasonPhrase(statusCode), random_.tag());
  if (!unsupported.empty()) response.addHeader(HeaderId::Unsupported, unsupported);
  if (!options_.server.empty()) response.addHeader(HeaderId::Server, options_.server);
  if (!allow_.empty()) response.addHeader(HeaderId::Allow, allow_);
  if (!accept_.empty()) response.addHeader(HeaderId::Accept, accept_);
  if (!acceptEncoding_.empty()) response.addHeader(HeaderId::AcceptEncoding, acceptEncoding_);
  if (!acceptLanguage_.empty()) response.addHeader(HeaderId::AcceptLanguage, acceptLanguage_);
  if (!supported_.empty()) response.addHeader(HeaderId::Supported, supported_);
  if (!allowEvents_.empty()) response.addHeader(HeaderId::AllowEvents, allowEvents_);
  return response;
}

}  // namespace ccsip::sip::dialog
