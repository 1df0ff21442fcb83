#pragma once

#include <chrono>
#include <string>

namespace ccsip::sip::dialog {

// The descriptor of an event package (RFC 6665 7.2). Subscription code names no package: the
// presence, dialog and message-summary packages each pass one of these in (src/events/ owns the
// body codecs), so adding a package touches no code here.
struct EventPackage {
  std::string name;         // the Event token: "presence", "dialog", "message-summary"
  std::string contentType;  // Accept of SUBSCRIBE / Content-Type of NOTIFY
  std::chrono::seconds defaultExpires{3600};  // RFC 6665 7.2: each package defines one
  // Notifier only: requested Expires above this is cut down (Asterisk cuts at 3600).
  std::chrono::seconds maxExpires{3600};
  // Notifier only: below this a SUBSCRIBE gets 423 with Min-Expires (RFC 6665 4.2.1.1); 0: none.
  std::chrono::seconds minExpires{0};
};

}  // namespace ccsip::sip::dialog
