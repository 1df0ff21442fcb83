#include "app/reload_plan.h"

namespace ccsip::app {

namespace {

bool sameListen(const std::vector<config::ListenConfig>& a,
                const std::vector<config::ListenConfig>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].address != b[i].address || a[i].port != b[i].port ||
        a[i].transports != b[i].transports) {
      return false;
    }
  }
  return true;
}

bool sameTcpListen(const std::optional<config::TcpListenConfig>& a,
                   const std::optional<config::TcpListenConfig>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->address == b->address && a->port == b->port);
}

bool sameSwitch(const std::optional<config::SwitchConfig>& a,
                const std::optional<config::SwitchConfig>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->name == b->name && a->address == b->address && a->port == b->port &&
         a->transport == b->transport && a->trusted == b->trusted &&
         a->presence.event == b->presence.event && a->presence.expires == b->presence.expires &&
         a->presence.retry == b->presence.retry &&
         a->mwi.extensionEnable == b->mwi.extensionEnable && a->mwi.expires == b->mwi.expires &&
         a->mwi.retry == b->mwi.retry && a->optionsKeepalive == b->optionsKeepalive;
}

bool sameApplications(const std::vector<config::CtiApplicationConfig>& a,
                      const std::vector<config::CtiApplicationConfig>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].token != b[i].token) return false;
  }
  return true;
}

}  // namespace

ReloadPlan planReload(const config::Config& running, const config::Config& next) {
  ReloadPlan plan;
  auto restart = [&plan](bool same, const char* what) {
    if (!same) plan.needsRestart.emplace_back(what);
  };
  restart(sameListen(running.sip.listen, next.sip.listen), "sip.listen");
  restart(running.sip.domain == next.sip.domain, "sip.domain");
  restart(running.sip.timers.t1 == next.sip.timers.t1 &&
              running.sip.timers.t2 == next.sip.timers.t2 &&
              running.sip.timers.t4 == next.sip.timers.t4,
          "sip.timers");
  restart(running.sip.userAgent == next.sip.userAgent, "sip.user-agent");
  restart(running.registrar.realm == next.registrar.realm &&
              running.registrar.minExpires == next.registrar.minExpires &&
              running.registrar.maxExpires == next.registrar.maxExpires &&
              running.registrar.defaultExpires == next.registrar.defaultExpires &&
              running.registrar.nonceLifetime == next.registrar.nonceLifetime &&
              running.registrar.algorithms == next.registrar.algorithms,
          "registrar");
  restart(sameSwitch(running.pbx, next.pbx), "switch");
  restart(sameTcpListen(running.cti.listen, next.cti.listen) &&
              sameApplications(running.cti.applications, next.cti.applications) &&
              running.cti.maxQueue == next.cti.maxQueue &&
              running.cti.maxClients == next.cti.maxClients &&
              running.cti.openSessionTimeout == next.cti.openSessionTimeout,
          "cti");
  restart(sameTcpListen(running.http.listen, next.http.listen) &&
              running.http.webRoot == next.http.webRoot,
          "http");
  // Call control copies the application-wide no-answer default when it starts; DN and agent
  // no-answer options are the model's and reload live.
  restart(running.options.noAnswerTimeout == next.options.noAnswerTimeout,
          "options.no-answer-timeout");
  return plan;
}

}  // namespace ccsip::app
