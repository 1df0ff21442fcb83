#include "events/dialog_info.h"

#include <algorithm>
#include <utility>

#include "events/text_util.h"
#include "events/xml_names.h"

namespace ccsip::events {
namespace {

constexpr std::string_view kDialogInfoNs = "urn:ietf:params:xml:ns:dialog-info";

util::Error dialogInfoError(std::string message) {
  return util::makeError(400, "dialog-info: " + std::move(message));
}

// A decimal number as an XML Schema nonNegativeInteger / int, within [0, max].
std::optional<std::uint64_t> parseDecimal(std::string_view text, std::uint64_t max) {
  text = trimXml(text);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!isDigit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) return std::nullopt;
  }
  return value;
}

std::optional<DialogState> parseState(std::string_view text) {
  // RFC 4235 4.3 schema: the state values are lower case; a different case is read as the same
  // word rather than dropping a whole notification over it.
  if (iequals(text, "trying")) return DialogState::Trying;
  if (iequals(text, "proceeding")) return DialogState::Proceeding;
  if (iequals(text, "early")) return DialogState::Early;
  if (iequals(text, "confirmed")) return DialogState::Confirmed;
  if (iequals(text, "terminated")) return DialogState::Terminated;
  return std::nullopt;
}

DialogParticipant parseParticipant(pugi::xml_node node) {
  DialogParticipant participant;
  if (pugi::xml_node identity = xml::child(node, kDialogInfoNs, "identity")) {
    participant.identity = std::string(xml::text(identity));
    if (pugi::xml_attribute display = identity.attribute("display")) {
      participant.identityDisplay = display.value();
    }
  }
  if (pugi::xml_node target = xml::child(node, kDialogInfoNs, "target")) {
    participant.targetUri = target.attribute("uri").value();
  }
  return participant;
}

util::Result<DialogEntry> parseDialog(pugi::xml_node node) {
  DialogEntry entry;
  // RFC 4235 4.1.1: id is mandatory; call-id, local-tag, remote-tag, direction are not.
  entry.id = node.attribute("id").value();
  if (entry.id.empty()) return dialogInfoError("<dialog> without id");
  entry.callId = node.attribute("call-id").value();
  entry.localTag = node.attribute("local-tag").value();
  entry.remoteTag = node.attribute("remote-tag").value();
  if (pugi::xml_attribute direction = node.attribute("direction")) {
    const std::string_view value = trimXml(direction.value());
    if (iequals(value, "initiator")) {
      entry.direction = DialogDirection::Initiator;
    } else if (iequals(value, "recipient")) {
      entry.direction = DialogDirection::Recipient;
    } else {
      return dialogInfoError("dialog '" + entry.id + "': bad direction '" + std::string(value) +
                             "'");
    }
  }

  // RFC 4235 4.1.2: <state> is the one mandatory child of <dialog>.
  pugi::xml_node stateNode = xml::child(node, kDialogInfoNs, "state");
  if (!stateNode) return dialogInfoError("dialog '" + entry.id + "' has no <state>");
  auto state = parseState(xml::text(stateNode));
  if (!state) {
    return dialogInfoError("dialog '" + entry.id + "': unknown state '" +
                           std::string(xml::text(stateNode)) + "'");
  }
  entry.state = *state;
  entry.stateEvent = stateNode.attribute("event").value();
  if (pugi::xml_attribute code = stateNode.attribute("code")) {
    // A SIP response code: 3 digits, but any small number is passed on as written.
    auto value = parseDecimal(code.value(), 999);
    if (!value) {
      return dialogInfoError("dialog '" + entry.id + "': bad state code '" +
                             std::string(code.value()) + "'");
    }
    entry.stateCode = static_cast<int>(*value);
  }

  if (pugi::xml_node local = xml::child(node, kDialogInfoNs, "local")) {
    entry.local = parseParticipant(local);
  }
  if (pugi::xml_node remote = xml::child(node, kDialogInfoNs, "remote")) {
    entry.remote = parseParticipant(remote);
  }
  return entry;
}

}  // namespace

std::string_view toString(DialogState state) {
  switch (state) {
    case DialogState::Trying:
      return "trying";
    case DialogState::Proceeding:
      return "proceeding";
    case DialogState::Early:
      return "early";
    case DialogState::Confirmed:
      return "confirmed";
    case DialogState::Terminated:
      return "terminated";
  }
  return "terminated";
}

