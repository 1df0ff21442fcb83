#pragma once

// Cuts SIP messages out of a TCP byte stream (RFC 3261 18.3). Pure: no I/O, no allocation
// beyond its own buffer, never throws on any input, so it is unit-tested byte by byte and fuzzed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ccsip::sip::transport {

// Largest message (start line + headers + body) accepted over a stream. Bounds the memory one
// connection can pin; a bigger one is answered 513 Message Too Large (RFC 3261 21.5.14).
inline constexpr std::size_t kMaxStreamMessageSize = 64 * 1024;

enum class FrameKind : std::uint8_t {
  NeedMore,   // no complete message buffered: read more
  Message,    // Frame::bytes holds one complete message (headers + Content-Length body)
  Ping,       // RFC 5626 4.4.1: a double CRLF between messages; answer with one CRLF (pong)
  TooLarge,   // over the size limit: answer 513 (built from Frame::bytes, the head) and close
  Malformed,  // no usable Content-Length: the stream cannot be framed any more; close
};

struct Frame {
  FrameKind kind = FrameKind::NeedMore;
  // Message: the message. TooLarge: the head received so far (start line and complete header
  // lines, at most the size limit), for building the 513. Empty otherwise.
  std::string bytes;
  // TooLarge / Malformed: why, for the log line. Static strings.
  std::string_view error;
};

// Usage per read: prepare() a span, read into it, commit() what was read (or append() bytes
// read elsewhere), then call next() until it returns NeedMore. After TooLarge or Malformed the
// framer is failed: next() repeats that kind (with no bytes) and the connection must close.
class StreamFramer {
 public:
  explicit StreamFramer(std::size_t maxMessageSize = kMaxStreamMessageSize);

  void append(std::string_view bytes);
  // A writable span of `size` bytes at the end of the buffer, valid until the next call on the
  // framer; commit(n) makes its first n bytes part of the stream.
  std::span<char> prepare(std::size_t size);
  void commit(std::size_t size);

  Frame next();

  // Frees the buffer when nothing is buffered, so an idle connection pins no memory.
  void releaseIfEmpty();

  std::size_t buffered() const { return size_ - start_; }  // bytes not yet returned
  bool failed() const { return failed_ != FrameKind::NeedMore; }

 private:
  Frame fail(FrameKind kind, std::string_view error, std::size_t headBytes);
  void compact();

  std::size_t maxMessageSize_;
  std::unique_ptr<char[]> buffer_;  // [start_, size_) is the unconsumed stream
  std::size_t capacity_ = 0;
  std::size_t start_ = 0;       // first byte of the message being assembled
  std::size_t size_ = 0;        // bytes of buffer_ in use
  std::size_t scanned_ = 0;     // bytes after start_ already searched for the end of the head
  std::size_t headLength_ = 0;  // 0 while the end of the head is not found
  std::size_t bodyLength_ = 0;
  unsigned lineFeedRun_ = 0;  // LFs skipped since the last message (ping detection)
  FrameKind failed_ = FrameKind::NeedMore;
};

// --- Helpers, exposed for tests and for the UDP path

// Offset just past the empty line ending the head ("\r\n\r\n"; a bare "\n\n" is tolerated as
// RFC 3261 7.5 asks), searching from `from`; nullopt when the head is not complete.
std::optional<std::size_t> findHeadEnd(std::string_view data, std::size_t from = 0);

enum class ContentLengthStatus : std::uint8_t { Ok, Missing, Invalid, Conflicting };
struct ContentLength {
  ContentLengthStatus status = ContentLengthStatus::Missing;
  // Ok: the value, saturated at SIZE_MAX for absurd digit strings (those are "too large").
  std::size_t value = 0;
};
// Reads Content-Length (or compact "l", any case, LWS and folding allowed around the value)
// from a head (start line + header lines). Two headers with different values: Conflicting.
ContentLength readContentLength(std::string_view head);

}  // namespace ccsip::sip::transport
