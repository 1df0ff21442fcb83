#include "events/event_package.h"

#include <algorithm>
#include <utility>

#include "events/text_util.h"

namespace ccsip::events {

bool EventPackageRegistry::add(EventPackageDescriptor descriptor) {
  if (descriptor.name.empty() || descriptor.contentType.empty() || descriptor.decode == nullptr) {
    return false;
  }
  if (find(descriptor.name) != nullptr) return false;
  packages_.push_back(std::move(descriptor));
  return true;
}

const EventPackageDescriptor* EventPackageRegistry::find(std::string_view eventName) const {
  for (const auto& package : packages_) {
    if (package.name == eventName) return &package;
  }
  return nullptr;
}

const EventPackageDescriptor* EventPackageRegistry::findByContentType(
    std::string_view contentType) const {
  const std::size_t semicolon = contentType.find(';');
  const std::string_view mediaType = trim(contentType.substr(0, semicolon));
  for (const auto& package : packages_) {
    if (iequals(package.contentType, mediaType)) return &package;
  }
  return nullptr;
}

util::Result<EventBody> EventPackageRegistry::decode(std::string_view eventName,
                                                     std::string_view body) const {
  const EventPackageDescriptor* package = find(eventName);
  if (package == nullptr) {
    return util::makeError(489, "no event package '" + std::string(eventName) + "'");
  }
  return package->decode(body);
}

EventPackageRegistry makeDefaultEventPackages() {
  EventPackageRegistry registry;
  addPresencePackage(registry);
  addDialogPackage(registry);
  addMessageSummaryPackage(registry);
  return registry;
}

EndpointState endpointStateOf(const EventBody& body) {
  if (const auto* pidf = std::get_if<PidfDocument>(&body)) return endpointState(*pidf);
  if (const auto* dialogInfo = std::get_if<DialogInfo>(&body)) return endpointState(*dialogInfo);
  return EndpointState::Unknown;
}

}  // namespace ccsip::events