util::Result<DialogInfo> parseDialogInfo(std::string_view body) {
  pugi::xml_document doc;
  auto loaded = xml::loadDocument(doc, body, "dialog-info");
  if (!loaded.ok()) return loaded.error();
  const pugi::xml_node root = *loaded;
  if (!xml::is(root, kDialogInfoNs, "dialog-info")) {
    return dialogInfoError("root element is " + xml::describe(root) + ", not {" +
                           std::string(kDialogInfoNs) + "}dialog-info");
  }

  DialogInfo info;
  // RFC 4235 4.1: version, state and entity are required attributes; versions MUST fit in 32 bits.
  pugi::xml_attribute version = root.attribute("version");
  if (!version) return dialogInfoError("<dialog-info> without version");
  auto versionValue = parseDecimal(version.value(), 0xFFFFFFFFu);
  if (!versionValue) {
    return dialogInfoError("bad version '" + std::string(version.value()) + "'");
  }
  info.version = static_cast<std::uint32_t>(*versionValue);

  const std::string_view state = trimXml(root.attribute("state").value());
  if (iequals(state, "full")) {
    info.state = DialogInfoState::Full;
  } else if (iequals(state, "partial")) {
    info.state = DialogInfoState::Partial;
  } else {
    return dialogInfoError("state must be full or partial, not '" + std::string(state) + "'");
  }

  info.entity = root.attribute("entity").value();
  if (info.entity.empty()) return dialogInfoError("<dialog-info> without entity");

  for (pugi::xml_node child : root.children()) {
    if (!xml::is(child, kDialogInfoNs, "dialog")) continue;
    auto entry = parseDialog(child);
    if (!entry.ok()) return entry.error();
    info.dialogs.push_back(std::move(*entry));
  }
  return info;
}

EndpointState endpointState(const std::vector<DialogEntry>& dialogs) {
  bool alerting = false;
  for (const auto& dialog : dialogs) {
    switch (dialog.state) {
      case DialogState::Confirmed:
        return EndpointState::Busy;
      case DialogState::Trying:
      case DialogState::Proceeding:
      case DialogState::Early:
        alerting = true;
        break;
      case DialogState::Terminated:
        break;
    }
  }
  return alerting ? EndpointState::Ringing : EndpointState::Idle;
}

DialogInfoTracker::Outcome DialogInfoTracker::apply(const DialogInfo& info) {
  const bool full = info.state == DialogInfoState::Full;
  if (!version_) {
    // RFC 4235 4.1: partial documents are changes to a full one; without it they cannot be read.
    if (!full) return Outcome::NeedFullState;
  } else if (info.version < *version_) {
    // RFC 4235 4.1: an older document than the one held arrived late; discard it.
    return Outcome::Stale;
  }
  // A version equal to the one held is NOT discarded: chan_pjsip's final NOTIFY (Subscription-
  // State: terminated) repeats the previous version number with the state it reports. Applying a
  // true duplicate changes nothing.
  const bool skipped =
      version_ && static_cast<std::uint64_t>(info.version) > std::uint64_t{*version_} + 1;
  version_ = info.version;

  if (full) {
    dialogs_.clear();
    for (const auto& entry : info.dialogs) merge(entry);
    return Outcome::Applied;
  }
  for (const auto& entry : info.dialogs) merge(entry);
  // RFC 4235 4.1: a partial document more than one version ahead means one was lost.
  return skipped ? Outcome::NeedFullState : Outcome::Applied;
}

void DialogInfoTracker::merge(const DialogEntry& entry) {
  auto it = std::find_if(dialogs_.begin(), dialogs_.end(),
                         [&](const DialogEntry& d) { return d.id == entry.id; });
  if (entry.state == DialogState::Terminated) {
    // A terminated dialog leaves the set (RFC 4235 3.7.1: terminated is the final state).
    if (it != dialogs_.end()) dialogs_.erase(it);
    return;
  }
  if (it != dialogs_.end()) {
    *it = entry;
  } else {
    dialogs_.push_back(entry);
  }
}

void DialogInfoTracker::reset() {
  version_.reset();
  dialogs_.clear();
}

EndpointState DialogInfoTracker::endpointState() const {
  if (!version_) return EndpointState::Unknown;
  return events::endpointState(dialogs_);
}

}  // namespace ccsip::events
