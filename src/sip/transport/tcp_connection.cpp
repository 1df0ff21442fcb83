#include "sip/transport/tcp_connection.h"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "sip/transport/endpoint.h"
#include "sip/transport/stateless_response.h"

namespace ccsip::sip::transport {

namespace {

constexpr std::size_t kDrainChunk = 4096;

// A view over the first `count` buffers of an array, so a gathered write allocates nothing.
struct BufferRange {
  const boost::asio::const_buffer* first;
  const boost::asio::const_buffer* last;
  const boost::asio::const_buffer* begin() const { return first; }
  const boost::asio::const_buffer* end() const { return last; }
};

// Most writes carry one message; a burst (a pipelined peer, NOTIFY fan-out) goes out gathered.
constexpr std::size_t kMaxGather = 16;

util::Duration ceilToDuration(util::Clock::duration d) {
  return std::chrono::ceil<util::Duration>(d);
}

}  // namespace

std::string_view toString(CloseCause cause) {
  switch (cause) {
    case CloseCause::Local:
      return "closed locally";
    case CloseCause::PeerClosed:
      return "closed by peer";
    case CloseCause::Idle:
      return "idle";
    case CloseCause::ConnectFailed:
      return "connect failed";
    case CloseCause::IoError:
      return "I/O error";
    case CloseCause::SendQueueOverflow:
      return "send queue overflow";
    case CloseCause::FramingError:
      return "framing error";
  }
  return "unknown";
}

TcpConnection::TcpConnection(TcpConnectionContext& context, std::uint64_t id,
                             boost::asio::ip::tcp::socket socket)
    : context_(&context),
      id_(id),
      socket_(std::move(socket)),
      framer_(context.options.maxMessageSize) {}

TcpConnection::~TcpConnection() {
  if (context_ != nullptr && timer_ != 0) context_->timers.cancel(timer_);
}

void TcpConnection::startAccepted() {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (ec) {  // reset between accept and now
    close(CloseCause::IoError, ec.message());
    return;
  }
  remote_ = toAddress(remote);
  local_ = toAddress(socket_.local_endpoint(ec));
  state_ = State::Open;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // reads are attempted when the socket is readable
  touch();
  if (context_->options.idleTimeout.count() > 0) armTimer(context_->options.idleTimeout);
  startRead();
}

void TcpConnection::startConnect(const Address& remote,
                                 const std::optional<boost::asio::ip::address>& bindIp) {
  remote_ = remote;
  state_ = State::Connecting;
  boost::system::error_code ec;
  socket_.open(remote.ip.is_v4() ? boost::asio::ip::tcp::v4() : boost::asio::ip::tcp::v6(), ec);
  // Connect from the listening address, so the peer sees the configured source IP.
  if (!ec && bindIp) socket_.bind({*bindIp, 0}, ec);
  if (ec) {
    // The caller is inside Transport::send: the failure is reported from the event loop.
    boost::asio::post(socket_.get_executor(), [self = shared_from_this(), why = ec.message()] {
      self->close(CloseCause::ConnectFailed, why);
    });
    return;
  }
  if (context_->options.connectTimeout.count() > 0) armTimer(context_->options.connectTimeout);
  socket_.async_connect(toTcpEndpoint(remote),
                        [self = shared_from_this()](const boost::system::error_code& error) {
                          if (self->context_ == nullptr || self->state_ != State::Connecting) {
                            return;
                          }
                          if (error) {
                            self->close(CloseCause::ConnectFailed, error.message());
                            return;
                          }
                          self->onOpen();
                        });
}

void TcpConnection::onOpen() {
  boost::system::error_code ec;
  local_ = toAddress(socket_.local_endpoint(ec));
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // reads are attempted when the socket is readable
  state_ = State::Open;
  ++context_->counters.connectionsConnected;
  touch();
  if (timer_ != 0) {
    context_->timers.cancel(timer_);
    timer_ = 0;
  }
  if (context_->options.idleTimeout.count() > 0) armTimer(context_->options.idleTimeout);
  context_->owner.onConnected(*this);
  if (context_ == nullptr || state_ != State::Open) return;
  startRead();
  if (!queue_.empty() && writing_ == 0) startWrite();
}

bool TcpConnection::send(std::string_view bytes) {
  if (!usable()) return false;
  return enqueue(std::string(bytes), true);
}

bool TcpConnection::enqueue(std::string bytes, bool message) {
  const std::size_t limit = context_->options.maxSendQueueBytes;
  if (queuedBytes_ + bytes.size() > limit) {
    ++context_->counters.sendQueueOverflows;
    spdlog::warn("TCP#{} to {}: send queue over {} bytes (peer not reading), closing", id_,
                 toString(remote_), limit);
    close(CloseCause::SendQueueOverflow, "send queue full");
    return false;
  }
  queuedBytes_ += bytes.size();
  queue_.push_back(Outgoing{std::move(bytes), message});
  if ((state_ == State::Open || state_ == State::Closing) && writing_ == 0) startWrite();
  return true;
}

void TcpConnection::startRead() {
  // Wait for readability, then read into the framer: an idle connection holds no read buffer
  // (thousands of phones may keep TCP connections open for hours).
  socket_.async_wait(
      boost::asio::ip::tcp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->onReadable(ec); });
}

