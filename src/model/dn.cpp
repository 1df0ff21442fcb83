#include "model/dn.h"

namespace ccsip::model {

std::string_view toString(DnType type) {
  switch (type) {
    case DnType::Extension:
      return "extension";
    case DnType::RoutingPoint:
      return "routing-point";
    case DnType::Voicemail:
      return "voicemail";
    case DnType::Trunk:
      return "trunk";
  }
  return "extension";
}

std::optional<DnType> parseDnType(std::string_view text) {
  for (DnType type : {DnType::Extension, DnType::RoutingPoint, DnType::Voicemail, DnType::Trunk}) {
    if (toString(type) == text) return type;
  }
  return std::nullopt;
}

std::string_view toString(DeviceState state) {
  switch (state) {
    case DeviceState::OutOfService:
      return "OutOfService";
    case DeviceState::Idle:
      return "Idle";
    case DeviceState::Ringing:
      return "Ringing";
    case DeviceState::Busy:
      return "Busy";
    case DeviceState::Held:
      return "Held";
  }
  return "Idle";
}

std::string_view toString(EndpointPresence presence) {
  switch (presence) {
    case EndpointPresence::Unknown:
      return "unknown";
    case EndpointPresence::Offline:
      return "offline";
    case EndpointPresence::Idle:
      return "idle";
    case EndpointPresence::Ringing:
      return "ringing";
    case EndpointPresence::Busy:
      return "busy";
    case EndpointPresence::Held:
      return "held";
  }
  return "unknown";
}

}  // namespace ccsip::model
