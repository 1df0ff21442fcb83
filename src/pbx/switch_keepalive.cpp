#include "pbx/switch_keepalive.h"

#include <spdlog/spdlog.h>

#include "sip/txn/transaction_layer.h"

namespace ccsip::pbx {

SwitchKeepalive::SwitchKeepalive(sip::dialog::UserAgentCore& core, util::TimerService& timers,
                                 SwitchKeepaliveOptions options, SwitchRestartHandler& handler)
    : core_(core), timers_(timers), options_(std::move(options)), handler_(handler) {}

SwitchKeepalive::~SwitchKeepalive() {
  stop();
}

void SwitchKeepalive::start() {
  if (running_ || options_.interval.count() <= 0) return;
  running_ = true;
  send();
}

void SwitchKeepalive::stop() {
  running_ = false;
  if (timer_ != 0) timers_.cancel(timer_);
  timer_ = 0;
  if (inFlight_.valid()) inFlight_.detach();
  inFlight_ = {};
}

void SwitchKeepalive::scheduleNext() {
  if (!running_) return;
  timer_ = timers_.schedule(options_.interval, [this] {
    timer_ = 0;
    send();
  });
}

void SwitchKeepalive::send() {
  if (!running_) return;
  // One at a time: Timer F (32 s) outlasts a short interval; the next goes when this one ends.
  if (inFlight_.valid()) return;
  SwitchAddress plain = options_.target;
  plain.tcp = false;
  auto& random = core_.random();
  sip::Message options = sip::Message::makeRequest(sip::Method::Options, options_.target.uri(""));
  options.addHeader(sip::HeaderId::MaxForwards, "70");
  options.addHeader(sip::HeaderId::From, "<sip:" + options_.fromUser + "@" +
                                             options_.localHostPort + ">;tag=" + random.tag());
  options.addHeader(sip::HeaderId::To, "<" + plain.uri("") + ">");
  options.addHeader(sip::HeaderId::CallId, random.callId(options_.localHostPort));
  options.addHeader(sip::HeaderId::CSeq, std::to_string(++cseq_) + " OPTIONS");
  options.addHeader(sip::HeaderId::Accept, "application/sdp");
  if (!core_.options().userAgent.empty()) {
    options.addHeader(sip::HeaderId::UserAgent, core_.options().userAgent);
  }
  auto hop = core_.nextHopOf(options);
  if (hop) inFlight_ = core_.layer().sendRequest(std::move(options), *hop, *this);
  if (!inFlight_.valid()) {
    unanswered();
    scheduleNext();
  }
}

void SwitchKeepalive::onResponse(const sip::txn::ClientTransactionHandle& txn,
                                 const sip::Message& response) {
  if (txn != inFlight_ || response.statusCode() < 200) return;
  inFlight_ = {};
  answered(response.statusCode());
  scheduleNext();
}

void SwitchKeepalive::onTimeout(const sip::txn::ClientTransactionHandle& txn) {
  if (txn != inFlight_) return;
  inFlight_ = {};
  unanswered();
  scheduleNext();
}

void SwitchKeepalive::onTransportError(const sip::txn::ClientTransactionHandle& txn) {
  onTimeout(txn);
}

void SwitchKeepalive::answered(int status) {
  const bool recovered = lost_;
  const bool changed = lastStatus_ && *lastStatus_ != status;
  lost_ = false;
  lastStatus_ = status;
  if (recovered || changed) {
    spdlog::warn("switch {}:{} answers OPTIONS again ({}{}): re-creating every subscription",
                 options_.target.host, options_.target.port, status,
                 changed ? ", another status than before" : "");
    handler_.onSwitchRestarted();
  }
}

void SwitchKeepalive::unanswered() {
  if (!lost_) {
    spdlog::warn("switch {}:{} does not answer OPTIONS", options_.target.host,
                 options_.target.port);
  }
  lost_ = true;
}

}  // namespace ccsip::pbx
