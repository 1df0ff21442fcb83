#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::cti {

// Newline-delimited framing of the raw TCP CTI port: one JSON object per line, `\n` or `\r\n`.
// Blank lines are skipped (a person typing into a terminal). A line longer than the limit is
// reported once as TooLong as soon as the limit is passed, and the rest of it is discarded up
// to its newline, so a huge line never grows memory and the connection stays usable.
class LineFramer {
 public:
  explicit LineFramer(std::size_t maxLineBytes) : max_(maxLineBytes) {}

  enum class Kind { Line, TooLong };
  struct Frame {
    Kind kind;
    std::string_view text;  // Line only; valid until the next append() or next()
  };

  void append(std::string_view bytes);
  // The next complete frame, or nullopt when more bytes are needed.
  std::optional<Frame> next();

  std::size_t bufferedBytes() const { return buffer_.size() - start_; }

 private:
  std::size_t max_;
  std::string buffer_;
  std::size_t start_ = 0;    // first byte not yet framed
  std::size_t scanned_ = 0;  // bytes before this hold no newline
  bool discarding_ = false;  // inside a too-long line, already reported
};

}  // namespace ccsip::cti
