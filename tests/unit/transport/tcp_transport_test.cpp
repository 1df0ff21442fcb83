#include "sip/transport/tcp_transport.h"

#include <gtest/gtest.h>

#include "sip/transport/transport_manager.h"
#include "socket_test_util.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {
namespace {

using namespace std::chrono_literals;
using test::runFor;
using test::runUntil;
using test::sipRequest;
using test::sipResponse;
using test::TcpClient;

const boost::asio::ip::address kLoopback = boost::asio::ip::make_address("127.0.0.1");

// A request whose total size is exactly `size` bytes.
std::string requestOfSize(std::size_t size, int cseq = 1) {
  const std::size_t empty = sipRequest("MESSAGE", cseq).size();
  // The Content-Length value grows from 1 digit ("0") to `digits` digits.
  for (std::size_t digits = 1; digits < 8; ++digits) {
    if (size < empty + digits - 1) break;
    const std::size_t body = size - empty - (digits - 1);
    if (std::to_string(body).size() == digits) {
      return sipRequest("MESSAGE", cseq, std::string(body, 'x'));
    }
  }
  return {};
}

class TcpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = listen(manager_, sink_); }

  Address listen(TransportManager& manager, test::RecordingSink& sink) {
    manager.setSink(&sink);
    manager.setErrorHandler(&errors_);
    auto bound = manager.listen(test::listenOn({kLoopback, 0}));
    EXPECT_TRUE(bound.ok()) << bound.error().message;
    return bound.ok() ? *bound : Address{};
  }

  std::unique_ptr<TcpClient> connectClient() {
    auto client = std::make_unique<TcpClient>(io_);
    EXPECT_TRUE(client->connect(server_));
    return client;
  }

  static TransportOptions options(std::function<void(TcpOptions&)> change) {
    TransportOptions o;
    change(o.tcp);
    return o;
  }

  boost::asio::io_context io_;
  util::ManualTimerService timers_;
  test::RecordingSink sink_;
  test::RecordingErrors errors_;
  TransportManager manager_{io_, timers_};
  Address server_;
};

TEST_F(TcpTransportTest, RoundTripReusesTheIncomingConnection) {
  auto client = connectClient();
  const std::string request = sipRequest("OPTIONS", 1);
  client->write(request);
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));

  const Peer from = sink_.messages[0].from;
  EXPECT_EQ(sink_.messages[0].bytes, request);
  EXPECT_EQ(from.kind, TransportKind::Tcp);
  EXPECT_EQ(from.remote, client->localAddress());
  EXPECT_EQ(from.local, server_);
  EXPECT_NE(from.connectionId, 0u);
  EXPECT_TRUE(manager_.tcp().isOpen(from.connectionId));

  // RFC 3261 18.2.2: the response goes back on the connection the request came in on.
  ASSERT_TRUE(manager_.send(from, sipResponse(1)));
  ASSERT_TRUE(runUntil(io_, [&] { return client->received.size() >= sipResponse(1).size(); }));
  EXPECT_EQ(client->received, sipResponse(1));
  EXPECT_EQ(manager_.tcp().connectionCount(), 1u);

  const TransportStats stats = manager_.stats();
  EXPECT_EQ(stats.tcp.messagesIn, 1u);
  EXPECT_EQ(stats.tcp.messagesOut, 1u);
  EXPECT_EQ(stats.tcp.bytesIn, request.size());
  EXPECT_EQ(stats.tcp.bytesOut, sipResponse(1).size());
  EXPECT_EQ(stats.tcp.connectionsAccepted, 1u);
  EXPECT_EQ(stats.tcp.connectionsOpen, 1u);
}

TEST_F(TcpTransportTest, ResponseFindsTheConnectionByAddress) {
  auto client = connectClient();
  client->write(sipRequest("OPTIONS", 1));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  Peer to = sink_.messages[0].from;
  to.connectionId = 0;  // unknown: the transport finds the open connection to that address
  ASSERT_TRUE(manager_.send(to, sipResponse(1)));
  ASSERT_TRUE(runUntil(io_, [&] { return client->received == sipResponse(1); }));
  EXPECT_EQ(manager_.tcp().connectionCount(), 1u);
}

