#include "cti/cti_server.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/beast/http/read.hpp>

#include "cti_test_support.h"
#include "util/timer_service.h"

namespace ccsip::cti {
namespace {

using namespace test;
using model::ErrorCode;
using model::toInt;

constexpr const char* kToken = "secret";

class CtiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(options()); }

  static CtiOptions options() {
    CtiOptions options;
    options.applicationTokens = {"other", kToken};
    return options;
  }

  void start(const CtiOptions& options) {
    server_.reset();
    server_ =
        std::make_unique<CtiServer>(CtiServerServices{timers_, handler_, directory_}, options);
    server_->adoptTcp(listenLoopback(io_));
    endpoint_ = server_->tcpEndpoints().at(0);
  }

  std::unique_ptr<LineClient> connect() {
    auto client = std::make_unique<LineClient>(io_);
    EXPECT_TRUE(client->connect(endpoint_));
    client->startReading();
    return client;
  }

  bool waitEvents(const LineClient& client, std::size_t count) {
    return runUntil(io_, [&] { return client.eventCount() >= count; });
  }

  // A client with an open session (its EventAck already received).
  std::unique_ptr<LineClient> openClient(std::vector<std::string> dns = {}) {
    auto client = connect();
    client->send(request("OpenSession", 1, {{"applicationToken", kToken}}));
    std::size_t expected = 1;
    for (const auto& dn : dns) {
      client->send(request("RegisterAddress", 2, {{"thisDN", dn}}));
      ++expected;
    }
    EXPECT_TRUE(waitEvents(*client, expected));
    client->clear();
    return client;
  }

  // The last event received by `client`, once it has `count` events.
  json::object nth(const LineClient& client, std::size_t index) {
    EXPECT_TRUE(waitEvents(client, index + 1));
    const auto events = client.events();
    return index < events.size() ? events[index] : json::object{};
  }

  static model::TEvent event(std::string name, std::vector<std::string> dns,
                             std::string agentId = {}, json::object fields = {}) {
    model::TEvent e;
    e.name = std::move(name);
    e.dns = std::move(dns);
    e.agentId = std::move(agentId);
    e.fields = std::move(fields);
    return e;
  }

  ClientId lastClientId() const {
    const auto clients = server_->clients();
    return clients.empty() ? 0 : clients.back().id;
  }

  boost::asio::io_context io_;
  util::ManualTimerService timers_;
  FakeHandler handler_;
  FakeDirectory directory_;
  tcp::endpoint endpoint_;
  std::unique_ptr<CtiServer> server_;
};

void expectError(const json::object& event, ErrorCode code, std::optional<std::int64_t> ref) {
  EXPECT_EQ(event.contains("event") ? event.at("event").as_string() : "", "EventError")
      << json::serialize(event);
  EXPECT_EQ(event.contains("errorCode") ? event.at("errorCode").as_int64() : -1, toInt(code))
      << json::serialize(event);
  EXPECT_TRUE(event.contains("errorMessage"));
  if (ref) {
    EXPECT_EQ(event.contains("referenceId") ? event.at("referenceId").as_int64() : -1, *ref);
  } else {
    EXPECT_FALSE(event.contains("referenceId")) << json::serialize(event);
  }
}

TEST_F(CtiServerTest, OpenSessionComesFirst) {
  auto client = connect();
  client->send(request("RegisterAddress", 5, {{"thisDN", "1000"}}));
  expectError(nth(*client, 0), ErrorCode::NotAuthenticated, 5);
  // Even an unknown request: nothing about the protocol before authentication.
  client->send(request("NoSuchRequest", 6));
  expectError(nth(*client, 1), ErrorCode::NotAuthenticated, 6);
  client->send(request("OpenSession", 7, {{"applicationToken", "wrong"}}));
  expectError(nth(*client, 2), ErrorCode::AuthenticationFailed, 7);
  client->send(
      request("OpenSession", 8, {{"applicationToken", kToken}, {"applicationName", "desktop"}}));
  const auto ack = nth(*client, 3);
  EXPECT_EQ(ack.at("event").as_string(), "EventAck");
  EXPECT_EQ(ack.at("referenceId").as_int64(), 8);
  EXPECT_EQ(ack.at("request").as_string(), "OpenSession");
  EXPECT_EQ(ack.at("clientId").as_int64(), static_cast<std::int64_t>(lastClientId()));
  EXPECT_FALSE(client->closed);
  EXPECT_TRUE(handler_.requests.empty());
  const auto info = server_->clientInfo(lastClientId());
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->authenticated);
  EXPECT_EQ(info->applicationName, "desktop");
  EXPECT_EQ(info->transport, "tcp");
}

