#include "sip/transport/udp_transport.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>

#include "sip/transport/transport_manager.h"
#include "socket_test_util.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {
namespace {

using namespace std::chrono_literals;
using test::runFor;
using test::runUntil;

const boost::asio::ip::address kLoopback = boost::asio::ip::make_address("127.0.0.1");

class UdpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    manager_.setSink(&sink_);
    auto bound = manager_.listen(test::listenOn({kLoopback, 0}, true, false));
    ASSERT_TRUE(bound.ok()) << bound.error().message;
    server_ = *bound;
    client_.open(boost::asio::ip::udp::v4());
    client_.bind({kLoopback, 0});
    client_.non_blocking(true);
  }

  Address clientAddress() const {
    const auto e = client_.local_endpoint();
    return {e.address(), e.port()};
  }

  // Polls the client socket for one datagram.
  std::optional<std::string> clientReceive() {
    std::optional<std::string> got;
    runUntil(io_, [&] {
      std::array<char, 65536> buffer{};
      boost::asio::ip::udp::endpoint from;
      boost::system::error_code ec;
      const std::size_t n = client_.receive_from(boost::asio::buffer(buffer), from, 0, ec);
      if (!ec) got = std::string(buffer.data(), n);
      return got.has_value();
    });
    return got;
  }

  boost::asio::io_context io_;
  util::ManualTimerService timers_;
  test::RecordingSink sink_;
  TransportManager manager_{io_, timers_};
  Address server_;
  boost::asio::ip::udp::socket client_{io_};
};

TEST_F(UdpTransportTest, RoundTrip) {
  const std::string request = test::sipRequest("OPTIONS", 1, "", "UDP");
  client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));

  const test::Received& got = sink_.messages[0];
  EXPECT_EQ(got.bytes, request);
  EXPECT_EQ(got.from.kind, TransportKind::Udp);
  EXPECT_EQ(got.from.remote, clientAddress());
  EXPECT_EQ(got.from.local, server_);
  EXPECT_EQ(got.from.connectionId, 0u);

  // A response goes back to where the request came from (what the transaction layer would
  // compute from received/rport).
  const std::string response = test::sipResponse(1);
  ASSERT_TRUE(manager_.send(got.from, response));
  const auto answer = clientReceive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, response);

  const TransportStats stats = manager_.stats();
  EXPECT_EQ(stats.udp.messagesIn, 1u);
  EXPECT_EQ(stats.udp.messagesOut, 1u);
  EXPECT_EQ(stats.udp.bytesIn, request.size());
  EXPECT_EQ(stats.udp.bytesOut, response.size());
}

TEST_F(UdpTransportTest, KeepaliveDatagramsAreNotMessages) {
  const std::vector<std::string> keepalives{"\r\n\r\n", "\r\n", "", std::string(4, '\0')};
  for (const std::string& keepalive : keepalives) {
    client_.send_to(boost::asio::buffer(keepalive), {server_.ip, server_.port});
  }
  const std::string request = test::sipRequest("OPTIONS", 2, "", "UDP");
  client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  runFor(io_, 20ms);
  ASSERT_EQ(sink_.messages.size(), 1u);
  EXPECT_EQ(sink_.messages[0].bytes, request);
  EXPECT_EQ(manager_.stats().udp.keepalivesIn, 4u);
}

TEST_F(UdpTransportTest, ManyDatagramsInABurst) {
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) {
    const std::string request = test::sipRequest("MESSAGE", i, "body", "UDP");
    client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  }
  ASSERT_TRUE(runUntil(io_, [&] { return sink_.messages.size() == kCount; }));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(sink_.messages[i].bytes, test::sipRequest("MESSAGE", i, "body", "UDP"));
  }
}

TEST_F(UdpTransportTest, LargestDatagramArrivesWhole) {
  // Loopback carries datagrams up to 65507 bytes (65535 minus IP and UDP headers).
  const std::string body(65000, 'x');
  const std::string request = test::sipRequest("MESSAGE", 3, body, "UDP");
  ASSERT_LE(request.size(), 65507u);
  client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  ASSERT_TRUE(runUntil(io_, [&] { return !sink_.messages.empty(); }));
  EXPECT_EQ(sink_.messages[0].bytes, request);
}

