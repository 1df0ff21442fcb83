#include "app/server.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "app/sip_options.h"
#include "control/overflow.h"
#include "model/spec_from_config.h"

namespace ccsip::app {

namespace {

sip::txn::TransactionLayerOptions layerOptions(const config::Config& config,
                                               sip::txn::RequestValidator& validator) {
  sip::txn::TransactionLayerOptions options;
  options.timers = timerOptions(config.sip.timers);
  options.validator = &validator;
  return options;
}

cti::CtiOptions ctiOptions(const config::CtiConfig& config) {
  cti::CtiOptions options;
  for (const auto& application : config.applications) {
    options.applicationTokens.push_back(application.token);
  }
  options.openSessionTimeout = config.openSessionTimeout;
  options.maxClients = config.maxClients;
  options.limits.maxQueueMessages = config.maxQueue;
  return options;
}

model::ModelOptions modelOptions(model::EventSink& sink, const model::WallClock& clock,
                                 model::ConnIdSource& connIds) {
  model::ModelOptions options;
  options.sink = &sink;
  options.clock = &clock;
  options.connIds = &connIds;
  return options;
}

routing::RouterOptions routerOptions(model::CallModel& model, util::TimerService& timers,
                                     routing::RouterPresence& presence,
                                     routing::RoutingHandler& handler) {
  routing::RouterOptions options;
  options.model = &model;
  options.timers = &timers;
  options.presence = &presence;
  options.handler = &handler;
  return options;
}

// The switch section as call-control options: the switch's own address and every
// switch.trusted block are trusted on any port.
control::CallControlOptions callControlOptions(const config::Config& config) {
  control::CallControlOptions options;
  options.noAnswerTimeout = config.options.noAnswerTimeout;
  options.noAnswer = control::noAnswerDefaultsFrom(config.options);
  options.makeCallFlow = config.options.makecallFlow;
  // Phones registered on ccsip: their AORs and the registrar's digest for their INVITEs.
  options.domain = config.sip.domain;
  const auto registrar = registrarOptions(config, {});
  options.phoneAuth.realm = registrar.realm.empty() ? registrar.domain : registrar.realm;
  options.phoneAuth.algorithms = registrar.algorithms;
  options.hasSwitch = config.pbx.has_value();
  if (!config.pbx) return options;
  const config::SwitchConfig& pbx = *config.pbx;
  options.switchHost = pbx.address.to_string();
  options.switchPort = pbx.port;
  options.switchTcp = pbx.transport == sip::transport::TransportKind::Tcp;
  options.trustedSources.push_back(sip::transport::Address{pbx.address, 0});
  options.trustedNetworks = pbx.trusted;
  return options;
}

// A bound, listening TCP acceptor for a `cti` / `http` listen entry.
util::Result<boost::asio::ip::tcp::acceptor> tcpAcceptor(boost::asio::io_context& io,
                                                         const config::TcpListenConfig& listen) {
  using boost::asio::ip::tcp;
  boost::system::error_code error;
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(listen.address, listen.port);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(tcp::acceptor::max_listen_connections, error);
  if (error) {
    return util::makeError(0, "cannot listen on " + listen.address.to_string() + ":" +
                                  std::to_string(listen.port) + ": " + error.message());
  }
  return acceptor;
}

BoundPort boundTcp(const boost::asio::ip::tcp::endpoint& endpoint, std::string service) {
  return BoundPort{sip::transport::TransportKind::Tcp,
                   sip::transport::Address{endpoint.address(), endpoint.port()},
                   std::move(service)};
}

// How an address appears as a URI host: IPv6 in brackets (RFC 3261 25.1 IPv6reference).
std::string uriHost(const boost::asio::ip::address& ip) {
  return ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string();
}

}  // namespace

Server::Server(boost::asio::io_context& io, const config::Config& config)
    : io_(io),
      config_(config),
      timers_(io),
      transport_(io, timers_),
      layer_(timers_, layerOptions(config_, validator_)),
      credentials_(config_.extensions),
      locations_(timers_, locationOptions(config_.registrar)),
      nonces_(timers_, nonceOptions(config_.registrar)),
      optionsResponder_(optionsResponderOptions(config_)),
      connIds_(model::ConnIdGenerator::fromSystem()),
      ctiCore_(model_),
      cti_(cti::CtiServerServices{timers_, ctiCore_, ctiCore_}, ctiOptions(config_.cti)),
      model_(modelOptions(cti_, clock_, connIds_)),
      callRouter_(routerOptions(model_, timers_, ctiCore_, routeAdapter_)),
      sipMetrics_(transport_, layer_),
      modelMetrics_(model_),
      admin_(config_, model_),
      ctiMetrics_(cti_) {
  layer_.setTransport(transport_);
  transport_.setSink(&layer_);
  routeAdapter_.setRouter(&callRouter_);
  ctiCore_.setRouter(&callRouter_);
  ctiCore_.setServer(&cti_);
  const model::ApplyReport report = model_.apply(model::specFromConfig(config_));
  for (const auto& warning : report.warnings) spdlog::warn("call model: {}", warning);
  metrics_.addSource(sipMetrics_);
  metrics_.addSource(modelMetrics_);
  metrics_.addSource(ctiMetrics_);
}

Server::~Server() {
  // The transport delivers into the layer: detach it before the members go.
  transport_.setSink(nullptr);
  // Calls end before the router and the model they report to.
  sessionGate_.setTarget(nullptr);
  ctiCore_.setCallControl(nullptr);
  callControl_.reset();
  cti_.close();
  if (http_) http_->close();
}

util::Result<std::vector<BoundPort>> Server::start() {
  std::vector<BoundPort> bound;
  std::vector<std::string> localHosts;
  for (const auto& listen : config_.sip.listen) {
    auto address = transport_.listen(listenOptions(listen));
    if (!address) {
      return util::makeError(0, "cannot listen on " + listen.address.to_string() + ":" +
                                    std::to_string(listen.port) + ": " + address.error().message);
    }
    for (auto kind : listen.transports) {
      bound.push_back(BoundPort{kind, *address, {}});
      spdlog::debug("bound {} {}", sip::transport::transportName(kind),
                    sip::transport::toString(*address));
    }
    // REGISTERs may address the server by IP ("sip:127.0.0.1:5060") rather than the domain.
    std::string host =
        address->ip.is_unspecified()
            ? uriHost(sip::transport::primaryInterfaceAddress(io_, address->ip.is_v6()))
            : uriHost(address->ip);
    if (std::find(localHosts.begin(), localHosts.end(), host) == localHosts.end()) {
      localHosts.push_back(host);
    }
  }

  registrar_ = std::make_unique<sip::dialog::Registrar>(registrarOptions(config_, localHosts),
                                                        locations_, nonces_, &credentials_);
  router_ = std::make_unique<RequestRouter>(*registrar_, optionsResponder_, kAllowedMethods);

  sip::dialog::UserAgentCoreOptions core;
  sip::transport::Address contact = transport_.localAddress(bound.front().kind);
  core.contact = "<sip:ccsip@" + uriHost(contact.ip) + ":" + std::to_string(contact.port) + ">";
  core.userAgent = config_.sip.userAgent;
  core.allow = kAllowedMethods;
  core.requests = router_.get();
  core.sessions = &sessionGate_;
  core_ = std::make_unique<sip::dialog::UserAgentCore>(layer_, timers_, std::move(core));
  layer_.setTransactionUser(*core_);
  sipMetrics_.setCore(core_.get());

  // Calls come from the switch (DESIGN.md "Call flows") and from phones registered on ccsip
  // (digest-authenticated like their REGISTERs), with or without a switch.
  {
    control::CallControlServices services;
    services.core = core_.get();
    services.model = &model_;
    services.router = &routeAdapter_;
    services.timers = &timers_;
    services.locations = &locations_;
    services.nonces = &nonces_;
    services.credentials = &credentials_;
    callControl_ = std::make_unique<control::CallControl>(services, callControlOptions(config_));
    sessionGate_.setTarget(callControl_.get());
    ctiCore_.setCallControl(callControl_.get());
    modelMetrics_.setCallControl(callControl_.get());
  }

  startPbx();

  if (config_.cti.listen) {
    auto acceptor = tcpAcceptor(io_, *config_.cti.listen);
    if (!acceptor) return acceptor.error();
    bound.push_back(boundTcp(acceptor->local_endpoint(), "cti"));
    cti_.adoptTcp(std::move(*acceptor));
  }
  if (config_.http.listen) {
    auto acceptor = tcpAcceptor(io_, *config_.http.listen);
    if (!acceptor) return acceptor.error();
    bound.push_back(boundTcp(acceptor->local_endpoint(), "http"));
    http::HttpOptions options;
    options.webRoot = config_.http.webRoot;
    http_ = std::make_unique<http::HttpServer>(http::HttpServerServices{&metrics_, &admin_, &cti_},
                                               std::move(options));
    metrics_.addSource(*http_);
    http_->adopt(std::move(*acceptor));
  }

  spdlog::info("domain {}, realm {}, {} extension(s)", config_.sip.domain, config_.registrar.realm,
               credentials_.size());
  return bound;
}

void Server::stop() {
  transport_.close();
  cti_.close();
  if (http_) http_->close();
}

// DESIGN.md "Asterisk integration": presence and MWI subscriptions to the switch, from the
// address the switch sees (chan_pjsip recognises ccsip by source address and port).
void Server::startPbx() {
  if (!config_.pbx) return;
  const sip::transport::Address local = transport_.localAddressFor(
      config_.pbx->transport, sip::transport::Address{config_.pbx->address, config_.pbx->port});
  const std::string hostPort = uriHost(local.ip) + ":" + std::to_string(local.port);
  pbx_ = std::make_unique<pbx::PbxMonitors>(pbx::PbxServices{core_.get(), &timers_, &model_},
                                            config_, hostPort);
  pbx_->start();
}

void Server::shutdown(std::function<void()> stopped) {
  // The seed: extension mailboxes are unsubscribed at shutdown; the final NOTIFYs are answered
  // while the transport is still open, for a bounded time.
  constexpr util::Duration kUnsubscribeLimit{2000};
  auto finish = [this, stopped = std::move(stopped)] {
    stop();
    if (stopped) stopped();
  };
  if (!pbx_) {
    finish();
    return;
  }
  pbx_->shutdown(kUnsubscribeLimit, std::move(finish));
}

}  // namespace ccsip::app