TEST_F(TcpTransportTest, ManyMessagesPipelinedOnOneConnection) {
  constexpr int kCount = 300;
  auto client = connectClient();
  std::string burst;
  for (int i = 0; i < kCount; ++i) {
    burst +=
        sipRequest("MESSAGE", i, i % 3 == 0 ? "" : std::string(static_cast<std::size_t>(i), 'b'));
    if (i % 50 == 0) burst += "\r\n";  // a stray CRLF between messages is ignored
  }
  client->write(burst);
  ASSERT_TRUE(runUntil(io_, [&] { return sink_.messages.size() == kCount; }));
  const std::uint64_t id = sink_.messages[0].from.connectionId;
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(
        sink_.messages[i].bytes,
        sipRequest("MESSAGE", i, i % 3 == 0 ? "" : std::string(static_cast<std::size_t>(i), 'b')));
    EXPECT_EQ(sink_.messages[i].from.connectionId, id);
  }
  // And many responses back, queued in one go.
  std::string expected;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(manager_.send(sink_.messages[i].from, sipResponse(i)));
    expected += sipResponse(i);
  }
  ASSERT_TRUE(runUntil(io_, [&] { return client->received.size() >= expected.size(); }));
  EXPECT_EQ(client->received, expected);
  EXPECT_EQ(manager_.stats().tcp.messagesOut, static_cast<std::uint64_t>(kCount));
}

TEST_F(TcpTransportTest, OneByteOverTheLimitGets513AndClose) {
  auto client = connectClient();
  const std::string tooLarge = requestOfSize(kMaxStreamMessageSize + 1);
  ASSERT_EQ(tooLarge.size(), kMaxStreamMessageSize + 1);
  client->write(tooLarge);
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_TRUE(client->received.starts_with("SIP/2.0 513 Message Too Large\r\n"))
      << client->received;
  EXPECT_NE(client->received.find("Call-ID: call-1@test\r\n"), std::string::npos);
  EXPECT_NE(client->received.find("CSeq: 1 MESSAGE\r\n"), std::string::npos);
  EXPECT_NE(client->received.find("To: <sip:bob@127.0.0.1>;tag="), std::string::npos);
  EXPECT_TRUE(sink_.messages.empty());
  EXPECT_EQ(manager_.stats().tcp.tooLarge, 1u);
  // Half-closed and drained until the peer closes too, or the linger time ends.
  EXPECT_EQ(manager_.tcp().connectionCount(), 1u);
  timers_.advance(2s);
  EXPECT_EQ(manager_.tcp().connectionCount(), 0u);
  EXPECT_TRUE(errors_.errors.empty());  // nothing of ours was lost
}

TEST_F(TcpTransportTest, AfterThe513ThePeersCloseEndsTheConnection) {
  auto client = connectClient();
  client->write(requestOfSize(kMaxStreamMessageSize + 1));
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_TRUE(client->received.starts_with("SIP/2.0 513 "));
  client->close();
  EXPECT_TRUE(runUntil(io_, [&] { return manager_.tcp().connectionCount() == 0; }));
}