TEST_F(UdpTransportTest, SendToAnotherFamilyFails) {
  const Peer to{TransportKind::Udp, {boost::asio::ip::make_address("::1"), 5060}, {}, 0};
  EXPECT_FALSE(manager_.send(to, "x"));
  EXPECT_EQ(manager_.stats().udp.sendFailures, 1u);
}

TEST_F(UdpTransportTest, SinkMayReplyFromInsideTheCallback) {
  sink_.onReceive = [&](const test::Received& got) {
    EXPECT_TRUE(manager_.send(got.from, test::sipResponse(4)));
  };
  const std::string request = test::sipRequest("OPTIONS", 4, "", "UDP");
  client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  const auto answer = clientReceive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, test::sipResponse(4));
}

TEST_F(UdpTransportTest, RepliesToABurstAllArriveInOrder) {
  // Replies sent from inside the sink while a batch of datagrams is handled leave together
  // when the batch is done (one sendmmsg): none may be lost or reordered.
  sink_.onReceive = [&](const test::Received& got) {
    EXPECT_TRUE(
        manager_.send(got.from, test::sipResponse(static_cast<int>(sink_.messages.size()))));
  };
  constexpr int kCount = 300;  // more than one read batch and one event-loop turn
  // The replies may all be written before the client reads one.
  client_.set_option(boost::asio::socket_base::receive_buffer_size(4 << 20));
  for (int i = 0; i < kCount; ++i) {
    const std::string request = test::sipRequest("MESSAGE", i, "", "UDP");
    client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  }
  std::vector<std::string> answers;
  ASSERT_TRUE(runUntil(io_,
                       [&] {
                         std::array<char, 65536> buffer{};
                         boost::asio::ip::udp::endpoint from;
                         boost::system::error_code ec;
                         while (true) {
                           const std::size_t n =
                               client_.receive_from(boost::asio::buffer(buffer), from, 0, ec);
                           if (ec) break;
                           answers.emplace_back(buffer.data(), n);
                         }
                         return answers.size() >= static_cast<std::size_t>(kCount);
                       }))
      << answers.size() << " answers, " << manager_.stats().udp.messagesOut << " sent";
  ASSERT_EQ(answers.size(), static_cast<std::size_t>(kCount));
  for (int i = 1; i <= kCount; ++i) EXPECT_EQ(answers[i - 1], test::sipResponse(i));
  EXPECT_EQ(manager_.stats().udp.messagesIn, static_cast<std::uint64_t>(kCount));
  EXPECT_EQ(manager_.stats().udp.messagesOut, static_cast<std::uint64_t>(kCount));
  EXPECT_EQ(manager_.stats().udp.sendFailures, 0u);
}

TEST_F(UdpTransportTest, AQueuedDatagramTheKernelRefusesIsCountedAndTheRestLeave) {
  // Broadcast without SO_BROADCAST is refused (EACCES) by the kernel: queued during the batch,
  // it fails when the batch is flushed, and the reply queued after it still goes out.
  const Peer broadcast{
      TransportKind::Udp, {boost::asio::ip::make_address("255.255.255.255"), 9}, {}, 0};
  sink_.onReceive = [&](const test::Received& got) {
    EXPECT_TRUE(manager_.send(broadcast, "x"));  // queued: "true" means accepted, not sent
    EXPECT_TRUE(manager_.send(got.from, test::sipResponse(5)));
  };
  const std::string request = test::sipRequest("OPTIONS", 5, "", "UDP");
  client_.send_to(boost::asio::buffer(request), {server_.ip, server_.port});
  const auto answer = clientReceive();
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, test::sipResponse(5));
  EXPECT_EQ(manager_.stats().udp.sendFailures, 1u);
  EXPECT_EQ(manager_.stats().udp.messagesOut, 1u);
}

TEST_F(UdpTransportTest, ASendOutsideABatchFailsAtOnce) {
  const Peer broadcast{
      TransportKind::Udp, {boost::asio::ip::make_address("255.255.255.255"), 9}, {}, 0};
  EXPECT_FALSE(manager_.send(broadcast, "x"));
  EXPECT_EQ(manager_.stats().udp.sendFailures, 1u);
}

}  // namespace
}  // namespace ccsip::sip::transport
