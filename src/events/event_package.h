#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/dialog_info.h"
#include "events/pidf.h"
#include "events/simple_message_summary.h"
#include "util/result.h"

namespace ccsip::events {

// A decoded NOTIFY body of one of the registered packages.
using EventBody = std::variant<PidfDocument, DialogInfo, MessageSummary>;

// Turns the body bytes of a NOTIFY into an EventBody, or an Error for a malformed body.
using BodyDecoder = util::Result<EventBody> (*)(std::string_view body);

// The descriptor of an event package, as each package module registers it (house style 3,
// after Kamailio's presence add_events): the subscription code works from descriptors and
// names no package itself.
struct EventPackageDescriptor {
  std::string name;                           // the Event header token: "presence", "dialog", ...
  std::string contentType;                    // Accept of SUBSCRIBE, Content-Type of NOTIFY
  std::chrono::seconds defaultExpires{3600};  // each package defines one (RFC 6665)
  BodyDecoder decode = nullptr;
};

class EventPackageRegistry {
 public:
  // False (and nothing changes) when a package of that name is already there or the descriptor
  // has no name, content type or decoder.
  bool add(EventPackageDescriptor descriptor);

  // By Event token, compared as written (event-type tokens are not case-folded).
  const EventPackageDescriptor* find(std::string_view eventName) const;
  // By media type, case-insensitive and ignoring parameters (RFC 2045 5.1): a NOTIFY may say
  // "application/pidf+xml; charset=UTF-8".
  const EventPackageDescriptor* findByContentType(std::string_view contentType) const;

  // Decodes a body of the package named eventName; an error with code 489 (Bad Event, RFC 6665)
  // when no such package is registered, else the decoder's result.
  util::Result<EventBody> decode(std::string_view eventName, std::string_view body) const;

  const std::vector<EventPackageDescriptor>& packages() const { return packages_; }

 private:
  std::vector<EventPackageDescriptor> packages_;
};

// The package modules' registration entry points.
void addPresencePackage(EventPackageRegistry& registry);        // RFC 3856, pidf+xml
void addDialogPackage(EventPackageRegistry& registry);          // RFC 4235, dialog-info+xml
void addMessageSummaryPackage(EventPackageRegistry& registry);  // RFC 3842

// A registry holding the three packages above.
EventPackageRegistry makeDefaultEventPackages();

// The endpoint state a presence or dialog body reports on its own; Unknown for message-summary.
// (A dialog subscription that receives partial documents needs a DialogInfoTracker instead.)
EndpointState endpointStateOf(const EventBody& body);

}  // namespace ccsip::events