TEST_F(TcpTransportTest, OversizedResponseIsDroppedWithoutAnswer) {
  auto client = connectClient();
  client->write(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 70000\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_EQ(client->received, "");
  EXPECT_EQ(manager_.stats().tcp.tooLarge, 1u);
}

TEST_F(TcpTransportTest, MessageOfExactlyTheLimitIsDelivered) {
  auto client = connectClient();
  const std::string largest = requestOfSize(kMaxStreamMessageSize);
  ASSERT_EQ(largest.size(), kMaxStreamMessageSize);
  client->write(largest);
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  EXPECT_EQ(sink_.messages[0].bytes, largest);
  EXPECT_FALSE(client->closed);
}

TEST_F(TcpTransportTest, MissingContentLengthClosesTheConnection) {
  auto client = connectClient();
  client->write("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_TRUE(sink_.messages.empty());
  EXPECT_EQ(manager_.stats().tcp.framingErrors, 1u);
}

TEST_F(TcpTransportTest, DoubleCrlfPingGetsACrlfPong) {
  auto client = connectClient();
  client->write("\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return client->received == "\r\n"; }));
  client->write("\r\n");  // a lone CRLF (a pong) is not answered
  client->write(sipRequest("OPTIONS", 1));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  runFor(io_, 20ms);
  EXPECT_EQ(client->received, "\r\n");
  EXPECT_EQ(manager_.stats().tcp.keepalivesIn, 1u);
  EXPECT_EQ(manager_.stats().tcp.messagesOut, 0u);  // a pong is not a message
}

TEST_F(TcpTransportTest, ConnectsOnSendAndReceivesResponsesOnThatConnection) {
  test::RecordingSink otherSink;
  TransportManager other(io_, timers_);
  const Address otherAddress = listen(other, otherSink);

  // Two messages sent before the connect completes: both queued, in order, one connection.
  const Peer to{TransportKind::Tcp, otherAddress, {}, 0};
  ASSERT_TRUE(manager_.send(to, sipRequest("OPTIONS", 1)));
  ASSERT_TRUE(manager_.send(to, sipRequest("OPTIONS", 2)));
  EXPECT_EQ(manager_.tcp().connectionCount(), 1u);
  const std::uint64_t outbound = manager_.tcp().connectionTo(otherAddress);
  EXPECT_NE(outbound, 0u);

  ASSERT_TRUE(runUntil(io_, [&] { return otherSink.messages.size() == 2; }));
  EXPECT_EQ(otherSink.messages[0].bytes, sipRequest("OPTIONS", 1));
  EXPECT_EQ(otherSink.messages[1].bytes, sipRequest("OPTIONS", 2));
  // Outbound connections leave from the listening IP.
  EXPECT_EQ(otherSink.messages[0].from.remote.ip, server_.ip);

  // The far side answers on the connection the requests came in on ...
  ASSERT_TRUE(other.send(otherSink.messages[0].from, sipResponse(1)));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  EXPECT_EQ(sink_.messages[0].bytes, sipResponse(1));
  // ... which is our outbound connection.
  EXPECT_EQ(sink_.messages[0].from.connectionId, outbound);
  EXPECT_EQ(sink_.messages[0].from.remote, otherAddress);
  EXPECT_EQ(manager_.stats().tcp.connectionsConnected, 1u);

  // Later sends to the same address reuse it.
  ASSERT_TRUE(manager_.send(to, sipRequest("OPTIONS", 3)));
  ASSERT_TRUE(runUntil(io_, [&] { return otherSink.messages.size() == 3; }));
  EXPECT_EQ(manager_.tcp().connectionCount(), 1u);
  EXPECT_TRUE(errors_.errors.empty());
}

TEST_F(TcpTransportTest, ClosedConnectionIdFallsBackToANewConnection) {
  test::RecordingSink otherSink;
  TransportManager other(io_, timers_);
  const Address otherAddress = listen(other, otherSink);
  const Peer to{TransportKind::Tcp, otherAddress, {}, 0};
  ASSERT_TRUE(manager_.send(to, sipRequest("OPTIONS", 1)));
  ASSERT_TRUE(runUntil(io_, [&] { return otherSink.messages.size() == 1; }));
  const std::uint64_t first = manager_.tcp().connectionTo(otherAddress);
  ASSERT_TRUE(manager_.tcp().closeConnection(first));
  EXPECT_FALSE(manager_.tcp().isOpen(first));

  Peer again = to;
  again.connectionId = first;
  ASSERT_TRUE(manager_.send(again, sipRequest("OPTIONS", 2)));
  ASSERT_TRUE(runUntil(io_, [&] { return otherSink.messages.size() == 2; }));
  const std::uint64_t second = manager_.tcp().connectionTo(otherAddress);
  EXPECT_GT(second, first);  // ids are never reused
}

TEST_F(TcpTransportTest, ConnectFailureIsReported) {
  // A port nothing listens on: bind one, note it, close it.
  Address closed{kLoopback, 0};
  {
    boost::asio::ip::tcp::acceptor probe(io_, {kLoopback, 0});
    closed.port = probe.local_endpoint().port();
  }
  const Peer to{TransportKind::Tcp, closed, {}, 0};
  ASSERT_TRUE(manager_.send(to, sipRequest("OPTIONS", 1)));  // queued: the failure comes later
  EXPECT_TRUE(errors_.errors.empty());
  ASSERT_TRUE(runUntil(io_, [&] { return !errors_.errors.empty(); }));
  const TransportError& error = errors_.errors[0];
  EXPECT_EQ(error.kind, TransportErrorKind::ConnectFailed);
  EXPECT_EQ(error.peer.kind, TransportKind::Tcp);
  EXPECT_EQ(error.peer.remote, closed);
  EXPECT_NE(error.peer.connectionId, 0u);
  EXPECT_EQ(error.messagesDropped, 1u);
  EXPECT_EQ(manager_.tcp().connectionCount(), 0u);
  EXPECT_EQ(manager_.stats().tcp.connectFailures, 1u);
  EXPECT_EQ(manager_.stats().tcp.connectionsOpen, 0u);
}

TEST_F(TcpTransportTest, ConnectTimeoutIsReported) {
  test::RecordingSink otherSink;
  TransportManager other(io_, timers_);
  const Address otherAddress = listen(other, otherSink);
  ASSERT_TRUE(
      manager_.send(Peer{TransportKind::Tcp, otherAddress, {}, 0}, sipRequest("OPTIONS", 1)));
  // The clock reaches the connect timeout before the event loop has seen the connect complete.
  timers_.advance(32s);
  EXPECT_EQ(manager_.tcp().connectionCount(), 0u);
  ASSERT_TRUE(runUntil(io_, [&] { return !errors_.errors.empty(); }));
  EXPECT_EQ(errors_.errors[0].kind, TransportErrorKind::ConnectFailed);
  EXPECT_EQ(errors_.errors[0].reason, "connect timeout");
  EXPECT_EQ(errors_.errors[0].messagesDropped, 1u);
  runFor(io_, 20ms);
  EXPECT_TRUE(otherSink.messages.empty());
}

TEST_F(TcpTransportTest, IdleConnectionIsClosed) {
  auto client = connectClient();
  client->write(sipRequest("OPTIONS", 1));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  const std::uint64_t id = sink_.messages[0].from.connectionId;

  timers_.advance(100s);
  client->write("\r\n\r\n");  // a keepalive is activity
  ASSERT_TRUE(runUntil(io_, [&] { return client->received == "\r\n"; }));
  timers_.advance(100s);  // 200 s since the request, 100 s since the ping
  EXPECT_TRUE(manager_.tcp().isOpen(id));
  timers_.advance(81s);
  EXPECT_FALSE(manager_.tcp().isOpen(id));
  EXPECT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_EQ(manager_.stats().tcp.connectionsClosedIdle, 1u);
  EXPECT_TRUE(errors_.errors.empty());
}

TEST_F(TcpTransportTest, SendQueueOverflowClosesTheConnection) {
  test::RecordingSink sink;
  TransportManager small(io_, timers_, options([](TcpOptions& o) { o.maxSendQueueBytes = 1000; }));
  small.setSink(&sink);
  small.setErrorHandler(&errors_);
  auto bound = small.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(bound.ok());
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(*bound));
  client.write(sipRequest("OPTIONS", 1));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink.messages.empty(); }));
  const Peer from = sink.messages[0].from;

  ASSERT_TRUE(small.send(from, std::string(600, 'a')));
  EXPECT_FALSE(small.send(from, std::string(600, 'b')));  // 1200 queued bytes > 1000
  EXPECT_FALSE(small.tcp().isOpen(from.connectionId));
  EXPECT_EQ(small.stats().tcp.sendQueueOverflows, 1u);
  EXPECT_TRUE(errors_.errors.empty());  // never reported from inside send()
  ASSERT_TRUE(runUntil(io_, [&] { return !errors_.errors.empty(); }));
  EXPECT_EQ(errors_.errors[0].kind, TransportErrorKind::SendQueueOverflow);
  EXPECT_EQ(errors_.errors[0].peer.connectionId, from.connectionId);
  EXPECT_TRUE(runUntil(io_, [&] { return client.closed; }));
}

