#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "sip/message.h"

namespace ccsip::sip::dialog {

// RFC 3261 12: a dialog is identified by Call-ID, local tag and remote tag, and by nothing else.
// URIs never take part: chan_pjsip drops the ports of From/To URIs in its messages, so a URI
// comparison would lose its dialogs.
struct DialogId {
  std::string callId;
  std::string localTag;
  std::string remoteTag;

  bool operator==(const DialogId&) const = default;
  bool empty() const { return callId.empty(); }
};

struct DialogIdHash {
  std::size_t operator()(const DialogId& id) const noexcept {
    const std::hash<std::string_view> h;
    std::size_t seed = h(id.callId);
    seed ^= h(id.localTag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    seed ^= h(id.remoteTag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  }
};

// RFC 3261 12.2.2: a UAS sees its own tag in To and the peer's in From.
inline DialogId dialogIdOfReceivedRequest(const Message& request) {
  return DialogId{std::string(request.callId()), std::string(request.to().tag),
                  std::string(request.from().tag)};
}

// RFC 3261 12.1.2: a UAC sees its own tag in From and the peer's in To.
inline DialogId dialogIdOfReceivedResponse(const Message& response) {
  return DialogId{std::string(response.callId()), std::string(response.from().tag),
                  std::string(response.to().tag)};
}

std::string toString(const DialogId& id);  // "call-id;local=..;remote=.." for logs

}  // namespace ccsip::sip::dialog
