#include "switch_notifier.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>

#include "numbering.h"

namespace ccsip::bench {

namespace {

// RFC 3261 17.1.2.2 with the default T1 and T2; Timer F = 64*T1.
constexpr Micros kT1 = 500'000;
constexpr Micros kT2 = 4'000'000;
constexpr Micros kTimerF = 64 * kT1;

// Asterisk 20 chan_sip's PIDF, byte for byte but for the entity and contact (traces/asterisk-20/
// presence-pidf.txt): idle is "open" with note "Ready", a call adds <ep:busy/> and "On the phone".
std::string pidfBody(std::string_view dn, std::uint16_t port, bool busy) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" \r\n"
      "xmlns:pp=\"urn:ietf:params:xml:ns:pidf:person\"\r\n"
      "xmlns:es=\"urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status\"\r\n"
      "xmlns:ep=\"urn:ietf:params:xml:ns:pidf:rpid:rpid-person\"\r\n"
      "entity=\"sip:sipserver@127.0.0.1\">\r\n"
      "<pp:person><status>\r\n";
  if (busy) body += "<ep:activities><ep:busy/></ep:activities>\r\n";
  body += "</status></pp:person>\r\n<note>";
  body += busy ? "On the phone" : "Ready";
  body += "</note>\r\n<tuple id=\"";
  body += dn;
  body += "\">\r\n<contact priority=\"1\">sip:";
  body += dn;
  body += "@127.0.0.1:" + std::to_string(port);
  body +=
      "</contact>\r\n<status><basic>open</basic></status>\r\n</tuple>\r\n"
      "</presence>\r\n";
  return body;
}

// Asterisk's simple-message-summary (RFC 3842), traces/asterisk-20/mwi-message-summary.txt.
std::string mwiBody(std::uint16_t port, std::uint32_t newMessages) {
  std::string body = "Messages-Waiting: ";
  body += newMessages > 0 ? "yes" : "no";
  body += "\r\nMessage-Account: sip:asterisk@127.0.0.1:" + std::to_string(port);
  body += "\r\nVoice-Message: " + std::to_string(newMessages) + "/0 (0/0)\r\n";
  return body;
}

}  // namespace

SwitchNotifier::SwitchNotifier(int fd, const NotifierOptions& options)
    : fd_(fd), options_(options), dialogs_(2 * std::size_t{options.count}) {
  byCallId_.reserve(dialogs_.size() * 2);
}

