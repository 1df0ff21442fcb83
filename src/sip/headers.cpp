#include "sip/headers.h"

#include <array>
#include <bit>
#include <cstring>

#include "sip/header_parse.h"
#include "sip/syntax.h"

namespace ccsip::sip {

namespace detail {

// Eight octets at a time (SWAR): a byte equal to the pattern becomes zero and the "has a zero
// byte" trick flags it; the lowest flag is exact (false flags only appear above a true one).
std::size_t findListSpecial(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto zeroBytes = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::size_t n = s.size();
  const char* p = s.data();
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    std::uint64_t m =
        zeroBytes(w ^ (kOnes * ',')) | zeroBytes(w ^ (kOnes * '"')) | zeroBytes(w ^ (kOnes * '<'));
    if (m != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
      } else {
        return i + static_cast<std::size_t>(std::countl_zero(m)) / 8;
      }
    }
    i += 8;
  }
  while (i < n && p[i] != ',' && p[i] != '"' && p[i] != '<') ++i;
  return i;
}

bool ListSplitter::next(std::string_view& item) {
  if (done_) return false;
  const std::size_t n = s_.size();
  std::size_t start = i_;
  while (true) {
    i_ = findListSpecial(s_, i_);
    if (i_ >= n) break;
    char c = s_[i_];
    if (c == ',') {
      item = syntax::trim(s_.substr(start, i_ - start));
      ++i_;
      return true;
    }
    if (c == '"') {
      std::size_t end = syntax::skipQuoted(s_, i_);
      i_ = end == std::string_view::npos ? n : end;
    } else {  // '<': a URI, whose ',' and '"' do not count
      std::size_t end = s_.find('>', i_ + 1);
      i_ = end == std::string_view::npos ? n : end + 1;
    }
  }
  item = syntax::trim(s_.substr(start));
  done_ = true;
  return true;
}

namespace {

bool validReceived(std::string_view v) {
  // RFC 3261 20.42: IPv4address / IPv6address (RFC 5118 4.5 also sees "[...]" in the wild).
  if (v.empty()) return false;
  for (char c : v) {
    if (!syntax::is(c, syntax::kHex) && c != '.' && c != ':' && c != '[' && c != ']') {
      return false;
    }
  }
  return true;
}

std::size_t scanToken(std::string_view s, std::size_t i) {
  return syntax::scan(s, i, syntax::kToken);
}

}  // namespace

ViaStatus parseViaInto(std::string_view text, Via& via) {
  text = syntax::trim(text);
  via = Via{};
  via.text = text;
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS
  std::size_t i = 0;
  std::size_t nameEnd = scanToken(text, i);
  if (nameEnd == i) return ViaStatus::Bad;
  std::string_view name = text.substr(i, nameEnd - i);
  i = syntax::skipLws(text, nameEnd);
  if (i >= text.size() || text[i] != '/') return ViaStatus::Bad;
  i = syntax::skipLws(text, i + 1);
  std::size_t versionStart = i;
  i = scanToken(text, i);
  if (i == versionStart) return ViaStatus::Bad;
  std::string_view version = text.substr(versionStart, i - versionStart);
  std::size_t protocolEnd = i;
  i = syntax::skipLws(text, i);
  if (i >= text.size() || text[i] != '/') return ViaStatus::Bad;
  i = syntax::skipLws(text, i + 1);
  std::size_t transportStart = i;
  i = scanToken(text, i);
  if (i == transportStart) return ViaStatus::Bad;
  via.transport = text.substr(transportStart, i - transportStart);
  if (syntax::iequals(name, "SIP") && version == "2.0") {
    via.protocol = "SIP/2.0";
  } else {
    via.protocol = text.substr(0, protocolEnd);
  }
  // LWS sent-by
  std::size_t hostStart = syntax::skipLws(text, i);
  if (hostStart == i) return ViaStatus::Bad;
  i = hostStart;
  if (i < text.size() && text[i] == '[') {
    std::size_t close = text.find(']', i);
    if (close == std::string_view::npos) return ViaStatus::Bad;
    for (std::size_t k = i + 1; k < close; ++k) {
      if (!syntax::is(text[k], syntax::kHex) && text[k] != ':' && text[k] != '.') {
        return ViaStatus::Bad;
      }
    }
    i = close + 1;
  } else {
    i = syntax::scan(text, i, syntax::kHost);
  }
  via.host = text.substr(hostStart, i - hostStart);
  if (via.host.empty()) return ViaStatus::Bad;
  i = syntax::skipLws(text, i);
  if (i < text.size() && text[i] == ':') {
    i = syntax::skipLws(text, i + 1);
    std::size_t ps = i;
    i = syntax::scan(text, i, syntax::kDigit);
    auto port = syntax::parseNumber(text.substr(ps, i - ps), 65535);
    if (!port) return ViaStatus::Bad;
    via.port = static_cast<std::uint16_t>(*port);
    i = syntax::skipLws(text, i);
  }
  if (i >= text.size()) return ViaStatus::Ok;
  if (text[i] != ';') return ViaStatus::Bad;
  via.params = syntax::trim(text.substr(i + 1));
  bool ok = !via.params.empty();
  syntax::ParamReader reader(via.params);
  syntax::Param p;
  while (reader.next(p)) {
    if (syntax::iequals(p.name, "branch")) {
      via.branch = p.value;
      ok = ok && p.hasValue;
    } else if (syntax::iequals(p.name, "received")) {
      via.received = p.value;
      ok = ok && validReceived(p.value);
    } else if (syntax::iequals(p.name, "rport")) {
      // RFC 3581 3: "rport" alone in a request, "rport=port" once filled in.
      via.hasRport = true;
      if (p.hasValue) {
        auto port = syntax::parseNumber(p.value, 65535);
        if (port) {
          via.rport = static_cast<std::uint16_t>(*port);
        } else {
          ok = false;
        }
      }
    }
  }
  return ok && !reader.malformed() ? ViaStatus::Ok : ViaStatus::BadParams;
}

