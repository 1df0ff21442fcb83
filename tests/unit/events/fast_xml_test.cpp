// The quick XML reader behind parsePidf: what it takes, what it leaves to pugixml, and that
// parsePidf's result never depends on which of the two read the body.
#include "events/fast_xml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/pidf.h"
#include "trace_reader.h"

namespace ccsip::events {
namespace {

using xml::FastDocument;
using xml::FastNode;
using xml::readFast;

// Both readers on one body: when the quick one takes it, the results (errors included) agree.
// Returns whether the quick reader took it.
bool quickAgrees(const std::string& body) {
  auto quick = detail::parsePidfQuick(body);
  auto tree = detail::parsePidfTree(body);
  if (!quick) return false;
  EXPECT_EQ(quick->ok(), tree.ok()) << body;
  if (quick->ok() && tree.ok()) {
    EXPECT_TRUE(**quick == *tree) << body;
  } else if (!quick->ok() && !tree.ok()) {
    EXPECT_EQ(quick->error().message, tree.error().message) << body;
    EXPECT_EQ(quick->error().code, tree.error().code);
  }
  return true;
}

TEST(FastXml, AsteriskTraceBodiesTakeTheQuickReaderWithTheSameResult) {
  for (const char* set : {"asterisk-20", "asterisk-20-pjsip"}) {
    auto notifies = test::readNotifies(set, "presence-pidf.txt");
    ASSERT_TRUE(notifies.ok()) << notifies.error().message;
    ASSERT_FALSE(notifies->empty());
    for (const auto& notify : *notifies) {
      EXPECT_TRUE(quickAgrees(notify.body)) << set << ": declined\n" << notify.body;
      // Every prefix too: truncated documents are errors either way.
      for (std::size_t cut = 0; cut < notify.body.size(); cut += 7) {
        quickAgrees(notify.body.substr(0, cut));
      }
    }
  }
}

TEST(FastXml, DocumentsItDeclineAreLeftToPugixml) {
  const std::string head =
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1">)";
  const std::string tail = R"(<status><basic>open</basic></status></tuple></presence>)";
  const std::vector<std::string> declined = {
      head + "<note>a &amp; b</note>" + tail,                  // a reference
      head + "<note>a&#x20;b</note>" + tail,                   // a character reference
      head + "<!-- comment -->" + tail,                        // a comment
      head + "<note><![CDATA[x]]></note>" + tail,              // CDATA
      head + "<note>On\r\nthe phone</note>" + tail,            // CR in text
      head + "<note>caf\xc3\xa9</note>" + tail,                // 8-bit bytes
      head + "<contact priority=\"a\tb\">x</contact>" + tail,  // TAB in an attribute
      "<!DOCTYPE presence>" + head + tail,                     // DOCTYPE
      "<?xml-stylesheet href=\"a\"?>" + head + tail,           // another processing instruction
      "x" + head + tail,                                       // text outside the root
      head + tail + "<presence/>",                             // two roots
      head + "<note>x</nope>" + tail,                          // mismatched end tag
      head + "<note a=\"1\"b=\"2\">x</note>" + tail,           // attributes not separated
      head + "<1note>x</1note>" + tail,                        // not a name
      head,                                                    // unclosed
  };
  for (const std::string& body : declined) {
    FastDocument document;
    EXPECT_FALSE(readFast(body, document)) << body;
    EXPECT_FALSE(quickAgrees(body));
    EXPECT_EQ(parsePidf(body).ok(), detail::parsePidfTree(body).ok()) << body;
  }
  // What pugixml makes of some of them, through parsePidf.
  auto escaped = parsePidf(head + "<note>a &amp; b</note>" + tail);
  ASSERT_TRUE(escaped.ok()) << escaped.error().message;
  EXPECT_EQ(escaped->tuples[0].notes, std::vector<std::string>{"a & b"});
  auto folded = parsePidf(head + "<note>On\r\nthe phone</note>" + tail);
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->tuples[0].notes, std::vector<std::string>{"On\nthe phone"});
}

TEST(FastXml, TreeNamespacesAndText) {
  const std::string body = R"(<?xml version="1.0"?>
<a:root xmlns:a="urn:a" xmlns="urn:default" x='1' x="2">
  <child>  first  <inner/>second</child>
  <b:child xmlns:b="urn:b"><b:leaf xml:lang="en" xmlns:a="urn:a2"><a:deep/></b:leaf></b:child>
  <unbound:thing/>
  <empty></empty>
</a:root>
)";
  FastDocument document;
  ASSERT_TRUE(readFast(body, document));
  const FastNode root(&document, 0);
  EXPECT_EQ(root.name(), "a:root");
  EXPECT_EQ(root.namespaceUri(), "urn:a");
  EXPECT_EQ(root.attribute("x"), "1");  // the first of a repeated name, as pugixml
  EXPECT_TRUE(root.hasAttribute("x"));
  EXPECT_FALSE(root.hasAttribute("y"));
  EXPECT_EQ(root.attribute("y"), "");
  EXPECT_FALSE(root.parent());

