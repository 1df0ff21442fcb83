#include "sip/header_id.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "sip/header_parse.h"
#include "sip/syntax.h"

namespace ccsip::sip {

namespace {

constexpr std::size_t kCount = static_cast<std::size_t>(HeaderId::Count_);

// Canonical names, in HeaderId order.
constexpr std::array<std::string_view, kCount> kNames = {
    "",
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "In-Reply-To",
    "Max-Forwards",
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "Priority",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reply-To",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "RAck",
    "Server",
    "Session-Expires",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
};

// A name of 2..24 octets as three words read at fixed places (overlapping when shorter than 24):
// every octet is covered and nothing past the name is read.
constexpr std::size_t kMaxName = 24;

constexpr std::uint64_t load(const char* p, std::size_t n) {
  if (!std::is_constant_evaluated() && std::endian::native == std::endian::little) {
    if (n == 8) {
      std::uint64_t v = 0;
      std::memcpy(&v, p, 8);
      return v;
    }
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  return v;
}

struct Words {
  std::uint64_t w[3] = {0, 0, 0};
};

constexpr Words wordsOf(const char* p, std::size_t n) {
  Words out;
  if (n >= 8) {
    out.w[0] = load(p, 8);
    out.w[1] = load(p + (n >= 16 ? 8 : n - 8), 8);
    out.w[2] = load(p + n - 8, 8);
  } else if (n >= 4) {
    out.w[0] = load(p, 4);
    out.w[1] = load(p + n - 4, 4);
  } else {
    out.w[0] = static_cast<unsigned char>(p[0]) |
               (std::uint64_t{static_cast<unsigned char>(p[1])} << 8) |
               (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
  }
  return out;
}

// Lower-cased name and a mask with 0x20 on its letters: (input | mask) == lower exactly when
// the input is the name in any letter case.
struct Key {
  Words lower;
  Words mask;
  std::size_t length = 0;
};

constexpr std::array<Key, kCount> makeKeys() {
  std::array<Key, kCount> keys{};
  for (std::size_t id = 1; id < kCount; ++id) {
    std::string_view name = kNames[id];
    char lower[kMaxName] = {};
    char mask[kMaxName] = {};
    for (std::size_t i = 0; i < name.size(); ++i) {
      lower[i] = syntax::toLower(name[i]);
      mask[i] = lower[i] >= 'a' && lower[i] <= 'z' ? 0x20 : 0;
    }
    keys[id].lower = wordsOf(lower, name.size());
    keys[id].mask = wordsOf(mask, name.size());
    keys[id].length = name.size();
  }
  return keys;
}

constexpr std::array<Key, kCount> kKeys = makeKeys();

inline bool matches(const Words& words, const Key& key) {
  return ((words.w[0] | key.mask.w[0]) == key.lower.w[0]) &
         ((words.w[1] | key.mask.w[1]) == key.lower.w[1]) &
         ((words.w[2] | key.mask.w[2]) == key.lower.w[2]);
}
static_assert(kNames[static_cast<std::size_t>(HeaderId::ProxyAuthorization)].size() <= kMaxName);

// RFC 3261 7.3.3 compact forms, plus RFC 3515 (r), RFC 3892 (b), RFC 4028 (x), RFC 6665 (o, u).
HeaderId compactForm(char c) {
  switch (syntax::toLower(c)) {
    case 'b':
      return HeaderId::ReferredBy;
    case 'c':
      return HeaderId::ContentType;
    case 'e':
      return HeaderId::ContentEncoding;
    case 'f':
      return HeaderId::From;
    case 'i':
      return HeaderId::CallId;
    case 'k':
      return HeaderId::Supported;
    case 'l':
      return HeaderId::ContentLength;
    case 'm':
      return HeaderId::Contact;
    case 'o':
      return HeaderId::Event;
    case 'r':
      return HeaderId::ReferTo;
    case 's':
      return HeaderId::Subject;
    case 't':
      return HeaderId::To;
    case 'u':
      return HeaderId::AllowEvents;
    case 'v':
      return HeaderId::Via;
    case 'x':
      return HeaderId::SessionExpires;
    default:
      return HeaderId::Other;
  }
}

}  // namespace

HeaderId headerIdFromName(std::string_view name) {
  if (name.size() <= 1) return name.empty() ? HeaderId::Other : compactForm(name[0]);
  if (name.size() > kMaxName) return HeaderId::Other;
  // Dispatch on length and first letter, then compare whole words against constants (no table
  // walk: this runs for every header line).
  const Words words = wordsOf(name.data(), name.size());
  switch (name.size()) {
    case 2:
      switch (syntax::toLower(name[0])) {
        case 't':
          if (matches(words, kKeys[48])) return HeaderId::To;  // To
          break;
        default:
          break;
      }
      break;
    case 3:
      switch (syntax::toLower(name[0])) {
        case 'v':
          if (matches(words, kKeys[51])) return HeaderId::Via;  // Via
          break;
        default:
          break;
      }
      break;
    case 4:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[16])) return HeaderId::CSeq;  // CSeq
          break;
        case 'd':
          if (matches(words, kKeys[17])) return HeaderId::Date;  // Date
          break;
        case 'f':
          if (matches(words, kKeys[21])) return HeaderId::From;  // From
          break;
        case 'r':
          if (matches(words, kKeys[40])) return HeaderId::RSeq;  // RSeq
          if (matches(words, kKeys[41])) return HeaderId::RAck;  // RAck
          break;
        default:
          break;
      }
      break;
    case 5:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[5])) return HeaderId::Allow;  // Allow
          break;
        case 'e':
          if (matches(words, kKeys[19])) return HeaderId::Event;  // Event
          break;
        case 'r':
          if (matches(words, kKeys[39])) return HeaderId::Route;  // Route
          break;
        default:
          break;
      }
      break;
    case 6:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[1])) return HeaderId::Accept;  // Accept
          break;
        case 'm':
          if (matches(words, kKeys[26])) return HeaderId::MinSE;  // Min-SE
          break;
        case 'r':
          if (matches(words, kKeys[32])) return HeaderId::Reason;  // Reason
          break;
        case 's':
          if (matches(words, kKeys[42])) return HeaderId::Server;  // Server
          break;
        default:
          break;
      }
      break;
    case 7:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[8])) return HeaderId::CallId;    // Call-ID
          if (matches(words, kKeys[10])) return HeaderId::Contact;  // Contact
          break;
        case 'e':
          if (matches(words, kKeys[20])) return HeaderId::Expires;  // Expires
          break;
        case 'r':
          if (matches(words, kKeys[37])) return HeaderId::Require;  // Require
          break;
        case 's':
          if (matches(words, kKeys[44])) return HeaderId::Subject;  // Subject
          break;
        case 'w':
          if (matches(words, kKeys[52])) return HeaderId::Warning;  // Warning
          break;
        default:
          break;
      }
      break;
    case 8:
      switch (syntax::toLower(name[0])) {
        case 'p':
          if (matches(words, kKeys[28])) return HeaderId::Priority;  // Priority
          break;
        case 'r':
          if (matches(words, kKeys[34])) return HeaderId::ReferTo;  // Refer-To
          if (matches(words, kKeys[36])) return HeaderId::ReplyTo;  // Reply-To
          break;
        default:
          break;
      }
      break;
    case 9:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[9])) return HeaderId::CallInfo;  // Call-Info
          break;
        case 's':
          if (matches(words, kKeys[46])) return HeaderId::Supported;  // Supported
          break;
        case 't':
          if (matches(words, kKeys[47])) return HeaderId::Timestamp;  // Timestamp
          break;
        default:
          break;
      }
      break;
    case 10:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[4])) return HeaderId::AlertInfo;  // Alert-Info
          break;
        case 'e':
          if (matches(words, kKeys[18])) return HeaderId::ErrorInfo;  // Error-Info
          break;
        case 'u':
          if (matches(words, kKeys[50])) return HeaderId::UserAgent;  // User-Agent
          break;
        default:
          break;
      }
      break;
    case 11:
      switch (syntax::toLower(name[0])) {
        case 'i':
          if (matches(words, kKeys[22])) return HeaderId::InReplyTo;  // In-Reply-To
          break;
        case 'm':
          if (matches(words, kKeys[25])) return HeaderId::MinExpires;  // Min-Expires
          break;
        case 'r':
          if (matches(words, kKeys[35])) return HeaderId::ReferredBy;  // Referred-By
          if (matches(words, kKeys[38])) return HeaderId::RetryAfter;  // Retry-After
          break;
        case 'u':
          if (matches(words, kKeys[49])) return HeaderId::Unsupported;  // Unsupported
          break;
        default:
          break;
      }
      break;
    case 12:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[6])) return HeaderId::AllowEvents;  // Allow-Events
          break;
        case 'c':
          if (matches(words, kKeys[15])) return HeaderId::ContentType;  // Content-Type
          break;
        case 'm':
          if (matches(words, kKeys[23])) return HeaderId::MaxForwards;  // Max-Forwards
          if (matches(words, kKeys[24])) return HeaderId::MimeVersion;  // MIME-Version
          break;
        case 'o':
          if (matches(words, kKeys[27])) return HeaderId::Organization;  // Organization
          break;
        case 'r':
          if (matches(words, kKeys[33])) return HeaderId::RecordRoute;  // Record-Route
          break;
        default:
          break;
      }
      break;
    case 13:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[7])) return HeaderId::Authorization;  // Authorization
          break;
        case 'p':
          if (matches(words, kKeys[31])) return HeaderId::ProxyRequire;  // Proxy-Require
          break;
        default:
          break;
      }
      break;
    case 14:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[14])) return HeaderId::ContentLength;  // Content-Length
          break;
        default:
          break;
      }
      break;
    case 15:
      switch (syntax::toLower(name[0])) {
        case 'a':
          if (matches(words, kKeys[2])) return HeaderId::AcceptEncoding;  // Accept-Encoding
          if (matches(words, kKeys[3])) return HeaderId::AcceptLanguage;  // Accept-Language
          break;
        case 's':
          if (matches(words, kKeys[43])) return HeaderId::SessionExpires;  // Session-Expires
          break;
        default:
          break;
      }
      break;
    case 16:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[12])) return HeaderId::ContentEncoding;  // Content-Encoding
          if (matches(words, kKeys[13])) return HeaderId::ContentLanguage;  // Content-Language
          break;
        case 'w':
          if (matches(words, kKeys[53])) return HeaderId::WwwAuthenticate;  // WWW-Authenticate
          break;
        default:
          break;
      }
      break;
    case 18:
      switch (syntax::toLower(name[0])) {
        case 'p':
          if (matches(words, kKeys[29])) return HeaderId::ProxyAuthenticate;  // Proxy-Authenticate
          break;
        case 's':
          if (matches(words, kKeys[45])) return HeaderId::SubscriptionState;  // Subscription-State
          break;
        default:
          break;
      }
      break;
    case 19:
      switch (syntax::toLower(name[0])) {
        case 'c':
          if (matches(words, kKeys[11]))
            return HeaderId::ContentDisposition;  // Content-Disposition
          break;
        case 'p':
          if (matches(words, kKeys[30]))
            return HeaderId::ProxyAuthorization;  // Proxy-Authorization
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
  return HeaderId::Other;
}

std::string_view headerName(HeaderId id) {
  auto i = static_cast<std::size_t>(id);
  return i < kCount ? kNames[i] : std::string_view();
}

bool isListHeader(HeaderId id) {
  return detail::listHeader(id);
}

}  // namespace ccsip::sip
