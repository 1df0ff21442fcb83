// libFuzzer target: the event-package bodies (simple-message-summary, PIDF, dialog-info). Every
// input goes to all three decoders. Message summaries must survive parse -> format -> parse;
// the XML bodies must keep the invariants the layers above rely on, and PIDF's two readers
// must agree.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "events/dialog_info.h"
#include "events/event_package.h"
#include "events/pidf.h"
#include "events/simple_message_summary.h"

namespace {

namespace events = ccsip::events;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "event body invariant broken: %s\n--- detail ---\n%s\n---\n", what,
               detail.c_str());
  std::abort();
}

void checkMessageSummary(std::string_view input) {
  auto first = events::parseMessageSummary(input);
  if (!first.ok()) return;
  const std::string wire = events::formatMessageSummary(*first);
  auto second = events::parseMessageSummary(wire);
  if (!second.ok()) fail(("re-parse failed: " + second.error().message).c_str(), wire);
  if (!(*second == *first)) fail("summary changed", wire);
  if (events::formatMessageSummary(*second) != wire) fail("format not stable", wire);
}

void checkPidf(std::string_view input) {
  auto document = events::parsePidf(input);
  if (!document.ok()) return;
  // parsePidf only accepts documents with a <basic> somewhere, so a state is always derived.
  if (!document->basic()) fail("accepted PIDF without basic", std::string(input));
  if (events::endpointState(*document) == events::EndpointState::Unknown) {
    fail("accepted PIDF maps to Unknown", std::string(input));
  }
  if (document->entity.empty()) fail("accepted PIDF without entity", std::string(input));
}

// parsePidf reads plain documents with its quick reader and the rest with pugixml: wherever
// the quick one takes a body, both must give the same document or the same error.
void checkPidfReaders(std::string_view input) {
  auto quick = events::detail::parsePidfQuick(input);
  if (!quick) return;
  auto tree = events::detail::parsePidfTree(input);
  if (quick->ok() != tree.ok()) fail("PIDF readers disagree on validity", std::string(input));
  if (quick->ok() && !(**quick == *tree)) fail("PIDF readers disagree", std::string(input));
  if (!quick->ok() && quick->error().message != tree.error().message) {
    fail("PIDF readers give different errors", std::string(input));
  }
}

void checkDialogInfo(std::string_view input) {
  auto info = events::parseDialogInfo(input);
  if (!info.ok()) return;
  events::DialogInfoTracker tracker;
  const auto outcome = tracker.apply(*info);
  const bool full = info->state == events::DialogInfoState::Full;
  if (full != (outcome == events::DialogInfoTracker::Outcome::Applied)) {
    fail("first document: full must apply, partial must ask for full state", std::string(input));
  }
  if (!full) return;
  const events::EndpointState state = tracker.endpointState();
  if (state != events::endpointState(*info)) fail("tracker disagrees with document", "");
  // The same version again (chan_pjsip's final NOTIFY) is applied and changes nothing.
  if (tracker.apply(*info) != events::DialogInfoTracker::Outcome::Applied) {
    fail("repeated version not applied", std::string(input));
  }
  if (tracker.endpointState() != state) fail("repeated document changed the state", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  checkMessageSummary(input);
  checkPidf(input);
  checkPidfReaders(input);
  checkDialogInfo(input);

  // The registry gives the same verdict as the decoders it wraps.
  static const events::EventPackageRegistry registry = events::makeDefaultEventPackages();
  if (registry.decode("presence", input).ok() != events::parsePidf(input).ok()) {
    fail("registry presence verdict differs", "");
  }
  auto dialog = registry.decode("dialog", input);
  if (dialog.ok() && !std::holds_alternative<events::DialogInfo>(*dialog)) {
    fail("dialog decoded to another type", "");
  }
  return 0;
}
