#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace ccsip::events {

// The body of a message-summary NOTIFY, application/simple-message-summary (RFC 3842 5).
//
//   Messages-Waiting: yes
//   Message-Account: sip:asterisk@127.0.0.1:5070      (optional: chan_pjsip leaves it out)
//   Voice-Message: 1/0 (0/0)                          (new/old (urgent-new/urgent-old))

// One msg-summary-line (RFC 3842 5.2): counts for one message-context-class (RFC 3458).
struct MessageCounts {
  std::uint32_t newMessages = 0;
  std::uint32_t oldMessages = 0;
  // RFC 3842 5.2: the parenthesised urgent counts are optional as a pair. Asterisk always writes
  // the literal " (0/0)" whatever the urgent counts are, so do not read meaning into zeros here.
  std::optional<std::uint32_t> urgentNew;
  std::optional<std::uint32_t> urgentOld;

  friend bool operator==(const MessageCounts&, const MessageCounts&) = default;
};

struct MessageClassSummary {
  std::string messageClass;  // as written, e.g. "Voice-Message", "Fax-Message"
  MessageCounts counts;

  friend bool operator==(const MessageClassSummary&, const MessageClassSummary&) = default;
};

struct MessageSummary {
  bool messagesWaiting = false;
  std::optional<std::string> messageAccount;  // Message-Account URI when present
  std::vector<MessageClassSummary> classes;   // in body order
  // RFC 3842 5.2 opt-msg-headers: the header blocks after a blank line (To, From, Subject...
  // of individual messages), kept as name/value pairs in order.
  std::vector<std::pair<std::string, std::string>> messageHeaders;

  // The counts of a message-context-class (case-insensitive), or nullptr.
  const MessageCounts* find(std::string_view messageClass) const;
  // Shorthand for find("Voice-Message").
  const MessageCounts* voice() const { return find("Voice-Message"); }

  friend bool operator==(const MessageSummary&, const MessageSummary&) = default;
};

// Parses an application/simple-message-summary body. Tolerant of CRLF or bare LF line ends,
// whitespace around ':' '/' '(' ')', header-name case and line order; strict where RFC 3842 is:
// Messages-Waiting (yes|no) is required once, counts are decimal, and any line that is neither a
// known header nor a well-formed msg-summary-line is an error (code 400).
util::Result<MessageSummary> parseMessageSummary(std::string_view body);

// Writes a summary in RFC 3842 5.2 form with CRLF line ends (parseMessageSummary reads it back
// to the same value).
std::string formatMessageSummary(const MessageSummary& summary);

}  // namespace ccsip::events
