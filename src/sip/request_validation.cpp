#include "sip/request_validation.h"

#include <algorithm>
#include <string_view>

#include "sip/headers.h"

namespace ccsip::sip {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool isLws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isLws(s.front())) s.remove_prefix(1);
  while (!s.empty() && isLws(s.back())) s.remove_suffix(1);
  return s;
}

// "application/sdp; charset=x" -> "application/sdp"
std::string_view mediaType(std::string_view value) {
  return trim(value.substr(0, value.find(';')));
}

bool containsIgnoreCase(const std::vector<std::string>& list, std::string_view item) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return iequals(s, item); });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// How many header parameters named `name` a raw ";"-separated parameter list holds (quoted
// strings skipped).
int countParam(std::string_view params, std::string_view name) {
  int count = 0;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= params.size(); ++i) {
    if (i < params.size()) {
      const char c = params[i];
      if (quoted && c == '\\') {
        ++i;
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (quoted || c != ';') continue;
    }
    std::string_view param = params.substr(start, i - start);
    if (iequals(trim(param.substr(0, param.find('='))), name)) ++count;
    start = i + 1;
  }
  return count;
}

Rejection reject(int status, std::string reason) {
  return Rejection{status, std::move(reason), {}};
}

// RFC 3261 8.1.1: the headers every request carries. Max-Forwards is left out on purpose: an
// RFC 2543 request has none and must still be accepted (RFC 4475 3.4.1 inv2543).
constexpr HeaderId kMandatory[] = {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId,
                                   HeaderId::CSeq};

// Headers whose grammar allows one value only (RFC 3261 20; RFC 4475 3.3.8 multi01 and
// 3.3.9 mcl01).
constexpr HeaderId kSingle[] = {HeaderId::From,        HeaderId::To,
                                HeaderId::CallId,      HeaderId::CSeq,
                                HeaderId::MaxForwards, HeaderId::ContentLength,
                                HeaderId::ContentType, HeaderId::Expires};

std::optional<Rejection> checkWellFormed(const Message& m) {
  for (HeaderId id : kMandatory) {
    if (m.countHeaders(id) == 0) {
      return reject(400, "Missing " + std::string(headerName(id)) + " Header");
    }
  }
  for (HeaderId id : kSingle) {
    if (m.countHeaders(id) > 1) {
      return reject(400, "Multiple " + std::string(headerName(id)) + " Headers");
    }
  }
  // RFC 3261 8.1.1.5 / RFC 4475 3.1.2.17-18 (mismatch01, mismatch02): the CSeq method equals
  // the request method, compared case-sensitively; 400, not 501, even for an unknown method.
  if (m.cseq().methodText != m.methodName()) return reject(400, "CSeq Method Mismatch");
  // RFC 3261 19.3: a dialog is identified by one tag per side.
  if (countParam(m.from().params, "tag") > 1) return reject(400, "Multiple From Tags");
  if (countParam(m.to().params, "tag") > 1) return reject(400, "Multiple To Tags");
  return std::nullopt;
}

std::optional<Rejection> checkMethod(const Message& m, const ValidationPolicy& policy) {
  const Method method = m.method();
  if (method == Method::Ack || method == Method::Cancel) return std::nullopt;
  const auto& methods = policy.supportedMethods;
  if (method != Method::Unknown &&
      std::find(methods.begin(), methods.end(), method) != methods.end()) {
    return std::nullopt;
  }
  // RFC 3261 8.2.1: 405 lists what is allowed.
  Rejection r = reject(405, "Method Not Allowed");
  std::string allow;
  for (Method supported : methods) {
    if (!allow.empty()) allow += ", ";
    allow += methodName(supported);
  }
  r.headers.push_back({HeaderId::Allow, std::move(allow)});
  return r;
}

std::optional<Rejection> checkUriScheme(const Message& m, const ValidationPolicy& policy) {
  // RFC 3261 8.2.2.1; RFC 4475 3.3.2 unkscm and 3.3.3 novelsc.
  if (containsIgnoreCase(policy.supportedUriSchemes, m.requestUri().schemeText)) {
    return std::nullopt;
  }
  return reject(416, "Unsupported URI Scheme");
}

