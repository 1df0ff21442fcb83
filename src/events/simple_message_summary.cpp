#include "events/simple_message_summary.h"

#include <cstddef>
#include <string>

#include "events/text_util.h"

namespace ccsip::events {
namespace {

util::Error bodyError(std::string message) {
  return util::makeError(400, "simple-message-summary: " + std::move(message));
}

// A header-style line, with folded continuation lines (RFC 3261 7.3.1 LWS, which RFC 3842 5.2
// inherits through HCOLON) already joined on.
struct LogicalLine {
  std::string text;
  bool blank = false;  // an empty line: the end of the summary part or of a header block
};

// Splits on LF, drops one CR before each LF (CRLF or bare LF bodies), joins folded lines.
util::Result<std::vector<LogicalLine>> splitLines(std::string_view body) {
  std::vector<LogicalLine> lines;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;

    if (trim(line).empty()) {
      lines.push_back({{}, true});
    } else if (isLinearSpace(line.front()) && !lines.empty() && !lines.back().blank) {
      // A folded line continues the header above it; an indented first line is only indented.
      lines.back().text += ' ';
      lines.back().text += trim(line);
    } else {
      lines.push_back({std::string(trim(line)), false});
    }
    if (end == body.size()) break;
  }
  return lines;
}

struct NameValue {
  std::string_view name;
  std::string_view value;
};

// "name HCOLON value" with HCOLON = *( SP / HTAB ) ":" SWS (RFC 3261 25.1).
util::Result<NameValue> splitHeader(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return bodyError("line without ':': '" + std::string(line.substr(0, 60)) + "'");
  }
  std::string_view name = trim(line.substr(0, colon));
  if (!isToken(name)) return bodyError("bad header name '" + std::string(name) + "'");
  return NameValue{name, trim(line.substr(colon + 1))};
}

// A cursor over a msg-summary-line value: newmsgs SLASH oldmsgs [LPAREN n SLASH o RPAREN],
// where SLASH, LPAREN and RPAREN allow whitespace around them (RFC 3261 25.1 SWS).
class CountsReader {
 public:
  explicit CountsReader(std::string_view text) : text_(text) {}

  bool number(std::uint32_t& out) {
    skipSpace();
    std::uint64_t value = 0;
    std::size_t digits = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(text_[pos_] - '0');
      if (value > 0xFFFFFFFFu) return false;  // no mailbox holds 4 billion messages
      ++pos_;
      ++digits;
    }
    out = static_cast<std::uint32_t>(value);
    return digits > 0;
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }

 private:
  void skipSpace() {
    while (pos_ < text_.size() && isLinearSpace(text_[pos_])) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<MessageCounts> parseCounts(std::string_view value) {
  CountsReader reader(value);
  MessageCounts counts;
  if (!reader.number(counts.newMessages) || !reader.consume('/') ||
      !reader.number(counts.oldMessages)) {
    return std::nullopt;
  }
  if (reader.consume('(')) {
    std::uint32_t urgentNew = 0;
    std::uint32_t urgentOld = 0;
    if (!reader.number(urgentNew) || !reader.consume('/') || !reader.number(urgentOld) ||
        !reader.consume(')')) {
      return std::nullopt;
    }
    counts.urgentNew = urgentNew;
    counts.urgentOld = urgentOld;
  }
  if (!reader.atEnd()) return std::nullopt;
  return counts;
}

// RFC 3842 5.2: Account-URI = SIP-URI / SIPS-URI / absoluteURI; all start with a scheme and ':'
// and hold no whitespace. Only that much is checked: the URI is passed on, not dereferenced.
bool looksLikeUri(std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size()) return false;
  if (!isAlpha(value.front())) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = value[i];
    if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

const MessageCounts* MessageSummary::find(std::string_view messageClass) const {
  for (const auto& entry : classes) {
    if (iequals(entry.messageClass, messageClass)) return &entry.counts;
  }
  return nullptr;
}

util::Result<MessageSummary> parseMessageSummary(std::string_view body) {
  auto split = splitLines(body);
  if (!split.ok()) return split.error();
  const std::vector<LogicalLine>& lines = *split;

  MessageSummary summary;
  bool sawStatus = false;
  std::size_t i = 0;
  // Leading empty lines carry nothing; some notifiers start the body with CRLF.
  while (i < lines.size() && lines[i].blank) ++i;

  // RFC 3842 5.2: msg-status-line, [msg-account], *msg-summary-line, up to the first empty line.
  // The order is not enforced: nothing is ambiguous when it differs.
  for (; i < lines.size() && !lines[i].blank; ++i) {
    auto header = splitHeader(lines[i].text);
    if (!header.ok()) return header.error();
    const auto [name, value] = *header;

    if (iequals(name, "Messages-Waiting")) {
      if (sawStatus) return bodyError("Messages-Waiting given twice");
      if (iequals(value, "yes")) {
        summary.messagesWaiting = true;
      } else if (iequals(value, "no")) {
        summary.messagesWaiting = false;
      } else {
        return bodyError("Messages-Waiting must be yes or no, not '" + std::string(value) + "'");
      }
      sawStatus = true;
    } else if (iequals(name, "Message-Account")) {
      if (summary.messageAccount) return bodyError("Message-Account given twice");
      if (!looksLikeUri(value)) {
        return bodyError("Message-Account is not a URI: '" + std::string(value) + "'");
      }
      summary.messageAccount = std::string(value);
    } else {
      // A message-context-class (RFC 3458: Voice-Message, Fax-Message, ...). Classes beyond the
      // registered ones are kept: a mailbox may count kinds this code has not heard of.
      auto counts = parseCounts(value);
      if (!counts) {
        return bodyError("bad message counts in '" + std::string(name) + ": " + std::string(value) +
                         "'");
      }
      if (summary.find(name) != nullptr) {
        return bodyError(std::string(name) + " given twice");
      }
      summary.classes.push_back({std::string(name), *counts});
    }
  }
  // RFC 3842 5.2: message-summary = msg-status-line CRLF ...: the status line is mandatory.
  if (!sawStatus) return bodyError("no Messages-Waiting line");

  // RFC 3842 5.2 opt-msg-headers: blocks of extension headers, each after an empty line.
  for (; i < lines.size(); ++i) {
    if (lines[i].blank) continue;
    auto header = splitHeader(lines[i].text);
    if (!header.ok()) return header.error();
    summary.messageHeaders.emplace_back(std::string(header->name), std::string(header->value));
  }
  return summary;
}

std::string formatMessageSummary(const MessageSummary& summary) {
  std::string out;
  out += "Messages-Waiting: ";
  out += summary.messagesWaiting ? "yes" : "no";
  out += "\r\n";
  if (summary.messageAccount) {
    out += "Message-Account: " + *summary.messageAccount + "\r\n";
  }
  for (const auto& entry : summary.classes) {
    const MessageCounts& c = entry.counts;
    out += entry.messageClass + ": " + std::to_string(c.newMessages) + "/" +
           std::to_string(c.oldMessages);
    if (c.urgentNew && c.urgentOld) {
      out += " (" + std::to_string(*c.urgentNew) + "/" + std::to_string(*c.urgentOld) + ")";
    }
    out += "\r\n";
  }
  if (!summary.messageHeaders.empty()) {
    out += "\r\n";
    for (const auto& [name, value] : summary.messageHeaders) {
      out += name + ": " + value + "\r\n";
    }
  }
  return out;
}

}  // namespace ccsip::events
