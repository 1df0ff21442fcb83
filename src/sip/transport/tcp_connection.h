#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "sip/transport/framing.h"
#include "sip/transport/tcp_options.h"
#include "sip/transport/transport.h"
#include "sip/transport/transport_counters.h"
#include "util/random.h"
#include "util/timer_service.h"

namespace ccsip::sip::transport {

class TcpConnection;

enum class CloseCause : std::uint8_t {
  Local,              // closed by the owner (shutdown, explicit close)
  PeerClosed,         // EOF from the peer
  Idle,               // no traffic for TcpOptions::idleTimeout
  ConnectFailed,      // outbound connect failed or timed out
  IoError,            // read/write error, reset
  SendQueueOverflow,  // more than TcpOptions::maxSendQueueBytes unsent
  FramingError,       // bad/missing Content-Length, or a too-large message (after its 513)
};
std::string_view toString(CloseCause cause);

struct TcpCloseInfo {
  CloseCause cause = CloseCause::Local;
  std::size_t messagesDropped = 0;  // queued messages never fully written
  std::string reason;
};

// What a connection tells its owner. Calls come from asio handlers or timers, except that
// onClosed may also come from inside TcpConnection::send (queue overflow).
class TcpConnectionOwner {
 public:
  virtual ~TcpConnectionOwner() = default;
  virtual void onConnected(TcpConnection& connection) = 0;
  virtual void onMessage(TcpConnection& connection, std::string bytes) = 0;
  virtual void onClosed(TcpConnection& connection, const TcpCloseInfo& info) = 0;
};

// What connections share, owned by the transport.
struct TcpConnectionContext {
  util::TimerService& timers;
  const TcpOptions& options;
  TransportCounters& counters;
  TcpConnectionOwner& owner;
  util::Random& random;  // To tags of 513 responses
};

// One SIP-over-TCP connection: a framer on the read side (RFC 3261 18.3, RFC 5626 pings), a
// bounded queue on the write side, and one timer (connect timeout, idle timeout, linger).
// Lives in a shared_ptr held by its owner's table and by its pending asio operations; after
// the owner detaches it, late handlers do nothing.
class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  enum class State : std::uint8_t { Connecting, Open, Closing, Closed };

  TcpConnection(TcpConnectionContext& context, std::uint64_t id,
                boost::asio::ip::tcp::socket socket);
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // An accepted socket: starts reading.
  void startAccepted();
  // Outbound: connects the (unopened) socket to `remote`, from `bindIp` when given. Messages
  // sent meanwhile are queued. Failures are reported asynchronously, never from here.
  void startConnect(const Address& remote, const std::optional<boost::asio::ip::address>& bindIp);

  // Queues bytes. False when the connection is closing/closed, or when the bytes would take
  // the queue over its limit: the connection is then closed (SendQueueOverflow).
  bool send(std::string_view bytes);

  // Closes at once; reported to the owner with `cause`.
  void close(CloseCause cause, std::string_view reason);
  // The owner is going away: cancel everything, no more callbacks.
  void detach();

  std::uint64_t id() const { return id_; }
  State state() const { return state_; }
  bool usable() const { return state_ == State::Connecting || state_ == State::Open; }
  const Address& remote() const { return remote_; }
  const Address& local() const { return local_; }
  Peer peer() const { return Peer{TransportKind::Tcp, remote_, local_, id_}; }
  std::size_t queuedBytes() const { return queuedBytes_; }

 private:
  struct Outgoing {
    std::string bytes;
    bool message = true;  // false: a keepalive answer (not counted as a message)
  };

  bool enqueue(std::string bytes, bool message);
  void onOpen();
  void startRead();
  void onReadable(const boost::system::error_code& ec);
  void onRead(const boost::system::error_code& ec, std::size_t size);
  void startWrite();
  void onWrite(const boost::system::error_code& ec, std::size_t size);
  void beginClosing(std::string_view reason);
  void finishClosing();
  void startDrain();
  void armTimer(util::Duration after);
  void onTimer();
  void touch();

  TcpConnectionContext* context_;  // nullptr once detached
  std::uint64_t id_;
  boost::asio::ip::tcp::socket socket_;
  State state_ = State::Connecting;
  Address remote_;
  Address local_;
  StreamFramer framer_;
  std::deque<Outgoing> queue_;  // front entries [0, writing_) are being written
  std::size_t writing_ = 0;
  std::size_t queuedBytes_ = 0;
  util::TimePoint lastActivity_{};
  util::TimerId timer_ = 0;
  std::unique_ptr<char[]> drainBuffer_;  // only while lingering after a 513
  std::string closingReason_;
};

}  // namespace ccsip::sip::transport