TEST_F(CtiServerTest, EveryErrorPathAnswersEventErrorAndKeepsTheConnection) {
  CtiOptions small = options();
  small.limits.maxMessageBytes = 1024;
  start(small);
  auto client = openClient({"1000"});
  const std::vector<std::pair<std::string, std::pair<ErrorCode, std::optional<std::int64_t>>>>
      cases{
          {"{\"request\":", {ErrorCode::BadJson, std::nullopt}},
          {"[1,2]", {ErrorCode::BadJson, std::nullopt}},
          {"{\"request\":\"QueryServer\"}", {ErrorCode::MissingField, std::nullopt}},
          {"{\"request\":\"QueryServer\",\"referenceId\":\"1\"}",
           {ErrorCode::BadFieldType, std::nullopt}},
          {"{\"request\":\"QueryServer\",\"referenceId\":-4}",
           {ErrorCode::BadFieldValue, std::nullopt}},
          {"{\"referenceId\":11}", {ErrorCode::MissingField, 11}},
          {"{\"request\":7,\"referenceId\":12}", {ErrorCode::BadFieldType, 12}},
          {"{\"request\":\"Dance\",\"referenceId\":13}", {ErrorCode::UnknownRequest, 13}},
          {"{\"request\":\"MakeCall\",\"referenceId\":14,\"thisDN\":\"1000\"}",
           {ErrorCode::MissingField, 14}},
          {"{\"request\":\"MakeCall\",\"referenceId\":15,\"thisDN\":1000,\"otherDN\":\"1\"}",
           {ErrorCode::BadFieldType, 15}},
          {"{\"request\":\"HoldCall\",\"referenceId\":16,\"thisDN\":\"1000\",\"connId\":\"1\"}",
           {ErrorCode::BadFieldValue, 16}},
          {"{\"request\":\"QueryServer\",\"referenceId\":17,\"pad\":\"" + std::string(2000, 'x') +
               "\"}",
           {ErrorCode::MessageTooLarge, std::nullopt}},
      };
  for (const auto& [line, expected] : cases) client->write(line + "\n");
  ASSERT_TRUE(waitEvents(*client, cases.size()));
  const auto events = client->events();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].first.substr(0, 80));
    expectError(events[i], cases[i].second.first, cases[i].second.second);
  }
  EXPECT_TRUE(handler_.requests.empty());
  // Still up and still serving.
  client->send(request("QueryServer", 99));
  ASSERT_TRUE(runUntil(io_, [&] { return handler_.requests.size() == 1; }));
  EXPECT_EQ(handler_.requests[0].request.at("referenceId").as_int64(), 99);
  EXPECT_FALSE(client->closed);
  EXPECT_EQ(server_->counters().requestsRejected, cases.size());
}

// Found by fuzz_cti_request: a long unknown name was cut to 64 bytes inside a multi-byte
// character, and the EventError carried invalid UTF-8 (no client could parse it).
TEST_F(CtiServerTest, EchoedUnknownRequestNameIsCutOnACharacterBoundary) {
  auto client = openClient();
  const std::string name = std::string(63, 'X') + "\xc3\xa9";  // U+00E9 across byte 64
  client->send(request(name, 7));
  ASSERT_TRUE(waitEvents(*client, 1));
  boost::system::error_code ec;
  const auto line = client->received.substr(0, client->received.find('\n'));
  const auto parsed = json::parse(line, ec);  // strict: rejects invalid UTF-8
  ASSERT_FALSE(ec) << ec.message();
  expectError(parsed.as_object(), ErrorCode::UnknownRequest, 7);
  const std::string message(parsed.at("errorMessage").as_string());
  EXPECT_TRUE(message.ends_with(": " + std::string(63, 'X'))) << message;
  EXPECT_FALSE(client->closed);
}

