#include "sip/parser.h"

#include <cstring>

#include "sip/header_parse.h"
#include "sip/message_storage.h"
#include "sip/syntax.h"

namespace ccsip::sip {

namespace {

constexpr std::uint64_t bit(HeaderId id) {
  return std::uint64_t{1} << static_cast<unsigned>(id);
}
static_assert(static_cast<unsigned>(HeaderId::Count_) <= 64, "seen_ mask holds every id");

// "SIP/" 1*DIGIT "." 1*DIGIT (RFC 3261 7.1), case-insensitive.
bool looksLikeSipVersion(std::string_view v) {
  if (v.size() < 7 || !syntax::iequals(v.substr(0, 4), "SIP/")) return false;
  std::size_t dot = v.find('.', 4);
  if (dot == std::string_view::npos || dot == 4 || dot + 1 == v.size()) return false;
  for (std::size_t i = 4; i < v.size(); ++i) {
    if (i != dot && !syntax::isDigit(v[i])) return false;
  }
  return true;
}

bool isSip20(std::string_view v) {
  return v == "SIP/2.0" || syntax::iequals(v, "SIP/2.0");
}

}  // namespace

// Parses in place over the Message's own buffer (a friend of Message).
class MessageParser {
 public:
  static ParseResult parse(std::string bytes, Framing framing) {
    ParseResult result;
    Message& m = result.message;
    m.storage().buffer = std::move(bytes);
    MessageParser parser(m, framing);
    parser.run();
    result.error = std::move(parser.error_);
    return result;
  }

 private:
  MessageParser(Message& m, Framing framing) : m_(m), framing_(framing) {}

  void fail(int status, const char* reason) {
    if (!error_) error_ = ParseError{status, reason, false};
  }

  void run();
  bool parseStartLine(std::string_view line);
  void parseHeaderLine(std::string_view line);
  // Out of line: keeps parseHeaderLine's usual path (one value per line) small.
  [[gnu::noinline]] void addList(HeaderId id, std::string_view name, std::string_view value);
  void addField(HeaderId id, std::string_view name, std::string_view value, bool sameLine);
  void checkOnce(HeaderId id, const char* duplicate) {
    if (seen_ & bit(id)) fail(400, duplicate);
  }

