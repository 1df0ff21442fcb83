// The dialog event package (RFC 4235) with application/dialog-info+xml bodies.
#include "events/event_package.h"

#include <utility>

namespace ccsip::events {
namespace {

util::Result<EventBody> decodeDialog(std::string_view body) {
  auto info = parseDialogInfo(body);
  if (!info.ok()) return info.error();
  return EventBody(std::move(*info));
}

}  // namespace

void addDialogPackage(EventPackageRegistry& registry) {
  // RFC 4235 3.4: the default subscription duration is 3600 seconds.
  registry.add(
      {"dialog", "application/dialog-info+xml", std::chrono::seconds{3600}, &decodeDialog});
}

}  // namespace ccsip::events