TEST_F(CtiServerTest, RegisterAddressScopesRequests) {
  auto client = openClient();
  client->send(request("RegisterAddress", 1, {{"thisDN", "4444"}}));
  expectError(nth(*client, 0), ErrorCode::UnknownDn, 1);
  client->send(request("MakeCall", 2, {{"thisDN", "1000"}, {"otherDN", "1001"}}));
  expectError(nth(*client, 1), ErrorCode::DnNotRegistered, 2);
  EXPECT_TRUE(handler_.requests.empty());

  client->send(request("RegisterAddress", 3, {{"thisDN", "1000"}}));
  const auto registered = nth(*client, 2);
  EXPECT_EQ(registered.at("event").as_string(), "EventRegistered");
  EXPECT_EQ(registered.at("thisDN").as_string(), "1000");
  EXPECT_EQ(registered.at("referenceId").as_int64(), 3);
  EXPECT_TRUE(server_->isRegistered("1000"));

  client->send(request("MakeCall", 4, {{"thisDN", "1000"}, {"otherDN", "1001"}}));
  ASSERT_TRUE(runUntil(io_, [&] { return handler_.requests.size() == 1; }));
  EXPECT_EQ(handler_.requests[0].client, lastClientId());
  EXPECT_EQ(handler_.requests[0].request.at("otherDN").as_string(), "1001");

  client->send(request("UnregisterAddress", 5, {{"thisDN", "1000"}}));
  const auto unregistered = nth(*client, 3);
  EXPECT_EQ(unregistered.at("event").as_string(), "EventUnregistered");
  EXPECT_EQ(unregistered.at("referenceId").as_int64(), 5);
  EXPECT_FALSE(server_->isRegistered("1000"));
  client->send(request("UnregisterAddress", 6, {{"thisDN", "1000"}}));
  expectError(nth(*client, 4), ErrorCode::DnNotRegistered, 6);
}

TEST_F(CtiServerTest, HandlerRejectionBecomesEventError) {
  auto client = openClient({"1000"});
  handler_.onRequestHook = [](ClientId, const json::object&) -> model::Status {
    return model::makeError(ErrorCode::InvalidCallState, "not ringing");
  };
  client->send(request("AnswerCall", 21, {{"thisDN", "1000"}, {"connId", "00000000000000ab"}}));
  const auto error = nth(*client, 0);
  expectError(error, ErrorCode::InvalidCallState, 21);
  EXPECT_EQ(error.at("errorMessage").as_string(), "Invalid call state: not ringing");
}

TEST_F(CtiServerTest, EventsGoToTheClientsOfTheirDns) {
  auto a = openClient({"1000"});
  auto b = openClient({"1001"});
  auto c = openClient();
  server_->onEvent(event("EventRinging", {"1000"}, {}, {{"thisDN", "1000"}}));
  server_->onEvent(event("EventDialing", {"1000", "1001"}, {}, {{"thisDN", "1001"}}));
  server_->onEvent(event("EventRinging", {"1002"}));
  ASSERT_TRUE(waitEvents(*a, 2));
  ASSERT_TRUE(waitEvents(*b, 1));
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_EQ(a->events()[0].at("event").as_string(), "EventRinging");
  EXPECT_EQ(a->events()[0].at("thisDN").as_string(), "1000");
  EXPECT_EQ(a->events()[1].at("event").as_string(), "EventDialing");
  EXPECT_EQ(b->eventCount(), 1u);
  EXPECT_EQ(b->events()[0].at("event").as_string(), "EventDialing");
  EXPECT_EQ(c->eventCount(), 0u);
  EXPECT_EQ(server_->counters().eventsUnrouted, 1u);
}

