#include "sip/transport/transport_manager.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "socket_test_util.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {
namespace {

using test::runUntil;

const boost::asio::ip::address kLoopback = boost::asio::ip::make_address("127.0.0.1");
const boost::asio::ip::address kLoopback6 = boost::asio::ip::make_address("::1");

class TransportManagerTest : public ::testing::Test {
 protected:
  TransportManagerTest() { manager_.setSink(&sink_); }

  bool ipv6Available() {
    boost::system::error_code ec;
    boost::asio::ip::udp::socket probe(io_);
    probe.open(boost::asio::ip::udp::v6(), ec);
    if (!ec) probe.bind({kLoopback6, 0}, ec);
    return !ec;
  }

  boost::asio::io_context io_;
  util::ManualTimerService timers_;
  test::RecordingSink sink_;
  TransportManager manager_{io_, timers_};
};

TEST_F(TransportManagerTest, PortZeroSharesOnePortBetweenUdpAndTcp) {
  auto bound = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(bound.ok()) << bound.error().message;
  EXPECT_EQ(bound->ip, kLoopback);
  EXPECT_NE(bound->port, 0);

  // Both transports answer on that one port.
  boost::asio::ip::udp::socket udp(io_, {kLoopback, 0});
  udp.send_to(boost::asio::buffer(test::sipRequest("OPTIONS", 1, "", "UDP")),
              {bound->ip, bound->port});
  test::TcpClient tcp(io_);
  ASSERT_TRUE(tcp.connect(*bound));
  tcp.write(test::sipRequest("OPTIONS", 2));
  ASSERT_TRUE(runUntil(io_, [&] { return sink_.messages.size() == 2; }));
  for (const auto& message : sink_.messages) EXPECT_EQ(message.from.local.port, bound->port);
}

TEST_F(TransportManagerTest, LocalAddressIsTheBoundOne) {
  auto bound = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(manager_.localAddress(TransportKind::Udp), *bound);
  EXPECT_EQ(manager_.localAddress(TransportKind::Tcp), *bound);
  EXPECT_EQ(toString(*bound), "127.0.0.1:" + std::to_string(bound->port));
}

TEST_F(TransportManagerTest, AdvertisedAddressOverridesTheBoundOne) {
  const auto advertised = boost::asio::ip::make_address("198.51.100.7");
  ListenOptions options = test::listenOn({kLoopback, 0});
  options.advertisedIp = advertised;
  options.advertisedPort = 5080;
  auto bound = manager_.listen(options);
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(manager_.localAddress(TransportKind::Tcp), (Address{advertised, 5080}));
}

TEST_F(TransportManagerTest, WildcardBindAdvertisesAConcreteAddress) {
  auto bound = manager_.listen(test::listenOn({boost::asio::ip::address_v4::any(), 0}));
  ASSERT_TRUE(bound.ok());
  const Address local = manager_.localAddress(TransportKind::Udp);
  EXPECT_FALSE(local.ip.is_unspecified());
  EXPECT_EQ(local.port, bound->port);
}

TEST_F(TransportManagerTest, TakenFixedPortIsAnError) {
  auto first = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(first.ok());
  TransportManager second(io_, timers_);
  auto again = second.listen(test::listenOn(*first));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find(toString(*first)), std::string::npos)
      << again.error().message;
}

TEST_F(TransportManagerTest, TcpTakenOnTheUdpPortIsRetried) {
  // Hold TCP ports so that the UDP port picked first may collide; whatever happens, the
  // result must be one port serving both.
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> held;
  for (int i = 0; i < 20; ++i) {
    held.push_back(std::make_unique<boost::asio::ip::tcp::acceptor>(
        io_, boost::asio::ip::tcp::endpoint{kLoopback, 0}));
  }
  auto bound = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(bound.ok()) << bound.error().message;
  test::TcpClient tcp(io_);
  EXPECT_TRUE(tcp.connect(*bound));
}

