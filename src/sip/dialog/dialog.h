#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/dialog/dialog_id.h"
#include "sip/message.h"
#include "sip/method.h"
#include "util/result.h"

namespace ccsip::sip::dialog {

enum class DialogRole : std::uint8_t { Uac, Uas };
enum class DialogState : std::uint8_t { Early, Confirmed };

// The state of one RFC 3261 12 dialog: its id, the route set, the remote target, both CSeq
// spaces and the local/remote addresses. A plain value with no timers and no I/O: usages
// (INVITE session, subscription) own one each and decide when it is created and confirmed.
// Every string is owned: nothing points into the messages it was built from.
class Dialog {
 public:
  // RFC 3261 12.1.2: the UAC side, from the request it sent and a response carrying a To tag
  // (a 101..199 for an early dialog, a 2xx for a confirmed one). Errors (code 400) when the
  // response has no To tag or does not belong to the request.
  static util::Result<Dialog> createUac(const Message& request, const Message& response);

  // The UAC side rebuilt from a 2xx alone, when the request is no longer known (a 2xx of an
  // unwanted fork arriving after its transaction ended, RFC 3261 13.2.2.4: ACK it, then BYE).
  static util::Result<Dialog> createUacFromResponse(const Message& response,
                                                    std::string_view localContact);

  // RFC 3261 12.1.1: the UAS side, from the request received, the To tag the UAS chose and the
  // Contact it puts in its responses. `confirmed` false for a dialog created by a 1xx.
  static util::Result<Dialog> createUas(const Message& request, std::string_view localTag,
                                        std::string_view localContact, bool confirmed = true);

  // RFC 3261 12.1.2 / 12.1.1 for a subscription dialog created by a NOTIFY that arrived before
  // the 2xx to SUBSCRIBE (RFC 6665 4.1.2.4): the subscriber is UAC of the SUBSCRIBE but takes its
  // dialog state from the NOTIFY (remote tag = NOTIFY From tag, remote target = its Contact,
  // route set = its Record-Route as received).
  static util::Result<Dialog> createFromNotify(const Message& subscribe, const Message& notify);

  const DialogId& id() const { return id_; }
  DialogRole role() const { return role_; }
  DialogState state() const { return state_; }
  bool isEarly() const { return state_ == DialogState::Early; }

  // Local/remote URIs as name-addr header values, tags included (RFC 3261 12.1).
  const std::string& localAddress() const { return localAddress_; }
  const std::string& remoteAddress() const { return remoteAddress_; }
  const std::string& remoteTarget() const { return remoteTarget_; }
  const std::string& localContact() const { return localContact_; }
  // Route header values (name-addr text), in the order they go into requests.
  const std::vector<std::string>& routeSet() const { return routeSet_; }
  std::optional<std::uint32_t> localCSeq() const { return localCSeq_; }
  std::optional<std::uint32_t> remoteCSeq() const { return remoteCSeq_; }

  void setLocalContact(std::string contact) { localContact_ = std::move(contact); }
  // The first local CSeq of a dialog created as UAS (RFC 3261 12.1.1: "empty" until the first
  // request; any value below 2^31 may be chosen).
  void setInitialLocalCSeq(std::uint32_t cseq) {
    if (!localCSeq_) localCSeq_ = cseq - 1;
  }

  // RFC 3261 12.2.1.1: a request within the dialog. Request-URI and Route from the remote target
  // and route set (loose or strict routing), From/To/Call-ID from the dialog, CSeq = local CSeq
  // + 1 (stored), Max-Forwards: 70, Contact for target-refresh methods. No Via: the transaction
  // layer adds it.
  Message makeRequest(Method method);
  // RFC 3261 13.2.2.4: the ACK for a 2xx carries the CSeq number of the INVITE it acknowledges
  // and does not advance the local CSeq.
  Message makeAck(std::uint32_t inviteCSeq) const;

  // RFC 3261 12.2.2: checks and records the remote CSeq of a request received in this dialog.
  // False when the request is out of order (its CSeq is lower than the remote CSeq): the caller
  // answers 500. ACK and CANCEL reuse their INVITE's number and are not checked.
  bool acceptRemoteCSeq(const Message& request);

  // RFC 3261 12.2: a target-refresh request (re-INVITE, UPDATE, SUBSCRIBE, NOTIFY) or a 2xx
  // to one replaces the remote target with its Contact. Messages without a Contact change
  // nothing.
  void refreshRemoteTarget(const Message& message);

  // RFC 3261 13.2.2.4: a 2xx matching an early dialog confirms it; the route set is recomputed
  // from the 2xx and the remote target taken from its Contact. Only for the UAC side.
  void confirmUac(const Message& response);
  // A UAS dialog created by a 1xx becomes confirmed when its 2xx is sent.
  void confirmUas() { state_ = DialogState::Confirmed; }

  // RFC 3261 12.2.1.1: true when the route set's first entry lacks "lr" (a strict router).
  bool strictRouting() const;

 private:
  Dialog() = default;
  Message buildRequest(Method method, std::uint32_t cseq) const;

  DialogId id_;
  DialogRole role_ = DialogRole::Uac;
  DialogState state_ = DialogState::Early;
  std::string localAddress_;
  std::string remoteAddress_;
  std::string remoteTarget_;
  std::string localContact_;
  std::vector<std::string> routeSet_;
  std::optional<std::uint32_t> localCSeq_;
  std::optional<std::uint32_t> remoteCSeq_;
};

// RFC 3261 12.2.1.1 and 12.1.1: "target refresh" methods update the remote target.
bool isTargetRefresh(Method method);

// The first Contact URI of a message (the URI text only, no <> or header params), "" if none.
std::string contactUri(const Message& message);

}  // namespace ccsip::sip::dialog