TEST_F(CtiServerTest, AgentLoginBindsTheClientToItsAgent) {
  auto desktop = openClient({"1000"});
  auto other = openClient({"1000"});
  // The model answers AgentLogin with EventAgentLogin carrying the request's referenceId.
  handler_.onRequestHook = [this](ClientId, const json::object& r) -> model::Status {
    if (r.at("request").as_string() == "AgentLogin") {
      server_->onEvent(event("EventAgentLogin", {"1000"}, "a1",
                             {{"agentId", "a1"}, {"referenceId", r.at("referenceId")}}));
    }
    return model::ok();
  };
  other->send(
      request("AgentLogin", 31, {{"thisDN", "1000"}, {"agentId", "a1"}, {"password", "x"}}));
  ASSERT_TRUE(waitEvents(*other, 1));
  ASSERT_TRUE(waitEvents(*desktop, 1));
  const ClientId otherId = handler_.requests.back().client;
  desktop->send(
      request("AgentLogin", 32, {{"thisDN", "1000"}, {"agentId", "a1"}, {"password", "x"}}));
  ASSERT_TRUE(waitEvents(*desktop, 2));
  const ClientId desktopId = handler_.requests.back().client;
  EXPECT_EQ(server_->clientInfo(desktopId)->agentId, "a1");
  EXPECT_EQ(server_->clientInfo(otherId)->agentId, "a1");  // its own login bound it too

  // Agent events reach the bound clients wherever the agent's DNs are.
  desktop->send(request("UnregisterAddress", 33, {{"thisDN", "1000"}}));
  ASSERT_TRUE(waitEvents(*desktop, 3));
  server_->onEvent(event("EventAgentReady", {}, "a1", {{"agentId", "a1"}}));
  EXPECT_EQ(nth(*desktop, 3).at("event").as_string(), "EventAgentReady");
  server_->onEvent(event("EventAgentLogout", {}, "a1", {{"agentId", "a1"}}));
  EXPECT_EQ(nth(*desktop, 4).at("event").as_string(), "EventAgentLogout");
  EXPECT_EQ(server_->clientInfo(desktopId)->agentId, "");
  server_->onEvent(event("EventAgentReady", {}, "a1"));
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_EQ(desktop->eventCount(), 5u);
}

TEST_F(CtiServerTest, LoginEventWithAnotherReferenceIdDoesNotBind) {
  auto desktop = openClient({"1000"});
  desktop->send(
      request("AgentLogin", 41, {{"thisDN", "1000"}, {"agentId", "a1"}, {"password", "x"}}));
  ASSERT_TRUE(runUntil(io_, [&] { return handler_.requests.size() == 1; }));
  server_->onEvent(event("EventAgentLogin", {"1000"}, "a1", {{"referenceId", 40}}));
  ASSERT_TRUE(waitEvents(*desktop, 1));  // seen through the DN
  EXPECT_EQ(server_->clientInfo(handler_.requests[0].client)->agentId, "");
  server_->bindAgent(handler_.requests[0].client, "a1");  // the core may bind explicitly
  EXPECT_EQ(server_->clientInfo(handler_.requests[0].client)->agentId, "a1");
}

TEST_F(CtiServerTest, LoginEventWithoutDnsStillBindsTheRequester) {
  auto desktop = openClient({"1000"});
  desktop->send(
      request("AgentLogin", 43, {{"thisDN", "1000"}, {"agentId", "a2"}, {"password", "x"}}));
  ASSERT_TRUE(runUntil(io_, [&] { return handler_.requests.size() == 1; }));
  server_->onEvent(event("EventAgentLogin", {}, "a2", {{"referenceId", 43}}));
  ASSERT_TRUE(waitEvents(*desktop, 1));  // seen as the agent's client
  EXPECT_EQ(server_->clientInfo(handler_.requests[0].client)->agentId, "a2");
}

