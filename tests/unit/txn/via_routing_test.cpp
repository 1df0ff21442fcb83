// RFC 3261 18.2.1 / 18.2.2 and RFC 3581: received/rport on requests, response destinations.

#include "sip/txn/via_routing.h"

#include <gtest/gtest.h>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

sip::Message requestWithVia(std::string_view via) {
  RequestText text;
  text.via = std::string(via);
  return text.message();
}

TEST(ViaRoutingTest, ReceivedAddedWhenSentByIsAName) {
  sip::Message request = requestWithVia("SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa");
  addReceivedParams(request, udpPeer("198.51.100.7", 5060));
  EXPECT_EQ(request.topVia()->received, "198.51.100.7");
  EXPECT_FALSE(request.topVia()->hasRport);
}

TEST(ViaRoutingTest, NothingAddedWhenSentByIsTheSource) {
  sip::Message request = requestWithVia("SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKa");
  addReceivedParams(request, udpPeer("198.51.100.7", 5060));
  EXPECT_TRUE(request.topVia()->received.empty());
}

TEST(ViaRoutingTest, RportFilledAndReceivedAlwaysAdded) {
  // RFC 3581 4: received= even when equal to sent-by, rport= the source port.
  sip::Message request = requestWithVia("SIP/2.0/UDP 198.51.100.7:5060;rport;branch=z9hG4bKa");
  addReceivedParams(request, udpPeer("198.51.100.7", 41234));
  EXPECT_EQ(request.topVia()->received, "198.51.100.7");
  ASSERT_TRUE(request.topVia()->rport.has_value());
  EXPECT_EQ(*request.topVia()->rport, 41234);
  EXPECT_EQ(request.topVia()->branch, "z9hG4bKa");
}

TEST(ViaRoutingTest, Ipv6SentByComparedAsAddress) {
  sip::Message request = requestWithVia("SIP/2.0/UDP [2001:db8:0::10]:5060;branch=z9hG4bKa");
  Peer from = udpPeer("2001:db8::10", 5060);
  addReceivedParams(request, from);
  EXPECT_TRUE(request.topVia()->received.empty());
}

transport::Peer routeFor(std::string_view via, const Peer& from) {
  sip::Message request = requestWithVia(via);
  addReceivedParams(request, from);
  return responseDestinationFor(sip::makeResponse(request, 200, "OK", "t"), from);
}

TEST(ViaRoutingTest, UdpResponseToRportAndReceived) {
  Peer to =
      routeFor("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKa", udpPeer("198.51.100.7", 41234));
  EXPECT_EQ(to.remote, addr("198.51.100.7", 41234));
  EXPECT_EQ(to.kind, TransportKind::Udp);
}

TEST(ViaRoutingTest, UdpResponseToReceivedAndSentByPort) {
  Peer to = routeFor("SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKa", udpPeer("198.51.100.7", 41234));
  EXPECT_EQ(to.remote, addr("198.51.100.7", 5070));
}

TEST(ViaRoutingTest, UdpResponseToDefaultPort) {
  Peer to = routeFor("SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKa", udpPeer("198.51.100.7", 41234));
  EXPECT_EQ(to.remote, addr("198.51.100.7", 5060));
}

TEST(ViaRoutingTest, TcpResponseOnTheSameConnection) {
  Peer to =
      routeFor("SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKa", tcpPeer("198.51.100.7", 40001, 42));
  EXPECT_EQ(to.kind, TransportKind::Tcp);
  EXPECT_EQ(to.connectionId, 42u);
  EXPECT_EQ(to.remote, addr("198.51.100.7", 40001));
}

TEST(ViaRoutingTest, LayerRoutesStatelessResponses) {
  sip::Message request = requestWithVia("SIP/2.0/UDP 10.0.0.1:5080;branch=z9hG4bKa");
  request.setTopViaReceived("198.51.100.9", std::nullopt);
  Peer to = TransactionLayer::responseDestination(sip::makeResponse(request, 200, "OK", "t"),
                                                  udpPeer("198.51.100.9", 1));
  EXPECT_EQ(to.remote, addr("198.51.100.9", 5080));
}

TEST(ViaRoutingTest, MakeViaValue) {
  EXPECT_EQ(makeViaValue(TransportKind::Tcp, addr("::1", 5061), "z9hG4bKx"),
            "SIP/2.0/TCP [::1]:5061;branch=z9hG4bKx;rport");
  EXPECT_EQ(formatHostPort(addr("192.0.2.1", 5060)), "192.0.2.1:5060");
}

}  // namespace
}  // namespace ccsip::sip::txn::test