TEST_F(TcpTransportTest, PeerCloseRemovesTheConnection) {
  auto client = connectClient();
  client->write(sipRequest("OPTIONS", 1));
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  client->close();
  ASSERT_TRUE(runUntil(io_, [&] { return manager_.tcp().connectionCount() == 0; }));
  EXPECT_EQ(manager_.stats().tcp.connectionsOpen, 0u);
  // A response to the vanished client's ephemeral port now needs a new connection, which
  // fails: the transaction layer hears of it.
  ASSERT_TRUE(manager_.send(sink_.messages[0].from, sipResponse(1)));
  ASSERT_TRUE(runUntil(io_, [&] { return !errors_.errors.empty(); }));
  EXPECT_EQ(errors_.errors[0].kind, TransportErrorKind::ConnectFailed);
}

TEST_F(TcpTransportTest, SinkMayCloseTheTransportFromInsideTheCallback) {
  auto client = connectClient();
  sink_.onReceive = [&](const test::Received&) { manager_.close(); };
  client->write(sipRequest("OPTIONS", 1) + sipRequest("OPTIONS", 2));
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  EXPECT_EQ(sink_.messages.size(), 1u);
  EXPECT_EQ(manager_.tcp().connectionCount(), 0u);
}

TEST_F(TcpTransportTest, SendWithoutAddressFails) {
  EXPECT_FALSE(manager_.send(Peer{TransportKind::Tcp, {}, {}, 0}, "x"));
  EXPECT_FALSE(manager_.send(Peer{TransportKind::Tcp, {}, {}, 12345}, "x"));
  EXPECT_EQ(manager_.stats().tcp.sendFailures, 2u);
}

}  // namespace
}  // namespace ccsip::sip::transport
