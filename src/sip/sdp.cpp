#include "sip/sdp.h"

#include <array>
#include <charconv>
#include <limits>

namespace ccsip::sip::sdp {
namespace {

constexpr int kBadSdp = 400;

util::Error sdpError(std::string message) {
  return util::makeError(kBadSdp, "bad SDP: " + std::move(message));
}

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trimTrailing(std::string_view s) {
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 8866 5: fields are separated by a single space; runs of spaces or tabs are tolerated.
// Reads them one by one, without allocating.
class FieldReader {
 public:
  explicit FieldReader(std::string_view s) : s_(s) {}
  // The next field, or "" when none is left.
  std::string_view next() {
    while (i_ < s_.size() && isSpace(s_[i_])) ++i_;
    const std::size_t start = i_;
    while (i_ < s_.size() && !isSpace(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  bool atEnd() {
    while (i_ < s_.size() && isSpace(s_[i_])) ++i_;
    return i_ == s_.size();
  }

 private:
  static bool isSpace(char c) { return c == ' ' || c == '\t'; }
  std::string_view s_;
  std::size_t i_ = 0;
};

// Exactly N fields, or false.
template <std::size_t N>
bool splitExactly(std::string_view s, std::array<std::string_view, N>& fields) {
  FieldReader reader(s);
  for (auto& f : fields) {
    f = reader.next();
    if (f.empty()) return false;
  }
  return reader.atEnd();
}

template <class T>
std::optional<T> parseNumber(std::string_view s) {
  // Digits only (from_chars would take a leading '-' for signed types), no overflow.
  if (s.empty() || s.front() == '-') return std::nullopt;
  T value{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

util::Result<Connection> parseConnection(std::string_view value) {
  std::array<std::string_view, 3> f;
  if (!splitExactly(value, f)) return sdpError("c= needs <nettype> <addrtype> <address>");
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

util::Result<Bandwidth> parseBandwidth(std::string_view value) {
  auto colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) return sdpError("b= needs <type>:<value>");
  auto number = parseNumber<std::uint64_t>(value.substr(colon + 1));
  if (!number) return sdpError("b= bandwidth is not a number");
  return Bandwidth{std::string(value.substr(0, colon)), *number};
}

util::Result<Origin> parseOrigin(std::string_view value) {
  std::array<std::string_view, 6> f;
  if (!splitExactly(value, f)) return sdpError("o= needs 6 fields");
  auto version = parseNumber<std::uint64_t>(f[2]);
  if (!version) return sdpError("o= sess-version is not a number");
  return Origin{std::string(f[0]), std::string(f[1]), *version,
                std::string(f[3]), std::string(f[4]), std::string(f[5])};
}

util::Result<Timing> parseTiming(std::string_view value) {
  std::array<std::string_view, 2> f;
  if (!splitExactly(value, f)) return sdpError("t= needs <start> <stop>");
  auto start = parseNumber<std::uint64_t>(f[0]);
  auto stop = parseNumber<std::uint64_t>(f[1]);
  if (!start || !stop) return sdpError("t= times are not numbers");
  return Timing{*start, *stop, {}};
}

util::Result<MediaDescription> parseMediaLine(std::string_view value) {
  FieldReader reader(value);
  const std::string_view media = reader.next();
  std::string_view port = reader.next();
  const std::string_view proto = reader.next();
  if (proto.empty()) return sdpError("m= needs <media> <port> <proto> <fmt>...");
  MediaDescription m;
  m.media = std::string(media);
  if (auto slash = port.find('/'); slash != std::string_view::npos) {
    auto count = parseNumber<std::uint32_t>(port.substr(slash + 1));
    if (!count) return sdpError("m= number of ports is not a number");
    m.portCount = *count;
    port = port.substr(0, slash);
  }
  auto portNumber = parseNumber<std::uint32_t>(port);
  if (!portNumber || *portNumber > 65535) return sdpError("m= port out of range");
  m.port = static_cast<std::uint16_t>(*portNumber);
  m.proto = std::string(proto);
  m.formats.reserve(8);
  for (std::string_view f = reader.next(); !f.empty(); f = reader.next()) m.formats.emplace_back(f);
  m.rtpMaps.reserve(m.formats.size());
  return m;
}

std::optional<RtpMap> parseRtpMap(std::string_view value) {
  auto space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto pt = parseNumber<unsigned>(value.substr(0, space));
  if (!pt || *pt > 127) return std::nullopt;
  std::string_view rest = value.substr(space + 1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  RtpMap map;
  map.payloadType = static_cast<int>(*pt);
  map.encoding = std::string(rest.substr(0, slash));
  if (map.encoding.find_first_of(" \t") != std::string::npos) return std::nullopt;
  rest = rest.substr(slash + 1);
  std::string_view rate = rest;
  if (auto slash2 = rest.find('/'); slash2 != std::string_view::npos) {
    auto channels = parseNumber<std::uint32_t>(rest.substr(slash2 + 1));
    if (!channels) return std::nullopt;
    map.channels = *channels;
    rate = rest.substr(0, slash2);
  }
  auto clock = parseNumber<std::uint32_t>(rate);
  if (!clock) return std::nullopt;
  map.clockRate = *clock;
  return map;
}

std::optional<Fmtp> parseFmtp(std::string_view value) {
  auto space = value.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  return Fmtp{std::string(value.substr(0, space)), std::string(value.substr(space + 1))};
}

// An "a=" line split at its first colon, still pointing into the text.
struct AttributeView {
  std::string_view name;
  std::string_view value;
  bool hasValue = false;
  Attribute copy() const { return Attribute{std::string(name), std::string(value), hasValue}; }
};

AttributeView splitAttribute(std::string_view line) {
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    return {line.substr(0, colon), line.substr(colon + 1), true};
  }
  return {line, {}, false};
}

// Media-level attributes with a typed home; a malformed one stays a verbatim Attribute, so an
// odd but harmless line (RFC 4475 "a=rtpmap:31 LPC") neither fails the offer nor gets lost.
void addMediaAttribute(MediaDescription& m, const AttributeView& a) {
  if (!a.hasValue) {
    if (auto dir = directionFromName(a.name)) {
      m.direction = *dir;
      return;
    }
  } else if (a.name == "rtpmap") {
    if (auto map = parseRtpMap(a.value)) {
      m.rtpMaps.push_back(std::move(*map));
      return;
    }
  } else if (a.name == "fmtp") {
    if (auto fmtp = parseFmtp(a.value)) {
      m.fmtps.push_back(std::move(*fmtp));
      return;
    }
  } else if (a.name == "ptime" || a.name == "maxptime") {
    if (auto ms = parseNumber<std::uint32_t>(a.value)) {
      (a.name == "ptime" ? m.ptime : m.maxPtime) = *ms;
      return;
    }
  }
  m.attributes.push_back(a.copy());
}

void appendLine(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void appendConnection(std::string& out, const Connection& c) {
  out += "c=";
  out += c.netType;
  out += ' ';
  out += c.addrType;
  out += ' ';
  out += c.address;
  out += "\r\n";
}

void appendBandwidth(std::string& out, const Bandwidth& b) {
  out += "b=";
  out += b.type;
  out += ':';
  out += std::to_string(b.value);
  out += "\r\n";
}

void appendAttribute(std::string& out, const Attribute& a) {
  out += "a=";
  out += a.name;
  if (a.hasValue) {
    out += ':';
    out += a.value;
  }
  out += "\r\n";
}

void appendRtpMap(std::string& out, const RtpMap& r) {
  out += "a=rtpmap:";
  out += std::to_string(r.payloadType);
  out += ' ';
  out += r.encoding;
  out += '/';
  out += std::to_string(r.clockRate);
  if (r.channels) {
    out += '/';
    out += std::to_string(*r.channels);
  }
  out += "\r\n";
}

void appendFmtp(std::string& out, const Fmtp& f) {
  out += "a=fmtp:";
  out += f.format;
  out += ' ';
  out += f.parameters;
  out += "\r\n";
}

void appendMedia(std::string& out, const MediaDescription& m) {
  out += "m=";
  out += m.media;
  out += ' ';
  out += std::to_string(m.port);
  if (m.portCount) {
    out += '/';
    out += std::to_string(*m.portCount);
  }
  out += ' ';
  out += m.proto;
  for (const auto& format : m.formats) {
    out += ' ';
    out += format;
  }
  out += "\r\n";
  if (m.information) appendLine(out, 'i', *m.information);
  for (const auto& c : m.connections) appendConnection(out, c);
  for (const auto& b : m.bandwidths) appendBandwidth(out, b);
  if (m.key) appendLine(out, 'k', *m.key);
  for (const auto& r : m.rtpMaps) appendRtpMap(out, r);
  for (const auto& f : m.fmtps) appendFmtp(out, f);
  if (m.ptime) appendLine(out, 'a', "ptime:" + std::to_string(*m.ptime));
  if (m.maxPtime) appendLine(out, 'a', "maxptime:" + std::to_string(*m.maxPtime));
  for (const auto& a : m.attributes) appendAttribute(out, a);
  if (m.direction) appendLine(out, 'a', directionName(*m.direction));
}

}  // namespace

std::string_view directionName(Direction direction) {
  switch (direction) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> directionFromName(std::string_view name) {
  if (name == "sendrecv") return Direction::SendRecv;
  if (name == "sendonly") return Direction::SendOnly;
  if (name == "recvonly") return Direction::RecvOnly;
  if (name == "inactive") return Direction::Inactive;
  return std::nullopt;
}

const RtpMap* MediaDescription::findRtpMap(int payloadType) const {
  for (const auto& r : rtpMaps) {
    if (r.payloadType == payloadType) return &r;
  }
  return nullptr;
}

const Fmtp* MediaDescription::findFmtp(std::string_view format) const {
  for (const auto& f : fmtps) {
    if (f.format == format) return &f;
  }
  return nullptr;
}

const Attribute* MediaDescription::findAttribute(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

util::Result<SessionDescription> parseSdp(std::string_view text) {
  SessionDescription sdp;
  sdp.timings.clear();
  bool seenVersion = false, seenOrigin = false, seenName = false;
  MediaDescription* media = nullptr;  // the m= section being filled, nullptr at session level

  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trimTrailing(text.substr(pos, eol - pos));
    pos = eol + 1;
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=') return sdpError("line is not <type>=<value>");
    const char type = line[0];
    const std::string_view value = line.substr(2);

    // RFC 8866 5: "v=" comes first, then "o=" and "s=".
    if (!seenVersion) {
      if (type != 'v') return sdpError("does not start with v=");
      auto v = parseNumber<int>(value);
      if (!v) return sdpError("v= is not a number");
      sdp.version = *v;
      seenVersion = true;
      continue;
    }

    if (type == 'm') {
      if (!seenOrigin || !seenName) return sdpError("m= before o= and s=");
      auto m = parseMediaLine(value);
      if (!m) return m.error();
      sdp.media.push_back(std::move(m.value()));
      media = &sdp.media.back();
      continue;
    }

    if (media != nullptr) {
      switch (type) {
        case 'i':
          media->information = std::string(value);
          break;
        case 'c': {
          auto c = parseConnection(value);
          if (!c) return c.error();
          media->connections.push_back(std::move(c.value()));
          break;
        }
        case 'b': {
          auto b = parseBandwidth(value);
          if (!b) return b.error();
          media->bandwidths.push_back(std::move(b.value()));
          break;
        }
        case 'k':
          media->key = std::string(value);
          break;
        case 'a':
          addMediaAttribute(*media, splitAttribute(value));
          break;
        default:
          // RFC 8866 5: an unknown type letter (or a session-level one here) voids the whole
          // description.
          return sdpError(std::string("unexpected media-level line ") + type + "=");
      }
      continue;
    }

    switch (type) {
      case 'v':
        return sdpError("more than one v=");
      case 'o': {
        if (seenOrigin) return sdpError("more than one o=");
        auto o = parseOrigin(value);
        if (!o) return o.error();
        sdp.origin = std::move(o.value());
        seenOrigin = true;
        break;
      }
      case 's':
        if (seenName) return sdpError("more than one s=");
        sdp.sessionName = std::string(value);
        seenName = true;
        break;
      case 'i':
        sdp.information = std::string(value);
        break;
      case 'u':
        sdp.uri = std::string(value);
        break;
      case 'e':
        sdp.emails.emplace_back(value);
        break;
      case 'p':
        sdp.phones.emplace_back(value);
        break;
      case 'c': {
        if (sdp.connection) return sdpError("more than one session-level c=");
        auto c = parseConnection(value);
        if (!c) return c.error();
        sdp.connection = std::move(c.value());
        break;
      }
      case 'b': {
        auto b = parseBandwidth(value);
        if (!b) return b.error();
        sdp.bandwidths.push_back(std::move(b.value()));
        break;
      }
      case 't': {
        auto t = parseTiming(value);
        if (!t) return t.error();
        sdp.timings.push_back(std::move(t.value()));
        break;
      }
      case 'r':
        if (sdp.timings.empty()) return sdpError("r= before t=");
        sdp.timings.back().repeats.emplace_back(value);
        break;
      case 'z':
        sdp.timeZones = std::string(value);
        break;
      case 'k':
        sdp.key = std::string(value);
        break;
      case 'a': {
        const AttributeView a = splitAttribute(value);
        if (!a.hasValue) {
          if (auto dir = directionFromName(a.name)) {
            sdp.direction = *dir;
            break;
          }
        }
        sdp.attributes.push_back(a.copy());
        break;
      }
      default:
        return sdpError(std::string("unknown line type ") + type + "=");
    }
  }

  if (!seenVersion) return sdpError("empty description");
  if (!seenOrigin) return sdpError("missing o=");
  if (!seenName) return sdpError("missing s=");
  if (sdp.timings.empty()) return sdpError("missing t=");
  return sdp;
}

void serializeSdp(const SessionDescription& sdp, std::string& out) {
  out += "v=";
  out += std::to_string(sdp.version);
  out += "\r\n";
  const Origin& o = sdp.origin;
  out += "o=";
  out += o.username;
  out += ' ';
  out += o.sessionId;
  out += ' ';
  out += std::to_string(o.sessionVersion);
  out += ' ';
  out += o.netType;
  out += ' ';
  out += o.addrType;
  out += ' ';
  out += o.address;
  out += "\r\n";
  // RFC 8866 5.3: "s= " when there is no meaningful name.
  appendLine(out, 's', sdp.sessionName.empty() ? std::string_view(" ") : sdp.sessionName);
  if (sdp.information) appendLine(out, 'i', *sdp.information);
  if (sdp.uri) appendLine(out, 'u', *sdp.uri);
  for (const auto& e : sdp.emails) appendLine(out, 'e', e);
  for (const auto& p : sdp.phones) appendLine(out, 'p', p);
  if (sdp.connection) appendConnection(out, *sdp.connection);
  for (const auto& b : sdp.bandwidths) appendBandwidth(out, b);
  if (sdp.timings.empty()) {
    out += "t=0 0\r\n";
  }
  for (const auto& t : sdp.timings) {
    out += "t=";
    out += std::to_string(t.start);
    out += ' ';
    out += std::to_string(t.stop);
    out += "\r\n";
    for (const auto& r : t.repeats) appendLine(out, 'r', r);
  }
  if (sdp.timeZones) appendLine(out, 'z', *sdp.timeZones);
  if (sdp.key) appendLine(out, 'k', *sdp.key);
  for (const auto& a : sdp.attributes) appendAttribute(out, a);
  if (sdp.direction) appendLine(out, 'a', directionName(*sdp.direction));
  for (const auto& m : sdp.media) appendMedia(out, m);
}

std::string toString(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512);
  serializeSdp(sdp, out);
  return out;
}

Direction effectiveDirection(const SessionDescription& sdp, const MediaDescription& media) {
  if (media.direction) return *media.direction;
  if (sdp.direction) return *sdp.direction;
  return Direction::SendRecv;  // RFC 3264 5.1: sendrecv is the default
}

const Connection* effectiveConnection(const SessionDescription& sdp,
                                      const MediaDescription& media) {
  if (!media.connections.empty()) return &media.connections.front();
  return sdp.connection ? &*sdp.connection : nullptr;
}

void setDirection(SessionDescription& sdp, Direction direction) {
  sdp.direction.reset();
  for (auto& m : sdp.media) m.direction = direction;
}

void bumpVersion(SessionDescription& sdp) {
  // RFC 8866 5.2 lets the version be any 64-bit number; wrapping would look like an old SDP.
  if (sdp.origin.sessionVersion < std::numeric_limits<std::uint64_t>::max()) {
    ++sdp.origin.sessionVersion;
  }
}

bool isStreamOnHold(const SessionDescription& sdp, const MediaDescription& media) {
  if (media.port == 0) return false;
  Direction d = effectiveDirection(sdp, media);
  if (d == Direction::SendOnly || d == Direction::Inactive) return true;
  const Connection* c = effectiveConnection(sdp, media);
  return c != nullptr && c->isNullAddress();
}

bool isOnHold(const SessionDescription& sdp) {
  bool anyActive = false;
  for (const auto& m : sdp.media) {
    if (m.port == 0) continue;
    anyActive = true;
    if (!isStreamOnHold(sdp, m)) return false;
  }
  return anyActive;
}

Direction answerDirection(Direction offered) {
  switch (offered) {
    case Direction::SendOnly:
      return Direction::RecvOnly;
    case Direction::RecvOnly:
      return Direction::SendOnly;
    case Direction::Inactive:
      return Direction::Inactive;
    case Direction::SendRecv:
      return Direction::SendRecv;
  }
  return Direction::SendRecv;
}

}  // namespace ccsip::sip::sdp
