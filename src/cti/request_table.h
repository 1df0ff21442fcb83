#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ccsip::cti {

// The requests of the CTI protocol (DESIGN.md "CTI protocol", docs/protocol.md) and, per
// request, the fields the CTI layer checks before the core sees it. Fields not listed are
// passed through unchecked; listed optional fields are type-checked when present.

enum class FieldType : std::uint8_t {
  String,          // any JSON string (a password may be empty)
  NonEmptyString,  // a DN, an agent id, a treatment type
  ConnId,          // 16 hex digits (model::ConnId::parse)
  Integer,
  Boolean,
  Object,       // userData, reasons, treatmentParameters
  StringArray,  // keys of DeleteUserData
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
};

struct RequestSpec {
  std::string_view name;
  std::span<const FieldSpec> fields;
};

// The session request: the first request of every connection (docs/protocol.md
// "Authentication").
inline constexpr std::string_view kOpenSession = "OpenSession";
inline constexpr std::string_view kRegisterAddress = "RegisterAddress";
inline constexpr std::string_view kUnregisterAddress = "UnregisterAddress";
inline constexpr std::string_view kAgentLogin = "AgentLogin";

// nullptr for an unknown name (names are case-sensitive).
const RequestSpec* findRequest(std::string_view name);
std::span<const RequestSpec> allRequests();

std::string_view toString(FieldType type);  // "string", "non-empty string", ...

}  // namespace ccsip::cti
