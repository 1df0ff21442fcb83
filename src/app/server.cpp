#include "app/server.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "app/sip_options.h"

namespace ccsip::app {

namespace {

sip::txn::TransactionLayerOptions layerOptions(const config::Config& config,
                                               sip::txn::RequestValidator& validator) {
  sip::txn::TransactionLayerOptions options;
  options.timers = timerOptions(config.sip.timers);
  options.validator = &validator;
  return options;
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
      optionsResponder_(optionsResponderOptions(config_)) {
  layer_.setTransport(transport_);
  transport_.setSink(&layer_);
}

Server::~Server() {
  // The transport delivers into the layer: detach it before the members go.
  transport_.setSink(nullptr);
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
      bound.push_back(BoundPort{kind, *address});
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
  core_ = std::make_unique<sip::dialog::UserAgentCore>(layer_, timers_, std::move(core));
  layer_.setTransactionUser(*core_);

  spdlog::info("domain {}, realm {}, {} extension(s)", config_.sip.domain, config_.registrar.realm,
               credentials_.size());
  return bound;
}

void Server::stop() {
  transport_.close();
}

}  // namespace ccsip::app
