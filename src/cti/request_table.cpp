#include "cti/request_table.h"

#include <array>

namespace ccsip::cti {

namespace {

using T = FieldType;
constexpr bool kRequired = true;
constexpr bool kOptional = false;

// Shared field rows.
constexpr FieldSpec kThisDn{"thisDN", T::NonEmptyString, kRequired};
constexpr FieldSpec kOtherDn{"otherDN", T::NonEmptyString, kRequired};
constexpr FieldSpec kConnId{"connId", T::ConnId, kRequired};
constexpr FieldSpec kConsultConnId{"consultConnId", T::ConnId, kRequired};
constexpr FieldSpec kHeldConnId{"heldConnId", T::ConnId, kRequired};
constexpr FieldSpec kAgentIdOpt{"agentId", T::NonEmptyString, kOptional};
constexpr FieldSpec kReasonsOpt{"reasons", T::Object, kOptional};
constexpr FieldSpec kUserDataOpt{"userData", T::Object, kOptional};
constexpr FieldSpec kUserData{"userData", T::Object, kRequired};

constexpr std::array kOpenSessionFields{
    FieldSpec{"applicationToken", T::String, kRequired},
    FieldSpec{"applicationName", T::String, kOptional},
};
constexpr std::array kDnFields{kThisDn};
constexpr std::array kAgentLoginFields{
    kThisDn,
    FieldSpec{"agentId", T::NonEmptyString, kRequired},
    FieldSpec{"password", T::String, kRequired},
    FieldSpec{"agentState", T::NonEmptyString, kOptional},  // "Ready" or "NotReady" (default)
    kReasonsOpt,
};
constexpr std::array kAgentStateFields{kThisDn, kAgentIdOpt, kReasonsOpt};
constexpr std::array kMakeCallFields{
    kThisDn,
    kOtherDn,
    FieldSpec{"makeCallType", T::NonEmptyString, kOptional},
    kUserDataOpt,
};
constexpr std::array kCallFields{kThisDn, kConnId};
constexpr std::array kCallOtherFields{kThisDn, kConnId, kOtherDn, kUserDataOpt};
constexpr std::array kCallConsultFields{kThisDn, kConnId, kConsultConnId};
constexpr std::array kCallHeldFields{kThisDn, kConnId, kHeldConnId};
constexpr std::array kRouteCallFields{
    kThisDn, kConnId, kOtherDn, FieldSpec{"routeType", T::NonEmptyString, kOptional}, kUserDataOpt,
};
constexpr std::array kTreatmentFields{
    kThisDn,
    kConnId,
    FieldSpec{"treatmentType", T::NonEmptyString, kRequired},
    FieldSpec{"treatmentParameters", T::Object, kOptional},
};
constexpr std::array kCollectDigitsFields{
    kThisDn,
    kConnId,
    FieldSpec{"treatmentParameters", T::Object, kOptional},
};
constexpr std::array kUserDataFields{kThisDn, kConnId, kUserData};
constexpr std::array kDeleteUserDataFields{
    kThisDn,
    kConnId,
    FieldSpec{"keys", T::StringArray, kRequired},
};
constexpr std::array kUserEventFields{kThisDn, kUserData};
constexpr std::array<FieldSpec, 0> kNoFields{};

constexpr std::array kRequests{
    RequestSpec{kOpenSession, kOpenSessionFields},
    RequestSpec{kRegisterAddress, kDnFields},
    RequestSpec{kUnregisterAddress, kDnFields},
    RequestSpec{kAgentLogin, kAgentLoginFields},
    RequestSpec{"AgentLogout", kAgentStateFields},
    RequestSpec{"AgentSetReady", kAgentStateFields},
    RequestSpec{"AgentSetNotReady", kAgentStateFields},
    RequestSpec{"AgentSetAfterCallWork", kAgentStateFields},
    RequestSpec{"MakeCall", kMakeCallFields},
    RequestSpec{"AnswerCall", kCallFields},
    RequestSpec{"ReleaseCall", kCallFields},
    RequestSpec{"ClearCall", kCallFields},
    RequestSpec{"HoldCall", kCallFields},
    RequestSpec{"RetrieveCall", kCallFields},
    RequestSpec{"RedirectCall", kCallOtherFields},
    RequestSpec{"InitiateTransfer", kCallOtherFields},
    RequestSpec{"CompleteTransfer", kCallConsultFields},
    RequestSpec{"SingleStepTransfer", kCallOtherFields},
    RequestSpec{"MuteTransfer", kCallOtherFields},
    RequestSpec{"InitiateConference", kCallOtherFields},
    RequestSpec{"CompleteConference", kCallConsultFields},
    RequestSpec{"SingleStepConference", kCallOtherFields},
    RequestSpec{"DeleteFromConference", kCallOtherFields},
    RequestSpec{"AlternateCall", kCallHeldFields},
    RequestSpec{"ReconnectCall", kCallHeldFields},
    RequestSpec{"RouteCall", kRouteCallFields},
    RequestSpec{"ApplyTreatment", kTreatmentFields},
    RequestSpec{"CollectDigits", kCollectDigitsFields},
    RequestSpec{"AttachUserData", kUserDataFields},
    RequestSpec{"UpdateUserData", kUserDataFields},
    RequestSpec{"DeleteUserData", kDeleteUserDataFields},
    RequestSpec{"DistributeUserEvent", kUserEventFields},
    RequestSpec{"QueryAddress", kDnFields},
    RequestSpec{"QueryCall", kCallFields},
    RequestSpec{"QueryServer", kNoFields},
};

}  // namespace

const RequestSpec* findRequest(std::string_view name) {
  // 35 entries: a linear scan of short strings beats hashing here.
  for (const auto& spec : kRequests) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::span<const RequestSpec> allRequests() {
  return kRequests;
}

std::string_view toString(FieldType type) {
  switch (type) {
    case FieldType::String:
      return "string";
    case FieldType::NonEmptyString:
      return "non-empty string";
    case FieldType::ConnId:
      return "connId (16 hex digits)";
    case FieldType::Integer:
      return "integer";
    case FieldType::Boolean:
      return "boolean";
    case FieldType::Object:
      return "object";
    case FieldType::StringArray:
      return "array of strings";
  }
  return "value";
}

}  // namespace ccsip::cti
