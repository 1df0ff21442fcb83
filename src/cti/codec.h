#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "cti/request_table.h"
#include "model/error_codes.h"
#include "model/event.h"
#include "util/result.h"

namespace ccsip::cti {

// The CTI protocol codec: text of one message (a TCP line or a WebSocket message) to a checked
// request, and events to text. Untrusted input never throws here: every failure is a
// util::Error whose code is a model::ErrorCode, answered as EventError by the session.

// `referenceId`: a JSON integer in [0, 2^53 - 1], the range a JavaScript client can hold
// exactly. A fraction, a string or a negative number is rejected (docs/protocol.md).
using ReferenceId = std::int64_t;
inline constexpr ReferenceId kMaxReferenceId = (std::int64_t{1} << 53) - 1;

inline constexpr std::size_t kDefaultMaxMessageBytes = 64 * 1024;
// Nesting beyond this is rejected as bad JSON (userData is flat key/value in practice).
inline constexpr std::size_t kMaxJsonDepth = 16;

// Text -> JSON object. MessageTooLarge over `maxBytes`, BadJson for invalid JSON (including
// trailing garbage and too deep nesting) and for a JSON value that is not an object.
util::Result<boost::json::object> parseMessage(std::string_view text, std::size_t maxBytes);

// `referenceId`: MissingField, BadFieldType (not an integer), BadFieldValue (out of range).
util::Result<ReferenceId> readReferenceId(const boost::json::object& message);

// `request` as a string: MissingField or BadFieldType. The name is not looked up here.
util::Result<std::string_view> readRequestName(const boost::json::object& message);

// Every field of the spec: required ones present, present ones of the right type
// (MissingField, BadFieldType, BadFieldValue for a malformed connId). The message names the
// field.
model::Status checkFields(const boost::json::object& message, const RequestSpec& spec);

// The longest prefix of `text` of at most `maxBytes` that does not cut a UTF-8 sequence, for
// echoing a client's string in an errorMessage: a cut inside a multi-byte character would put
// invalid UTF-8 on the wire, which clients' JSON parsers refuse and a WebSocket peer must
// answer by failing the connection (RFC 6455 8.1). `text` is valid UTF-8 (parseMessage
// checked it).
std::string_view utf8Prefix(std::string_view text, std::size_t maxBytes);

// {"event":"EventError","errorCode":N,"errorMessage":"...","referenceId":R}; referenceId is
// left out when the request had no valid one.
std::string errorEventText(int code, std::string_view message,
                           std::optional<ReferenceId> referenceId);
inline std::string errorEventText(const util::Error& error,
                                  std::optional<ReferenceId> referenceId) {
  return errorEventText(error.code, error.message, referenceId);
}

// {"event": <name>, ...fields} as one line of JSON (no newline: framing adds it). A field
// named "event" in `fields` is dropped: the name is the model's `name`.
std::string eventText(const model::TEvent& event);
std::string eventText(std::string_view name, const boost::json::object& fields);

}  // namespace ccsip::cti
