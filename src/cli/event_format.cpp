#include "cli/event_format.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ccsip::cli {

namespace json = boost::json;

namespace {

// The order of the fields a reader looks for first: who, which call, which agent, what went
// wrong (docs/protocol.md "Events"). Other fields follow in the order the server sent them.
constexpr std::array<std::string_view, 22> kLeadingFields = {
    "thisDN",        "otherDN",      "thirdPartyDN", "connId",        "previousConnId",
    "consultConnId", "callType",     "agentId",      "agentState",    "reasons",
    "cause",         "dnType",       "dnState",      "treatmentType", "collectedDigits",
    "errorCode",     "errorMessage", "request",      "clientId",      "protocolVersion",
    "calls",         "parties",
};
// Printed last, in this order: the bulky user data, then the request that caused the event.
constexpr std::array<std::string_view, 2> kTrailingFields = {"userData", "referenceId"};
// Shown elsewhere on the line.
constexpr std::array<std::string_view, 2> kOmittedFields = {"event", "time"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

// A C1 control character (U+0080..U+009F) in UTF-8: 0xC2 then 0x80..0x9F. Some terminals act
// on them (0x9B is CSI), so they are escaped like the C0 ones.
bool isC1At(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

// Printable as is: non-empty, no space, quote, backslash, '=' or control character (other
// bytes >= 0x80 are UTF-8, which the JSON parser has checked, and pass).
bool isPlain(std::string_view text) {
  if (text.empty()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte <= 0x20 || byte == 0x7f || byte == '"' || byte == '\\' || byte == '=') return false;
    if (isC1At(text, i)) return false;
  }
  return true;
}

std::string quote(std::string_view text) {
  return escapeControls(json::serialize(text));
}

std::string quoteIfNeeded(std::string_view text) {
  return isPlain(text) ? std::string(text) : quote(text);
}

std::string renderValue(const json::value& value) {
  if (value.is_string()) return quoteIfNeeded(value.get_string());
  // Numbers, booleans, null, and objects and arrays as compact JSON.
  return escapeControls(json::serialize(value));
}

bool isEmptyObject(const json::value& value) {
  return value.is_object() && value.get_object().empty();
}

void appendField(std::string& line, std::string_view key, const json::value& value) {
  if (isEmptyObject(value)) return;
  line += ' ';
  line += quoteIfNeeded(key);
  line += '=';
  line += renderValue(value);
}

// The event's `time` (milliseconds since 1970, UTC) when it is a plausible integer: year
// 1970..9999, what HH:MM:SS can be computed for on every platform. Kept in milliseconds: a
// system_clock time_point (nanoseconds in libstdc++) would overflow past the year 2262.
constexpr std::int64_t kLatestMs = 253402300799999;  // 9999-12-31 23:59:59.999 UTC

std::optional<std::int64_t> eventTimeMs(const json::object& event) {
  const json::value* value = event.if_contains("time");
  if (value == nullptr) return std::nullopt;
  if (value->is_int64() && value->get_int64() >= 0 && value->get_int64() <= kLatestMs) {
    return value->get_int64();
  }
  return std::nullopt;  // negative, too large (also every uint64), fractional or not a number
}

std::string formatClockMs(std::int64_t sinceEpochMs, bool utc) {
  std::time_t seconds = static_cast<std::time_t>(sinceEpochMs / 1000);
  long millis = static_cast<long>(sinceEpochMs % 1000);
  if (millis < 0) {  // before 1970: floor, not truncate
    millis += 1000;
    --seconds;
  }
  std::tm parts{};
  const bool converted =
      utc ? gmtime_r(&seconds, &parts) != nullptr : localtime_r(&seconds, &parts) != nullptr;
  if (!converted) return "??:??:??.???";
  char text[32];
  std::snprintf(text, sizeof(text), "%02d:%02d:%02d.%03ld", parts.tm_hour, parts.tm_min,
                parts.tm_sec, millis);
  return text;
}

}  // namespace

std::string escapeControls(std::string_view jsonText) {
  std::string out;
  out.reserve(jsonText.size());
  bool inString = false;
  bool escaped = false;  // the previous character was the backslash of an escape
  for (std::size_t i = 0; i < jsonText.size(); ++i) {
    const char c = jsonText[i];
    const auto byte = static_cast<unsigned char>(c);
    if (!inString) {
      if (c == '\t' || c == '\r' || c == '\n') continue;  // whitespace between tokens
      if (c == '"') inString = true;
      out += c;
      continue;
    }
    if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '"') {
      inString = false;
    }
    if (byte == 0x7f) {
      out += "\\u007f";
    } else if (isC1At(jsonText, i)) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x",
                    static_cast<unsigned>(static_cast<unsigned char>(jsonText[i + 1])));
      out += escape;
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

util::Result<json::object> parseEventLine(std::string_view line) {
  boost::system::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec) return util::makeError(0, "malformed JSON from the server: " + ec.message());
  if (!value.is_object()) return util::makeError(0, "a server message that is not a JSON object");
  return std::move(value.get_object());
}

std::string_view eventName(const json::object& event) {
  const json::value* value = event.if_contains("event");
  if (value == nullptr || !value->is_string()) return {};
  return value->get_string();
}

std::optional<std::uint64_t> referenceIdOf(const json::object& event) {
  const json::value* value = event.if_contains("referenceId");
  if (value == nullptr) return std::nullopt;
  if (value->is_uint64()) return value->get_uint64();
  if (value->is_int64() && value->get_int64() >= 0) {
    return static_cast<std::uint64_t>(value->get_int64());
  }
  return std::nullopt;
}

std::string formatClock(std::chrono::system_clock::time_point time, bool utc) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  return formatClockMs(duration_cast<milliseconds>(time.time_since_epoch()).count(), utc);
}

std::string formatEvent(const json::object& event, const OutputOptions& options,
                        std::chrono::system_clock::time_point receivedAt) {
  std::string line = eventTimeMs(event) ? formatClockMs(*eventTimeMs(event), options.utc)
                                        : formatClock(receivedAt, options.utc);
  line += ' ';
  std::string_view name = eventName(event);
  line += name.empty() ? std::string("-") : quoteIfNeeded(name);
  for (std::string_view key : kLeadingFields) {
    if (const json::value* value = event.if_contains(key)) appendField(line, key, *value);
  }
  for (const auto& field : event) {
    const std::string_view key = field.key();
    if (contains(kLeadingFields, key) || contains(kTrailingFields, key) ||
        contains(kOmittedFields, key)) {
      continue;
    }
    appendField(line, key, field.value());
  }
  for (std::string_view key : kTrailingFields) {
    if (const json::value* value = event.if_contains(key)) appendField(line, key, *value);
  }
  return line;
}

}  // namespace ccsip::cli
