#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "sip/transport/tcp_options.h"
#include "sip/transport/tcp_transport.h"
#include "sip/transport/transport.h"
#include "sip/transport/transport_counters.h"
#include "sip/transport/udp_transport.h"
#include "util/result.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {

struct ListenOptions {
  // Where to listen; port 0 picks an ephemeral port, the same one for UDP and TCP.
  Address address;
  bool udp = true;
  bool tcp = true;
  // What Via sent-by / Contact carry (localAddress). Unset: the bound address, or when that is
  // a wildcard (0.0.0.0, ::), the address of the interface holding the default route.
  std::optional<boost::asio::ip::address> advertisedIp;
  std::uint16_t advertisedPort = 0;  // 0: the bound port
  // SO_RCVBUF asked for the UDP socket (the kernel may cap it): absorbs bursts while the single
  // signalling thread is busy. 0: the system default.
  int udpReceiveBufferBytes = 1 << 20;
};

struct TransportOptions {
  TcpOptions tcp;
};

// The SIP transport of the server: UDP and TCP on the same address and port (RFC 3261 18:
// "implementations MUST be able to handle messages up to the maximum datagram packet size" on
// UDP and MUST support TCP; a server listening on a port listens on both), IPv4 and/or IPv6
// (call listen() once per address).
//
// Wiring: construct, setSink (the transaction layer), optionally setErrorHandler, listen(),
// then run the io_context. Single-threaded: every call on the io_context's thread.
class TransportManager final : public Transport {
 public:
  TransportManager(boost::asio::io_context& io, util::TimerService& timers,
                   TransportOptions options = {});
  ~TransportManager() override;
  TransportManager(const TransportManager&) = delete;
  TransportManager& operator=(const TransportManager&) = delete;

  void setSink(MessageSink* sink);
  void setErrorHandler(TransportErrorHandler* handler) { tcp_.setErrorHandler(handler); }

  // Binds UDP and/or TCP; returns the bound address (the actual port when 0 was asked). With
  // port 0 and both transports, UDP picks the port and TCP takes the same one, retrying with a
  // fresh port when TCP's is taken. IPv6 sockets are v6-only, so "::" and "0.0.0.0" can both
  // listen on one port.
  util::Result<Address> listen(const ListenOptions& options);

  // Transport
  bool send(const Peer& to, std::string_view bytes) override;
  Address localAddress(TransportKind kind) const override;
  Address localAddressFor(TransportKind kind, const Address& remote) const override;

  // Stops listening and closes every connection.
  void close();

  TransportStats stats() const { return {udp_.counters(), tcp_.counters()}; }
  UdpTransport& udp() { return udp_; }
  TcpTransport& tcp() { return tcp_; }

 private:
  struct Listener {
    Address bound;
    Address advertised;
    bool udp = false;
    bool tcp = false;
  };

  const Listener* listenerFor(TransportKind kind, const boost::asio::ip::address* family) const;

  boost::asio::io_context& io_;
  UdpTransport udp_;
  TcpTransport tcp_;
  std::vector<Listener> listeners_;
};

// The address of the interface a packet to the outside would leave from (a UDP "connect",
// which sends nothing); loopback when there is no route. For advertising a wildcard bind.
boost::asio::ip::address primaryInterfaceAddress(boost::asio::io_context& io, bool v6);

}  // namespace ccsip::sip::transport
