#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "util/result.h"

namespace ccsip::model {

// The numeric errorCode table of EventError, shared by the CTI layer (framing, session, request
// syntax) and the model (requests it rejects). docs/protocol.md documents the same table: a code
// once published never changes meaning.
enum class ErrorCode : int {
  // 40-49: the request itself (judged by the CTI layer)
  BadJson = 40,          // not a JSON object
  UnknownRequest = 41,   // `request` names no known request
  MissingField = 42,     // a required field is absent
  BadFieldType = 43,     // a field has the wrong JSON type
  BadFieldValue = 44,    // a field has the right type but a value out of range
  MessageTooLarge = 45,  // the frame exceeds the size limit
  // 50-55: the client session
  NotAuthenticated = 50,      // a request before authentication
  AuthenticationFailed = 51,  // wrong client credentials
  DnNotRegistered = 52,       // the client has not registered that DN
  // 56-69: DNs and calls
  UnknownDn = 56,            // no such DN in the configuration
  UnknownCall = 57,          // no call with that connId
  CallNotOnDn = 58,          // the call has no party on that DN
  DnOutOfService = 59,       // the DN's endpoint is not registered / the DN is being removed
  WrongDnType = 60,          // e.g. RouteCall on a DN that is not a routing point
  DnBusy = 61,               // the DN's device is not idle
  InvalidCallState = 62,     // the party is not in a state that allows the request
  UserDataKeyNotFound = 63,  // DeleteUserData of a key the call does not carry
  OperationInProgress = 64,  // another operation on the call (hold, re-INVITE) is not done yet
  RejectedByEndpoint = 65,   // the phone or switch refused the SIP request the operation needed
  // 70-79: agents
  UnknownAgent = 70,            // no such agent login
  InvalidAgentState = 71,       // the request is not allowed in the agent's current state
  WrongPassword = 72,           // AgentLogin with a wrong password
  DnHasAgent = 73,              // another agent is logged in on that DN
  AgentLoggedInElsewhere = 74,  // the agent is logged in on another DN
  AgentNotLoggedIn = 75,        // no agent is logged in on that DN
  AgentNotOnDn = 76,            // agentId and thisDN name different agents
  // 90-99: the server
  NotSupported = 90,   // a known request the server does not carry out (yet)
  Overloaded = 91,     // try again later
  InternalError = 99,  // a bug: the server logged it
};

// The default errorMessage of each code (English, one line).
std::string_view defaultMessage(ErrorCode code);

constexpr int toInt(ErrorCode code) {
  return static_cast<int>(code);
}

// A util::Error carrying the numeric code; `detail` (if any) is appended to the default message.
util::Error makeError(ErrorCode code, std::string_view detail = {});

// The outcome of a request or fact that returns no value.
using Status = util::Result<std::monostate>;
inline Status ok() {
  return std::monostate{};
}

}  // namespace ccsip::model
