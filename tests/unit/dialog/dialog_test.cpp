#include "sip/dialog/dialog.h"

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/next_hop.h"
#include "sip/parser.h"
#include "sip/serializer.h"
#include "usage_test_support.h"

namespace ccsip::sip::dialog {
namespace {

using usage_test::Endpoint;
using usage_test::RawPeer;
using usage_test::Wire;

Message parse(const std::string& text) {
  auto result = parseMessage(text);
  EXPECT_TRUE(result.ok()) << (result.error ? result.error->reason : "") << "\n" << text;
  return std::move(result.message);
}

// An INVITE as it went out from the UAC (Via included).
std::string inviteText(const std::string& extra = "") {
  return "INVITE sip:bob@192.0.2.4 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds8\r\n"
         "Max-Forwards: 70\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "To: Bob <sip:bob@biloxi.example.com>\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Contact: <sip:alice@192.0.2.1:5060>\r\n" +
         extra + "Content-Length: 0\r\n\r\n";
}

std::string responseText(int status, const std::string& toTag, const std::string& extra) {
  return "SIP/2.0 " + std::to_string(status) +
         " OK\r\n"
         "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds8\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "To: Bob <sip:bob@biloxi.example.com>" +
         (toTag.empty() ? "" : ";tag=" + toTag) +
         "\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n" +
         extra + "Content-Length: 0\r\n\r\n";
}

TEST(DialogTest, UacFrom2xxReversesRecordRoute) {
  const Message invite = parse(inviteText());
  const Message ok = parse(responseText(
      200, "a6c85cf",
      "Record-Route: <sip:p2.example.com;lr>\r\nRecord-Route: <sip:p1.example.com;lr>\r\n"
      "Contact: <sip:bob@192.0.2.4:5062>\r\n"));
  auto dialog = Dialog::createUac(invite, ok);
  ASSERT_TRUE(dialog.ok()) << dialog.error().message;
  EXPECT_EQ(dialog->id().callId, "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(dialog->id().localTag, "1928301774");
  EXPECT_EQ(dialog->id().remoteTag, "a6c85cf");
  EXPECT_EQ(dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(dialog->remoteTarget(), "sip:bob@192.0.2.4:5062");
  // RFC 3261 12.1.2: the route set is the Record-Route of the response, reversed.
  ASSERT_EQ(dialog->routeSet().size(), 2u);
  EXPECT_EQ(dialog->routeSet()[0], "<sip:p1.example.com;lr>");
  EXPECT_EQ(dialog->routeSet()[1], "<sip:p2.example.com;lr>");
  EXPECT_EQ(dialog->localCSeq(), 314159u);
  EXPECT_FALSE(dialog->remoteCSeq().has_value());
}

TEST(DialogTest, UacEarlyFrom1xxWithTagOnly) {
  const Message invite = parse(inviteText());
  EXPECT_FALSE(Dialog::createUac(invite, parse(responseText(180, "", ""))).ok());
  auto early = Dialog::createUac(invite, parse(responseText(180, "x1", "")));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->isEarly());
  // RFC 3261 13.2.2.4: the 2xx recomputes the route set and the target.
  early->confirmUac(parse(responseText(
      200, "x1", "Record-Route: <sip:p9.example.com;lr>\r\nContact: <sip:bob@192.0.2.9>\r\n")));
  EXPECT_FALSE(early->isEarly());
  ASSERT_EQ(early->routeSet().size(), 1u);
  EXPECT_EQ(early->remoteTarget(), "sip:bob@192.0.2.9");
}

TEST(DialogTest, LooseRoutingRequest) {
  const Message invite = parse(inviteText());
  auto dialog = Dialog::createUac(
      invite,
      parse(responseText(200, "a6c85cf",
                         "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n"
                         "Contact: <sip:bob@192.0.2.4>\r\n")));
  ASSERT_TRUE(dialog.ok());
  const Message bye = dialog->makeRequest(Method::Bye);
  EXPECT_EQ(bye.requestUri().text, "sip:bob@192.0.2.4");
  const auto routes = bye.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].uri.host, "p1.example.com");
  EXPECT_EQ(routes[1].uri.host, "p2.example.com");
  EXPECT_EQ(bye.cseq().number, 314160u);
  EXPECT_EQ(bye.cseq().method, Method::Bye);
  EXPECT_EQ(bye.maxForwards(), 70u);
  EXPECT_EQ(bye.from().tag, "1928301774");
  EXPECT_EQ(bye.to().tag, "a6c85cf");
  EXPECT_EQ(bye.to().uri.host, "biloxi.example.com");  // remote URI = To of the INVITE
  EXPECT_EQ(bye.callId(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(bye.topVia(), nullptr);                       // the transaction layer adds it
  EXPECT_EQ(bye.findHeader(HeaderId::Contact), nullptr);  // BYE is no target refresh
  const Message reinvite = dialog->makeRequest(Method::Invite);
  EXPECT_EQ(reinvite.cseq().number, 314161u);
  EXPECT_EQ(reinvite.headerValue(HeaderId::Contact), "<sip:alice@192.0.2.1:5060>");
  // RFC 3261 13.2.2.4: the ACK reuses the INVITE's number and advances nothing.
  const Message ack = dialog->makeAck(314161);
  EXPECT_EQ(ack.cseq().number, 314161u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  EXPECT_EQ(dialog->localCSeq(), 314161u);
}

TEST(DialogTest, StrictRoutingPutsRouteInRequestUri) {
  const Message invite = parse(inviteText());
  auto dialog =
      Dialog::createUac(invite, parse(responseText(200, "t",
                                                   "Record-Route: <sip:p2.example.com;lr>\r\n"
                                                   "Record-Route: <sip:p1.example.com>\r\n"
                                                   "Contact: <sip:bob@192.0.2.4>\r\n")));
  ASSERT_TRUE(dialog.ok());
  EXPECT_TRUE(dialog->strictRouting());
  // RFC 3261 12.2.1.1: strict router first -> its URI is the Request-URI, the remote target goes
  // last in Route.
  const Message bye = dialog->makeRequest(Method::Bye);
  EXPECT_EQ(bye.requestUri().text, "sip:p1.example.com");
  const auto routes = bye.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].uri.host, "p2.example.com");
  EXPECT_EQ(routes[1].uri.text, "sip:bob@192.0.2.4");
}

TEST(DialogTest, UasKeepsRecordRouteOrderAndChecksCSeq) {
  const Message invite = parse(inviteText(
      "Record-Route: <sip:p1.example.com;lr>\r\nRecord-Route: <sip:p2.example.com;lr>\r\n"));
  auto dialog = Dialog::createUas(invite, "uastag", "<sip:bob@192.0.2.4>");
  ASSERT_TRUE(dialog.ok());
  EXPECT_EQ(dialog->id().localTag, "uastag");
  EXPECT_EQ(dialog->id().remoteTag, "1928301774");
  ASSERT_EQ(dialog->routeSet().size(), 2u);
  EXPECT_EQ(dialog->routeSet()[0], "<sip:p1.example.com;lr>");
  EXPECT_EQ(dialog->remoteTarget(), "sip:alice@192.0.2.1:5060");
  EXPECT_EQ(dialog->remoteCSeq(), 314159u);

  dialog->setInitialLocalCSeq(1);
  const Message bye = dialog->makeRequest(Method::Bye);
  EXPECT_EQ(bye.cseq().number, 1u);
  EXPECT_EQ(bye.from().tag, "uastag");
  EXPECT_EQ(bye.to().tag, "1928301774");
  EXPECT_EQ(bye.requestUri().text, "sip:alice@192.0.2.1:5060");

  // RFC 3261 12.2.2: lower CSeq -> out of order; ACK/CANCEL are not checked.
  auto request = [&](std::uint32_t cseq, const char* method) {
    return parse(std::string(method) +
                 " sip:bob@192.0.2.4 SIP/2.0\r\n"
                 "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx" +
                 std::to_string(cseq) +
                 "\r\nFrom: <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                 "To: <sip:bob@biloxi.example.com>;tag=uastag\r\n"
                 "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
                 "CSeq: " +
                 std::to_string(cseq) + " " + method + "\r\nContent-Length: 0\r\n\r\n");
  };
  EXPECT_TRUE(dialog->acceptRemoteCSeq(request(314159, "ACK")));
  EXPECT_TRUE(dialog->acceptRemoteCSeq(request(314160, "INFO")));
  EXPECT_FALSE(dialog->acceptRemoteCSeq(request(314150, "INFO")));
  EXPECT_TRUE(dialog->acceptRemoteCSeq(request(314100, "ACK")));
  EXPECT_EQ(dialog->remoteCSeq(), 314160u);
}

TEST(DialogTest, TargetRefreshTakesContact) {
  const Message invite = parse(inviteText());
  auto dialog = Dialog::createUas(invite, "t", "<sip:bob@192.0.2.4>");
  ASSERT_TRUE(dialog.ok());
  dialog->refreshRemoteTarget(
      parse(responseText(200, "t", "Contact: <sip:alice@198.51.100.1:5099>\r\n")));
  EXPECT_EQ(dialog->remoteTarget(), "sip:alice@198.51.100.1:5099");
  dialog->refreshRemoteTarget(parse(responseText(200, "t", "")));  // no Contact: unchanged
  EXPECT_EQ(dialog->remoteTarget(), "sip:alice@198.51.100.1:5099");
}

class TableResolver final : public HostResolver {
 public:
  std::optional<boost::asio::ip::address> resolve(std::string_view host) override {
    ++calls;
    if (host == "asterisk.example") return boost::asio::ip::make_address("192.0.2.50");
    return std::nullopt;
  }
  int calls = 0;
};

TEST(NextHopTest, FirstRouteElseRequestUri) {
  Message request = Message::makeRequest(Method::Bye, "sip:bob@192.0.2.4:5070");
  auto hop = nextHop(request, nullptr);
  ASSERT_TRUE(hop.ok());
  EXPECT_EQ(transport::toString(hop->remote), "192.0.2.4:5070");
  EXPECT_EQ(hop->kind, transport::TransportKind::Udp);

  request.addHeader(HeaderId::Route, "<sip:[2001:db8::1];lr;transport=tcp>");
  hop = nextHop(request, nullptr);
  ASSERT_TRUE(hop.ok());
  EXPECT_EQ(hop->remote.port, 5060);
  EXPECT_TRUE(hop->remote.ip.is_v6());
  EXPECT_EQ(hop->kind, transport::TransportKind::Tcp);
}

TEST(NextHopTest, NamesNeedTheResolver) {
  Message request = Message::makeRequest(Method::Options, "sip:asterisk.example:5080");
  EXPECT_EQ(nextHop(request, nullptr).error().code, 503);
  TableResolver resolver;
  auto hop = nextHop(request, &resolver);
  ASSERT_TRUE(hop.ok());
  EXPECT_EQ(transport::toString(hop->remote), "192.0.2.50:5080");
  Message unknown = Message::makeRequest(Method::Options, "sip:nowhere.example");
  EXPECT_FALSE(nextHop(unknown, &resolver).ok());
  // IP literals never reach the resolver.
  const int before = resolver.calls;
  EXPECT_TRUE(nextHop(Message::makeRequest(Method::Options, "sip:10.0.0.1"), &resolver).ok());
  EXPECT_EQ(resolver.calls, before);
  EXPECT_FALSE(nextHop(Message::makeRequest(Method::Options, "sips:10.0.0.1"), &resolver).ok());
}

// --- the core: dispatch by Call-ID and tags only

std::string inDialogRequest(const std::string& method, const std::string& fromTag,
                            const std::string& toTag, const std::string& callId, std::uint32_t cseq,
                            const std::string& branch) {
  return method +
         " sip:uas@127.0.0.1:5070 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK" +
         branch +
         "\r\n"
         "Max-Forwards: 70\r\n"
         "From: <sip:raw@127.0.0.1:5090>;tag=" +
         fromTag +
         "\r\n"
         "To: <sip:uas@127.0.0.1:5070>;tag=" +
         toTag +
         "\r\n"
         "Call-ID: " +
         callId +
         "\r\n"
         "CSeq: " +
         std::to_string(cseq) + " " + method +
         "\r\n"
         "Content-Length: 0\r\n\r\n";
}

TEST(UserAgentCoreTest, InDialogRequestWithUnknownTagsGets481) {
  Wire wire;
  util::ManualTimerService clock;
  Endpoint uas(wire, clock, "uas", 5070);
  RawPeer raw(wire, "raw", 5090);
  raw.sendText(inDialogRequest("BYE", "nope", "nothing", "unknown@x", 5, "a1"), 5070);
  raw.sendText(inDialogRequest("INFO", "nope", "nothing", "unknown@x", 6, "a2"), 5070);
  wire.pump();
  ASSERT_NE(raw.lastResponse(Method::Bye), nullptr);
  EXPECT_EQ(raw.lastResponse(Method::Bye)->statusCode(), 481);
  EXPECT_EQ(raw.lastResponse(Method::Info)->statusCode(), 481);
  // BYE without To tag has no dialog either (RFC 3261 15.1.2).
  raw.sendText(
      "BYE sip:uas@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKa3\r\n"
      "From: <sip:raw@127.0.0.1:5090>;tag=f\r\nTo: <sip:uas@127.0.0.1:5070>\r\n"
      "Call-ID: c@x\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n",
      5070);
  wire.pump();
  EXPECT_EQ(raw.lastResponse(Method::Bye)->statusCode(), 481);
  EXPECT_FALSE(raw.lastResponse(Method::Bye)->to().tag.empty());
}

class RecordingRequests final : public RequestHandler {
 public:
  void onRequest(const txn::ServerTransactionHandle& txn, const Message& request,
                 const transport::Peer&) override {
    methods.push_back(std::string(request.methodName()));
    txn.respond(makeResponse(request, 200, "OK", "apptag"));
  }
  std::vector<std::string> methods;
};

TEST(UserAgentCoreTest, OptionsAndRegisterGoToTheApplication) {
  Wire wire;
  util::ManualTimerService clock;
  RecordingRequests app;
  UserAgentCoreOptions options;
  options.requests = &app;
  Endpoint uas(wire, clock, "uas", 5070, options);
  RawPeer raw(wire, "raw", 5090);
  for (const char* method : {"OPTIONS", "REGISTER"}) {
    raw.sendText(
        std::string(method) +
            " sip:127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK" +
            method +
            "\r\nFrom: <sip:raw@127.0.0.1>;tag=f\r\nTo: <sip:raw@127.0.0.1>\r\n"
            "Call-ID: o@x\r\nCSeq: 1 " +
            method + "\r\nContent-Length: 0\r\n\r\n",
        5070);
  }
  wire.pump();
  EXPECT_EQ(app.methods, (std::vector<std::string>{"OPTIONS", "REGISTER"}));
  EXPECT_EQ(raw.lastResponse(Method::Options)->statusCode(), 200);
  EXPECT_EQ(raw.lastResponse(Method::Register)->statusCode(), 200);
}

TEST(UserAgentCoreTest, NoApplicationMeans405And480) {
  Wire wire;
  util::ManualTimerService clock;
  Endpoint uas(wire, clock, "uas", 5070);
  RawPeer raw(wire, "raw", 5090);
  raw.sendText(
      "OPTIONS sip:127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKo1\r\n"
      "From: <sip:raw@127.0.0.1>;tag=f\r\nTo: <sip:raw@127.0.0.1>\r\n"
      "Call-ID: o@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
      5070);
  raw.sendText(
      "INVITE sip:127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKi1\r\n"
      "From: <sip:raw@127.0.0.1>;tag=f\r\nTo: <sip:raw@127.0.0.1>\r\nContact: "
      "<sip:raw@127.0.0.1:5090>\r\n"
      "Call-ID: i@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
      5070);
  wire.pump();
  EXPECT_EQ(raw.lastResponse(Method::Options)->statusCode(), 405);
  EXPECT_FALSE(raw.lastResponse(Method::Options)->headerValue(HeaderId::Allow).empty());
  EXPECT_EQ(raw.lastResponse(Method::Invite)->statusCode(), 480);
  clock.advance(std::chrono::minutes(2));
  EXPECT_TRUE(uas.idle());
}

}  // namespace
}  // namespace ccsip::sip::dialog
