// The message-summary event package (RFC 3842) with application/simple-message-summary bodies.
#include "events/event_package.h"

#include <utility>

namespace ccsip::events {
namespace {

util::Result<EventBody> decodeMessageSummary(std::string_view body) {
  auto summary = parseMessageSummary(body);
  if (!summary.ok()) return summary.error();
  return EventBody(std::move(*summary));
}

}  // namespace

void addMessageSummaryPackage(EventPackageRegistry& registry) {
  // RFC 3842 4.4: the default subscription duration is 3600 seconds.
  registry.add({"message-summary", "application/simple-message-summary", std::chrono::seconds{3600},
                &decodeMessageSummary});
}

}  // namespace ccsip::events
