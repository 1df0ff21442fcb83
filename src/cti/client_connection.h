#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "cti/client_id.h"

namespace ccsip::cti {

enum class CloseReason : std::uint8_t {
  PeerClosed,     // EOF / WebSocket close from the client
  IoError,        // read or write error, reset, failed WebSocket handshake
  QueueOverflow,  // the client reads slower than its events come
  AuthTimeout,    // no successful OpenSession in time
  ServerClosed,   // disconnected by the server (CtiServer::disconnect)
};
std::string_view toString(CloseReason reason);

// What a connection reports to its server. Messages come from the read handler; onClosed is
// always posted (never called from inside send() or close()), so the server may close
// connections while it iterates over them.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  // One framed message (a TCP line or a whole WebSocket message), at most the size limit.
  virtual void onMessage(ClientId client, std::string_view text) = 0;
  // A message over the size limit was discarded; the connection stays up.
  virtual void onMessageTooLarge(ClientId client) = 0;
  virtual void onClosed(ClientId client, CloseReason reason, std::string_view detail) = 0;
};

// "127.0.0.1:40000" / "[::1]:40000", for logs and the admin API.
std::string endpointText(const boost::asio::ip::tcp::endpoint& endpoint);

struct ConnectionLimits {
  std::size_t maxMessageBytes = 64 * 1024;
  std::size_t maxQueueBytes = 1024 * 1024;
  std::size_t maxQueueMessages = 10'000;
};

// A CTI client's transport: framing on the read side, a bounded queue of shared, serialized
// events on the write side (one event text is shared by all its recipients). Never blocks: a
// client whose queue would pass a limit is closed (QueueOverflow).
//
// Lives in a shared_ptr held by the server and by its pending asio operations; after detach()
// late handlers do nothing.
class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  using Text = std::shared_ptr<const std::string>;

  ClientConnection(ClientId id, ConnectionOwner& owner, const ConnectionLimits& limits);
  virtual ~ClientConnection() = default;
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // Starts the handshake (WebSocket) and the read loop.
  virtual void start() = 0;

  // Queues one message (without framing). False when closed, or when the queue would pass a
  // limit: the connection is then closed with QueueOverflow. The write starts once the current
  // handler is done (posted), so the events of one burst of facts (a batch of NOTIFYs) leave in
  // one gathered write instead of one system call (and one wake-up of the client) each.
  bool send(Text text);
  // Closes now (pending writes are dropped); reported to the owner later, once.
  void close(CloseReason reason, std::string_view detail = {});
  // The owner is going away: close without reporting.
  void detach();

  ClientId id() const { return id_; }
  bool open() const { return !closed_; }
  std::size_t queuedBytes() const { return queuedBytes_; }
  std::size_t queuedMessages() const { return queue_.size(); }
  virtual std::string_view transportName() const = 0;    // "tcp" / "websocket"
  const std::string& remote() const { return remote_; }  // "127.0.0.1:40000"

 protected:
  // Called when the queue has messages and no write is in progress (and writable()).
  virtual void startWrite() = 0;
  virtual void closeSocket() = 0;
  virtual boost::asio::any_io_executor executor() = 0;
  // False until the transport can write (a WebSocket before its handshake).
  virtual bool writable() const { return true; }

  // For subclasses' read and write handlers.
  ConnectionOwner* owner() const { return owner_; }
  void writeDone(std::size_t messages);  // the first `messages` queued entries are written
  void maybeWrite();
  // maybeWrite() after the current handler (see send()).
  void scheduleWrite();
  const std::deque<Text>& queue() const { return queue_; }
  bool writing() const { return writing_; }
  void setWriting(bool writing) { writing_ = writing; }
  void setRemote(std::string remote) { remote_ = std::move(remote); }
  const ConnectionLimits& limits() const { return limits_; }

 private:
  ClientId id_;
  ConnectionOwner* owner_;  // nullptr once detached
  ConnectionLimits limits_;
  std::deque<Text> queue_;  // front entries are being written while writing_
  std::size_t queuedBytes_ = 0;
  bool writing_ = false;
  bool writePosted_ = false;  // a scheduleWrite() is pending
  bool closed_ = false;
  std::string remote_;
};

}  // namespace ccsip::cti
