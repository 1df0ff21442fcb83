#pragma once

#include <cstdint>
#include <string_view>

namespace ccsip::sip {

enum class Method : std::uint8_t {
  Unknown,  // an extension method: keep its name (Message::methodName)
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Subscribe,
  Notify,
  Info,
  Update,
  Prack,
  Refer,
  Message,
  Publish,
};

// RFC 3261 7.1: method names are case-sensitive.
Method methodFromName(std::string_view name);
std::string_view methodName(Method method);  // "" for Unknown

}  // namespace ccsip::sip
