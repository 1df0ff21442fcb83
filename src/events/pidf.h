#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/endpoint_state.h"
#include "util/result.h"

namespace ccsip::events {

// The body of a presence NOTIFY, application/pidf+xml (RFC 3863), with the person activities
// of RPID (RFC 4480) in both forms Asterisk writes:
//
//   chan_sip:   <pp:person><status><ep:activities><ep:busy/></ep:activities></status></pp:person>
//               (namespaces of the pre-RFC RPID drafts: ...:pidf:person, ...:pidf:rpid:rpid-person)
//   chan_pjsip: <dm:person><rpid:activities><rpid:on-the-phone /></rpid:activities></dm:person>
//               (RFC 4479 data model + RFC 4480 RPID)
//
// Elements are matched on namespace URI and local name, so any prefixes work.

enum class BasicStatus { Open, Closed };

// RFC 3863 4.1.2 <tuple>.
struct PidfTuple {
  std::string id;                              // required by RFC 3863
  std::optional<BasicStatus> basic;            // RFC 3863 4.1.4: <basic> is optional in <status>
  std::optional<std::string> contact;          // <contact> URI
  std::optional<std::string> contactPriority;  // as written ("1", "0.8")
  std::vector<std::string> notes;              // <note> of the tuple

  friend bool operator==(const PidfTuple&, const PidfTuple&) = default;
};

struct PidfDocument {
  // RFC 3863 4.1.1: the presentity URI. chan_sip puts the WATCHER's URI here, chan_pjsip the
  // presentity's, so do not use it to find the monitored endpoint: use the subscription.
  std::string entity;
  std::vector<PidfTuple> tuples;
  // Notes of <presence> and of RFC 4479 <person> elements, in document order (Asterisk:
  // "Ready", "Ringing", "On the phone", "On hold", "Not online", "Unavailable").
  std::vector<std::string> notes;
  // RPID activities by local name, in document order without repeats: "busy", "on-the-phone",
  // "away", "meeting"... (RFC 4480 3.2; "other" for <other>text</other>).
  std::vector<std::string> activities;

  bool hasActivity(std::string_view activity) const;
  bool hasNote(std::string_view note) const;  // ASCII case-insensitive, any tuple or person
  // Open when any tuple is open (RFC 3863 leaves combining tuples to the watcher; one open
  // contact is enough to reach the endpoint), closed when some tuple is closed and none open.
  std::optional<BasicStatus> basic() const;

  friend bool operator==(const PidfDocument&, const PidfDocument&) = default;
};

// Parses an application/pidf+xml body. Errors (code 400): not well-formed, root not
// {urn:ietf:params:xml:ns:pidf}presence, no entity, a tuple without id or <status>, or no <basic>
// in any tuple. The last is stricter than RFC 3863 (which makes <basic> optional): a document
// without open/closed anywhere says nothing ccsip can use, and no Asterisk sends one.
util::Result<PidfDocument> parsePidf(std::string_view body);

namespace detail {
// The two readers parsePidf chooses between, for tests that hold them to the same results:
// the quick one (nullopt when it declines the body, see fast_xml.h) and pugixml's.
std::optional<util::Result<PidfDocument>> parsePidfQuick(std::string_view body);
util::Result<PidfDocument> parsePidfTree(std::string_view body);
}  // namespace detail

// The endpoint state of a presence document, for both Asterisk channel drivers:
//   1. an in-use activity (busy, on-the-phone) -> Ringing when a note says "Ringing", else Busy.
//      This wins over <basic>: chan_sip writes closed + busy for a device that is busy (call limit)
//      or on hold ("On hold"), and chan_pjsip writes open + on-the-phone for ringing AND in call.
//   2. otherwise basic open -> Idle (chan_sip "Ready", chan_pjsip "Ready");
//   3. otherwise basic closed -> Offline (not registered: "Not online" / "Unavailable");
//   4. no basic at all -> Unknown (parsePidf rejects such documents).
// Ringing with an active call (Asterisk RINGING|INUSE) also reads "Ringing": PIDF cannot tell.
EndpointState endpointState(const PidfDocument& document);

}  // namespace ccsip::events
