#include "sip/dialog/options_responder.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/parser.h"
#include "sip/serializer.h"

namespace ccsip::sip::dialog {
namespace {

sip::Message optionsRequest(const std::string& extra = "") {
  std::string text =
      "OPTIONS sip:ccsip.test SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:5080;rport;branch=z9hG4bKPj-qualify-1\r\n"
      "From: <sip:asterisk@127.0.0.1>;tag=q1\r\n"
      "To: <sip:ccsip.test>\r\n"
      "Call-ID: qualify-1@127.0.0.1\r\n"
      "CSeq: 101 OPTIONS\r\n"
      "Max-Forwards: 70\r\n"
      "Accept: application/sdp\r\n" +
      extra + "Content-Length: 0\r\n\r\n";
  auto parsed = sip::parseMessage(std::move(text));
  EXPECT_TRUE(parsed.ok());
  return std::move(parsed.message);
}

// Every value of a list header, joined (one field per line or per value alike).
std::string joined(const sip::Message& message, HeaderId id) {
  std::string out;
  for (const HeaderField& field : message.headers()) {
    if (field.id != id) continue;
    if (!out.empty()) out += ", ";
    out += field.value;
  }
  return out;
}

TEST(OptionsResponder, Answers200WithCapabilities) {
  OptionsResponder responder;
  const sip::Message request = optionsRequest();
  const sip::Message response = responder.respond(request);
  EXPECT_EQ(response.statusCode(), 200);
  EXPECT_EQ(response.reasonPhrase(), "OK");
  EXPECT_EQ(response.callId(), "qualify-1@127.0.0.1");
  EXPECT_EQ(response.cseq().number, 101u);
  EXPECT_FALSE(response.to().tag.empty());
  EXPECT_EQ(response.vias().size(), 1u);
  const std::string allow = joined(response, HeaderId::Allow);
  for (const char* method :
       {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "SUBSCRIBE", "NOTIFY"}) {
    EXPECT_NE(allow.find(method), std::string::npos) << method;
  }
  EXPECT_EQ(joined(response, HeaderId::Accept), "application/sdp");
  EXPECT_EQ(joined(response, HeaderId::AcceptLanguage), "en");
  EXPECT_EQ(joined(response, HeaderId::AcceptEncoding), "identity");
  EXPECT_EQ(joined(response, HeaderId::Supported), "path");
  EXPECT_EQ(joined(response, HeaderId::AllowEvents), "presence, dialog, message-summary");
  EXPECT_EQ(response.headerValue(HeaderId::Server), "ccsip");
  EXPECT_TRUE(response.body().empty());
  const std::string wire = toString(response);
  EXPECT_NE(wire.find("Content-Length: 0"), std::string::npos) << wire;
  EXPECT_NE(wire.find("\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY"),
            std::string::npos)
      << wire;
}

TEST(OptionsResponder, ConfigurableServerAndLists) {
  OptionsResponderOptions options;
  options.server = "ccsip/1.2.3";
  options.allowEvents.clear();
  options.acceptLanguage = {"en", "de"};
  OptionsResponder responder(options);
  const sip::Message response = responder.respond(optionsRequest());
  EXPECT_EQ(response.headerValue(HeaderId::Server), "ccsip/1.2.3");
  EXPECT_EQ(response.findHeader(HeaderId::AllowEvents), nullptr);
  EXPECT_EQ(joined(response, HeaderId::AcceptLanguage), "en, de");
}

TEST(OptionsResponder, ToTagOfTheRequestIsKept) {
  OptionsResponder responder;
  std::string text =
      "OPTIONS sip:ccsip.test SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-in-dialog\r\n"
      "From: <sip:a@127.0.0.1>;tag=f\r\n"
      "To: <sip:ccsip.test>;tag=existing\r\n"
      "Call-ID: in-dialog@127.0.0.1\r\n"
      "CSeq: 7 OPTIONS\r\n"
      "Content-Length: 0\r\n\r\n";
  auto parsed = sip::parseMessage(std::move(text));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(responder.respond(parsed.message).to().tag, "existing");
}

TEST(OptionsResponder, StatusCanBeChosenByCaller) {
  OptionsResponder responder;
  const sip::Message response = responder.respond(optionsRequest(), 486);
  EXPECT_EQ(response.statusCode(), 486);
  EXPECT_EQ(response.reasonPhrase(), "Busy Here");
  EXPECT_FALSE(response.headerValue(HeaderId::Allow).empty());
}

TEST(OptionsResponder, UnsupportedRequireGets420) {
  OptionsResponder responder;
  const sip::Message response = responder.respond(optionsRequest("Require: 100rel, path\r\n"));
  EXPECT_EQ(response.statusCode(), 420);
  EXPECT_EQ(response.headerValue(HeaderId::Unsupported), "100rel");
}

}  // namespace
}  // namespace ccsip::sip::dialog
