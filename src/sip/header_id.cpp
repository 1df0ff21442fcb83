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

// Every known name hashes to a slot of its own (checked below at compile time), so a lookup is
// one multiplication and one comparison. Letters are folded to lower case by setting 0x20 in
// every octet, which leaves '-' and digits as they are; the comparison is exact.
constexpr int kSlotBits = 7;
constexpr std::uint64_t kHashMultiplier = 0x593aca80463c8b67ULL;

constexpr std::size_t slotOf(const Words& words, std::size_t length) {
  constexpr std::uint64_t kFold = 0x2020202020202020ULL;
  std::uint64_t x = ((words.w[0] | kFold) ^ ((words.w[1] | kFold) >> 1)) + length;
  return static_cast<std::size_t>((x * kHashMultiplier) >> (64 - kSlotBits));
}

struct Slots {
  std::array<HeaderId, std::size_t{1} << kSlotBits> ids{};  // HeaderId::Other: no known name
  bool collision = false;
};

constexpr Slots makeSlots() {
  Slots slots;
  for (std::size_t id = 1; id < kCount; ++id) {
    if (kNames[id].size() < 2) continue;
    std::size_t slot = slotOf(kKeys[id].lower, kNames[id].size());
    if (slots.ids[slot] != HeaderId::Other) slots.collision = true;
    slots.ids[slot] = static_cast<HeaderId>(id);
  }
  return slots;
}

constexpr Slots kSlotTable = makeSlots();
static_assert(!kSlotTable.collision, "pick another kHashMultiplier");
constexpr const auto& kSlots = kSlotTable.ids;

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
  // One hash and one whole-word comparison per header line: this runs for every line.
  const Words words = wordsOf(name.data(), name.size());
  const HeaderId id = kSlots[slotOf(words, name.size())];
  const Key& key = kKeys[static_cast<std::size_t>(id)];
  return key.length == name.size() && matches(words, key) ? id : HeaderId::Other;
}

std::string_view headerName(HeaderId id) {
  auto i = static_cast<std::size_t>(id);
  return i < kCount ? kNames[i] : std::string_view();
}

bool isListHeader(HeaderId id) {
  return detail::listHeader(id);
}

}  // namespace ccsip::sip
