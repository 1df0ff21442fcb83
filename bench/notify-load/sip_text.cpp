#include "sip_text.h"

#include <cctype>
#include <charconv>

namespace ccsip::bench {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// RFC 3261 7.3.3: the compact forms of the headers read here.
void assign(SipText& out, std::string_view name, std::string_view value) {
  if (equalsNoCase(name, "Via") || equalsNoCase(name, "v")) {
    out.vias.push_back(value);
  } else if (equalsNoCase(name, "From") || equalsNoCase(name, "f")) {
    out.from = value;
  } else if (equalsNoCase(name, "To") || equalsNoCase(name, "t")) {
    out.to = value;
  } else if (equalsNoCase(name, "Call-ID") || equalsNoCase(name, "i")) {
    out.callId = value;
  } else if (equalsNoCase(name, "CSeq")) {
    out.cseq = value;
  } else if (equalsNoCase(name, "Contact") || equalsNoCase(name, "m")) {
    out.contact = value;
  } else if (equalsNoCase(name, "Event") || equalsNoCase(name, "o")) {
    out.event = value;
  } else if (equalsNoCase(name, "Expires")) {
    out.expires = value;
  }
}

}  // namespace

bool parseSipText(std::string_view data, SipText& out) {
  out = SipText{};
  std::size_t end = data.find("\r\n");
  if (end == std::string_view::npos) return false;
  const std::string_view start = data.substr(0, end);
  if (start.starts_with("SIP/2.0 ")) {
    out.request = false;
    if (start.size() < 11) return false;
    const auto* first = start.data() + 8;
    if (std::from_chars(first, first + 3, out.status).ec != std::errc{}) return false;
  } else {
    out.request = true;
    const std::size_t space = start.find(' ');
    if (space == std::string_view::npos) return false;
    out.method = start.substr(0, space);
    const std::size_t second = start.find(' ', space + 1);
    if (second == std::string_view::npos) return false;
    out.uri = start.substr(space + 1, second - space - 1);
  }
  std::size_t at = end + 2;
  while (true) {
    end = data.find("\r\n", at);
    if (end == std::string_view::npos) return false;
    if (end == at) break;  // the blank line
    const std::string_view line = data.substr(at, end - at);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      assign(out, trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    at = end + 2;
  }
  out.body = data.substr(end + 2);
  return true;
}

std::string_view headerParam(std::string_view value, std::string_view name) {
  // Parameters follow the name-addr's '>' (or the addr-spec when there is none).
  const std::size_t close = value.find('>');
  std::size_t at = close == std::string_view::npos ? 0 : close;
  while ((at = value.find(';', at)) != std::string_view::npos) {
    ++at;
    std::string_view rest = trim(value.substr(at));
    if (rest.size() > name.size() && equalsNoCase(rest.substr(0, name.size()), name) &&
        rest[name.size()] == '=') {
      rest.remove_prefix(name.size() + 1);
      const std::size_t stop = rest.find_first_of(";, ");
      return rest.substr(0, stop);
    }
  }
  return {};
}

std::string_view nameAddrUri(std::string_view value) {
  const std::size_t open = value.find('<');
  if (open != std::string_view::npos) {
    const std::size_t close = value.find('>', open);
    if (close == std::string_view::npos) return {};
    return value.substr(open + 1, close - open - 1);
  }
  return trim(value.substr(0, value.find(';')));
}

std::string_view uriUser(std::string_view uri) {
  const std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos) return {};
  uri.remove_prefix(colon + 1);
  const std::size_t at = uri.find('@');
  return at == std::string_view::npos ? std::string_view{} : uri.substr(0, at);
}

unsigned long cseqNumber(std::string_view cseq) {
  unsigned long number = 0;
  if (std::from_chars(cseq.data(), cseq.data() + cseq.size(), number).ec != std::errc{}) return 0;
  return number;
}

long expiresValue(std::string_view value, long fallback) {
  long number = 0;
  if (value.empty() ||
      std::from_chars(value.data(), value.data() + value.size(), number).ec != std::errc{}) {
    return fallback;
  }
  return number;
}

}  // namespace ccsip::bench
