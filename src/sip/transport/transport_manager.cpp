#include "sip/transport/transport_manager.h"

#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include "sip/transport/endpoint.h"

namespace ccsip::sip::transport {

namespace {

// With port 0 the port UDP got may already hold a TCP listener of another process; a few
// fresh ephemeral ports make a collision on all of them vanishingly unlikely.
constexpr int kSharedPortAttempts = 8;

util::Error bindError(const Address& address, std::string_view kind,
                      const boost::system::error_code& ec) {
  return util::makeError(0, std::string(kind) + " " + toString(address) + ": " + ec.message());
}

}  // namespace

boost::asio::ip::address primaryInterfaceAddress(boost::asio::io_context& io, bool v6) {
  // TEST-NET-1 / the IPv6 documentation prefix (RFC 5737, RFC 3849): routed like any public
  // address, and nothing is sent by a UDP connect.
  const boost::asio::ip::udp::endpoint probe(v6 ? boost::asio::ip::make_address("2001:db8::1")
                                                : boost::asio::ip::make_address("192.0.2.1"),
                                             9);
  boost::system::error_code ec;
  boost::asio::ip::udp::socket socket(io);
  socket.open(probe.protocol(), ec);
  if (!ec) socket.connect(probe, ec);
  if (!ec) {
    const auto local = socket.local_endpoint(ec);
    if (!ec && !local.address().is_unspecified()) return local.address();
  }
  return v6 ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
            : boost::asio::ip::address(boost::asio::ip::address_v4::loopback());
}

TransportManager::TransportManager(boost::asio::io_context& io, util::TimerService& timers,
                                   TransportOptions options)
    : io_(io), tcp_(io, timers, std::move(options.tcp)) {}

TransportManager::~TransportManager() {
  close();
}

void TransportManager::setSink(MessageSink* sink) {
  udp_.setSink(sink);
  tcp_.setSink(sink);
}

util::Result<Address> TransportManager::listen(const ListenOptions& options) {
  if (!options.udp && !options.tcp) return util::makeError(0, "listen: neither UDP nor TCP");
  namespace ip = boost::asio::ip;
  const bool v6 = options.address.ip.is_v6();
  const bool sharePort = options.address.port == 0 && options.udp && options.tcp;

  for (int attempt = 0; attempt < kSharedPortAttempts; ++attempt) {
    boost::system::error_code ec;
    Address bound = options.address;

    ip::udp::socket udp(io_);
    if (options.udp) {
      udp.open(v6 ? ip::udp::v6() : ip::udp::v4(), ec);
      if (!ec && v6) udp.set_option(ip::v6_only(true), ec);
      if (!ec && options.udpReceiveBufferBytes > 0) {
        boost::system::error_code ignored;  // best effort: the kernel caps it at rmem_max
        udp.set_option(boost::asio::socket_base::receive_buffer_size(options.udpReceiveBufferBytes),
                       ignored);
      }
      if (!ec) udp.bind(toUdpEndpoint(options.address), ec);
      if (ec) return bindError(options.address, "UDP", ec);
      bound.port = udp.local_endpoint(ec).port();
      if (ec) return bindError(options.address, "UDP", ec);
    }

    ip::tcp::acceptor acceptor(io_);
    if (options.tcp) {
      acceptor.open(v6 ? ip::tcp::v6() : ip::tcp::v4(), ec);
      if (!ec && v6) acceptor.set_option(ip::v6_only(true), ec);
      // Restarting while old connections sit in TIME_WAIT must not fail the bind. (On Linux
      // this never lets two listeners share a port.)
      if (!ec) acceptor.set_option(ip::tcp::acceptor::reuse_address(true), ec);
      if (!ec) acceptor.bind(toTcpEndpoint(bound), ec);
      if (ec == boost::asio::error::address_in_use && sharePort) {
        spdlog::debug("TCP port {} taken, trying another shared port", bound.port);
        continue;  // closes this UDP socket; try a fresh ephemeral port
      }
      if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
      if (ec) return bindError(bound, "TCP", ec);
      if (!options.udp) bound.port = acceptor.local_endpoint(ec).port();
    }

    Listener listener;
    listener.bound = bound;
    listener.udp = options.udp;
    listener.tcp = options.tcp;
    listener.advertised.ip = options.advertisedIp        ? *options.advertisedIp
                             : bound.ip.is_unspecified() ? primaryInterfaceAddress(io_, v6)
                                                         : bound.ip;
    listener.advertised.port = options.advertisedPort != 0 ? options.advertisedPort : bound.port;
    listeners_.push_back(listener);
    if (options.udp) udp_.adopt(std::move(udp));
    if (options.tcp) tcp_.adopt(std::move(acceptor));
    spdlog::info("SIP listening on {}{}{} (advertised {})", toString(bound),
                 options.udp ? " UDP" : "", options.tcp ? " TCP" : "",
                 toString(listener.advertised));
    return bound;
  }
  return util::makeError(
      0, "listen " + toString(options.address) + ": no port free for both UDP and TCP");
}

bool TransportManager::send(const Peer& to, std::string_view bytes) {
  switch (to.kind) {
    case TransportKind::Udp:
      return udp_.send(to, bytes);
    case TransportKind::Tcp:
      return tcp_.send(to, bytes);
  }
  return false;
}

const TransportManager::Listener* TransportManager::listenerFor(
    TransportKind kind, const boost::asio::ip::address* family) const {
  for (const Listener& listener : listeners_) {
    const bool hasKind = kind == TransportKind::Udp ? listener.udp : listener.tcp;
    if (!hasKind) continue;
    if (family != nullptr && listener.bound.ip.is_v4() != family->is_v4()) continue;
    return &listener;
  }
  return nullptr;
}

Address TransportManager::localAddress(TransportKind kind) const {
  const Listener* listener = listenerFor(kind, nullptr);
  return listener != nullptr ? listener->advertised : Address{};
}

Address TransportManager::localAddressFor(TransportKind kind, const Address& remote) const {
  const Listener* listener = listenerFor(kind, &remote.ip);
  return listener != nullptr ? listener->advertised : localAddress(kind);
}

void TransportManager::close() {
  udp_.close();
  tcp_.close();
}

}  // namespace ccsip::sip::transport
