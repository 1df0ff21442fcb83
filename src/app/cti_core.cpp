#include "app/cti_core.h"

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

namespace ccsip::app {

namespace {

namespace json = boost::json;

// The CTI layer has checked the required fields and their types (cti/request_table.h): a
// missing optional field reads as empty.
std::string stringField(const json::object& request, std::string_view key) {
  const json::value* value = request.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

json::object objectField(const json::object& request, std::string_view key) {
  const json::value* value = request.if_contains(key);
  if (value == nullptr || !value->is_object()) return {};
  return value->get_object();
}

model::ReferenceId referenceOf(const json::object& request) {
  const json::value* value = request.if_contains("referenceId");
  return value == nullptr ? model::ReferenceId{} : *value;
}

util::Result<model::ConnId> connIdOf(const json::object& request, std::string_view key = "connId") {
  auto id = model::ConnId::parse(stringField(request, key));
  if (!id) return model::makeError(model::ErrorCode::BadFieldValue, key);
  return *id;
}

}  // namespace

model::Status CtiCore::onRequest(cti::ClientId client, const json::object& request) {
  if (router_ == nullptr || server_ == nullptr) {
    return model::makeError(model::ErrorCode::Overloaded, "server starting");
  }
  const std::string name = stringField(request, "request");
  if (name.starts_with("Agent")) return agentRequest(name, request);
  if (name.starts_with("Query")) return query(client, name, request);
  return callRequest(client, name, request);
}

void CtiCore::onClientClosed(cti::ClientId) {
  // DESIGN.md "Agent availability": an agent stays logged in when its desktop drops (a
  // reconnecting desktop finds it as it was); the login ends by AgentLogout or configuration.
}

model::Status CtiCore::agentRequest(std::string_view name, const json::object& request) {
  if (name == "AgentLogin") {
    model::AgentLoginRequest login;
    login.agentId = stringField(request, "agentId");
    login.password = stringField(request, "password");
    login.dn = stringField(request, "thisDN");
    const std::string state = stringField(request, "agentState");
    if (state == "Ready") {
      login.initialState = model::AgentState::Ready;
    } else if (!state.empty() && state != "NotReady") {
      return model::makeError(model::ErrorCode::BadFieldValue, "agentState: Ready or NotReady");
    }
    login.reasons = objectField(request, "reasons");
    login.referenceId = referenceOf(request);
    return model_.agentLogin(login);
  }
  model::AgentRequest agent;
  agent.agentId = stringField(request, "agentId");
  agent.dn = stringField(request, "thisDN");
  agent.referenceId = referenceOf(request);
  if (name == "AgentLogout") return model_.agentLogout(agent);
  if (name == "AgentSetReady") return model_.agentSetReady(agent);
  if (name == "AgentSetNotReady") {
    return model_.agentSetNotReady(agent, objectField(request, "reasons"));
  }
  if (name == "AgentSetAfterCallWork") {
    return model_.agentSetAfterCallWork(agent, objectField(request, "reasons"));
  }
  return model::makeError(model::ErrorCode::NotSupported, name);
}

model::Status CtiCore::callRequest(cti::ClientId, std::string_view name,
                                   const json::object& request) {
  const std::string dn = stringField(request, "thisDN");
  const model::ReferenceId ref = referenceOf(request);
  if (name == "DistributeUserEvent") {
    return model_.distributeUserEvent(dn, objectField(request, "userData"), ref);
  }
  if (auto status = partyRequest(name, request)) return std::move(*status);
  if (auto status = consultRequest(name, request)) return std::move(*status);
  if (name == "MakeCall") {
    if (control_ == nullptr) {
      return model::makeError(model::ErrorCode::NotSupported,
                              "MakeCall: no call control (no switch configured)");
    }
    // Only the ordinary call is made; the other Genesys kinds (DirectAgent, Priority, ...)
    // change nothing ccsip does, so they are refused rather than silently treated alike.
    if (const std::string type = stringField(request, "makeCallType");
        !type.empty() && type != "Regular") {
      return model::makeError(model::ErrorCode::NotSupported, "makeCallType " + type);
    }
    control::MakeCallRequest call{dn, stringField(request, "otherDN"),
                                  objectField(request, "userData"), ref};
    auto id = control_->makeCall(call);
    return id ? model::ok() : model::Status(id.error());
  }
  const bool known = name == "RouteCall" || name == "AttachUserData" || name == "UpdateUserData" ||
                     name == "DeleteUserData";
  if (!known) {
    // A request of the protocol whose call flow is not built yet: said, never silenced.
    return model::makeError(model::ErrorCode::NotSupported,
                            std::string(name) + " is not supported yet");
  }
  auto id = connIdOf(request);
  if (!id) return id.error();
  if (name == "RouteCall") {
    // RouteCall names the routing point the call waits on (thisDN).
    if (auto status = model_.checkParty(*id, dn); !status.ok()) return status;
    if (!request.contains("userData")) {
      return router_->routeCallRequested(*id, stringField(request, "otherDN"), ref);
    }
    // The router's user data travels with the call to the target (attached before it moves).
    if (auto status = model_.updateUserData(*id, dn, objectField(request, "userData"), ref);
        !status.ok()) {
      return status;
    }
    return router_->routeCallRequested(*id, stringField(request, "otherDN"), ref);
  }
  if (name == "AttachUserData") {
    return model_.attachUserData(*id, dn, objectField(request, "userData"), ref);
  }
  if (name == "UpdateUserData") {
    return model_.updateUserData(*id, dn, objectField(request, "userData"), ref);
  }
  std::vector<std::string> keys;
  if (const json::value* value = request.if_contains("keys"); value && value->is_array()) {
    for (const json::value& key : value->get_array()) {
      if (key.is_string()) keys.emplace_back(key.get_string());
    }
  }
  return model_.deleteUserData(*id, dn, keys, ref);
}

std::optional<model::Status> CtiCore::partyRequest(std::string_view name,
                                                   const json::object& request) {
  if (name == "SingleStepTransfer" || name == "MuteTransfer" || name == "RedirectCall") {
    return transferRequest(name, request);
  }
  using Operation = model::Status (control::CallControl::*)(const control::PartyRequest&);
  Operation operation = nullptr;
  if (name == "ReleaseCall") operation = &control::CallControl::releaseCall;
  if (name == "ClearCall") operation = &control::CallControl::clearCall;
  if (name == "HoldCall") operation = &control::CallControl::holdCall;
  if (name == "RetrieveCall") operation = &control::CallControl::retrieveCall;
  if (name == "AnswerCall") operation = &control::CallControl::answerCall;
  if (operation == nullptr) return std::nullopt;
  if (control_ == nullptr) {
    return model::makeError(model::ErrorCode::NotSupported,
                            std::string(name) + ": no call control (no switch configured)");
  }
  auto id = connIdOf(request);
  if (!id) return model::Status(id.error());
  control::PartyRequest party{*id, stringField(request, "thisDN"), referenceOf(request)};
  return (control_->*operation)(party);
}

model::Status CtiCore::transferRequest(std::string_view name, const json::object& request) {
  if (control_ == nullptr) {
    return model::makeError(model::ErrorCode::NotSupported,
                            std::string(name) + ": no call control (no switch configured)");
  }
  auto id = connIdOf(request);
  if (!id) return id.error();
  control::TransferRequest transfer{*id, stringField(request, "thisDN"),
                                    stringField(request, "otherDN"), referenceOf(request)};
  // The request's user data travels with the call to otherDN (merged before it moves).
  if (request.contains("userData")) {
    if (auto status = model_.checkParty(*id, transfer.dn); !status.ok()) return status;
    if (auto status = model_.updateUserData(*id, transfer.dn, objectField(request, "userData"),
                                            transfer.referenceId);
        !status.ok()) {
      return status;
    }
  }
  // MuteTransfer (consult and complete at once) comes to the same for ccsip: the agent stays
  // until otherDN answers, then leaves.
  return name == "RedirectCall" ? control_->redirectCall(transfer)
                                : control_->singleStepTransfer(transfer);
}

std::optional<model::Status> CtiCore::consultRequest(std::string_view name,
                                                     const json::object& request) {
  const bool initiate = name == "InitiateTransfer";
  const char* otherKey = name == "CompleteTransfer" ? "consultConnId" : "heldConnId";
  if (!initiate && name != "CompleteTransfer" && name != "AlternateCall" &&
      name != "ReconnectCall") {
    return std::nullopt;
  }
  if (control_ == nullptr) {
    return model::makeError(model::ErrorCode::NotSupported,
                            std::string(name) + ": no call control (no switch configured)");
  }
  auto id = connIdOf(request);
  if (!id) return model::Status(id.error());
  if (initiate) {
    // The request's user data is the consult call's own (the main call keeps its own).
    control::InitiateTransferRequest consult{
        *id, stringField(request, "thisDN"), stringField(request, "otherDN"),
        objectField(request, "userData"), referenceOf(request)};
    return control_->initiateTransfer(consult);
  }
  auto other = connIdOf(request, otherKey);
  if (!other) return model::Status(other.error());
  control::CallPairRequest pair{*id, *other, stringField(request, "thisDN"), referenceOf(request)};
  if (name == "CompleteTransfer") return control_->completeTransfer(pair);
  if (name == "AlternateCall") return control_->alternateCall(pair);
  return control_->reconnectCall(pair);
}

model::Status CtiCore::query(cti::ClientId client, std::string_view name,
                             const json::object& request) {
  model::TEvent event;
  if (name == "QueryAddress") {
    auto info = model_.queryAddress(stringField(request, "thisDN"));
    if (!info) return info.error();
    event.name = "EventAddressInfo";
    event.fields = model::toJson(*info);
  } else if (name == "QueryCall") {
    auto id = connIdOf(request);
    if (!id) return id.error();
    if (auto status = model_.checkParty(*id, stringField(request, "thisDN")); !status.ok()) {
      return status;
    }
    auto info = model_.queryCall(*id);
    if (!info) return info.error();
    event.name = "EventCallInfo";
    event.fields = std::move(*info);
  } else if (name == "QueryServer") {
    event.name = "EventServerInfo";
    event.fields = model::toJson(model_.queryServer());
  } else {
    return model::makeError(model::ErrorCode::NotSupported, std::string(name));
  }
  event.fields["referenceId"] = referenceOf(request);
  (void)server_->sendTo(client, event);
  return model::ok();
}

}  // namespace ccsip::app
