// RFC 3863 PIDF bodies: the presence NOTIFYs of both Asterisk channel drivers, namespace handling
// and malformed documents.
#include "events/pidf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_reader.h"

namespace ccsip::events {
namespace {

using test::readNotifies;

std::vector<PidfDocument> parseTrace(const char* set) {
  std::vector<PidfDocument> documents;
  auto notifies = readNotifies(set, "presence-pidf.txt");
  EXPECT_TRUE(notifies.ok()) << notifies.error().message;
  if (!notifies.ok()) return documents;
  for (const auto& notify : *notifies) {
    SCOPED_TRACE(std::string(set) + " NOTIFY #" + std::to_string(documents.size()));
    EXPECT_TRUE(notify.bodyMatchesContentLength);
    EXPECT_EQ(notify.header("Content-Type"), "application/pidf+xml");
    auto document = parsePidf(notify.body);
    EXPECT_TRUE(document.ok()) << document.error().message;
    if (document.ok()) documents.push_back(std::move(*document));
  }
  return documents;
}

std::vector<EndpointState> states(const std::vector<PidfDocument>& documents) {
  std::vector<EndpointState> out;
  for (const auto& d : documents) out.push_back(endpointState(d));
  return out;
}

using enum EndpointState;

TEST(PidfTrace, ChanSipSequence) {
  // README: closed "Not online"; open "Ready"; busy "Ringing" twice; busy "On the phone";
  // "Ready"; closed; and the final NOTIFY of the unsubscribe (closed).
  const auto documents = parseTrace("asterisk-20");
  ASSERT_EQ(documents.size(), 8u);
  EXPECT_EQ(states(documents), (std::vector<EndpointState>{Offline, Idle, Ringing, Ringing, Busy,
                                                           Idle, Offline, Offline}));

  const PidfDocument& offline = documents[0];
  EXPECT_EQ(offline.entity, "sip:sipserver@127.0.0.1:5060");  // chan_sip: the watcher
  ASSERT_EQ(offline.tuples.size(), 1u);
  EXPECT_EQ(offline.tuples[0].id, "1000");
  EXPECT_EQ(offline.tuples[0].contact, "sip:1000@127.0.0.1:5070");
  EXPECT_EQ(offline.tuples[0].contactPriority, "1");
  EXPECT_EQ(offline.tuples[0].basic, BasicStatus::Closed);
  EXPECT_EQ(offline.activities, std::vector<std::string>{"away"});
  EXPECT_EQ(offline.notes, std::vector<std::string>{"Not online"});

  EXPECT_EQ(documents[1].basic(), BasicStatus::Open);
  EXPECT_TRUE(documents[1].activities.empty());
  EXPECT_EQ(documents[1].notes, std::vector<std::string>{"Ready"});

  EXPECT_EQ(documents[2].activities, std::vector<std::string>{"busy"});
  EXPECT_EQ(documents[2].notes, std::vector<std::string>{"Ringing"});
  EXPECT_EQ(documents[4].activities, std::vector<std::string>{"busy"});
  EXPECT_EQ(documents[4].notes, std::vector<std::string>{"On the phone"});
}

TEST(PidfTrace, ChanPjsipSequence) {
  // README: closed "Unavailable"; open "Ready"; on-the-phone "Ringing" (once); on-the-phone
  // "On the phone"; "Ready"; closed "Unavailable"; final NOTIFY of the unsubscribe (closed).
  const auto documents = parseTrace("asterisk-20-pjsip");
  ASSERT_EQ(documents.size(), 7u);
  EXPECT_EQ(states(documents),
            (std::vector<EndpointState>{Offline, Idle, Ringing, Busy, Idle, Offline, Offline}));

  const PidfDocument& offline = documents[0];
  EXPECT_EQ(offline.entity, "sip:1000@127.0.0.1:5080");  // chan_pjsip: the presentity
  ASSERT_EQ(offline.tuples.size(), 1u);
  EXPECT_EQ(offline.tuples[0].id, "1000");
  EXPECT_EQ(offline.tuples[0].contact, "sip:sipserver@127.0.0.1");  // ... and here the watcher
  EXPECT_EQ(offline.tuples[0].basic, BasicStatus::Closed);
  EXPECT_TRUE(offline.activities.empty());  // an empty <dm:person />
  EXPECT_EQ(offline.notes, std::vector<std::string>{"Unavailable"});

  EXPECT_EQ(documents[2].basic(), BasicStatus::Open);
  EXPECT_EQ(documents[2].activities, std::vector<std::string>{"on-the-phone"});
  EXPECT_EQ(documents[2].notes, std::vector<std::string>{"Ringing"});
  EXPECT_EQ(documents[3].activities, std::vector<std::string>{"on-the-phone"});
  EXPECT_EQ(documents[3].notes, std::vector<std::string>{"On the phone"});
}

TEST(PidfTrace, EveryTruncationOfATraceBodyIsAnError) {
  for (const char* set : {"asterisk-20", "asterisk-20-pjsip"}) {
    auto notifies = readNotifies(set, "presence-pidf.txt");
    ASSERT_TRUE(notifies.ok()) << notifies.error().message;
    const std::string& body = (*notifies)[2].body;  // ringing, the longest kind
    const std::size_t end = body.find("</presence>");
    ASSERT_NE(end, std::string::npos);
    for (std::size_t cut = 0; cut < end + std::string("</presence>").size(); ++cut) {
      EXPECT_FALSE(parsePidf(body.substr(0, cut)).ok()) << set << " cut at " << cut;
    }
    EXPECT_TRUE(parsePidf(body.substr(0, end + 11)).ok());
  }
}

// RFC 4479/4480 document with other prefixes than Asterisk's (and a default namespace).
constexpr const char* kOtherPrefixes = R"(<?xml version="1.0" encoding="UTF-8"?>
<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity="pres:agent@example.com">
 <p:tuple id="t1">
  <p:status><p:basic>open</p:basic></p:status>
  <p:contact priority="0.8">sip:agent@192.0.2.1</p:contact>
  <p:note>desk phone</p:note>
 </p:tuple>
 <person xmlns="urn:ietf:params:xml:ns:pidf:data-model" id="p1">
  <activities xmlns="urn:ietf:params:xml:ns:pidf:rpid"><on-the-phone/><meeting/></activities>
  <note>On the phone</note>
 </person>
</p:presence>)";

TEST(Pidf, MatchesNamespacesNotPrefixes) {
  auto document = parsePidf(kOtherPrefixes);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->entity, "pres:agent@example.com");
  ASSERT_EQ(document->tuples.size(), 1u);
  EXPECT_EQ(document->tuples[0].contactPriority, "0.8");
  EXPECT_EQ(document->tuples[0].notes, std::vector<std::string>{"desk phone"});
  EXPECT_EQ(document->activities, (std::vector<std::string>{"on-the-phone", "meeting"}));
  EXPECT_EQ(document->notes, std::vector<std::string>{"On the phone"});
  EXPECT_EQ(endpointState(*document), Busy);
}

