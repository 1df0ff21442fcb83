#include "sip/uri.h"

#include "sip/header_parse.h"
#include "sip/syntax.h"

namespace ccsip::sip {

namespace {

using syntax::is;

// hname / hvalue / paramchar share this shape: escapes plus a class of characters.
bool validChars(std::string_view s, std::uint32_t cls) {
  return syntax::validEscapes(s, cls);
}

// RFC 3261 25.1 uri-parameters: *( ";" pname ["=" pvalue] ), pname = 1*paramchar,
// pvalue = 1*paramchar. One pass: every octet is a paramchar, an escape or a delimiter, and no
// name or value is empty.
bool validUriParams(std::string_view params) {
  constexpr std::uint32_t kParamChar = syntax::kUnreserved | syntax::kParamExtra;
  std::size_t partLength = 0;  // octets of the current name or value
  bool inValue = false;
  const std::size_t n = params.size();
  for (std::size_t i = 0; i < n; ++i) {
    char c = params[i];
    if (c == ';') {
      if (partLength == 0) return false;
      partLength = 0;
      inValue = false;
    } else if (c == '=') {
      if (inValue || partLength == 0) return false;
      inValue = true;
      partLength = 0;
    } else if (c == '%') {
      if (i + 2 >= n || syntax::hexValue(params[i + 1]) < 0 ||
          syntax::hexValue(params[i + 2]) < 0) {
        return false;
      }
      i += 2;
      ++partLength;
    } else if (is(c, kParamChar)) {
      ++partLength;
    } else {
      return false;
    }
  }
  return partLength != 0;
}

// RFC 3261 25.1 headers: "?" header *( "&" header ), header = hname "=" hvalue.
bool validUriHeaders(std::string_view headers) {
  constexpr std::uint32_t kHnvChar = syntax::kUnreserved | syntax::kHeaderExtra;
  std::size_t i = 0;
  while (i <= headers.size()) {
    std::size_t end = headers.find('&', i);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view h = headers.substr(i, end - i);
    std::size_t eq = h.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    if (!validChars(h.substr(0, eq), kHnvChar) || !validChars(h.substr(eq + 1), kHnvChar)) {
      return false;
    }
    i = end + 1;
  }
  return true;
}

bool validIpv6Reference(std::string_view host) {
  // "[" IPv6address "]": hex digits, ':' and a trailing dotted IPv4 part.
  if (host.size() < 4) return false;
  bool colon = false;
  for (std::size_t i = 1; i + 1 < host.size(); ++i) {
    char c = host[i];
    if (c == ':') {
      colon = true;
    } else if (!is(c, syntax::kHex) && c != '.') {
      return false;
    }
  }
  return colon;
}

// Parses host [":" port] at rest[pos]; advances pos.
bool parseHostPort(std::string_view rest, std::size_t& pos, Uri& uri) {
  std::size_t start = pos;
  if (pos < rest.size() && rest[pos] == '[') {
    std::size_t close = rest.find(']', pos);
    if (close == std::string_view::npos) return false;
    uri.host = rest.substr(start, close + 1 - start);
    if (!validIpv6Reference(uri.host)) return false;
    pos = close + 1;
  } else {
    pos = syntax::scan(rest, pos, syntax::kHost);
    uri.host = rest.substr(start, pos - start);
    if (uri.host.empty()) return false;
  }
  if (pos < rest.size() && rest[pos] == ':') {
    std::size_t ps = ++pos;
    pos = syntax::scan(rest, pos, syntax::kDigit);
    auto port = syntax::parseNumber(rest.substr(ps, pos - ps), 65535);
    if (!port) return false;
    uri.port = static_cast<std::uint16_t>(*port);
  }
  return true;
}

const char* parseSipUri(std::string_view rest, Uri& uri) {
  std::size_t pos = 0;
  // The first '@' ends the userinfo: no other part of a SIP URI may hold an unescaped '@'
  // (RFC 3261 25.1), while the user part may hold '?', ';' and '/' (RFC 4475 3.1.1.2).
  // User octets never include '@', so one scan finds the usual "user@" and validates it.
  const std::size_t userEnd = syntax::scan(rest, 0, syntax::kUserChar);
  const bool plainUser = userEnd != 0 && userEnd < rest.size() && rest[userEnd] == '@';
  std::size_t at = plainUser ? userEnd : rest.find('@', userEnd);
  if (plainUser) {
    uri.user = rest.substr(0, at);
    pos = at + 1;
  } else if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    std::size_t colon = userinfo.find(':');
    uri.user = userinfo.substr(0, colon);
    if (uri.user.empty() || !validChars(uri.user, syntax::kUnreserved | syntax::kUserExtra)) {
      return "Bad URI user";
    }
    if (colon != std::string_view::npos) {
      uri.password = userinfo.substr(colon + 1);
      if (!validChars(uri.password, syntax::kUnreserved | syntax::kPasswordExtra)) {
        return "Bad URI password";
      }
    }
    pos = at + 1;
  }
  if (!parseHostPort(rest, pos, uri)) return "Bad URI host";
  if (pos < rest.size() && rest[pos] == ';') {
    std::size_t start = ++pos;
    while (pos < rest.size() && rest[pos] != '?') ++pos;
    uri.params = rest.substr(start, pos - start);
    if (!validUriParams(uri.params)) return "Bad URI parameter";
  }
  if (pos < rest.size() && rest[pos] == '?') {
    uri.headers = rest.substr(pos + 1);
    if (!validUriHeaders(uri.headers)) return "Bad URI header";
    pos = rest.size();
  }
  if (pos != rest.size()) return "Bad URI";
  return nullptr;
}

const char* parseTelUri(std::string_view rest, Uri& uri) {
  // RFC 3966 3: telephone-subscriber *par; the number is kept (with its visual separators)
  // in `user`.
  std::size_t semi = rest.find(';');
  uri.user = rest.substr(0, semi);
  if (uri.user.empty() || !validChars(uri.user, syntax::kUnreserved | syntax::kParamExtra)) {
    return "Bad tel URI";
  }
  if (semi != std::string_view::npos) {
    uri.params = rest.substr(semi + 1);
    if (!validUriParams(uri.params)) return "Bad URI parameter";
  }
  return nullptr;
}

bool validOpaque(std::string_view rest) {
  if (rest.empty()) return false;
  for (char c : rest) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}

}  // namespace

