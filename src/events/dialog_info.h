#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/endpoint_state.h"
#include "util/result.h"

namespace ccsip::events {

// The body of a dialog NOTIFY, application/dialog-info+xml (RFC 4235 4).

enum class DialogInfoState { Full, Partial };

// RFC 4235 3.7.1 dialog FSM states.
enum class DialogState { Trying, Proceeding, Early, Confirmed, Terminated };

enum class DialogDirection { Unspecified, Initiator, Recipient };

// RFC 4235 4.1.6 <local> / <remote>.
struct DialogParticipant {
  std::string identity;                        // <identity> URI
  std::optional<std::string> identityDisplay;  // its display attribute, when present
  std::string targetUri;                       // <target uri=...>, empty when absent
};

// RFC 4235 4.1.1 <dialog>.
struct DialogEntry {
  std::string id;  // required; chan_sip and chan_pjsip both use the extension ("1000")
  // Optional in RFC 4235; chan_pjsip never sends them (and chan_sip's call-id names a pickup).
  std::string callId;
  std::string localTag;
  std::string remoteTag;
  DialogDirection direction = DialogDirection::Unspecified;
  DialogState state = DialogState::Terminated;
  std::string stateEvent;  // RFC 4235 4.1.2 event attribute: cancelled, rejected, remote-bye...
  std::optional<int> stateCode;  // RFC 4235 4.1.2 code attribute (a SIP response code)
  std::optional<DialogParticipant> local;
  std::optional<DialogParticipant> remote;
};

struct DialogInfo {
  std::uint32_t version = 0;
  DialogInfoState state = DialogInfoState::Full;
  std::string entity;
  std::vector<DialogEntry> dialogs;
};

// Parses an application/dialog-info+xml body. Errors (code 400): not well-formed, root not
// {urn:ietf:params:xml:ns:dialog-info}dialog-info, version / state / entity missing or invalid
// (RFC 4235 4.1 makes all three mandatory), a dialog without id or <state>, an unknown state.
util::Result<DialogInfo> parseDialogInfo(std::string_view body);

// The state of the endpoint from the dialogs listed: any confirmed -> Busy; else any trying,
// proceeding or early -> Ringing; else Idle. Dialog-info cannot tell an unregistered endpoint
// from an idle one (Asterisk sends "terminated" for both), so it never yields Offline.
EndpointState endpointState(const std::vector<DialogEntry>& dialogs);
inline EndpointState endpointState(const DialogInfo& info) {
  return endpointState(info.dialogs);
}

// The dialog state of one subscription, built from full and partial NOTIFYs (RFC 4235 4.1).
// Create one per subscription (versions are scoped to it) and reset() it when the subscription
// is re-created.
class DialogInfoTracker {
 public:
  enum class Outcome {
    Applied,       // the document was taken in
    Stale,         // older than the state held: discarded (RFC 4235 4.1)
    NeedFullState  // partial state with nothing to apply it to, or a version was skipped: the
                   // caller refreshes the subscription to get a full document (RFC 4235 4.1).
                   // A skipping partial document is still applied: it is the newest news.
  };

  Outcome apply(const DialogInfo& info);
  void reset();

  // Unknown until the first full document; then the mapping of endpointState(dialogs).
  EndpointState endpointState() const;
  // The dialogs not terminated, by id.
  const std::vector<DialogEntry>& dialogs() const { return dialogs_; }
  std::optional<std::uint32_t> version() const { return version_; }

 private:
  void merge(const DialogEntry& entry);

  std::optional<std::uint32_t> version_;
  std::vector<DialogEntry> dialogs_;
};

std::string_view toString(DialogState state);

}  // namespace ccsip::events
