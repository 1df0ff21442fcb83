#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "cli/invocation.h"

namespace ccsip::cli {

// CTI requests as docs/protocol.md "Requests" lists them; `referenceId` is chosen by the caller.

boost::json::object openSessionRequest(const ConnectionOptions& connection,
                                       std::uint64_t referenceId);
boost::json::object registerAddressRequest(const std::string& dn, std::uint64_t referenceId);

// The protocol request a one-shot command sends ("AgentLogin", "MakeCall", ...); "" for watch.
std::string_view requestName(const Invocation& invocation);

// The request of a one-shot command on invocation.dns.front() (not for watch).
boost::json::object commandRequest(const Invocation& invocation, std::uint64_t referenceId);

// One line of the TCP framing: compact JSON and "\n".
std::string toLine(const boost::json::object& request);

}  // namespace ccsip::cli