const char* detail::parseUriInto(std::string_view text, Uri& uri) {
  uri = Uri{};
  uri.text = text;
  // Fast path for the usual "sip:".
  if (text.size() > 4 && (text[0] | 0x20) == 's' && (text[1] | 0x20) == 'i' &&
      (text[2] | 0x20) == 'p' && text[3] == ':') {
    uri.schemeText = text.substr(0, 3);
    uri.scheme = UriScheme::Sip;
    return parseSipUri(text.substr(4), uri);
  }
  std::size_t i = 0;
  // RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (text.empty() || !is(text[0], syntax::kAlnum) || syntax::isDigit(text[0])) {
    return "Bad URI scheme";
  }
  while (i < text.size() &&
         (is(text[i], syntax::kAlnum) || text[i] == '+' || text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  if (i >= text.size() || text[i] != ':') return "Bad URI scheme";
  uri.schemeText = text.substr(0, i);
  std::string_view rest = text.substr(i + 1);
  if (syntax::iequals(uri.schemeText, "sip")) {
    uri.scheme = UriScheme::Sip;
    return parseSipUri(rest, uri);
  }
  if (syntax::iequals(uri.schemeText, "sips")) {
    uri.scheme = UriScheme::Sips;
    return parseSipUri(rest, uri);
  }
  if (syntax::iequals(uri.schemeText, "tel")) {
    uri.scheme = UriScheme::Tel;
    return parseTelUri(rest, uri);
  }
  // Other schemes are opaque (RFC 4475 3.3.1 unkscm): the application decides (416).
  if (!validOpaque(rest)) return "Bad URI";
  uri.scheme = UriScheme::Other;
  return nullptr;
}

util::Result<Uri> parseUri(std::string_view text) {
  Uri uri;
  if (const char* error = detail::parseUriInto(text, uri)) return util::makeError(400, error);
  return uri;
}

std::optional<std::string_view> Uri::param(std::string_view name) const {
  std::size_t i = 0;
  while (i < params.size()) {
    std::size_t end = params.find(';', i);
    if (end == std::string_view::npos) end = params.size();
    std::string_view p = params.substr(i, end - i);
    std::size_t eq = p.find('=');
    std::string_view pname = p.substr(0, eq);
    if (uriComponentEqual(pname, name, true)) {
      return eq == std::string_view::npos ? std::string_view() : p.substr(eq + 1);
    }
    i = end + 1;
  }
  return std::nullopt;
}

std::string uriUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = syntax::hexValue(text[i + 1]);
      int lo = syntax::hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace ccsip::sip