bool parseCSeqInto(std::string_view text, CSeq& cseq) {
  // RFC 3261 20.16: CSeq = 1*DIGIT LWS Method. RFC 3261 8.1.1.5: a 32-bit unsigned value.
  text = syntax::trim(text);
  cseq = CSeq{};
  std::size_t i = 0;
  i = syntax::scan(text, i, syntax::kDigit);
  auto number = syntax::parseNumber(text.substr(0, i), 0xffffffffULL);
  std::size_t methodStart = syntax::skipLws(text, i);
  std::size_t methodEnd = scanToken(text, methodStart);
  if (methodEnd > methodStart && methodEnd == text.size()) {
    cseq.methodText = text.substr(methodStart, methodEnd - methodStart);
    cseq.method = methodFromName(cseq.methodText);
  }
  if (number) cseq.number = static_cast<std::uint32_t>(*number);
  return number.has_value() && methodStart > i && !cseq.methodText.empty();
}

bool parseNameAddrInto(std::string_view text, NameAddr& out) {
  text = syntax::trim(text);
  // Member by member: out.uri is reset by parseUriInto, or below on the paths that do not
  // reach it (cheaper than assigning a whole fresh NameAddr on every From, To and Contact).
  out.text = text;
  out.displayName = {};
  out.params = {};
  out.tag = {};
  out.wildcard = false;
  auto noUri = [&out](bool result) {
    out.uri = Uri{};
    return result;
  };
  if (text.empty()) return noUri(false);
  if (text == "*") {  // RFC 3261 20.10 Contact: *
    out.wildcard = true;
    return noUri(true);
  }
  std::size_t laquo = std::string_view::npos;
  if (text[0] == '"') {
    std::size_t end = syntax::skipQuoted(text, 0);
    if (end == std::string_view::npos) return noUri(false);  // RFC 4475 3.1.2.6 quotbal
    out.displayName = text.substr(1, end - 2);
    laquo = syntax::skipLws(text, end);
    if (laquo >= text.size() || text[laquo] != '<') return noUri(false);
  } else {
    // display-name = *(token LWS): stops at '<' for a name-addr (RFC 4475 3.1.1.6 lwsdisp).
    std::size_t j = 0;
    while (j < text.size() && (syntax::isTokenChar(text[j]) || syntax::isLws(text[j]))) ++j;
    if (j < text.size() && text[j] == '<') {
      out.displayName = syntax::trim(text.substr(0, j));
      laquo = j;
    }
  }
  std::size_t i = 0;
  if (laquo != std::string_view::npos) {
    std::size_t raquo = text.find('>', laquo + 1);
    if (raquo == std::string_view::npos) return noUri(false);
    // No LWS inside <...> (RFC 4475 3.1.2.16 badaspec): parseUri rejects it.
    if (parseUriInto(text.substr(laquo + 1, raquo - laquo - 1), out.uri)) return false;
    i = raquo + 1;
  } else {
    // addr-spec: RFC 3261 20.10, a URI holding ',', '?' or ';' must be in <...>, so the URI
    // ends at the first ';' or LWS (RFC 4475 3.1.2.15 regbadct).
    std::size_t j = 0;
    while (j < text.size() && text[j] != ';' && !syntax::isLws(text[j])) ++j;
    std::string_view uriText = text.substr(0, j);
    if (uriText.find_first_of("?,") != std::string_view::npos) return noUri(false);
    if (parseUriInto(uriText, out.uri)) return false;
    i = j;
  }
  i = syntax::skipLws(text, i);
  if (i >= text.size()) return true;
  if (text[i] != ';') return false;
  out.params = syntax::trim(text.substr(i + 1));
  if (out.params.empty()) return false;
  syntax::ParamReader reader(out.params);
  syntax::Param p;
  while (reader.next(p)) {
    if (out.tag.empty() && syntax::iequals(p.name, "tag")) out.tag = p.value;
  }
  return !reader.malformed();
}

bool validCallId(std::string_view text) {
  if (text.empty() || !syntax::allOf(text, syntax::kCallIdChar)) return false;
  std::size_t at = text.find('@');
  if (at == std::string_view::npos) return true;
  return at != 0 && at + 1 != text.size() && text.find('@', at + 1) == std::string_view::npos;
}

