// The presence event package (RFC 3856) with application/pidf+xml bodies (RFC 3863).
#include "events/event_package.h"

#include <utility>

namespace ccsip::events {
namespace {

util::Result<EventBody> decodePresence(std::string_view body) {
  auto document = parsePidf(body);
  if (!document.ok()) return document.error();
  return EventBody(std::move(*document));
}

}  // namespace

void addPresencePackage(EventPackageRegistry& registry) {
  // RFC 3856 6.4: the default subscription duration is 3600 seconds.
  registry.add({"presence", "application/pidf+xml", std::chrono::seconds{3600}, &decodePresence});
}

}  // namespace ccsip::events