void SwitchNotifier::sendTo(const std::string& data, const sockaddr_in& to) {
  ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

void SwitchNotifier::onDatagram(std::string_view data, const sockaddr_in& from, Micros now) {
  SipText message;
  if (!parseSipText(data, message)) return;
  if (!message.request) {
    onResponse(message, now);
    return;
  }
  if (message.method == "SUBSCRIBE") {
    onSubscribe(message, data, from, now);
  } else if (message.method == "OPTIONS") {
    answer(message, from, 200, "OK", "", "");
  } else if (message.method != "ACK") {
    answer(message, from, 501, "Not Implemented", "", "");
  }
}

void SwitchNotifier::answer(const SipText& request, const sockaddr_in& to, int status,
                            std::string_view reason, std::string_view localTag,
                            std::string_view extra) {
  std::string& out = scratch_;
  out.clear();
  out += "SIP/2.0 " + std::to_string(status) + " ";
  out += reason;
  out += "\r\n";
  for (std::string_view via : request.vias) {
    out += "Via: ";
    out += via;
    out += "\r\n";
  }
  out += "From: ";
  out += request.from;
  out += "\r\nTo: ";
  out += request.to;
  if (!localTag.empty() && headerParam(request.to, "tag").empty()) {
    out += ";tag=";
    out += localTag;
  }
  out += "\r\nCall-ID: ";
  out += request.callId;
  out += "\r\nCSeq: ";
  out += request.cseq;
  out += "\r\n";
  out += extra;
  out += "Server: notify-load\r\nContent-Length: 0\r\n\r\n";
  sendTo(out, to);
}

void SwitchNotifier::onSubscribe(const SipText& request, std::string_view, const sockaddr_in& from,
                                 Micros now) {
  const std::string_view user = uriUser(request.uri);
  std::optional<std::uint32_t> index;
  Package package = Package::Presence;
  if (request.event.starts_with("message-summary")) {
    package = Package::Mwi;
    if (user.starts_with("gvm-")) index = indexOf(user.substr(4), '7');
  } else if (request.event.starts_with("presence")) {
    index = indexOf(user, '2');
  }
  if (!index || *index >= options_.count) {
    answer(request, from, 404, "Not Found", "nl-unknown", "");
    return;
  }
  const std::uint32_t key = keyOf(package, *index);
  Dialog& dialog = dialogs_[key];
  const long asked = expiresValue(request.expires, 3600);
  const long granted = std::min(asked, options_.grantedExpires);
  const std::string_view toTag = headerParam(request.to, "tag");
  char extra[160];

  if (!toTag.empty()) {
    // In-dialog: a refresh or an unsubscribe (RFC 6665 4.1.2.2, 4.1.2.3).
    if (!dialog.exists || dialog.callId != request.callId) {
      answer(request, from, 481, "Call/Transaction Does Not Exist", "", "");
      return;
    }
    std::snprintf(extra, sizeof extra, "Contact: <sip:%.*s@127.0.0.1:%u>\r\nExpires: %ld\r\n",
                  static_cast<int>(user.size()), user.data(), options_.localPort, granted);
    answer(request, from, 200, "OK", "", extra);
    if (granted == 0) {
      ++unsubscribes_;
      if (dialog.active) --active_[static_cast<int>(package)];
      dialog.active = false;
      sendNotify(key, false, true, now);
      byCallId_.erase(dialog.callId);
      dialog.exists = false;
    } else if (!dialog.inFlight) {
      // RFC 6665 4.2.1.2: a NOTIFY of the current state follows each accepted refresh.
      sendNotify(key, false, false, now);
    }
    return;
  }

  if (dialog.exists && dialog.callId == request.callId) {
    // RFC 3261 17.2.2: a retransmission of the initial SUBSCRIBE (its 200 was lost or late):
    // the same answer again; the initial NOTIFY has retransmissions of its own.
    ++subscribeRetransmissions_;
    std::snprintf(extra, sizeof extra, "Contact: <sip:%.*s@127.0.0.1:%u>\r\nExpires: %ld\r\n",
                  static_cast<int>(user.size()), user.data(), options_.localPort, granted);
    answer(request, from, 200, "OK", headerParam(dialog.notifyFrom, "tag"), extra);
    return;
  }
  // A new subscription. One that replaces a previous one (ccsip re-created it) starts over.
  ++subscribes_;
  if (firstSubscribeAt_ == 0) firstSubscribeAt_ = now;
  if (dialog.exists) {
    ++resubscribes_;
    byCallId_.erase(dialog.callId);
    if (dialog.active) --active_[static_cast<int>(package)];
    if (dialog.inFlight && dialog.load) --loadInFlight_;
  }
  const std::string tag = "nl" + std::to_string(++tagCounter_);
  dialog.exists = true;
  dialog.active = false;
  dialog.inFlight = false;
  dialog.load = false;
  dialog.answered = false;
  dialog.eventPending = false;
  ++dialog.generation;
  dialog.callId = std::string(request.callId);
  dialog.notifyTo = std::string(request.from);
  dialog.notifyFrom = std::string(request.to) + ";tag=" + tag;
  dialog.target = std::string(nameAddrUri(request.contact));
  dialog.peer = from;
  dialog.cseq = 100;
  byCallId_[dialog.callId] = key;
  std::snprintf(extra, sizeof extra, "Contact: <sip:%.*s@127.0.0.1:%u>\r\nExpires: %ld\r\n",
                static_cast<int>(user.size()), user.data(), options_.localPort, granted);
  answer(request, from, 200, "OK", tag, extra);
  // RFC 6665 4.2.1: the notifier sends a NOTIFY of the current state at once.
  sendNotify(key, false, false, now);
}

void SwitchNotifier::sendNotify(std::uint32_t key, bool load, bool terminated, Micros now) {
  Dialog& dialog = dialogs_[key];
  const bool presence = key < options_.count;
  const std::uint32_t index = presence ? key : key - options_.count;
  const std::string dn = extensionDn(index);
  const std::uint32_t cseq = ++dialog.cseq;
  std::string body;
  if (!terminated) {
    body = presence ? pidfBody(dn, options_.localPort, dialog.busy)
                    : mwiBody(options_.localPort, dialog.newMessages);
  }
  std::string out;
  out.reserve(600 + body.size());
  out += "NOTIFY ";
  out += dialog.target;
  out += " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + std::to_string(options_.localPort);
  out += ";branch=z9hG4bK-nl-" + std::to_string(key) + "-" + std::to_string(dialog.generation) +
         "-" + std::to_string(cseq) + ";rport\r\nMax-Forwards: 70\r\nFrom: ";
  out += dialog.notifyFrom;
  out += "\r\nTo: ";
  out += dialog.notifyTo;
  out += "\r\nContact: <sip:" + (presence ? dn : "asterisk") +
         "@127.0.0.1:" + std::to_string(options_.localPort) + ">\r\nCall-ID: ";
  out += dialog.callId;
  out += "\r\nCSeq: " + std::to_string(cseq) + " NOTIFY\r\nUser-Agent: notify-load\r\n";
  out += presence ? "Event: presence\r\n" : "Event: message-summary\r\n";
  if (terminated) {
    out += "Subscription-State: terminated;reason=timeout\r\nContent-Length: 0\r\n\r\n";
    sendTo(out, dialog.peer);  // not followed: the dialog is gone
    return;
  }
  out += "Subscription-State: active\r\nContent-Type: ";
  out += presence ? "application/pidf+xml" : "application/simple-message-summary";
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  dialog.wire = std::move(out);
  dialog.inFlight = true;
  dialog.load = load;
  dialog.answered = false;
  dialog.flightCseq = cseq;
  dialog.sentAt = now;
  dialog.interval = kT1;
  sendTo(dialog.wire, dialog.peer);
  timers_.push(Due{now + kT1, key, cseq});
}

bool SwitchNotifier::notify(Package package, std::uint32_t index, Micros now) {
  const std::uint32_t key = keyOf(package, index);
  Dialog& dialog = dialogs_[key];
  if (!dialog.active || dialog.inFlight) {
    ++stats_.skipped;
    return false;
  }
  if (package == Package::Presence) {
    dialog.busy = !dialog.busy;
  } else {
    ++dialog.newMessages;
  }
  sendNotify(key, true, false, now);
  ++loadInFlight_;
  ++stats_.sent;
  // Presence makes an agent event only when an agent is logged in on the DN (DESIGN.md "Agent
  // availability and presence"); MWI an EventUserEvent to the DN's clients.
  dialog.eventPending = package == Package::Mwi || options_.agents;
  if (dialog.eventPending) ++stats_.eventsExpected;
  return true;
}

void SwitchNotifier::finishIfDone(Dialog& dialog) {
  if (!dialog.inFlight || !dialog.answered || dialog.eventPending) return;
  dialog.inFlight = false;
  if (dialog.load) --loadInFlight_;
  dialog.load = false;
}

void SwitchNotifier::onResponse(const SipText& response, Micros now) {
  if (response.status < 200) return;
  if (!response.cseq.ends_with("NOTIFY")) return;
  const auto it = byCallId_.find(std::string(response.callId));
  if (it == byCallId_.end()) return;
  const std::uint32_t key = it->second;
  Dialog& dialog = dialogs_[key];
  if (!dialog.inFlight || dialog.answered || cseqNumber(response.cseq) != dialog.flightCseq) {
    return;  // a retransmitted answer
  }
  dialog.answered = true;
  const bool ok = response.status < 300;
  if (dialog.load) {
    if (ok) {
      ++stats_.answered;
      stats_.answerLatency.push_back(now - dialog.sentAt);
    } else {
      ++stats_.refused;
      ++stats_.statuses[response.status];
      dialog.eventPending = false;  // a refused NOTIFY changes nothing: no event
    }
  } else if (ok && !dialog.active) {
    dialog.active = true;
    ++active_[key < options_.count ? 0 : 1];
    lastActiveAt_ = now;
  } else if (!ok) {
    ++initialFailures_;
  }
  finishIfDone(dialog);
}

void SwitchNotifier::onEvent(std::string_view name, std::uint32_t index,
                             std::optional<long> newMessages, Micros now) {
  if (index >= options_.count) return;
  Package package;
  if (name == "EventUserEvent") {
    package = Package::Mwi;
  } else if (name == "EventAgentNotReady" || name == "EventAgentReady") {
    package = Package::Presence;
  } else {
    return;  // registrations, logins and the like
  }
  Dialog& dialog = dialogs_[keyOf(package, index)];
  if (!dialog.inFlight || !dialog.load || !dialog.eventPending) {
    ++stats_.eventsUnexpected;
    return;
  }
  bool right;
  if (package == Package::Mwi) {
    right = newMessages && *newMessages == static_cast<long>(dialog.newMessages);
  } else {
    right = name == (dialog.busy ? "EventAgentNotReady" : "EventAgentReady");
  }
  dialog.eventPending = false;
  if (right) {
    ++stats_.eventsMatched;
    stats_.eventLatency.push_back(now - dialog.sentAt);
  } else {
    ++stats_.eventsWrong;
  }
  finishIfDone(dialog);
}

void SwitchNotifier::onTimers(Micros now) {
  while (!timers_.empty() && timers_.top().at <= now) {
    const Due due = timers_.top();
    timers_.pop();
    Dialog& dialog = dialogs_[due.key];
    if (!dialog.inFlight || dialog.answered || dialog.flightCseq != due.cseq) continue;
    if (now - dialog.sentAt >= kTimerF) {
      // Timer F: the transaction failed; the dialog takes the next NOTIFY.
      dialog.answered = true;
      dialog.eventPending = false;
      if (dialog.load) {
        ++stats_.timedOut;
      } else {
        ++initialFailures_;
      }
      finishIfDone(dialog);
      continue;
    }
    sendTo(dialog.wire, dialog.peer);
    if (dialog.load) ++stats_.retransmissions;
    dialog.interval = std::min(2 * dialog.interval, kT2);
    timers_.push(Due{now + dialog.interval, due.key, due.cseq});
  }
}

std::size_t SwitchNotifier::missingAnswers() const {
  return static_cast<std::size_t>(std::count_if(dialogs_.begin(), dialogs_.end(), [](auto& d) {
    return d.inFlight && d.load && !d.answered;
  }));
}

std::size_t SwitchNotifier::missingEvents() const {
  return static_cast<std::size_t>(std::count_if(dialogs_.begin(), dialogs_.end(), [](auto& d) {
    return d.inFlight && d.load && d.eventPending;
  }));
}

void SwitchNotifier::abandonFlights() {
  for (Dialog& dialog : dialogs_) {
    if (!dialog.inFlight || !dialog.load) continue;
    dialog.inFlight = false;
    dialog.load = false;
    dialog.eventPending = false;
    dialog.answered = true;
  }
  loadInFlight_ = 0;
}

}  // namespace ccsip::bench
