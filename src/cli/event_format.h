#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "cli/invocation.h"
#include "util/result.h"

namespace ccsip::cli {

// One line from the server as a JSON object. The server is trusted no more than any peer: a
// line that is not a JSON object is an error value, never an exception.
util::Result<boost::json::object> parseEventLine(std::string_view line);

// The event's `event` field; "" when missing or not a string.
std::string_view eventName(const boost::json::object& event);

// The event's `referenceId` when it is a non-negative integer.
std::optional<std::uint64_t> referenceIdOf(const boost::json::object& event);

// "HH:MM:SS.mmm" of a wall-clock time, local or UTC.
std::string formatClock(std::chrono::system_clock::time_point time, bool utc);

// JSON text made safe for a terminal without changing its meaning: DEL and the C1 controls
// (U+0080..U+009F) inside strings become \uXXXX escapes (JSON requires escapes only for
// U+0000..U+001F, and a terminal acts on the others: 0x9B is CSI), and tabs, CRs and LFs
// between tokens are dropped. --json prints server lines through it.
std::string escapeControls(std::string_view jsonText);

// One human line: the time (the event's `time`, else `receivedAt`), the event name, then
// key=value in a fixed order (DNs, call, agent, error fields; other fields as they come;
// `userData` and `referenceId` last). Empty objects are left out; a string value that is
// empty or holds spaces, quotes, '=' or control characters is printed JSON-quoted (and through
// escapeControls), so a line always splits back into its fields and never carries terminal
// control bytes.
std::string formatEvent(const boost::json::object& event, const OutputOptions& options,
                        std::chrono::system_clock::time_point receivedAt);

}  // namespace ccsip::cli