TEST(Pidf, FamiliarPrefixBoundToAnotherNamespaceIsNotRpid) {
  auto document = parsePidf(R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:example:not-rpid"
      entity="sip:1000@pbx">
    <tuple id="1000"><status><basic>open</basic></status></tuple>
    <dm:person><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>
  </presence>)");
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_TRUE(document->activities.empty());
  EXPECT_EQ(endpointState(*document), Idle);
}

TEST(Pidf, ChanSipBusyOrOnHoldIsClosedButInUse) {
  // chan_sip writes AST_EXTENSION_BUSY and ONHOLD as closed + ep:busy: a call, not offline.
  auto document = parsePidf(R"(<?xml version="1.0" encoding="ISO-8859-1"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
xmlns:pp="urn:ietf:params:xml:ns:pidf:person"
xmlns:es="urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status"
xmlns:ep="urn:ietf:params:xml:ns:pidf:rpid:rpid-person"
entity="sip:sipserver@127.0.0.1:5060">
<pp:person><status>
<ep:activities><ep:busy/></ep:activities>
</status></pp:person>
<note>On hold</note>
<tuple id="1000">
<contact priority="1">sip:1000@127.0.0.1:5070</contact>
<status><basic>closed</basic></status>
</tuple>
</presence>)");
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->basic(), BasicStatus::Closed);
  EXPECT_EQ(endpointState(*document), Busy);
}

