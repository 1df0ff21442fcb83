#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "app/app_sources.h"
#include "app/cti_core.h"
#include "app/port_file.h"
#include "app/reload_plan.h"
#include "app/request_router.h"
#include "app/route_adapter.h"
#include "config/config.h"
#include "config/extension_credentials.h"
#include "control/call_control.h"
#include "cti/cti_server.h"
#include "http/cti_metrics.h"
#include "http/http_server.h"
#include "http/metrics.h"
#include "model/clock.h"
#include "model/conn_id.h"
#include "model/model.h"
#include "pbx/pbx_monitors.h"
#include "routing/router.h"
#include "sip/dialog/location_table.h"
#include "sip/dialog/nonce_manager.h"
#include "sip/dialog/options_responder.h"
#include "sip/dialog/registrar.h"
#include "sip/dialog/user_agent_core.h"
#include "sip/transport/transport_manager.h"
#include "sip/txn/request_validator.h"
#include "sip/txn/transaction_layer.h"
#include "util/asio_timer_service.h"
#include "util/result.h"

namespace ccsip::app {

// The SIP server of one configuration, wired bottom-up on one io_context:
//   TransportManager (UDP + TCP listeners)
//     -> TransactionLayer (RFC 3261 17), with PolicyRequestValidator (RFC 3261 8.2 checks)
//       -> UserAgentCore (dialogs; INVITE answered 480 until the call model lands)
//         -> RequestRouter -> Registrar (+ LocationTable, NonceManager, the extensions'
//            credentials) and OptionsResponder;
//         -> CallControl (INVITEs from the switch to routing points and from phones registered
//            on ccsip, B2BUA to the agents and between phones)
//            -> RouteAdapter -> Router (embedded strategies, queues, RouteCall).
// The CallModel (built from the configuration) reports every TEvent to the CtiServer (TCP
// listener of `cti`, WebSocket /cti of the `http` listener); CtiCore carries out the requests.
class Server {
 public:
  Server(boost::asio::io_context& io, const config::Config& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listen entry; returns what was bound (actual ports when 0 was asked).
  util::Result<std::vector<BoundPort>> start();
  // Stops listening and closes every connection; the io_context may then be stopped.
  void stop();
  // SIGTERM: unsubscribes from the switch (extension mailboxes, presence; at most a few
  // seconds), then stop(), then `stopped`.
  void shutdown(std::function<void()> stopped);

  // SIGHUP: takes the parts of `next` that apply while calls go on (app/reload_plan.h) and
  // keeps running on the rest; the outcome says what changed and what waits for a restart.
  struct ReloadOutcome {
    ReloadPlan plan;
    model::ApplyReport model;
  };
  ReloadOutcome reload(const config::Config& next);

  // The call model (tests, admin).
  const model::CallModel& model() const { return model_; }

 private:
  boost::asio::io_context& io_;
  config::Config config_;
  util::AsioTimerService timers_;
  sip::transport::TransportManager transport_;
  sip::txn::PolicyRequestValidator validator_;
  sip::txn::TransactionLayer layer_;
  config::ExtensionCredentialStore credentials_;
  sip::dialog::LocationTable locations_;
  sip::dialog::NonceManager nonces_;
  sip::dialog::OptionsResponder optionsResponder_;
  // The call model and the layers above it. Declaration order is construction order: each
  // member only stores references to the ones it is wired with (setters close the cycles).
  model::SystemWallClock clock_;
  model::ConnIdGenerator connIds_;
  RouteAdapter routeAdapter_;
  CtiCore ctiCore_;
  cti::CtiServer cti_;
  model::CallModel model_;
  routing::Router callRouter_;
  SessionGate sessionGate_;
  std::unique_ptr<control::CallControl> callControl_;
  http::MetricsRegistry metrics_;
  SipMetrics sipMetrics_;
  ModelMetrics modelMetrics_;
  ModelAdmin admin_;
  http::CtiMetrics ctiMetrics_;
  std::unique_ptr<http::HttpServer> http_;
  // Built by start(), once the bound addresses (Contact, the registrar's local hosts) are known.
  std::unique_ptr<sip::dialog::Registrar> registrar_;
  std::unique_ptr<RequestRouter> router_;
  std::unique_ptr<sip::dialog::UserAgentCore> core_;
  // The Asterisk monitors (only with a `switch` section); after core_: gone before it.
  std::unique_ptr<pbx::PbxMonitors> pbx_;
  void startPbx();
};

}  // namespace ccsip::app
