#pragma once

#include <string>
#include <vector>

namespace ccsip::sip::dialog {

// A message body carried opaquely (SDP for sessions, event bodies for subscriptions): the
// dialog layer never looks inside, it only moves bodies between messages and handlers.
struct Body {
  std::string contentType;  // "application/sdp"
  std::string content;
  bool empty() const { return content.empty(); }
};

// A header the application wants on a request it starts (P-Asserted-Identity, Supported, ...).
struct ExtraHeader {
  std::string name;
  std::string value;
};
using ExtraHeaders = std::vector<ExtraHeader>;

}  // namespace ccsip::sip::dialog