TEST(Pidf, RingingNoteMayBeOnTheTupleAndInAnyCase) {
  auto document = parsePidf(R"(<presence xmlns="urn:ietf:params:xml:ns:pidf"
      xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" xmlns:d="urn:ietf:params:xml:ns:pidf:data-model"
      entity="sip:1000@pbx">
    <tuple id="a"><status><basic>open</basic></status><note> RINGING </note></tuple>
    <d:person><r:activities><r:busy/></r:activities></d:person>
  </presence>)");
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(endpointState(*document), Ringing);
}

TEST(Pidf, AnyOpenTupleMakesTheEndpointReachable) {
  auto document = parsePidf(R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
    <tuple id="desk"><status><basic>closed</basic></status></tuple>
    <tuple id="soft"><status><basic>open</basic></status></tuple>
    <tuple id="ext"><status><foo xmlns="urn:example">bar</foo></status></tuple>
  </presence>)");
  ASSERT_TRUE(document.ok()) << document.error().message;
  ASSERT_EQ(document->tuples.size(), 3u);
  EXPECT_FALSE(document->tuples[2].basic.has_value());  // RFC 3863: basic is optional per tuple
  EXPECT_EQ(document->basic(), BasicStatus::Open);
  EXPECT_EQ(endpointState(*document), Idle);
}

TEST(Pidf, Latin1NoteIsReadAsUtf8) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\">"
      "<note>Caf\xE9</note><tuple id=\"1\"><status><basic>open</basic></status></tuple>"
      "</presence>";
  auto document = parsePidf(body);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->notes, std::vector<std::string>{"Caf\xC3\xA9"});
}

TEST(Pidf, AsciiBodyDeclaredLatin1ParsesTheSame) {
  // 7-bit bodies skip the Latin-1 conversion: the result must not change.
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\">"
      "<note>Ready &amp; waiting</note><tuple id=\"1\"><status><basic>open</basic></status>"
      "</tuple></presence>";
  auto document = parsePidf(body);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->notes, std::vector<std::string>{"Ready & waiting"});
  EXPECT_EQ(document->basic(), BasicStatus::Open);
}

TEST(Pidf, Utf16BodyWithoutByteOrderMarkIsStillDetected) {
  // Its ASCII characters come with zero bytes: the encoding is detected, not assumed UTF-8.
  const std::string ascii =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\">"
      "<tuple id=\"1\"><status><basic>closed</basic></status></tuple></presence>";
  std::string utf16le;
  for (const char c : ascii) {
    utf16le.push_back(c);
    utf16le.push_back('\0');
  }
  auto document = parsePidf(utf16le);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->entity, "sip:a@b");
  EXPECT_EQ(document->basic(), BasicStatus::Closed);
}

TEST(Pidf, EndpointStateWithoutBasicIsUnknown) {
  PidfDocument document;
  document.entity = "sip:a@b";
  EXPECT_EQ(endpointState(document), Unknown);
}

TEST(Pidf, MalformedDocumentsAreErrors) {
  const std::vector<std::string> bad = {
      "",
      "Messages-Waiting: yes\r\n",
      // truncated
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1">)",
      // wrong root
      R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full"
          entity="sip:a@b"/>)",
      // right name, wrong namespace
      R"(<presence xmlns="urn:example" entity="sip:a@b">
          <tuple id="1"><status><basic>open</basic></status></tuple></presence>)",
      // no namespace at all
      R"(<presence entity="sip:a@b"><tuple id="1"><status><basic>open</basic></status></tuple>
         </presence>)",
      // missing basic
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple id="1"><status></status></tuple></presence>)",
      // no tuple
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><note>x</note></presence>)",
      // basic neither open nor closed
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple id="1"><status><basic>busy</basic></status></tuple></presence>)",
      // no entity
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf">
          <tuple id="1"><status><basic>open</basic></status></tuple></presence>)",
      // tuple without id
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple><status><basic>open</basic></status></tuple></presence>)",
      // tuple without status
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple id="1"><basic>open</basic></tuple></presence>)",
      // two root elements
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple id="1"><status><basic>open</basic></status></tuple></presence><presence/>)",
  };
  for (const auto& body : bad) {
    auto document = parsePidf(body);
    EXPECT_FALSE(document.ok()) << "accepted: " << body;
    if (!document.ok()) {
      EXPECT_EQ(document.error().code, 400);
    }
  }
}

}  // namespace
}  // namespace ccsip::events
