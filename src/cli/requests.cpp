#include "cli/requests.h"

#include <boost/json/serialize.hpp>

namespace ccsip::cli {

namespace json = boost::json;

namespace {

json::object baseRequest(std::string_view name, std::uint64_t referenceId) {
  json::object request;
  // The name first, as the protocol's examples write it: easier to read in a trace.
  request["request"] = name;
  request["referenceId"] = referenceId;
  return request;
}

json::object reasonsOf(const std::string& reason) {
  json::object reasons;
  if (!reason.empty()) reasons["reason"] = reason;
  return reasons;
}

json::object userDataOf(const Invocation& invocation) {
  json::object data;
  for (const auto& [key, value] : invocation.userData) data[key] = value;
  return data;
}

}  // namespace

json::object openSessionRequest(const ConnectionOptions& connection, std::uint64_t referenceId) {
  json::object request = baseRequest("OpenSession", referenceId);
  request["applicationToken"] = connection.token;
  request["applicationName"] = connection.applicationName;
  return request;
}

json::object registerAddressRequest(const std::string& dn, std::uint64_t referenceId) {
  json::object request = baseRequest("RegisterAddress", referenceId);
  request["thisDN"] = dn;
  return request;
}

std::string_view requestName(const Invocation& invocation) {
  switch (invocation.command) {
    case Command::Login:
      return "AgentLogin";
    case Command::Logout:
      return "AgentLogout";
    case Command::Ready:
      return "AgentSetReady";
    case Command::NotReady:
      return "AgentSetNotReady";
    case Command::AfterCallWork:
      return "AgentSetAfterCallWork";
    case Command::Make:
      return "MakeCall";
    case Command::Answer:
      return "AnswerCall";
    case Command::Release:
      return "ReleaseCall";
    case Command::Hold:
      return "HoldCall";
    case Command::Retrieve:
      return "RetrieveCall";
    case Command::Transfer:
      return invocation.consult ? "InitiateTransfer" : "SingleStepTransfer";
    case Command::CompleteTransfer:
      return "CompleteTransfer";
    case Command::Query:
      return invocation.connId.empty() ? "QueryAddress" : "QueryCall";
    case Command::Watch:
      return "";
  }
  return "";
}

json::object commandRequest(const Invocation& invocation, std::uint64_t referenceId) {
  json::object request = baseRequest(requestName(invocation), referenceId);
  if (!invocation.dns.empty()) request["thisDN"] = invocation.dns.front();
  switch (invocation.command) {
    case Command::Login:
      request["agentId"] = invocation.agentId;
      request["password"] = invocation.password;
      request["agentState"] = invocation.ready ? "Ready" : "NotReady";
      if (!invocation.ready && !invocation.reason.empty()) {
        request["reasons"] = reasonsOf(invocation.reason);
      }
      break;
    case Command::Logout:
    case Command::Ready:
    case Command::NotReady:
    case Command::AfterCallWork:
      if (!invocation.agentId.empty()) request["agentId"] = invocation.agentId;
      if (!invocation.reason.empty()) request["reasons"] = reasonsOf(invocation.reason);
      break;
    case Command::Make:
      request["otherDN"] = invocation.otherDn;
      if (!invocation.userData.empty()) request["userData"] = userDataOf(invocation);
      break;
    case Command::Answer:
    case Command::Release:
    case Command::Hold:
    case Command::Retrieve:
      request["connId"] = invocation.connId;
      break;
    case Command::Transfer:
      request["connId"] = invocation.connId;
      request["otherDN"] = invocation.otherDn;
      if (!invocation.userData.empty()) request["userData"] = userDataOf(invocation);
      break;
    case Command::CompleteTransfer:
      request["connId"] = invocation.connId;
      request["consultConnId"] = invocation.consultConnId;
      break;
    case Command::Query:
      if (!invocation.connId.empty()) request["connId"] = invocation.connId;
      break;
    case Command::Watch:
      break;
  }
  return request;
}

std::string toLine(const json::object& request) {
  std::string line = json::serialize(request);
  line += '\n';
  return line;
}

}  // namespace ccsip::cli
