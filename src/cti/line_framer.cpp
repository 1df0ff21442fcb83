#include "cti/line_framer.h"

#include <algorithm>

namespace ccsip::cti {

namespace {

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

void LineFramer::append(std::string_view bytes) {
  if (discarding_) {
    // Only the end of the too-long line matters: keep what follows its newline.
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) return;
    discarding_ = false;
    bytes.remove_prefix(newline + 1);
  }
  if (start_ > 0 && start_ == buffer_.size()) {
    buffer_.clear();
    start_ = scanned_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<LineFramer::Frame> LineFramer::next() {
  while (!discarding_) {
    const auto from = std::max(start_, scanned_);
    const auto newline = buffer_.find('\n', from);
    if (newline == std::string::npos) {
      scanned_ = buffer_.size();
      // One byte of slack for the `\r` of a line at exactly the limit.
      if (buffer_.size() - start_ > max_ + 1) {
        discarding_ = true;
        buffer_.clear();
        start_ = scanned_ = 0;
        return Frame{Kind::TooLong, {}};
      }
      if (start_ > 0) {  // compact: keep only the partial line
        buffer_.erase(0, start_);
        scanned_ -= start_;
        start_ = 0;
      }
      return std::nullopt;
    }
    std::string_view line(buffer_.data() + start_, newline - start_);
    start_ = newline + 1;
    scanned_ = start_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_) return Frame{Kind::TooLong, {}};
    if (blank(line)) continue;
    return Frame{Kind::Line, line};
  }
  return std::nullopt;
}

}  // namespace ccsip::cti