void TcpConnection::onReadable(const boost::system::error_code& ec) {
  if (context_ == nullptr || state_ != State::Open) return;
  if (ec) {
    close(CloseCause::IoError, ec.message());
    return;
  }
  const std::span<char> space = framer_.prepare(context_->options.readChunk);
  boost::system::error_code readError;
  const std::size_t size =
      socket_.read_some(boost::asio::buffer(space.data(), space.size()), readError);
  if (readError == boost::asio::error::would_block || readError == boost::asio::error::try_again) {
    framer_.releaseIfEmpty();
    startRead();  // a spurious wakeup
    return;
  }
  onRead(readError, size);
}

void TcpConnection::onRead(const boost::system::error_code& ec, std::size_t size) {
  if (ec) {
    if (ec == boost::asio::error::eof) {
      close(CloseCause::PeerClosed, "closed by peer");
    } else {
      close(CloseCause::IoError, ec.message());
    }
    return;
  }
  framer_.commit(size);
  context_->counters.bytesIn += size;
  touch();
  for (;;) {
    Frame frame = framer_.next();
    switch (frame.kind) {
      case FrameKind::NeedMore:
        framer_.releaseIfEmpty();
        startRead();
        return;
      case FrameKind::Message:
        context_->owner.onMessage(*this, std::move(frame.bytes));
        // The sink may have closed this connection or the whole transport.
        if (context_ == nullptr || state_ != State::Open) return;
        break;
      case FrameKind::Ping:
        // RFC 5626 4.4.1: answer a double-CRLF ping with a single CRLF pong.
        ++context_->counters.keepalivesIn;
        if (!enqueue("\r\n", false)) return;
        break;
      case FrameKind::TooLarge: {
        ++context_->counters.tooLarge;
        spdlog::info("TCP#{} from {}: {} (limit {} bytes), answering 513 and closing", id_,
                     toString(remote_), frame.error, context_->options.maxMessageSize);
        // RFC 3261 18.3 / 21.5.14: 513 for a request; a response is just dropped.
        if (auto response = buildTooLargeResponse(frame.bytes, context_->random.tag())) {
          if (!enqueue(std::move(*response), true)) return;
        }
        beginClosing(frame.error);
        return;
      }
      case FrameKind::Malformed:
        ++context_->counters.framingErrors;
        spdlog::info("TCP#{} from {}: {}, closing", id_, toString(remote_), frame.error);
        close(CloseCause::FramingError, frame.error);
        return;
    }
  }
}

void TcpConnection::startWrite() {
  std::array<boost::asio::const_buffer, kMaxGather> buffers;
  const std::size_t count = std::min(queue_.size(), kMaxGather);
  for (std::size_t i = 0; i < count; ++i) {
    buffers[i] = boost::asio::buffer(queue_[i].bytes);
  }
  writing_ = count;
  // async_write copies the buffer descriptors it is given; the bytes themselves stay in queue_
  // (deque elements do not move on push_back) until the handler pops them.
  boost::asio::async_write(
      socket_, BufferRange{buffers.data(), buffers.data() + count},
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t size) {
        self->onWrite(ec, size);
      });
}

