#include "cti/client_connection.h"

#include <boost/asio/post.hpp>

namespace ccsip::cti {

std::string_view toString(CloseReason reason) {
  switch (reason) {
    case CloseReason::PeerClosed:
      return "closed by client";
    case CloseReason::IoError:
      return "I/O error";
    case CloseReason::QueueOverflow:
      return "send queue overflow";
    case CloseReason::AuthTimeout:
      return "no OpenSession in time";
    case CloseReason::ServerClosed:
      return "closed by server";
  }
  return "closed";
}

std::string endpointText(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string text = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return text + ":" + std::to_string(endpoint.port());
}

ClientConnection::ClientConnection(ClientId id, ConnectionOwner& owner,
                                   const ConnectionLimits& limits)
    : id_(id), owner_(&owner), limits_(limits) {}

bool ClientConnection::send(Text text) {
  if (closed_) return false;
  if (queue_.size() + 1 > limits_.maxQueueMessages ||
      queuedBytes_ + text->size() > limits_.maxQueueBytes) {
    close(CloseReason::QueueOverflow, std::to_string(queue_.size()) + " events, " +
                                          std::to_string(queuedBytes_) + " bytes queued");
    return false;
  }
  queuedBytes_ += text->size();
  queue_.push_back(std::move(text));
  scheduleWrite();
  return true;
}

void ClientConnection::maybeWrite() {
  if (!closed_ && !writing_ && !queue_.empty() && writable()) startWrite();
}

void ClientConnection::scheduleWrite() {
  // A write in flight takes what was queued meanwhile when it completes (writeDone).
  if (closed_ || writing_ || writePosted_ || !writable()) return;
  writePosted_ = true;
  boost::asio::post(executor(), [self = shared_from_this()] {
    self->writePosted_ = false;
    self->maybeWrite();
  });
}

void ClientConnection::writeDone(std::size_t messages) {
  writing_ = false;
  for (std::size_t i = 0; i < messages && !queue_.empty(); ++i) {
    queuedBytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  maybeWrite();
}

void ClientConnection::close(CloseReason reason, std::string_view detail) {
  if (closed_) return;
  closed_ = true;
  // The queue stays: a write still in flight references its front entries until its handler
  // runs (with operation_aborted); the memory goes with the connection.
  closeSocket();
  if (owner_ == nullptr) return;
  // Posted: close() may run inside the owner's own iteration over its clients (a fan-out
  // that overflows one of them), which must not see its table change underneath.
  auto self = shared_from_this();
  boost::asio::post(executor(), [self, reason, text = std::string(detail)] {
    if (self->owner_ != nullptr) self->owner_->onClosed(self->id_, reason, text);
  });
}

void ClientConnection::detach() {
  owner_ = nullptr;
  if (!closed_) {
    closed_ = true;
    closeSocket();
  }
}

}  // namespace ccsip::cti