  Message& m_;
  Framing framing_;
  std::optional<ParseError> error_;
  std::uint64_t seen_ = 0;
};

void MessageParser::run() {
  std::string& buf = m_.storage_->buffer;
  char* data = buf.data();
  const std::size_t n = buf.size();
  std::size_t pos = 0;
  // RFC 3261 7.5: CRLFs before the start line are ignored (keep-alives, stream leftovers).
  while (pos < n && (data[pos] == '\r' || data[pos] == '\n')) ++pos;
  if (pos == n) {
    error_ = ParseError{400, "Empty Message", true};
    return;
  }
  auto lineEnd = [&](std::size_t from) -> std::size_t {
    const void* p = std::memchr(data + from, '\n', n - from);
    return p ? static_cast<std::size_t>(static_cast<const char*>(p) - data) : n;
  };
  auto content = [&](std::size_t from, std::size_t eol) {
    std::size_t end = eol;
    if (end > from && data[end - 1] == '\r') --end;
    return std::string_view(data + from, end - from);
  };

  std::size_t eol = lineEnd(pos);
  if (!parseStartLine(content(pos, eol))) {
    error_ = ParseError{400, "Bad Start-Line", true};
    return;
  }
  // Room for a typical message's fields inside the storage, which holds this many.
  m_.headers_.reserve(Message::Storage::kFieldRoom);
  pos = eol + 1;

  std::size_t bodyStart = n;
  while (pos < n) {
    char c = data[pos];
    if (c == '\n') {
      bodyStart = pos + 1;
      break;
    }
    if (c == '\r' && (pos + 1 == n || data[pos + 1] == '\n')) {
      bodyStart = pos + 2 > n ? n : pos + 2;
      break;
    }
    if (c == ' ' || c == '\t') {
      // A continuation line with no header before it (right after the start line).
      fail(400, "Bad Header Line");
    }
    std::size_t start = pos;
    eol = lineEnd(pos);
    // RFC 3261 7.3.1: a line starting with SP/HT continues the previous one. Unfold in place,
    // so the value is one contiguous view.
    while (eol + 1 < n && (data[eol + 1] == ' ' || data[eol + 1] == '\t')) {
      data[eol] = ' ';
      if (eol > start && data[eol - 1] == '\r') data[eol - 1] = ' ';
      eol = lineEnd(eol + 1);
    }
    parseHeaderLine(content(start, eol));
    pos = eol + 1;
  }

  const bool request = m_.isRequest_;
  if (!(seen_ & bit(HeaderId::Via))) fail(400, "Missing Via");
  if (!(seen_ & bit(HeaderId::From))) fail(400, "Missing From");
  if (!(seen_ & bit(HeaderId::To))) fail(400, "Missing To");
  if (!(seen_ & bit(HeaderId::CallId))) fail(400, "Missing Call-ID");
  if (!(seen_ & bit(HeaderId::CSeq))) fail(400, "Missing CSeq");
  // RFC 3261 8.2.3 / RFC 4475 3.1.2.18 mismatch01: the CSeq method is the request's method.
  if (request && !m_.cseq_.methodText.empty() && m_.cseq_.methodText != m_.methodName_) {
    fail(400, "CSeq Method Mismatch");
  }

  // RFC 3261 18.3: over UDP, Content-Length octets of body; extra octets are discarded, fewer
  // is an error; no Content-Length means the rest of the datagram.
  std::size_t available = n - bodyStart;
  std::size_t bodySize = available;
  if (m_.contentLength_) {
    if (*m_.contentLength_ > available) {
      fail(400, "Bad Content-Length");
    } else {
      bodySize = *m_.contentLength_;
    }
  }
  m_.body_ = std::string_view(data + bodyStart, bodySize);
  (void)framing_;

  if (error_) error_->drop = !request || !m_.canBuildResponse();
}

bool MessageParser::parseStartLine(std::string_view line) {
  if (line.size() >= 4 && syntax::iequals(line.substr(0, 4), "SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    m_.isRequest_ = false;
    std::size_t sp = line.find(' ');
    m_.version_ = line.substr(0, sp);
    if (sp == std::string_view::npos) {
      fail(400, "Bad Status-Line");
      return true;
    }
    if (!isSip20(m_.version_)) fail(505, "Version Not Supported");
    std::string_view rest = line.substr(sp + 1);
    std::size_t digits = 0;
    while (digits < rest.size() && syntax::isDigit(rest[digits])) ++digits;
    if (digits != 3 || (rest.size() > 3 && rest[3] != ' ') || rest[0] < '1' || rest[0] > '6') {
      fail(400, "Bad Status-Line");
      return true;
    }
    m_.statusCode_ = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    m_.reasonPhrase_ = rest.size() > 4 ? rest.substr(4) : std::string_view();
    return true;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version: exactly one SP between the parts
  // (RFC 4475 3.1.2.9 lwsruri, 3.1.2.10 lwsstart, 3.1.2.11 trws).
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return false;
  m_.isRequest_ = true;
  m_.methodName_ = line.substr(0, sp1);
  m_.method_ = methodFromName(m_.methodName_);
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    m_.requestUri_.text = line.substr(sp1 + 1);
    fail(400, "Bad Request-Line");
    return true;
  }
  std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  m_.version_ = line.substr(sp2 + 1);
  if (!syntax::isToken(m_.methodName_)) fail(400, "Bad Request-Line");
  if (isSip20(m_.version_)) {
  } else if (looksLikeSipVersion(m_.version_)) {
    fail(505, "Version Not Supported");
  } else {
    fail(400, "Bad Request-Line");
  }
  if (detail::parseUriInto(uri, m_.requestUri_) == nullptr) {
    // RFC 3261 19.1.1: headers are not allowed in a Request-URI (RFC 4475 3.1.2.12 escruri).
    if (m_.requestUri_.isSip() && !m_.requestUri_.headers.empty()) fail(400, "Bad Request-URI");
  } else {
    m_.requestUri_ = Uri{};
    m_.requestUri_.text = uri;
    fail(400, "Bad Request-URI");
  }
  return true;
}

void MessageParser::parseHeaderLine(std::string_view line) {
  const std::size_t colon = syntax::findByte(line, 0, ':');
  if (colon == line.size()) {
    fail(400, "Bad Header Line");
    return;
  }
  std::size_t nameEnd = colon;
  while (nameEnd > 0 && syntax::isWsp(line[nameEnd - 1])) --nameEnd;  // "To :" (wsinv)
  std::string_view name = line.substr(0, nameEnd);
  HeaderId id = headerIdFromName(name);
  // A known name is a token by construction; others are checked.
  if (id == HeaderId::Other && !syntax::isToken(name)) {
    fail(400, "Bad Header Line");
    return;
  }
  // Usually exactly one SP after the colon and nothing at the end: trim only when needed.
  std::size_t valueStart = colon + 1;
  if (valueStart < line.size() && line[valueStart] == ' ') ++valueStart;
  std::string_view value = line.substr(valueStart);
  if (!value.empty() && (syntax::isLws(value.front()) || syntax::isLws(value.back()))) {
    value = syntax::trim(value);
  }
  // Other list headers stay whole: see detail::splitOnParse.
  if (!detail::splitOnParse(id) || std::memchr(value.data(), ',', value.size()) == nullptr) {
    addField(id, name, value, false);
  } else {
    addList(id, name, value);
  }
}

void MessageParser::addList(HeaderId id, std::string_view name, std::string_view value) {
  // RFC 3261 7.3.1: one field per value of a comma-separated list (commas inside quotes or
  // <...> do not count); an empty element is an error in these address lists.
  const std::size_t n = value.size();
  std::size_t start = 0;
  std::size_t i = 0;
  bool first = true;
  while (true) {
    i = detail::findListSpecial(value, i);
    if (i < n && value[i] == '"') {
      std::size_t end = syntax::skipQuoted(value, i);
      i = end == std::string_view::npos ? n : end;
      continue;
    }
    if (i < n && value[i] == '<') {
      std::size_t end = value.find('>', i + 1);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    std::string_view item = syntax::trim(value.substr(start, i - start));
    if (!item.empty()) {
      addField(id, name, item, !first);
      first = false;
    } else {
      fail(400, id == HeaderId::Via ? "Malformed Via" : "Malformed Header");
    }
    if (i >= n) break;
    start = ++i;
  }
}

void MessageParser::addField(HeaderId id, std::string_view name, std::string_view value,
                             bool sameLine) {
  m_.headers_.push_back(HeaderField{name, value, id, sameLine});
  switch (id) {
    case HeaderId::Via: {
      Via via;
      detail::ViaStatus status = detail::parseViaInto(value, via);
      if (status != detail::ViaStatus::Ok) fail(400, "Malformed Via");
      // A Via whose sent-by parsed still routes a 400 back (RFC 4475 3.1.2.1 badinv01).
      if (status != detail::ViaStatus::Bad) m_.vias_.push_back(via);
      break;
    }
    case HeaderId::From:
      checkOnce(id, "Duplicate From");
      if (!(seen_ & bit(id)) && !detail::parseNameAddrInto(value, m_.from_)) {
        fail(400, "Malformed From");
      }
      break;
    case HeaderId::To:
      checkOnce(id, "Duplicate To");
      if (!(seen_ & bit(id)) && !detail::parseNameAddrInto(value, m_.to_)) {
        fail(400, "Malformed To");
      }
      break;
    case HeaderId::CallId:
      checkOnce(id, "Duplicate Call-ID");
      if (!(seen_ & bit(id))) {
        m_.callId_ = value;
        if (!detail::validCallId(value)) fail(400, "Bad Call-ID");
      }
      break;
    case HeaderId::CSeq:
      checkOnce(id, "Duplicate CSeq");
      if (!(seen_ & bit(id)) && !detail::parseCSeqInto(value, m_.cseq_)) fail(400, "Bad CSeq");
      break;
    case HeaderId::MaxForwards:
      checkOnce(id, "Duplicate Max-Forwards");
      if (!(seen_ & bit(id))) {
        // RFC 3261 20.22: 0-255 (RFC 4475 3.1.2.4 scalar02).
        auto v = syntax::parseNumber(value, 255);
        if (v) {
          m_.maxForwards_ = static_cast<std::uint32_t>(*v);
        } else {
          fail(400, "Bad Max-Forwards");
        }
      }
      break;
    case HeaderId::ContentLength:
      // RFC 4475 3.3.13 mcl01: two Content-Lengths leave the body size unknown.
      checkOnce(id, "Duplicate Content-Length");
      if (!(seen_ & bit(id))) {
        auto v = syntax::parseNumber(value, 0xffffffffULL);
        if (v) {
          m_.contentLength_ = static_cast<std::size_t>(*v);
        } else {
          fail(400, "Bad Content-Length");  // RFC 4475 3.1.2.3 ncl
        }
      }
      break;
    case HeaderId::ContentType:
      checkOnce(id, "Duplicate Content-Type");
      if (!detail::validMediaType(value)) fail(400, "Bad Content-Type");
      break;
    case HeaderId::Expires:
      // RFC 3261 20.19: a malformed or huge Expires counts as absent (the default applies,
      // RFC 4475 3.1.2.4 scalar02).
      if (!(seen_ & bit(id))) {
        if (auto v = syntax::parseNumber(value, 0xffffffffULL)) {
          m_.expires_ = static_cast<std::uint32_t>(*v);
        }
      }
      break;
    case HeaderId::Contact: {
      NameAddr na;
      if (!detail::parseNameAddrInto(value, na)) fail(400, "Malformed Contact");
      break;
    }
    case HeaderId::Route:
    case HeaderId::RecordRoute: {
      // RFC 3261 20.30/20.34: name-addr only.
      NameAddr na;
      if (value.find('<') == std::string_view::npos || !detail::parseNameAddrInto(value, na)) {
        fail(400, id == HeaderId::Route ? "Malformed Route" : "Malformed Record-Route");
      }
      break;
    }
    case HeaderId::Event:
      checkOnce(id, "Duplicate Event");
      if (!detail::validTokenWithParams(value)) fail(400, "Bad Event");
      break;
    case HeaderId::SubscriptionState:
      if (!detail::validTokenWithParams(value)) fail(400, "Bad Subscription-State");
      break;
    case HeaderId::Date:
      if (!detail::validDate(value)) fail(400, "Bad Date");  // RFC 4475 3.1.2.13 baddate
      break;
    default:
      break;
  }
  seen_ |= bit(id);
}

ParseResult parseMessage(std::string bytes, Framing framing) {
  return MessageParser::parse(std::move(bytes), framing);
}

}  // namespace ccsip::sip
