#include "cli/event_format.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace ccsip::cli {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2025-11-27 16:30:00.123 UTC.
constexpr std::int64_t kTimeMs = 1764261000123;
const system_clock::time_point kReceivedAt{milliseconds(1764261005678)};  // 16:30:05.678

std::string format(std::string_view line) {
  auto event = parseEventLine(line);
  EXPECT_TRUE(event.ok()) << line;
  if (!event.ok()) return {};
  return formatEvent(*event, OutputOptions{.json = false, .utc = true}, kReceivedAt);
}

TEST(CliEventFormat, RingingInTheDocumentedFieldOrder) {
  // The server's field order differs; the line's order is fixed.
  EXPECT_EQ(
      format(R"({"event":"EventRinging","time":1764261000123,"callType":"Inbound",)"
             R"("connId":"6747a3f0000c2b1e","otherDN":"7001","thisDN":"1000","userData":{}})"),
      "16:30:00.123 EventRinging thisDN=1000 otherDN=7001 connId=6747a3f0000c2b1e "
      "callType=Inbound");
}

TEST(CliEventFormat, RoutedRingingWithAgentUserDataAndReference) {
  EXPECT_EQ(format(R"({"event":"EventRinging","referenceId":30,"time":1764261000123,)"
                   R"("thisDN":"1001","otherDN":"5551234","thirdPartyDN":"8000",)"
                   R"("connId":"6747a3f0000c2b1e","callType":"Inbound","agentId":"5002",)"
                   R"("userData":{"customerId":"42"}})"),
            "16:30:00.123 EventRinging thisDN=1001 otherDN=5551234 thirdPartyDN=8000 "
            "connId=6747a3f0000c2b1e callType=Inbound agentId=5002 "
            R"(userData={"customerId":"42"} referenceId=30)");
}

TEST(CliEventFormat, AgentEventWithReasons) {
  EXPECT_EQ(format(R"({"event":"EventAgentNotReady","time":1764261000123,"thisDN":"1000",)"
                   R"("agentId":"5001","agentState":"NotReady","reasons":{"reason":"break"}})"),
            R"(16:30:00.123 EventAgentNotReady thisDN=1000 agentId=5001 agentState=NotReady )"
            R"(reasons={"reason":"break"})");
}

TEST(CliEventFormat, ErrorMessageWithSpacesIsQuoted) {
  EXPECT_EQ(format(R"({"event":"EventError","errorCode":72,)"
                   R"("errorMessage":"Wrong password: 5001","referenceId":3})"),
            R"(16:30:05.678 EventError errorCode=72 errorMessage="Wrong password: 5001" )"
            R"(referenceId=3)");
}

TEST(CliEventFormat, EventWithoutTimeUsesTheReceiveTime) {
  EXPECT_EQ(format(R"({"event":"EventRegistered","thisDN":"1000","referenceId":2})"),
            "16:30:05.678 EventRegistered thisDN=1000 referenceId=2");
}

TEST(CliEventFormat, UnknownFieldsFollowInArrivalOrder) {
  EXPECT_EQ(format(R"({"event":"EventFuture","zeta":1,"thisDN":"1000","alpha":true,)"
                   R"("list":["a","b"],"nothing":null})"),
            R"(16:30:05.678 EventFuture thisDN=1000 zeta=1 alpha=true list=["a","b"] )"
            R"(nothing=null)");
}

