#include "model/error_codes.h"

namespace ccsip::model {

std::string_view defaultMessage(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadJson:
      return "Malformed JSON";
    case ErrorCode::UnknownRequest:
      return "Unknown request";
    case ErrorCode::MissingField:
      return "Missing field";
    case ErrorCode::BadFieldType:
      return "Field has the wrong type";
    case ErrorCode::BadFieldValue:
      return "Field has an invalid value";
    case ErrorCode::MessageTooLarge:
      return "Message too large";
    case ErrorCode::NotAuthenticated:
      return "Not authenticated";
    case ErrorCode::AuthenticationFailed:
      return "Authentication failed";
    case ErrorCode::DnNotRegistered:
      return "DN not registered by this client";
    case ErrorCode::UnknownDn:
      return "Unknown DN";
    case ErrorCode::UnknownCall:
      return "Unknown call";
    case ErrorCode::CallNotOnDn:
      return "Call is not on that DN";
    case ErrorCode::DnOutOfService:
      return "DN out of service";
    case ErrorCode::WrongDnType:
      return "Request not allowed on this DN type";
    case ErrorCode::DnBusy:
      return "DN busy";
    case ErrorCode::InvalidCallState:
      return "Invalid call state";
    case ErrorCode::UserDataKeyNotFound:
      return "User data key not found";
    case ErrorCode::OperationInProgress:
      return "Another operation on the call is in progress";
    case ErrorCode::RejectedByEndpoint:
      return "Rejected by the endpoint";
    case ErrorCode::UnknownAgent:
      return "Unknown agent";
    case ErrorCode::InvalidAgentState:
      return "Invalid agent state";
    case ErrorCode::WrongPassword:
      return "Wrong password";
    case ErrorCode::DnHasAgent:
      return "Another agent is logged in on that DN";
    case ErrorCode::AgentLoggedInElsewhere:
      return "Agent is logged in on another DN";
    case ErrorCode::AgentNotLoggedIn:
      return "No agent logged in";
    case ErrorCode::AgentNotOnDn:
      return "Agent is not logged in on that DN";
    case ErrorCode::NotSupported:
      return "Request not supported";
    case ErrorCode::Overloaded:
      return "Server overloaded";
    case ErrorCode::InternalError:
      return "Internal error";
  }
  return "Error";
}

util::Error makeError(ErrorCode code, std::string_view detail) {
  std::string message(defaultMessage(code));
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  return util::Error{toInt(code), std::move(message)};
}

}  // namespace ccsip::model