TEST_F(CtiServerTest, RejectedLoginBindsNothing) {
  auto desktop = openClient({"1000"});
  handler_.onRequestHook = [](ClientId, const json::object&) -> model::Status {
    return model::makeError(ErrorCode::WrongPassword);
  };
  desktop->send(
      request("AgentLogin", 44, {{"thisDN", "1000"}, {"agentId", "a3"}, {"password", "x"}}));
  expectError(nth(*desktop, 0), ErrorCode::WrongPassword, 44);
  // A later login event with the same reference (someone else's) does not bind this client.
  server_->onEvent(event("EventAgentLogin", {}, "a3", {{"referenceId", 44}}));
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_EQ(server_->clientInfo(handler_.requests[0].client)->agentId, "");
}

TEST_F(CtiServerTest, SendToAnswersOneClient) {
  auto a = openClient({"1000"});
  auto b = openClient({"1000"});
  const ClientId first = server_->clients().front().id;
  EXPECT_TRUE(server_->sendTo(first, event("EventAddressInfo", {}, {}, {{"referenceId", 3}})));
  EXPECT_EQ(nth(*a, 0).at("event").as_string(), "EventAddressInfo");
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_EQ(b->eventCount(), 0u);
  EXPECT_FALSE(server_->sendTo(12345, event("EventAddressInfo", {})));
}

TEST_F(CtiServerTest, SlowClientIsDisconnectedWhileOthersKeepReceiving) {
  CtiOptions small = options();
  small.limits.maxQueueBytes = 64 * 1024;
  small.limits.maxQueueMessages = 1000;
  start(small);
  auto fast = openClient({"1000"});
  // The slow client opens its session and registers but never reads a byte.
  LineClient slow(io_);
  ASSERT_TRUE(slow.connect(endpoint_, 4096));
  slow.send(request("OpenSession", 1, {{"applicationToken", kToken}}));
  slow.send(request("RegisterAddress", 2, {{"thisDN", "1000"}}));
  ASSERT_TRUE(runUntil(io_, [&] { return server_->clientsOnDn("1000").size() == 2; }));
  const ClientId slowId = server_->clientsOnDn("1000").back();

  const std::string padding(1000, 'p');
  std::size_t sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_->clientInfo(slowId) && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 40; ++i, ++sent) {
      server_->onEvent(
          event("EventUserEvent", {"1000"}, {}, {{"n", sent}, {"userData", {{"pad", padding}}}}));
    }
    ASSERT_TRUE(waitEvents(*fast, sent));
  }
  ASSERT_FALSE(server_->clientInfo(slowId)) << "slow client still connected after " << sent;
  RecordProperty("eventsUntilOverflow", static_cast<int>(sent));
  EXPECT_EQ(server_->counters().overflowDisconnects, 1u);
  EXPECT_EQ(handler_.closed, std::vector<ClientId>{slowId});

  server_->onEvent(event("EventUserEvent", {"1000"}, {}, {{"n", "last"}}));
  ASSERT_TRUE(waitEvents(*fast, sent + 1));
  EXPECT_EQ(fast->events().back().at("n").as_string(), "last");
  EXPECT_FALSE(fast->closed);
  // Every event reached the fast client, in order.
  const auto events = fast->events();
  for (std::size_t i = 0; i < sent; ++i) ASSERT_EQ(events[i].at("n").as_int64(), (std::int64_t)i);
}

TEST_F(CtiServerTest, UnauthenticatedClientsAreClosedAfterTheTimeout) {
  auto idle = connect();
  auto open = openClient();
  ASSERT_TRUE(runUntil(io_, [&] { return server_->clientCount() == 2; }));
  timers_.advance(std::chrono::seconds(31));
  ASSERT_TRUE(runUntil(io_, [&] { return idle->closed; }));
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_FALSE(open->closed);
  EXPECT_EQ(server_->clientCount(), 1u);
  EXPECT_TRUE(handler_.closed.empty());  // it never had a session
}

TEST_F(CtiServerTest, ClosingForgetsRegistrationsAndTellsTheHandler) {
  auto client = openClient({"1000", "1001"});
  const ClientId id = lastClientId();
  EXPECT_TRUE(server_->isRegistered("1001"));
  client->close();
  ASSERT_TRUE(runUntil(io_, [&] { return server_->clientCount() == 0; }));
  EXPECT_FALSE(server_->isRegistered("1000"));
  EXPECT_FALSE(server_->isRegistered("1001"));
  EXPECT_EQ(handler_.closed, std::vector<ClientId>{id});
}

