#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

// The SDP model (RFC 8866, formerly RFC 4566) with the offer/answer helpers a B2BUA needs
// (RFC 3264). Independent of the SIP message code: it works on the text of a body.
namespace ccsip::sip::sdp {

// RFC 3264 5.1 / RFC 8866 6.7: the media direction attributes.
enum class Direction : std::uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view directionName(Direction direction);  // "sendrecv", ...
std::optional<Direction> directionFromName(std::string_view name);

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";
  std::string sessionId = "0";       // kept as text: only compared, never computed with
  std::uint64_t sessionVersion = 0;  // RFC 3264 8: incremented on every modified offer/answer
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address = "127.0.0.1";
  bool operator==(const Origin&) const = default;
};

// c=<nettype> <addrtype> <connection-address>; a multicast address keeps its "/ttl/count".
struct Connection {
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address;
  // RFC 3264 8.4: c=0.0.0.0 is the RFC 2543 way of putting a stream on hold.
  bool isNullAddress() const { return address == "0.0.0.0" || address == "::"; }
  bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth>
struct Bandwidth {
  std::string type;  // "AS", "CT", "TIAS", ...
  std::uint64_t value = 0;
  bool operator==(const Bandwidth&) const = default;
};

// t=<start-time> <stop-time>, with its r= lines kept verbatim.
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;
  bool operator==(const Timing&) const = default;
};

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
struct RtpMap {
  int payloadType = 0;  // 0..127
  std::string encoding;
  std::uint32_t clockRate = 0;
  std::optional<std::uint32_t> channels;  // audio: the encoding parameters
  bool operator==(const RtpMap&) const = default;
};

// a=fmtp:<format> <format specific parameters>
struct Fmtp {
  std::string format;  // the payload type for RTP media
  std::string parameters;
  bool operator==(const Fmtp&) const = default;
};

// Any other attribute, verbatim: "a=name" (hasValue false) or "a=name:value".
struct Attribute {
  std::string name;
  std::string value;
  bool hasValue = false;
  bool operator==(const Attribute&) const = default;
};

// m=<media> <port>[/<number of ports>] <proto> <fmt> ... and its media-level lines.
struct MediaDescription {
  std::string media = "audio";
  std::uint16_t port = 0;  // 0: a rejected or disabled stream (RFC 3264 6)
  std::optional<std::uint32_t> portCount;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;
  std::optional<std::string> information;  // i=
  std::vector<Connection> connections;     // c= (several for layered multicast)
  std::vector<Bandwidth> bandwidths;
  std::optional<std::string> key;  // k=, obsolete but kept
  std::vector<RtpMap> rtpMaps;
  std::vector<Fmtp> fmtps;
  std::optional<std::uint32_t> ptime;     // milliseconds
  std::optional<std::uint32_t> maxPtime;  // milliseconds
  std::optional<Direction> direction;     // absent: inherits the session level
  std::vector<Attribute> attributes;      // the others, in received order

  const RtpMap* findRtpMap(int payloadType) const;
  const Fmtp* findFmtp(std::string_view format) const;
  const Attribute* findAttribute(std::string_view name) const;
  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  int version = 0;  // v=
  Origin origin;
  std::string sessionName = "-";           // s=
  std::optional<std::string> information;  // i=
  std::optional<std::string> uri;          // u=
  std::vector<std::string> emails;         // e=
  std::vector<std::string> phones;         // p=
  std::optional<Connection> connection;    // session-level c=
  std::vector<Bandwidth> bandwidths;
  std::vector<Timing> timings;           // at least one on the wire; empty writes "t=0 0"
  std::optional<std::string> timeZones;  // z=, verbatim
  std::optional<std::string> key;        // k=, verbatim
  std::optional<Direction> direction;    // session-level default for every stream
  std::vector<Attribute> attributes;     // other session-level attributes, in order
  std::vector<MediaDescription> media;

  bool operator==(const SessionDescription&) const = default;
};

// Parses a session description. Accepts CRLF or bare LF line ends and ignores empty lines
// (a trailing blank line is common). Error.code is 400 (a SIP Bad Request for a malformed body
// is the caller's choice; 488 is the usual answer to an unusable offer).
util::Result<SessionDescription> parseSdp(std::string_view text);

// Writes the RFC 8866 5 line order with CRLF line ends into `out` (appended).
// Media attributes are written as: the rtpmaps, the fmtps, ptime, maxptime, the other
// attributes, then the direction; each group in received order (Asterisk's own order).
void serializeSdp(const SessionDescription& sdp, std::string& out);
std::string toString(const SessionDescription& sdp);

// --- Offer/answer helpers (RFC 3264)

// The direction that applies to a stream: its own attribute, else the session's, else sendrecv.
Direction effectiveDirection(const SessionDescription& sdp, const MediaDescription& media);
// The connection that applies to a stream: its first own c=, else the session's; nullptr if none.
const Connection* effectiveConnection(const SessionDescription& sdp, const MediaDescription& media);

// Puts `direction` on every media stream and drops the session-level attribute, so the effective
// direction of each stream is `direction` (hold: SendOnly or Inactive; retrieve: SendRecv).
void setDirection(SessionDescription& sdp, Direction direction);

// RFC 3264 8: every new offer or answer in a session carries sess-version + 1.
void bumpVersion(SessionDescription& sdp);

// RFC 3264 8.4: a stream is held when its effective direction is sendonly or inactive, or when
// its connection address is 0.0.0.0 (RFC 2543 style). Rejected streams (port 0) are never held.
bool isStreamOnHold(const SessionDescription& sdp, const MediaDescription& media);
// True when the description has at least one active stream and every active stream is held.
bool isOnHold(const SessionDescription& sdp);

// The direction an answerer uses towards an offered direction (RFC 3264 6.1):
// sendonly -> recvonly, recvonly -> sendonly, inactive -> inactive, sendrecv -> sendrecv.
Direction answerDirection(Direction offered);

}  // namespace ccsip::sip::sdp
