#include "cli/requests.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ccsip::cli {
namespace {

namespace json = boost::json;

constexpr const char* kConn = "6747a3f0000c2b1e";

Invocation on(Command command, const std::string& dn = "1000") {
  Invocation invocation;
  invocation.command = command;
  invocation.dns = {dn};
  return invocation;
}

std::string requestText(const Invocation& invocation, std::uint64_t referenceId = 7) {
  return json::serialize(commandRequest(invocation, referenceId));
}

TEST(CliRequests, OpenSessionCarriesTokenAndName) {
  ConnectionOptions connection;
  connection.token = "demo-desktop";
  EXPECT_EQ(json::serialize(openSessionRequest(connection, 1)),
            R"({"request":"OpenSession","referenceId":1,"applicationToken":"demo-desktop",)"
            R"("applicationName":"ccsip-cli"})");
}

TEST(CliRequests, RegisterAddress) {
  EXPECT_EQ(json::serialize(registerAddressRequest("1000", 2)),
            R"({"request":"RegisterAddress","referenceId":2,"thisDN":"1000"})");
}

TEST(CliRequests, LoginNotReadyByDefaultReadyOnRequest) {
  Invocation login = on(Command::Login);
  login.agentId = "5001";
  login.password = "agent5001";
  EXPECT_EQ(requestText(login),
            R"({"request":"AgentLogin","referenceId":7,"thisDN":"1000","agentId":"5001",)"
            R"("password":"agent5001","agentState":"NotReady"})");
  login.reason = "login";
  EXPECT_EQ(requestText(login),
            R"({"request":"AgentLogin","referenceId":7,"thisDN":"1000","agentId":"5001",)"
            R"("password":"agent5001","agentState":"NotReady","reasons":{"reason":"login"}})");
  login.ready = true;  // a NotReady reason has no meaning for a Ready login
  EXPECT_EQ(requestText(login),
            R"({"request":"AgentLogin","referenceId":7,"thisDN":"1000","agentId":"5001",)"
            R"("password":"agent5001","agentState":"Ready"})");
}

TEST(CliRequests, AgentStateRequests) {
  EXPECT_EQ(requestText(on(Command::Ready)),
            R"({"request":"AgentSetReady","referenceId":7,"thisDN":"1000"})");
  Invocation notReady = on(Command::NotReady);
  notReady.reason = "break";
  notReady.agentId = "5001";
  EXPECT_EQ(requestText(notReady),
            R"({"request":"AgentSetNotReady","referenceId":7,"thisDN":"1000","agentId":"5001",)"
            R"("reasons":{"reason":"break"}})");
  EXPECT_EQ(requestText(on(Command::AfterCallWork)),
            R"({"request":"AgentSetAfterCallWork","referenceId":7,"thisDN":"1000"})");
  EXPECT_EQ(requestText(on(Command::Logout)),
            R"({"request":"AgentLogout","referenceId":7,"thisDN":"1000"})");
}

TEST(CliRequests, MakeCallWithUserData) {
  Invocation make = on(Command::Make);
  make.otherDn = "1001";
  EXPECT_EQ(requestText(make),
            R"({"request":"MakeCall","referenceId":7,"thisDN":"1000","otherDN":"1001"})");
  make.userData = {{"case", "77"}};
  EXPECT_EQ(requestText(make), R"({"request":"MakeCall","referenceId":7,"thisDN":"1000",)"
                               R"("otherDN":"1001","userData":{"case":"77"}})");
}

TEST(CliRequests, PartyRequestsNameTheCall) {
  const std::pair<Command, const char*> cases[] = {{Command::Answer, "AnswerCall"},
                                                   {Command::Release, "ReleaseCall"},
                                                   {Command::Hold, "HoldCall"},
                                                   {Command::Retrieve, "RetrieveCall"}};
  for (const auto& [command, name] : cases) {
    Invocation invocation = on(command);
    invocation.connId = kConn;
    EXPECT_EQ(requestText(invocation), std::string(R"({"request":")") + name +
                                           R"(","referenceId":7,"thisDN":"1000","connId":")" +
                                           kConn + R"("})");
  }
}

TEST(CliRequests, TransferSingleStepOrConsult) {
  Invocation transfer = on(Command::Transfer);
  transfer.connId = kConn;
  transfer.otherDn = "1002";
  EXPECT_EQ(requestText(transfer),
            R"({"request":"SingleStepTransfer","referenceId":7,"thisDN":"1000",)"
            R"("connId":"6747a3f0000c2b1e","otherDN":"1002"})");
  transfer.consult = true;
  EXPECT_EQ(requestText(transfer),
            R"({"request":"InitiateTransfer","referenceId":7,"thisDN":"1000",)"
            R"("connId":"6747a3f0000c2b1e","otherDN":"1002"})");
  Invocation complete = on(Command::CompleteTransfer);
  complete.connId = kConn;
  complete.consultConnId = "6747a3f0000c2b1f";
  EXPECT_EQ(requestText(complete),
            R"({"request":"CompleteTransfer","referenceId":7,"thisDN":"1000",)"
            R"("connId":"6747a3f0000c2b1e","consultConnId":"6747a3f0000c2b1f"})");
}

TEST(CliRequests, QueryAddressOrCall) {
  Invocation query = on(Command::Query);
  EXPECT_EQ(requestText(query), R"({"request":"QueryAddress","referenceId":7,"thisDN":"1000"})");
  query.connId = kConn;
  EXPECT_EQ(requestText(query), R"({"request":"QueryCall","referenceId":7,"thisDN":"1000",)"
                                R"("connId":"6747a3f0000c2b1e"})");
}

TEST(CliRequests, LargeReferenceIdStaysAnInteger) {
  // docs/protocol.md: referenceId is an integer up to 2^53-1.
  json::object request = commandRequest(on(Command::Ready), 9007199254740991ULL);
  EXPECT_EQ(request.at("referenceId").to_number<std::uint64_t>(), 9007199254740991ULL);
}

TEST(CliRequests, LineIsOneCompactObjectAndANewline) {
  std::string line = toLine(registerAddressRequest("1000", 2));
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_TRUE(json::parse(line).is_object());
}

TEST(CliRequests, DnTextIsEscapedNotInjected) {
  // A DN with a quote and a newline stays one JSON string on one line.
  std::string line = toLine(registerAddressRequest("10\"00\n", 2));
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(json::parse(line).at("thisDN").as_string(), "10\"00\n");
}

}  // namespace
}  // namespace ccsip::cli