TEST_F(CtiServerTest, DisconnectClosesOneClient) {
  auto a = openClient();
  auto b = openClient();
  const ClientId first = server_->clients().front().id;
  EXPECT_TRUE(server_->disconnect(first));
  ASSERT_TRUE(runUntil(io_, [&] { return a->closed; }));
  runFor(io_, std::chrono::milliseconds(20));
  EXPECT_FALSE(b->closed);
  EXPECT_EQ(handler_.closed, std::vector<ClientId>{first});
}

TEST_F(CtiServerTest, ClientLimit) {
  CtiOptions one = options();
  one.maxClients = 1;
  start(one);
  auto a = connect();
  ASSERT_TRUE(runUntil(io_, [&] { return server_->clientCount() == 1; }));
  auto b = connect();
  ASSERT_TRUE(runUntil(io_, [&] { return b->closed; }));
  EXPECT_FALSE(a->closed);
  EXPECT_EQ(server_->counters().clientsRejected, 1u);
}

TEST_F(CtiServerTest, NoTokensConfiguredAcceptsAnyToken) {
  start(CtiOptions{});
  auto client = connect();
  client->send(request("OpenSession", 1, {{"applicationToken", "anything"}}));
  EXPECT_EQ(nth(*client, 0).at("event").as_string(), "EventAck");
}

// The HTTP server's part (reading the upgrade request) done here by hand.
class WebSocketTest : public CtiServerTest {
 protected:
  void SetUp() override {
    CtiServerTest::SetUp();
    http_ = std::make_unique<tcp::acceptor>(listenLoopback(io_));
    accept();
  }
  void accept() {
    http_->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) return;
      auto pending = std::make_shared<Pending>(std::move(socket));
      boost::beast::http::async_read(
          pending->socket, pending->buffer, pending->request,
          [this, pending](const boost::system::error_code& e, std::size_t) {
            if (!e)
              server_->acceptWebSocket(std::move(pending->socket), std::move(pending->request));
          });
      accept();
    });
  }
  struct Pending {
    explicit Pending(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
    UpgradeRequest request;
  };
  bool waitMessages(const WsClient& client, std::size_t count) {
    return runUntil(io_, [&] { return client.messages.size() >= count; });
  }

  std::unique_ptr<tcp::acceptor> http_;
};

TEST_F(WebSocketTest, SessionEventsAndErrorsOverWebSocket) {
  WsClient client(io_);
  client.connect(http_->local_endpoint());
  ASSERT_TRUE(runUntil(io_, [&] { return client.handshaken || client.failed; }));
  ASSERT_TRUE(client.handshaken);
  client.send(request("OpenSession", 1, {{"applicationToken", kToken}}));
  client.send(request("RegisterAddress", 2, {{"thisDN", "1000"}}));
  ASSERT_TRUE(waitMessages(client, 2));
  EXPECT_EQ(client.events()[1].at("event").as_string(), "EventRegistered");
  EXPECT_EQ(server_->clients().at(0).transport, "websocket");

  server_->onEvent(event("EventRinging", {"1000"}, {}, {{"thisDN", "1000"}}));
  ASSERT_TRUE(waitMessages(client, 3));
  EXPECT_EQ(client.events()[2].at("event").as_string(), "EventRinging");

  client.send("not json");
  ASSERT_TRUE(waitMessages(client, 4));
  expectError(client.events()[3], ErrorCode::BadJson, std::nullopt);

  // Over the 64 KiB limit: EventError, and the connection stays up.
  client.send(json::serialize(request("QueryServer", 3, {{"pad", std::string(100'000, 'x')}})));
  ASSERT_TRUE(waitMessages(client, 5));
  expectError(client.events()[4], ErrorCode::MessageTooLarge, std::nullopt);
  client.send(request("QueryServer", 4));
  ASSERT_TRUE(runUntil(io_, [&] { return handler_.requests.size() == 1; }));
  EXPECT_FALSE(client.closed);
}

}  // namespace
}  // namespace ccsip::cti
