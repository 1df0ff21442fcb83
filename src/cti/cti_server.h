#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json/object.hpp>

#include "cti/client_connection.h"
#include "cti/codec.h"
#include "cti/cti_options.h"
#include "cti/dn_directory.h"
#include "cti/event_routes.h"
#include "cti/request_handler.h"
#include "cti/upgrade_request.h"
#include "model/event.h"
#include "util/accept_loop.h"
#include "util/timer_service.h"

namespace ccsip::cti {

// What the server works with; all must outlive it.
struct CtiServerServices {
  util::TimerService& timers;  // OpenSession timeout, accept retries
  RequestHandler& handler;
  const DnDirectory& directory;
};

// Makes the transport of a new client from its id, the owner it reports to and its limits.
using ConnectionFactory = std::function<std::shared_ptr<ClientConnection>(
    ClientId, ConnectionOwner&, const ConnectionLimits&)>;

// A read-only view of one client, for the admin API and tests.
struct ClientInfo {
  ClientId id = 0;
  std::string transport;  // "tcp" / "websocket"
  std::string remote;
  std::string applicationName;
  bool authenticated = false;
  std::vector<std::string> dns;
  std::string agentId;
  std::size_t queuedBytes = 0;
};

// The CTI server (docs/protocol.md): accepts clients on raw TCP (newline-delimited JSON) and on
// WebSocket connections handed over by the HTTP server, checks every request (framing, JSON,
// request table, authentication, DN scoping) and answers what it can judge itself with
// EventError; passes valid requests to the RequestHandler; routes the model's TEvents to the
// clients entitled to them.
//
// Agent binding: an AgentLogin the client sends is remembered (agentId + referenceId); the
// model's EventAgentLogin with that agentId and referenceId binds the client to the agent
// before the event is routed, so the client sees it and everything after it. EventAgentLogout
// unbinds every client of the agent after it is routed (they see the logout). bindAgent /
// unbindAgent do the same for logins the core makes on its own.
//
// Single-threaded: every call on the io_context's thread. Never blocks: a client whose send
// queue overflows is disconnected.
class CtiServer final : public model::EventSink,
                        private ConnectionOwner,
                        private util::AcceptHandler {
 public:
  CtiServer(const CtiServerServices& services, CtiOptions options);
  ~CtiServer() override;
  CtiServer(const CtiServer&) = delete;
  CtiServer& operator=(const CtiServer&) = delete;

  // Takes an open, bound, listening acceptor and accepts newline-delimited JSON clients on it.
  void adoptTcp(boost::asio::ip::tcp::acceptor acceptor);
  // A WebSocket upgrade request read by the HTTP server on `/cti`; completes the handshake.
  void acceptWebSocket(boost::asio::ip::tcp::socket socket, UpgradeRequest request);
  // Admits a client on any transport (TCP and WebSocket come this way; tests and the fuzz
  // target bring in-memory connections) and starts it. nullopt, and nothing is made, when
  // maxClients are connected (or `make` returns null). `transport` names it in the log.
  std::optional<ClientId> addConnection(std::string_view transport, const ConnectionFactory& make);

  // model::EventSink: routes to clients registered on event.dns and bound to event.agentId.
  void onEvent(const model::TEvent& event) override;

  // A private answer to one client (e.g. a query result). False when it is gone.
  bool sendTo(ClientId client, const model::TEvent& event);
  bool sendError(ClientId client, const util::Error& error, std::optional<ReferenceId> referenceId);

  void bindAgent(ClientId client, std::string_view agentId);
  void unbindAgent(ClientId client);

  // True when some client registered the DN (a router on a routing point).
  bool isRegistered(std::string_view dn) const { return !routes_.clientsOnDn(dn).empty(); }
  const std::vector<ClientId>& clientsOnDn(std::string_view dn) const {
    return routes_.clientsOnDn(dn);
  }

  // Closes one client (reported to the handler's onClientClosed later).
  bool disconnect(ClientId client);
  // Stops accepting and drops every client without callbacks. Safe inside a handler.
  void close();

  std::size_t clientCount() const { return clients_.size(); }
  std::optional<ClientInfo> clientInfo(ClientId client) const;
  std::vector<ClientInfo> clients() const;
  const CtiCounters& counters() const { return counters_; }
  const CtiOptions& options() const { return options_; }
  // Bound addresses of the adopted TCP acceptors.
  std::vector<boost::asio::ip::tcp::endpoint> tcpEndpoints() const;

 private:
  struct Session {
    std::shared_ptr<ClientConnection> connection;
    bool authenticated = false;
    std::string applicationName;
    util::TimerId authTimer = 0;
    // The last AgentLogin passed to the core, until its EventAgentLogin binds the agent.
    std::optional<std::pair<std::string, ReferenceId>> pendingLogin;
  };
  // util::AcceptHandler: a client on an adopted TCP acceptor.
  void onAccepted(boost::asio::ip::tcp::socket socket) override;
  ClientId nextId() { return nextId_++; }
  // The private base, for connections (make_shared cannot see the conversion).
  ConnectionOwner& owner() { return *this; }

  // ConnectionOwner
  void onMessage(ClientId client, std::string_view text) override;
  void onMessageTooLarge(ClientId client) override;
  void onClosed(ClientId client, CloseReason reason, std::string_view detail) override;

  void handleRequest(ClientId client, Session& session, const boost::json::object& request,
                     const RequestSpec& spec, ReferenceId referenceId);
  void openSession(ClientId client, Session& session, const boost::json::object& request,
                   ReferenceId referenceId);
  void registerAddress(ClientId client, std::string_view dn, ReferenceId referenceId);
  void unregisterAddress(ClientId client, std::string_view dn, ReferenceId referenceId);
  bool tokenAccepted(std::string_view token) const;
  bool send(ClientId client, std::string text);
  void reply(ClientId client, std::string_view event, boost::json::object fields);
  void rejectRequest(ClientId client, const util::Error& error,
                     std::optional<ReferenceId> referenceId);
  void bindPendingLogin(const model::TEvent& event);

  util::TimerService& timers_;
  RequestHandler& handler_;
  const DnDirectory& directory_;
  CtiOptions options_;
  CtiCounters counters_;
  EventRoutes routes_;
  std::unordered_map<ClientId, Session> clients_;
  std::vector<std::unique_ptr<util::AcceptLoop>> acceptors_;
  std::vector<ClientId> scratch_;  // recipients of the event being routed
  ClientId nextId_ = 1;
};

}  // namespace ccsip::cti
