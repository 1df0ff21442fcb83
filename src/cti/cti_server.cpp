#include "cti/cti_server.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "cti/tcp_client_connection.h"
#include "cti/websocket_client_connection.h"

namespace ccsip::cti {

namespace json = boost::json;
using model::ErrorCode;

namespace {

constexpr std::string_view kEventAgentLogin = "EventAgentLogin";
constexpr std::string_view kEventAgentLogout = "EventAgentLogout";
// After a failed accept (EMFILE...), wait before the next one instead of spinning.
constexpr util::Duration kAcceptRetry{100};
// An unknown request name is echoed in the error, cut to at most this many bytes.
constexpr std::size_t kMaxEchoedName = 64;

// Comparing tokens in constant time, so the time to reject does not tell how much matched.
bool sameToken(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::optional<ReferenceId> eventReferenceId(const model::TEvent& event) {
  const auto* value = event.fields.if_contains("referenceId");
  if (value == nullptr || !value->is_int64()) return std::nullopt;
  return value->get_int64();
}

std::string_view eventAgentId(const model::TEvent& event) {
  if (!event.agentId.empty()) return event.agentId;
  const auto* value = event.fields.if_contains("agentId");
  if (value == nullptr || !value->is_string()) return {};
  return std::string_view(value->get_string().data(), value->get_string().size());
}

std::string_view stringField(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string_view(value->get_string().data(), value->get_string().size());
}

}  // namespace

CtiServer::CtiServer(const CtiServerServices& services, CtiOptions options)
    : timers_(services.timers),
      handler_(services.handler),
      directory_(services.directory),
      options_(std::move(options)) {
  if (options_.applicationTokens.empty()) {
    spdlog::warn("CTI: no application tokens configured, OpenSession accepts any token");
  }
}

CtiServer::~CtiServer() {
  close();
}

void CtiServer::adoptTcp(boost::asio::ip::tcp::acceptor acceptor) {
  acceptors_.push_back(std::make_unique<util::AcceptLoop>(
      std::move(acceptor), static_cast<util::AcceptHandler&>(*this),
      util::AcceptLoopOptions{.name = "CTI", .retryDelay = kAcceptRetry, .timers = &timers_}));
  acceptors_.back()->start();
}

void CtiServer::onAccepted(boost::asio::ip::tcp::socket socket) {
  addConnection(
      "TCP", [&socket](ClientId id, ConnectionOwner& owner, const ConnectionLimits& limits) {
        return std::make_shared<TcpClientConnection>(id, owner, limits, std::move(socket));
      });
  // A refused socket is closed when it goes out of scope here.
}

void CtiServer::acceptWebSocket(boost::asio::ip::tcp::socket socket, UpgradeRequest request) {
  addConnection("WebSocket", [&socket, &request](ClientId id, ConnectionOwner& owner,
                                                 const ConnectionLimits& limits) {
    return std::make_shared<WebSocketClientConnection>(id, owner, limits, std::move(socket),
                                                       std::move(request));
  });
}

std::optional<ClientId> CtiServer::addConnection(std::string_view transport,
                                                 const ConnectionFactory& make) {
  if (clients_.size() >= options_.maxClients) {
    ++counters_.clientsRejected;
    spdlog::warn("CTI: refusing a {} client: {} clients already", transport, clients_.size());
    return std::nullopt;
  }
  auto connection = make(nextId(), owner(), options_.limits);
  if (!connection) return std::nullopt;
  const ClientId id = connection->id();
  ++counters_.clientsAccepted;
  auto& session = clients_[id];
  session.connection = connection;
  if (options_.openSessionTimeout.count() > 0) {
    session.authTimer = timers_.schedule(
        std::chrono::duration_cast<util::Duration>(options_.openSessionTimeout), [this, id] {
          const auto it = clients_.find(id);
          if (it == clients_.end()) return;
          it->second.authTimer = 0;
          if (!it->second.authenticated) it->second.connection->close(CloseReason::AuthTimeout);
        });
  }
  spdlog::info("CTI client {} connected ({} {})", id, connection->transportName(),
               connection->remote());
  connection->start();
  return id;
}

void CtiServer::onEvent(const model::TEvent& event) {
  ++counters_.eventsIn;
  if (event.name == kEventAgentLogin) bindPendingLogin(event);
  const std::string_view agentId = eventAgentId(event);
  routes_.recipients(event.dns, agentId, scratch_);
  std::shared_ptr<const std::string> text;
  for (const ClientId id : scratch_) {
    const auto it = clients_.find(id);
    if (it == clients_.end() || !it->second.authenticated) continue;
    // Serialized once, shared by every recipient's queue.
    if (!text) text = std::make_shared<const std::string>(eventText(event));
    if (it->second.connection->send(text)) ++counters_.messagesSent;
  }
  if (!text) ++counters_.eventsUnrouted;
  if (event.name == kEventAgentLogout && !agentId.empty()) routes_.unbindAllOf(agentId);
}

void CtiServer::bindPendingLogin(const model::TEvent& event) {
  const std::string_view agentId = eventAgentId(event);
  const auto referenceId = eventReferenceId(event);
  if (agentId.empty() || !referenceId) return;
  const auto bindIfPending = [&](ClientId id, Session& session) {
    if (!session.pendingLogin || session.pendingLogin->first != agentId ||
        session.pendingLogin->second != *referenceId) {
      return false;
    }
    session.pendingLogin.reset();
    routes_.bindAgent(id, agentId);
    spdlog::info("CTI client {} is agent {}", id, agentId);
    return true;
  };
  // The request needed its thisDN registered by the client, and the login event is normally
  // reported on that DN: look at the clients of the event's DNs first.
  bool bound = false;
  for (const auto& dn : event.dns) {
    for (const ClientId id : routes_.clientsOnDn(dn)) bound |= bindIfPending(id, clients_.at(id));
  }
  if (bound) return;
  for (auto& [id, session] : clients_) bindIfPending(id, session);
}

bool CtiServer::sendTo(ClientId client, const model::TEvent& event) {
  return send(client, eventText(event));
}

bool CtiServer::sendError(ClientId client, const util::Error& error,
                          std::optional<ReferenceId> referenceId) {
  ++counters_.requestsRejected;
  return send(client, errorEventText(error, referenceId));
}

void CtiServer::bindAgent(ClientId client, std::string_view agentId) {
  if (clients_.contains(client)) routes_.bindAgent(client, agentId);
}

void CtiServer::unbindAgent(ClientId client) {
  routes_.unbindAgent(client);
}

bool CtiServer::disconnect(ClientId client) {
  const auto it = clients_.find(client);
  if (it == clients_.end() || !it->second.connection->open()) return false;
  it->second.connection->close(CloseReason::ServerClosed);
  return true;
}

void CtiServer::close() {
  for (auto& acceptor : acceptors_) acceptor->close();
  for (auto& [id, session] : clients_) {
    if (session.authTimer != 0) timers_.cancel(session.authTimer);
    session.connection->detach();
  }
  clients_.clear();
  routes_ = EventRoutes{};
}

std::optional<ClientInfo> CtiServer::clientInfo(ClientId client) const {
  const auto it = clients_.find(client);
  if (it == clients_.end()) return std::nullopt;
  const auto& session = it->second;
  ClientInfo info;
  info.id = client;
  info.transport = std::string(session.connection->transportName());
  info.remote = session.connection->remote();
  info.applicationName = session.applicationName;
  info.authenticated = session.authenticated;
  info.dns = routes_.dnsOf(client);
  info.agentId = std::string(routes_.agentOf(client));
  info.queuedBytes = session.connection->queuedBytes();
  return info;
}

std::vector<ClientInfo> CtiServer::clients() const {
  std::vector<ClientInfo> out;
  out.reserve(clients_.size());
  for (const auto& entry : clients_) out.push_back(*clientInfo(entry.first));
  std::sort(out.begin(), out.end(),
            [](const ClientInfo& a, const ClientInfo& b) { return a.id < b.id; });
  return out;
}

std::vector<boost::asio::ip::tcp::endpoint> CtiServer::tcpEndpoints() const {
  std::vector<boost::asio::ip::tcp::endpoint> out;
  for (const auto& acceptor : acceptors_) {
    if (const auto endpoint = acceptor->localEndpoint()) out.push_back(*endpoint);
  }
  return out;
}

void CtiServer::onMessage(ClientId client, std::string_view text) {
  const auto it = clients_.find(client);
  if (it == clients_.end()) return;
  ++counters_.requestsReceived;
  auto parsed = parseMessage(text, options_.limits.maxMessageBytes);
  if (!parsed) return rejectRequest(client, parsed.error(), std::nullopt);
  const json::object& request = *parsed;
  const auto referenceId = readReferenceId(request);
  if (!referenceId) return rejectRequest(client, referenceId.error(), std::nullopt);
  const auto name = readRequestName(request);
  if (!name) return rejectRequest(client, name.error(), *referenceId);
  // Before the name is looked up: a client without a session learns nothing of the protocol.
  if (!it->second.authenticated && *name != kOpenSession) {
    return rejectRequest(client, model::makeError(ErrorCode::NotAuthenticated, "send OpenSession"),
                         *referenceId);
  }
  const RequestSpec* spec = findRequest(*name);
  if (spec == nullptr) {
    return rejectRequest(
        client, model::makeError(ErrorCode::UnknownRequest, utf8Prefix(*name, kMaxEchoedName)),
        *referenceId);
  }
  if (auto checked = checkFields(request, *spec); !checked) {
    return rejectRequest(client, checked.error(), *referenceId);
  }
  handleRequest(client, it->second, request, *spec, *referenceId);
}

void CtiServer::handleRequest(ClientId client, Session& session, const json::object& request,
                              const RequestSpec& spec, ReferenceId referenceId) {
  if (spec.name == kOpenSession) return openSession(client, session, request, referenceId);
  const std::string_view dn = stringField(request, "thisDN");
  if (spec.name == kRegisterAddress) return registerAddress(client, dn, referenceId);
  if (spec.name == kUnregisterAddress) return unregisterAddress(client, dn, referenceId);
  // Scoping: a client acts only on the DNs it registered (RegisterAddress is the way in).
  if (request.contains("thisDN") && !routes_.hasDn(client, dn)) {
    return rejectRequest(client, model::makeError(ErrorCode::DnNotRegistered, dn), referenceId);
  }
  if (spec.name == kAgentLogin) {
    session.pendingLogin.emplace(std::string(stringField(request, "agentId")), referenceId);
  }
  // `session` may not survive the handler (it may close the server): look it up again.
  auto status = handler_.onRequest(client, request);
  if (status) return;
  if (spec.name == kAgentLogin) {
    const auto it = clients_.find(client);
    if (it != clients_.end()) it->second.pendingLogin.reset();
  }
  rejectRequest(client, status.error(), referenceId);
}

void CtiServer::openSession(ClientId client, Session& session, const json::object& request,
                            ReferenceId referenceId) {
  if (!tokenAccepted(stringField(request, "applicationToken"))) {
    spdlog::warn("CTI client {} ({}): OpenSession with a wrong token", client,
                 session.connection->remote());
    return rejectRequest(client, model::makeError(ErrorCode::AuthenticationFailed), referenceId);
  }
  session.authenticated = true;
  session.applicationName = std::string(stringField(request, "applicationName"));
  if (session.authTimer != 0) {
    timers_.cancel(session.authTimer);
    session.authTimer = 0;
  }
  reply(client, "EventAck",
        json::object{{"referenceId", referenceId},
                     {"request", kOpenSession},
                     {"clientId", client},
                     {"protocolVersion", 1}});
}

void CtiServer::registerAddress(ClientId client, std::string_view dn, ReferenceId referenceId) {
  if (!directory_.hasDn(dn)) {
    return rejectRequest(client, model::makeError(ErrorCode::UnknownDn, dn), referenceId);
  }
  routes_.addDn(client, dn);  // registering twice is not an error: the answer is the same
  reply(client, "EventRegistered", json::object{{"thisDN", dn}, {"referenceId", referenceId}});
}

void CtiServer::unregisterAddress(ClientId client, std::string_view dn, ReferenceId referenceId) {
  if (!routes_.removeDn(client, dn)) {
    return rejectRequest(client, model::makeError(ErrorCode::DnNotRegistered, dn), referenceId);
  }
  reply(client, "EventUnregistered", json::object{{"thisDN", dn}, {"referenceId", referenceId}});
}

bool CtiServer::tokenAccepted(std::string_view token) const {
  if (options_.applicationTokens.empty()) return true;
  bool accepted = false;
  // Every token is compared, so the time does not tell which one matched.
  for (const auto& candidate : options_.applicationTokens) accepted |= sameToken(candidate, token);
  return accepted;
}

bool CtiServer::send(ClientId client, std::string text) {
  const auto it = clients_.find(client);
  if (it == clients_.end()) return false;
  if (!it->second.connection->send(std::make_shared<const std::string>(std::move(text)))) {
    return false;
  }
  ++counters_.messagesSent;
  return true;
}

void CtiServer::reply(ClientId client, std::string_view event, json::object fields) {
  send(client, eventText(event, fields));
}

void CtiServer::rejectRequest(ClientId client, const util::Error& error,
                              std::optional<ReferenceId> referenceId) {
  spdlog::debug("CTI client {}: EventError {} {}", client, error.code, error.message);
  sendError(client, error, referenceId);
}

void CtiServer::onMessageTooLarge(ClientId client) {
  ++counters_.requestsReceived;
  rejectRequest(
      client,
      model::makeError(ErrorCode::MessageTooLarge,
                       "limit " + std::to_string(options_.limits.maxMessageBytes) + " bytes"),
      std::nullopt);
}

void CtiServer::onClosed(ClientId client, CloseReason reason, std::string_view detail) {
  const auto it = clients_.find(client);
  if (it == clients_.end()) return;
  const auto& connection = *it->second.connection;
  if (reason == CloseReason::QueueOverflow) {
    ++counters_.overflowDisconnects;
    spdlog::warn("CTI client {} ({} {}) disconnected: {} ({})", client, connection.transportName(),
                 connection.remote(), toString(reason), detail);
  } else {
    spdlog::info("CTI client {} ({} {}) closed: {}{}{}", client, connection.transportName(),
                 connection.remote(), toString(reason), detail.empty() ? "" : ": ", detail);
  }
  ++counters_.clientsClosed;
  const bool authenticated = it->second.authenticated;
  if (it->second.authTimer != 0) timers_.cancel(it->second.authTimer);
  routes_.removeClient(client);
  clients_.erase(it);
  if (authenticated) handler_.onClientClosed(client);
}

}  // namespace ccsip::cti