TEST(CliEventFormat, ControlCharactersAndEmptyStringsAreQuoted) {
  // A hostile server cannot move the cursor or forge a second line.
  EXPECT_EQ(format(R"({"event":"EventUserEvent","thisDN":"\u001b[2J\nx","otherDN":""})"),
            R"(16:30:05.678 EventUserEvent thisDN="\u001b[2J\nx" otherDN="")");
  EXPECT_EQ(format(R"({"event":"Event Odd","a=b":"c"})"), R"(16:30:05.678 "Event Odd" "a=b"=c)");
}

TEST(CliEventFormat, DelAndC1ControlsAreEscapedToo) {
  // JSON lets DEL and U+0080..U+009F stand unescaped; a terminal acts on 0x9B (CSI).
  EXPECT_EQ(format("{\"event\":\"E\",\"thisDN\":\"a\x7f\xc2\x9b"
                   "b\",\"userData\":{\"k\":\"\x7f\"}}"),
            R"(16:30:05.678 E thisDN="a\u007f\u009bb" userData={"k":"\u007f"})");
  // Other UTF-8 passes as is.
  EXPECT_EQ(format(R"({"event":"E","otherDN":"Zoë"})"), "16:30:05.678 E otherDN=Zoë");
}

TEST(CliEventFormat, EscapeControlsKeepsTheJsonMeaning) {
  const std::string line = "{\"event\":\"E\",\"x\":\"\x7f\xc2\x85\xc3\xa9\"}";
  const std::string printed = escapeControls(line);
  EXPECT_EQ(printed, R"({"event":"E","x":"\u007f\u0085é"})");
  EXPECT_EQ(*parseEventLine(printed), *parseEventLine(line));
}

TEST(CliEventFormat, EscapeControlsDropsLineBreaksBetweenTokens) {
  // A CR between tokens could overwrite the printed line on a terminal.
  EXPECT_EQ(escapeControls("{\"a\" :\r\n\t1, \"b\":\"\\\"x\\\\\"}"), R"({"a" :1, "b":"\"x\\"})");
}

TEST(CliEventFormat, MissingEventNameIsADash) {
  EXPECT_EQ(format(R"({"thisDN":"1000"})"), "16:30:05.678 - thisDN=1000");
}

TEST(CliEventFormat, ImplausibleTimeFallsBackToTheReceiveTime) {
  EXPECT_EQ(format(R"({"event":"E","time":-5})"), "16:30:05.678 E");
  EXPECT_EQ(format(R"({"event":"E","time":"noon"})"), "16:30:05.678 E");
  EXPECT_EQ(format(R"({"event":"E","time":1e300})"), "16:30:05.678 E");
  EXPECT_EQ(format(R"({"event":"E","time":18446744073709551615})"), "16:30:05.678 E");
}

TEST(CliEventFormat, ClockInUtcAndMilliseconds) {
  EXPECT_EQ(formatClock(system_clock::time_point(milliseconds(kTimeMs)), true), "16:30:00.123");
  EXPECT_EQ(formatClock(system_clock::time_point(milliseconds(7)), true), "00:00:00.007");
  EXPECT_EQ(formatClock(system_clock::time_point(milliseconds(-1)), true), "23:59:59.999");
}

TEST(CliEventFormat, ParseRefusesWhatIsNotAnObject) {
  EXPECT_FALSE(parseEventLine("").ok());
  EXPECT_FALSE(parseEventLine("{").ok());
  EXPECT_FALSE(parseEventLine("[1,2]").ok());
  EXPECT_FALSE(parseEventLine("\"EventRinging\"").ok());
  EXPECT_TRUE(parseEventLine(R"({"event":"EventAck"})").ok());
}

TEST(CliEventFormat, ReferenceIdOnlyWhenANonNegativeInteger) {
  auto refOf = [](std::string_view line) { return referenceIdOf(*parseEventLine(line)); };
  EXPECT_EQ(refOf(R"({"referenceId":12})"), std::optional<std::uint64_t>(12));
  EXPECT_EQ(refOf(R"({"referenceId":9007199254740991})"),
            std::optional<std::uint64_t>(9007199254740991ULL));
  EXPECT_EQ(refOf(R"({"referenceId":-1})"), std::nullopt);
  EXPECT_EQ(refOf(R"({"referenceId":"12"})"), std::nullopt);
  EXPECT_EQ(refOf(R"({"referenceId":1.5})"), std::nullopt);
  EXPECT_EQ(refOf(R"({})"), std::nullopt);
}

TEST(CliEventFormat, EventName) {
  EXPECT_EQ(eventName(*parseEventLine(R"({"event":"EventAck"})")), "EventAck");
  EXPECT_EQ(eventName(*parseEventLine(R"({"event":5})")), "");
}

}  // namespace
}  // namespace ccsip::cli