void TcpConnection::onWrite(const boost::system::error_code& ec, std::size_t size) {
  if (context_ == nullptr || state_ == State::Closed) return;
  if (ec) {
    close(CloseCause::IoError, ec.message());
    return;
  }
  for (std::size_t i = 0; i < writing_; ++i) {
    if (queue_.front().message) ++context_->counters.messagesOut;
    queuedBytes_ -= queue_.front().bytes.size();
    queue_.pop_front();
  }
  writing_ = 0;
  context_->counters.bytesOut += size;
  touch();
  if (!queue_.empty()) {
    startWrite();
  } else if (state_ == State::Closing) {
    finishClosing();
  }
}

void TcpConnection::beginClosing(std::string_view reason) {
  state_ = State::Closing;
  closingReason_ = reason;
  armTimer(context_->options.lingerTimeout);
  if (writing_ == 0) {
    if (queue_.empty()) {
      finishClosing();
    } else {
      startWrite();
    }
  }
}

void TcpConnection::finishClosing() {
  // Half-close and read until the peer closes too: closing with unread input would answer
  // with a RST, and the peer could lose the 513 still in its receive buffer.
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  startDrain();
}

void TcpConnection::startDrain() {
  if (!drainBuffer_) drainBuffer_ = std::make_unique<char[]>(kDrainChunk);
  socket_.async_read_some(
      boost::asio::buffer(drainBuffer_.get(), kDrainChunk),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t size) {
        if (self->context_ == nullptr || self->state_ != State::Closing) return;
        if (ec) {
          self->close(CloseCause::FramingError, self->closingReason_);
          return;
        }
        self->context_->counters.bytesIn += size;
        self->startDrain();
      });
}

void TcpConnection::armTimer(util::Duration after) {
  if (context_ == nullptr) return;
  if (timer_ != 0) context_->timers.cancel(timer_);
  timer_ = context_->timers.schedule(after, [weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->timer_ = 0;
      self->onTimer();
    }
  });
}

void TcpConnection::onTimer() {
  if (context_ == nullptr) return;
  switch (state_) {
    case State::Connecting:
      close(CloseCause::ConnectFailed, "connect timeout");
      return;
    case State::Open: {
      const util::Duration idle = context_->options.idleTimeout;
      const auto elapsed = context_->timers.now() - lastActivity_;
      if (elapsed >= idle) {
        ++context_->counters.connectionsClosedIdle;
        close(CloseCause::Idle, "idle timeout");
      } else {
        // Activity since the timer was armed: sleep for the rest of the idle period only
        // (the timer is re-armed once per period, not on every read and write).
        armTimer(ceilToDuration(idle - elapsed));
      }
      return;
    }
    case State::Closing:
      close(CloseCause::FramingError, closingReason_);
      return;
    case State::Closed:
      return;
  }
}

void TcpConnection::touch() {
  lastActivity_ = context_->timers.now();
}

void TcpConnection::close(CloseCause cause, std::string_view reason) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  if (context_ != nullptr && timer_ != 0) context_->timers.cancel(timer_);
  timer_ = 0;
  const auto dropped = static_cast<std::size_t>(
      std::count_if(queue_.begin(), queue_.end(), [](const Outgoing& o) { return o.message; }));
  // The queue and the read buffer stay until the object dies: a cancelled operation may still
  // hold pointers into them until its handler has run.
  boost::system::error_code ec;
  socket_.close(ec);
  if (context_ != nullptr) {
    context_->owner.onClosed(*this, TcpCloseInfo{cause, dropped, std::string(reason)});
  }
}

void TcpConnection::detach() {
  if (context_ != nullptr && timer_ != 0) context_->timers.cancel(timer_);
  timer_ = 0;
  context_ = nullptr;
  state_ = State::Closed;
  boost::system::error_code ec;
  socket_.close(ec);
}

}  // namespace ccsip::sip::transport
