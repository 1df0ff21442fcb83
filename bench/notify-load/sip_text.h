#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccsip::bench {

// Just enough SIP for a load tool that plays the switch towards ccsip: the headers a notifier
// needs to answer a SUBSCRIBE and to match the answers to its NOTIFYs. ccsip is the system
// under test, so this never uses ccsip's own parser. Views point into the datagram.
struct SipText {
  bool request = false;
  std::string_view method;             // requests
  std::string_view uri;                // requests
  int status = 0;                      // responses
  std::vector<std::string_view> vias;  // every Via header line's value, in order
  std::string_view from;
  std::string_view to;
  std::string_view callId;
  std::string_view cseq;  // "102 NOTIFY"
  std::string_view contact;
  std::string_view event;
  std::string_view expires;
  std::string_view body;
};

// False for anything that is not a SIP message with a start line and a header block.
bool parseSipText(std::string_view data, SipText& out);

// The value of the `name` parameter of a header value ("tag" of From), "" when absent.
std::string_view headerParam(std::string_view value, std::string_view name);
// The URI of a name-addr or addr-spec header value: "<sip:a@b;x=y>;tag=1" -> "sip:a@b;x=y".
std::string_view nameAddrUri(std::string_view value);
// The user part of a SIP URI: "sip:gvm-700001@127.0.0.1:5070" -> "gvm-700001".
std::string_view uriUser(std::string_view uri);
// The number that starts a CSeq value ("102 NOTIFY" -> 102); 0 when malformed.
unsigned long cseqNumber(std::string_view cseq);
// The number of an Expires value; `fallback` when absent or malformed.
long expiresValue(std::string_view value, long fallback);

}  // namespace ccsip::bench
