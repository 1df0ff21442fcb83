#include "sip/transport/framing.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "sip/transport/head_lines.h"

namespace ccsip::sip::transport {

namespace {

// Read-size granularity: the buffer grows by at least this much so repeated small prepare()
// calls do not reallocate every time.
constexpr std::size_t kMinGrowth = 4096;

bool isContentLengthName(std::string_view name) {
  // RFC 3261 7.3.3: "l" is the compact form of Content-Length; header names are
  // case-insensitive (7.3.1).
  return HeadFields::equalsNoCase(name, "content-length") || HeadFields::equalsNoCase(name, "l");
}

}  // namespace

std::optional<std::size_t> findHeadEnd(std::string_view data, std::size_t from) {
  // The head ends with an empty line: LF followed by LF or CRLF. Searching LFs only keeps this
  // one memchr loop; the CR before the first LF needs no check.
  std::size_t pos = from;
  while (pos < data.size()) {
    const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
    if (hit == nullptr) return std::nullopt;
    const std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(hit) - data.data());
    if (lf + 1 < data.size() && data[lf + 1] == '\n') return lf + 2;
    if (lf + 2 < data.size() && data[lf + 1] == '\r' && data[lf + 2] == '\n') return lf + 3;
    pos = lf + 1;
  }
  return std::nullopt;
}

ContentLength readContentLength(std::string_view head) {
  ContentLength result;
  HeadFields fields(head);
  HeaderField field;
  while (fields.next(field)) {
    if (!isContentLengthName(field.name)) continue;
    const std::string_view text = HeadFields::trim(field.value);
    if (text.empty()) return {ContentLengthStatus::Invalid, 0};
    std::size_t value = 0;
    for (const char c : text) {
      if (c < '0' || c > '9') return {ContentLengthStatus::Invalid, 0};
      const auto digit = static_cast<std::size_t>(c - '0');
      // Saturate: a 30-digit length is syntactically fine and simply too large.
      if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10) {
        value = std::numeric_limits<std::size_t>::max();
      } else {
        value = value * 10 + digit;
      }
    }
    if (result.status == ContentLengthStatus::Ok && result.value != value) {
      // Two lengths: the stream cannot be cut unambiguously.
      return {ContentLengthStatus::Conflicting, 0};
    }
    result = {ContentLengthStatus::Ok, value};
  }
  return result;
}

StreamFramer::StreamFramer(std::size_t maxMessageSize) : maxMessageSize_(maxMessageSize) {}

void StreamFramer::compact() {
  if (start_ == 0) return;
  if (start_ < size_) std::memmove(buffer_.get(), buffer_.get() + start_, size_ - start_);
  size_ -= start_;
  start_ = 0;
}

std::span<char> StreamFramer::prepare(std::size_t size) {
  compact();
  if (capacity_ < size_ + size) {
    // Uninitialised: the bytes are about to be overwritten by a read.
    const std::size_t capacity = std::max(size_ + size, size_ + kMinGrowth);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(grown.get(), buffer_.get(), size_);
    buffer_ = std::move(grown);
    capacity_ = capacity;
  }
  return {buffer_.get() + size_, size};
}

void StreamFramer::commit(std::size_t size) {
  size_ += std::min(size, capacity_ - size_);
}

void StreamFramer::releaseIfEmpty() {
  if (start_ != size_) return;
  start_ = size_ = 0;
  buffer_.reset();
  capacity_ = 0;
}

void StreamFramer::append(std::string_view bytes) {
  if (bytes.empty()) return;
  const std::span<char> space = prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

Frame StreamFramer::fail(FrameKind kind, std::string_view error, std::size_t headBytes) {
  failed_ = kind;
  Frame frame{kind, std::string(buffer_.get() + start_, std::min(headBytes, size_ - start_)),
              error};
  // Nothing more will be framed: release the memory now rather than with the connection.
  start_ = size_ = scanned_ = headLength_ = 0;
  buffer_.reset();
  capacity_ = 0;
  return frame;
}

Frame StreamFramer::next() {
  if (failed_ != FrameKind::NeedMore) return {failed_, {}, {}};

  if (headLength_ == 0) {
    if (scanned_ == 0) {
      // RFC 3261 7.5: CRLFs before a start line are ignored over streams; RFC 5626 4.4.1: a
      // double CRLF there is a keepalive ping. LFs are counted so a ping split over reads
      // (or sent as bare LFs) is still seen.
      while (start_ < size_ && (buffer_[start_] == '\r' || buffer_[start_] == '\n')) {
        const bool lf = buffer_[start_] == '\n';
        ++start_;
        if (lf && ++lineFeedRun_ == 2) {
          lineFeedRun_ = 0;
          return {FrameKind::Ping, {}, {}};
        }
      }
      if (start_ == size_) {
        start_ = size_ = 0;  // all consumed: reuse the buffer from its start
        return {};
      }
      lineFeedRun_ = 0;  // a message starts: the CRLFs before it were not a ping
    }

    const std::string_view pending(buffer_.get() + start_, size_ - start_);
    // Resume the search a little before where it stopped: the empty line may straddle reads.
    const std::size_t from = scanned_ > 2 ? scanned_ - 2 : 0;
    const auto headEnd = findHeadEnd(pending, from);
    if (!headEnd) {
      scanned_ = std::max<std::size_t>(pending.size(), 1);
      if (pending.size() > maxMessageSize_) {
        return fail(FrameKind::TooLarge, "head exceeds the size limit", maxMessageSize_);
      }
      return {};
    }
    if (*headEnd > maxMessageSize_) {
      return fail(FrameKind::TooLarge, "head exceeds the size limit", maxMessageSize_);
    }
    const ContentLength length = readContentLength(pending.substr(0, *headEnd));
    switch (length.status) {
      case ContentLengthStatus::Ok:
        break;
      case ContentLengthStatus::Missing:
        // RFC 3261 18.3: Content-Length MUST be used with stream-oriented transports.
        return fail(FrameKind::Malformed, "missing Content-Length", 0);
      case ContentLengthStatus::Invalid:
        return fail(FrameKind::Malformed, "invalid Content-Length", 0);
      case ContentLengthStatus::Conflicting:
        return fail(FrameKind::Malformed, "conflicting Content-Length headers", 0);
    }
    if (length.value > maxMessageSize_ - *headEnd) {
      // Known from the head alone: answer before the body arrives.
      return fail(FrameKind::TooLarge, "message exceeds the size limit", *headEnd);
    }
    headLength_ = *headEnd;
    bodyLength_ = length.value;
  }

  const std::size_t total = headLength_ + bodyLength_;
  if (size_ - start_ < total) return {};
  Frame frame{FrameKind::Message, std::string(buffer_.get() + start_, total), {}};
  start_ += total;
  if (start_ == size_) start_ = size_ = 0;
  scanned_ = headLength_ = bodyLength_ = 0;
  return frame;
}

}  // namespace ccsip::sip::transport