std::optional<Rejection> checkMaxForwards(const Message& m, const ValidationPolicy& policy) {
  if (!policy.rejectZeroMaxForwards || m.maxForwards() != 0u) return std::nullopt;
  if (m.method() == Method::Options && policy.answerOptionsWithZeroMaxForwards) {
    return std::nullopt;
  }
  return reject(483, "Too Many Hops");
}

std::optional<Rejection> checkRequire(const Message& m, const ValidationPolicy& policy) {
  // RFC 3261 8.2.2.3: never for CANCEL, and an ACK cannot be refused. Proxy-Require is for
  // proxies only (RFC 3261 20.29), so a UAS ignores it (RFC 4475 3.3.5 bext01).
  if (m.method() == Method::Cancel || m.method() == Method::Ack) return std::nullopt;
  std::vector<std::string> unsupported;
  for (std::string_view tag : m.headerValues(HeaderId::Require)) {
    const bool known =
        std::find(policy.supportedOptionTags.begin(), policy.supportedOptionTags.end(), tag) !=
        policy.supportedOptionTags.end();
    if (!known && std::find(unsupported.begin(), unsupported.end(), tag) == unsupported.end()) {
      unsupported.emplace_back(tag);
    }
  }
  if (unsupported.empty()) return std::nullopt;
  Rejection r = reject(420, "Bad Extension");
  r.headers.push_back({HeaderId::Unsupported, join(unsupported)});
  return r;
}

std::optional<Rejection> checkBody(const Message& m, const ValidationPolicy& policy) {
  // RFC 3261 8.2.3. A body of only line ends (the rest of a datagram) is no body.
  if (trim(m.body()).empty()) return std::nullopt;
  if (m.countHeaders(HeaderId::ContentType) == 0) {
    // RFC 3261 7.4.1: a non-empty body MUST come with its Content-Type.
    return reject(400, "Missing Content-Type Header");
  }
  if (!containsIgnoreCase(policy.acceptedContentTypes, mediaType(m.contentType()))) {
    Rejection r = reject(415, "Unsupported Media Type");
    r.headers.push_back({HeaderId::Accept, join(policy.acceptedContentTypes)});
    return r;
  }
  for (std::string_view coding : m.headerValues(HeaderId::ContentEncoding)) {
    if (iequals(coding, "identity") ||
        containsIgnoreCase(policy.acceptedContentEncodings, coding)) {
      continue;
    }
    Rejection r = reject(415, "Unsupported Media Type");
    std::vector<std::string> encodings = policy.acceptedContentEncodings;
    encodings.insert(encodings.begin(), "identity");
    r.headers.push_back({HeaderId::AcceptEncoding, join(encodings)});
    return r;
  }
  return std::nullopt;
}

bool acceptsType(std::string_view range, std::string_view type) {
  range = mediaType(range);
  if (range == "*/*") return true;
  const auto slash = type.find('/');
  if (slash != std::string_view::npos && range.size() == slash + 2 && range.ends_with("/*")) {
    return iequals(range.substr(0, slash), type.substr(0, slash));
  }
  return iequals(range, type);
}

std::optional<Rejection> checkAccept(const Message& m, const ValidationPolicy& policy) {
  // RFC 3261 20.1: without Accept, application/sdp is assumed; an empty Accept accepts nothing.
  if (m.method() != Method::Invite || m.countHeaders(HeaderId::Accept) == 0) return std::nullopt;
  for (std::string_view range : m.headerValues(HeaderId::Accept)) {
    for (const std::string& type : policy.answerContentTypes) {
      if (acceptsType(range, type)) return std::nullopt;
    }
  }
  // RFC 4475 3.3.15 (sdp01): the answer must be a session description the UAC refuses.
  return reject(406, "Not Acceptable");
}

}  // namespace

std::optional<Rejection> validateRequest(const Message& request, const ValidationPolicy& policy) {
  if (!request.isRequest()) return std::nullopt;
  if (auto r = checkWellFormed(request)) return r;
  if (request.method() == Method::Ack) return std::nullopt;
  if (auto r = checkMethod(request, policy)) return r;
  if (auto r = checkUriScheme(request, policy)) return r;
  if (auto r = checkMaxForwards(request, policy)) return r;
  if (auto r = checkRequire(request, policy)) return r;
  if (auto r = checkBody(request, policy)) return r;
  if (auto r = checkAccept(request, policy)) return r;
  return std::nullopt;
}

}  // namespace ccsip::sip
