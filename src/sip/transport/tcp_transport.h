#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "sip/transport/tcp_connection.h"
#include "sip/transport/tcp_options.h"
#include "sip/transport/transport.h"
#include "sip/transport/transport_counters.h"
#include "util/random.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {

// SIP over TCP (RFC 3261 18.3): accepts on every adopted acceptor, frames each connection's
// stream, and sends on the connection a message names, else on one open to its address, else
// on a new connection (messages queue while it connects). Connection ids start at 1 and are
// never reused for the life of the transport.
//
// Single-threaded: every call on the io_context's thread. Timers (connect, idle, linger) run
// on the injected TimerService. Destroy it while the io_context is alive.
class TcpTransport final : private TcpConnectionOwner {
 public:
  TcpTransport(boost::asio::io_context& io, util::TimerService& timers, TcpOptions options = {});
  ~TcpTransport() override;
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  // Messages received without a sink are dropped (and counted).
  void setSink(MessageSink* sink) { sink_ = sink; }
  void setErrorHandler(TransportErrorHandler* handler) { errorHandler_ = handler; }

  // Takes an open, bound, listening acceptor and starts accepting. Outbound connections to
  // its address family are bound to its address (unless that is a wildcard).
  void adopt(boost::asio::ip::tcp::acceptor acceptor);

  bool send(const Peer& to, std::string_view bytes);

  // Stops accepting and drops every connection (no error reports). Safe inside the sink.
  void close();
  // Closes one connection now. False when no such connection is open.
  bool closeConnection(std::uint64_t connectionId);

  bool isOpen(std::uint64_t connectionId) const;  // connecting or open
  std::size_t connectionCount() const { return connections_.size(); }
  // The id of a connecting or open connection to `remote`, or 0.
  std::uint64_t connectionTo(const Address& remote) const;

  const TransportCounters& counters() const { return counters_; }
  const TcpOptions& options() const { return options_; }

 private:
  struct Acceptor;

  void startAccept(Acceptor& acceptor);
  void onAccepted(boost::asio::ip::tcp::socket socket);
  std::shared_ptr<TcpConnection> find(const Peer& to) const;
  std::optional<boost::asio::ip::address> bindAddressFor(const boost::asio::ip::address& to) const;
  void removeFromIndex(const TcpConnection& connection);
  void report(TransportError error);

  // TcpConnectionOwner
  void onConnected(TcpConnection& connection) override;
  void onMessage(TcpConnection& connection, std::string bytes) override;
  void onClosed(TcpConnection& connection, const TcpCloseInfo& info) override;

  boost::asio::io_context& io_;
  util::TimerService& timers_;
  TcpOptions options_;
  TransportCounters counters_;
  util::Random random_;
  TcpConnectionContext context_;
  MessageSink* sink_ = nullptr;
  TransportErrorHandler* errorHandler_ = nullptr;
  // Acceptors are only closed, never erased, before the destructor (handlers hold pointers).
  std::vector<std::unique_ptr<Acceptor>> acceptors_;
  std::unordered_map<std::uint64_t, std::shared_ptr<TcpConnection>> connections_;
  std::unordered_multimap<Address, std::uint64_t, AddressHash> byRemote_;
  std::uint64_t nextId_ = 1;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // handlers hold it weakly
};

}  // namespace ccsip::sip::transport
