#include "app/sip_options.h"

#include <algorithm>

namespace ccsip::app {

namespace {

sip::dialog::DigestAlgorithm toDigest(config::DigestAlgorithm algorithm) {
  switch (algorithm) {
    case config::DigestAlgorithm::Sha256:
      return sip::dialog::DigestAlgorithm::Sha256;
    case config::DigestAlgorithm::Md5:
      return sip::dialog::DigestAlgorithm::Md5;
  }
  return sip::dialog::DigestAlgorithm::Md5;
}

}  // namespace

sip::txn::TimerOptions timerOptions(const config::SipTimersConfig& timers) {
  sip::txn::TimerOptions options;
  options.t1 = timers.t1;
  options.t2 = timers.t2;
  options.t4 = timers.t4;
  // RFC 3261 17.1.1.2: Timer D is at least 32 s over UDP; it follows T1 when T1 is raised.
  options.timerD = std::max(options.timerD, 64 * timers.t1);
  return options;
}

sip::transport::ListenOptions listenOptions(const config::ListenConfig& listen) {
  sip::transport::ListenOptions options;
  options.address = sip::transport::Address{listen.address, listen.port};
  options.udp = false;
  options.tcp = false;
  for (auto kind : listen.transports) {
    if (kind == sip::transport::TransportKind::Udp) options.udp = true;
    if (kind == sip::transport::TransportKind::Tcp) options.tcp = true;
  }
  return options;
}

sip::dialog::LocationOptions locationOptions(const config::RegistrarConfig& registrar) {
  sip::dialog::LocationOptions options;
  options.defaultExpires = std::chrono::seconds(registrar.defaultExpires);
  options.minExpires = std::chrono::seconds(registrar.minExpires);
  options.maxExpires = std::chrono::seconds(registrar.maxExpires);
  return options;
}

sip::dialog::NonceOptions nonceOptions(const config::RegistrarConfig& registrar) {
  sip::dialog::NonceOptions options;
  options.lifetime = registrar.nonceLifetime;
  return options;
}

sip::dialog::RegistrarOptions registrarOptions(const config::Config& config,
                                               std::vector<std::string> localHosts) {
  sip::dialog::RegistrarOptions options;
  options.domain = config.sip.domain;
  options.localHosts = std::move(localHosts);
  options.realm = config.registrar.realm;
  options.algorithms.clear();
  for (auto algorithm : config.registrar.algorithms) {
    options.algorithms.push_back(toDigest(algorithm));
  }
  options.server = config.sip.userAgent;
  return options;
}

sip::dialog::OptionsResponderOptions optionsResponderOptions(const config::Config& config) {
  sip::dialog::OptionsResponderOptions options;
  options.server = config.sip.userAgent;
  options.allow = {"INVITE",   "ACK",       "CANCEL", "BYE",    "OPTIONS",
                   "REGISTER", "SUBSCRIBE", "NOTIFY", "UPDATE", "INFO"};
  // No event package is served as notifier yet (SUBSCRIBE gets 489): advertise none.
  options.allowEvents.clear();
  return options;
}

}  // namespace ccsip::app