  const FastNode child = root.firstChild();
  EXPECT_EQ(child.name(), "child");
  EXPECT_EQ(child.namespaceUri(), "urn:default");
  EXPECT_EQ(child.text(), "  first  ");  // the first text, untrimmed (pugixml's text())
  EXPECT_EQ(child.firstChild().name(), "inner");
  EXPECT_FALSE(child.firstChild().nextSibling());

  const FastNode bChild = child.nextSibling();
  EXPECT_EQ(bChild.namespaceUri(), "urn:b");
  const FastNode leaf = bChild.firstChild();
  EXPECT_EQ(leaf.namespaceUri(), "urn:b");
  EXPECT_EQ(leaf.attribute("xml:lang"), "en");
  EXPECT_EQ(leaf.firstChild().namespaceUri(), "urn:a2");  // the nearer declaration wins
  EXPECT_EQ(leaf.firstChild().parent().name(), "b:leaf");

  const FastNode unbound = bChild.nextSibling();
  EXPECT_EQ(unbound.name(), "unbound:thing");
  EXPECT_EQ(unbound.namespaceUri(), "");
  const FastNode empty = unbound.nextSibling();
  EXPECT_EQ(empty.text(), "");
  EXPECT_FALSE(empty.firstChild());
  EXPECT_FALSE(empty.nextSibling());
}

TEST(FastXml, PidfResultsAgreeOnVariedDocuments) {
  const std::vector<std::string> bodies = {
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1"><status><basic>open</basic></status></tuple></presence>)",
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"/>)",
      R"(<presence xmlns="urn:example" entity="sip:a@b"><tuple id="1"><status><basic>open</basic></status></tuple></presence>)",
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple><status><basic>open</basic></status></tuple></presence>)",
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1"><basic>open</basic></tuple></presence>)",
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1"><status><basic> Closed </basic></status><contact priority="">sip:x</contact><note>n1</note><note>n2</note></tuple><tuple id="2"><status><basic>busy</basic></status></tuple></presence>)",
      R"(<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity="pres:x@y"><p:tuple id="t"><p:status><p:basic>open</p:basic></p:status></p:tuple><dm:person xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"><rpid:activities xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"><rpid:on-the-phone/><rpid:busy/><rpid:on-the-phone/></rpid:activities><dm:note>Ringing</dm:note></dm:person><p:note>top</p:note></p:presence>)",
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="1"><status><basic>open</basic><e:activities xmlns:e="urn:ietf:params:xml:ns:pidf:rpid:status:rpid-status"><e:away/></e:activities></status></tuple><a><b><c><activities xmlns="urn:ietf:params:xml:ns:pidf:rpid"><deep/></activities></c></b></a></presence>)",
  };
  for (const std::string& body : bodies) EXPECT_TRUE(quickAgrees(body)) << body;
}

}  // namespace
}  // namespace ccsip::events
