#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace ccsip::cti {

// Appends the JSON text of a value to `out`, byte for byte what boost::json::serialize writes
// (the same escapes: \" \\ \b \f \n \r \t and \u00XX for the other control characters; other
// bytes as they are), without its per-call setup and incremental state machine: every CTI
// event is written once per event and these are thousands a second. Numbers with a fraction
// go through boost::json's own formatting.
void appendJson(std::string& out, const boost::json::value& value);
void appendJson(std::string& out, const boost::json::object& object);
void appendJsonString(std::string& out, std::string_view text);

}  // namespace ccsip::cti