TEST_F(TransportManagerTest, UdpOnlyAndTcpOnly) {
  auto udpOnly = manager_.listen(test::listenOn({kLoopback, 0}, true, false));
  ASSERT_TRUE(udpOnly.ok());
  EXPECT_EQ(manager_.localAddress(TransportKind::Tcp), Address{});
  auto tcpOnly = manager_.listen(test::listenOn({kLoopback, 0}, false, true));
  ASSERT_TRUE(tcpOnly.ok());
  EXPECT_EQ(manager_.localAddress(TransportKind::Tcp), *tcpOnly);
  EXPECT_EQ(manager_.localAddress(TransportKind::Udp), *udpOnly);
  EXPECT_FALSE(manager_.listen(test::listenOn({kLoopback, 0}, false, false)).ok());
}

TEST_F(TransportManagerTest, Ipv6RoundTripBesideIpv4OnTheSamePort) {
  if (!ipv6Available()) GTEST_SKIP() << "no IPv6 loopback";
  auto v4 = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(v4.ok());
  auto v6 = manager_.listen(test::listenOn({kLoopback6, v4->port}));
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6->port, v4->port);

  const Address remote6{kLoopback6, 5060};
  EXPECT_EQ(manager_.localAddressFor(TransportKind::Udp, remote6), *v6);
  EXPECT_EQ(manager_.localAddressFor(TransportKind::Udp, Address{kLoopback, 5060}), *v4);
  EXPECT_EQ(toString(*v6), "[::1]:" + std::to_string(v6->port));

  boost::asio::ip::udp::socket udp(io_, {kLoopback6, 0});
  udp.non_blocking(true);
  udp.send_to(boost::asio::buffer(test::sipRequest("OPTIONS", 1, "", "UDP")),
              {kLoopback6, v6->port});
  test::TcpClient tcp(io_);
  ASSERT_TRUE(tcp.connect(*v6));
  tcp.write(test::sipRequest("OPTIONS", 2));
  ASSERT_TRUE(runUntil(io_, [&] { return sink_.messages.size() == 2; }));
  for (const auto& message : sink_.messages) {
    EXPECT_TRUE(message.from.remote.ip.is_v6());
    ASSERT_TRUE(manager_.send(message.from, test::sipResponse(1)));
  }
  ASSERT_TRUE(runUntil(io_, [&] { return tcp.received == test::sipResponse(1); }));
  std::string datagram;
  ASSERT_TRUE(runUntil(io_, [&] {
    if (!datagram.empty()) return true;
    std::array<char, 2000> buffer{};
    boost::system::error_code ec;
    boost::asio::ip::udp::endpoint from;
    const std::size_t n = udp.receive_from(boost::asio::buffer(buffer), from, 0, ec);
    if (!ec) datagram.assign(buffer.data(), n);
    return !datagram.empty();
  }));
  EXPECT_EQ(datagram, test::sipResponse(1));
}

TEST_F(TransportManagerTest, CloseStopsListening) {
  auto bound = manager_.listen(test::listenOn({kLoopback, 0}));
  ASSERT_TRUE(bound.ok());
  manager_.close();
  TransportManager again(io_, timers_);
  // The port is free again for both transports.
  EXPECT_TRUE(again.listen(test::listenOn(*bound)).ok());
}

TEST(TransportNames, Strings) {
  EXPECT_EQ(transportName(TransportKind::Udp), "UDP");
  EXPECT_EQ(transportName(TransportKind::Tcp), "TCP");
  EXPECT_EQ(toString(TransportErrorKind::ConnectFailed), "connect-failed");
  AddressHash hash;
  EXPECT_EQ(hash(Address{kLoopback, 1}), hash(Address{kLoopback, 1}));
  EXPECT_NE(hash(Address{kLoopback, 1}), hash(Address{kLoopback, 2}));
}

}  // namespace
}  // namespace ccsip::sip::transport