bool validDate(std::string_view t) {
  // "Sat, 13 Nov 2010 23:29:00 GMT": 29 octets, fixed layout (RFC 2616 3.3.1 rfc1123-date).
  if (t.size() != 29) return false;
  auto word = [&t](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(t[at])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(t[at + 1])) << 8 |
           static_cast<unsigned char>(t[at + 2]);
  };
  constexpr auto pack = [](const char* w) {
    return static_cast<std::uint32_t>(w[0]) << 16 | static_cast<std::uint32_t>(w[1]) << 8 |
           static_cast<std::uint32_t>(w[2]);
  };
  constexpr std::array<std::uint32_t, 7> kDays = {
      pack("Mon"), pack("Tue"), pack("Wed"), pack("Thu"), pack("Fri"), pack("Sat"), pack("Sun")};
  constexpr std::array<std::uint32_t, 12> kMonths = {
      pack("Jan"), pack("Feb"), pack("Mar"), pack("Apr"), pack("May"), pack("Jun"),
      pack("Jul"), pack("Aug"), pack("Sep"), pack("Oct"), pack("Nov"), pack("Dec")};
  auto in = [](const auto& list, std::uint32_t w) {
    for (std::uint32_t x : list) {
      if (x == w) return true;
    }
    return false;
  };
  auto digits = [&t](std::size_t at, std::size_t n) {
    for (std::size_t k = at; k < at + n; ++k) {
      if (!syntax::isDigit(t[k])) return false;
    }
    return true;
  };
  return in(kDays, word(0)) && t[3] == ',' && t[4] == ' ' && digits(5, 2) && t[7] == ' ' &&
         in(kMonths, word(8)) && t[11] == ' ' && digits(12, 4) && t[16] == ' ' && digits(17, 2) &&
         t[19] == ':' && digits(20, 2) && t[22] == ':' && digits(23, 2) && t.substr(25) == " GMT";
}

bool validMediaType(std::string_view text) {
  // m-type SLASH m-subtype, SLASH = SWS "/" SWS, then *(SEMI m-parameter).
  const std::size_t n = text.size();
  std::size_t start = syntax::skipLws(text, 0);
  std::size_t i = syntax::scan(text, start, syntax::kToken);
  if (i == start) return false;
  i = syntax::skipLws(text, i);
  if (i >= n || text[i] != '/') return false;
  start = syntax::skipLws(text, i + 1);
  i = syntax::scan(text, start, syntax::kToken);
  if (i == start) return false;
  i = syntax::skipLws(text, i);
  if (i == n) return true;
  if (text[i] != ';') return false;
  std::string_view params = syntax::trim(text.substr(i + 1));
  return !params.empty() && syntax::validHeaderParams(params);
}

bool validTokenWithParams(std::string_view text) {
  std::size_t semi = text.find(';');
  if (!syntax::isToken(syntax::trim(text.substr(0, semi)))) return false;
  if (semi == std::string_view::npos) return true;
  std::string_view params = syntax::trim(text.substr(semi + 1));
  return !params.empty() && syntax::validHeaderParams(params);
}

}  // namespace detail

std::optional<std::string_view> findParam(std::string_view params, std::string_view name) {
  return syntax::findHeaderParam(params, name);
}

std::optional<std::string_view> NameAddr::param(std::string_view name) const {
  return syntax::findHeaderParam(params, name);
}

std::optional<std::string_view> Via::param(std::string_view name) const {
  return syntax::findHeaderParam(params, name);
}

std::optional<std::string_view> ValueWithParams::param(std::string_view name) const {
  return syntax::findHeaderParam(params, name);
}

util::Result<NameAddr> parseNameAddr(std::string_view text) {
  NameAddr out;
  if (!detail::parseNameAddrInto(text, out)) return util::makeError(400, "Bad name-addr");
  return out;
}

util::Result<Via> parseVia(std::string_view text) {
  Via out;
  if (detail::parseViaInto(text, out) != detail::ViaStatus::Ok) {
    return util::makeError(400, "Malformed Via");
  }
  return out;
}

util::Result<CSeq> parseCSeq(std::string_view text) {
  CSeq out;
  if (!detail::parseCSeqInto(text, out)) return util::makeError(400, "Bad CSeq");
  return out;
}

util::Result<ValueWithParams> parseValueWithParams(std::string_view text) {
  ValueWithParams out;
  out.text = syntax::trim(text);
  std::size_t semi = out.text.find(';');
  out.value = syntax::trim(out.text.substr(0, semi));
  if (out.value.empty()) return util::makeError(400, "Bad header value");
  if (semi != std::string_view::npos) {
    out.params = syntax::trim(out.text.substr(semi + 1));
    if (out.params.empty() || !syntax::validHeaderParams(out.params)) {
      return util::makeError(400, "Bad header parameter");
    }
  }
  return out;
}

std::vector<std::string_view> splitList(std::string_view value) {
  std::vector<std::string_view> out;
  detail::ListSplitter splitter(value);
  std::string_view item;
  while (splitter.next(item)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace ccsip::sip
