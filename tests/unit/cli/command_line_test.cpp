#include "cli/command_line.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ccsip::cli {
namespace {

using ::testing::HasSubstr;

struct Parsed {
  std::variant<Invocation, ExitNow> result;
  std::string out;
  std::string err;
};

Parsed parse(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  auto result = parseCommandLine(args, out, err);
  return {std::move(result), out.str(), err.str()};
}

Invocation invocationOf(const std::vector<std::string>& args) {
  Parsed parsed = parse(args);
  EXPECT_TRUE(std::holds_alternative<Invocation>(parsed.result)) << parsed.err;
  if (!std::holds_alternative<Invocation>(parsed.result)) return {};
  return std::get<Invocation>(parsed.result);
}

int exitStatusOf(const Parsed& parsed) {
  if (!std::holds_alternative<ExitNow>(parsed.result)) return -1;
  return std::get<ExitNow>(parsed.result).status;
}

TEST(CliCommandLine, LoginWithDefaultsOfTheDemoConfiguration) {
  Invocation login =
      invocationOf({"login", "--agent", "5001", "--password", "agent5001", "--dn", "1000"});
  EXPECT_EQ(login.command, Command::Login);
  EXPECT_EQ(login.connection.host, "127.0.0.1");
  EXPECT_EQ(login.connection.port, 7000);
  EXPECT_EQ(login.connection.token, "demo-desktop");
  EXPECT_EQ(login.connection.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(login.agentId, "5001");
  EXPECT_EQ(login.password, "agent5001");
  EXPECT_EQ(login.dns, std::vector<std::string>{"1000"});
  EXPECT_FALSE(login.ready);
  EXPECT_FALSE(login.output.json);
}

TEST(CliCommandLine, GlobalOptionsBeforeOrAfterTheCommand) {
  Invocation before = invocationOf({"--host", "localhost", "--port", "7100", "--token", "t",
                                    "--timeout", "2.5", "--json", "ready", "--dn", "1000"});
  EXPECT_EQ(before.command, Command::Ready);
  EXPECT_EQ(before.connection.host, "localhost");
  EXPECT_EQ(before.connection.port, 7100);
  EXPECT_EQ(before.connection.token, "t");
  EXPECT_EQ(before.connection.timeout, std::chrono::milliseconds(2500));
  EXPECT_TRUE(before.output.json);

  Invocation after = invocationOf({"ready", "--dn", "1000", "--json", "--port", "7100", "--utc"});
  EXPECT_TRUE(after.output.json);
  EXPECT_TRUE(after.output.utc);
  EXPECT_EQ(after.connection.port, 7100);
}

TEST(CliCommandLine, EveryCommandMapsToItsCommand) {
  const std::string conn = "6747a3f0000c2b1e";
  EXPECT_EQ(invocationOf({"logout", "--dn", "1000"}).command, Command::Logout);
  EXPECT_EQ(invocationOf({"notready", "--dn", "1000", "--reason", "break"}).reason, "break");
  EXPECT_EQ(invocationOf({"acw", "--dn", "1000"}).command, Command::AfterCallWork);
  EXPECT_EQ(invocationOf({"make", "--dn", "1000", "--to", "1001"}).otherDn, "1001");
  EXPECT_EQ(invocationOf({"answer", "--dn", "1000", "--conn", conn}).command, Command::Answer);
  EXPECT_EQ(invocationOf({"release", "--dn", "1000", "--conn", conn}).command, Command::Release);
  EXPECT_EQ(invocationOf({"hold", "--dn", "1000", "--conn", conn}).command, Command::Hold);
  EXPECT_EQ(invocationOf({"retrieve", "--dn", "1000", "--conn", conn}).connId, conn);
  Invocation transfer =
      invocationOf({"transfer", "--dn", "1000", "--conn", conn, "--to", "1002", "--consult"});
  EXPECT_EQ(transfer.command, Command::Transfer);
  EXPECT_TRUE(transfer.consult);
  Invocation complete = invocationOf(
      {"complete", "--dn", "1000", "--conn", conn, "--consult-conn", "6747a3f0000c2b1f"});
  EXPECT_EQ(complete.command, Command::CompleteTransfer);
  EXPECT_EQ(complete.consultConnId, "6747a3f0000c2b1f");
  EXPECT_EQ(invocationOf({"query", "--dn", "1000"}).command, Command::Query);
}

TEST(CliCommandLine, WatchTakesSeveralDnsAndAnAgent) {
  Invocation watch =
      invocationOf({"watch", "--dn", "1000", "--dn", "1001", "--agent", "5001", "--json"});
  EXPECT_EQ(watch.command, Command::Watch);
  EXPECT_EQ(watch.dns, (std::vector<std::string>{"1000", "1001"}));
  EXPECT_EQ(watch.agentId, "5001");
  EXPECT_TRUE(watch.output.json);
}

TEST(CliCommandLine, UserDataAsKeyValuePairs) {
  Invocation make = invocationOf(
      {"make", "--dn", "1000", "--to", "1001", "--data", "case=77", "--data", "note=a=b"});
  ASSERT_EQ(make.userData.size(), 2U);
  EXPECT_EQ(make.userData[0], (std::pair<std::string, std::string>{"case", "77"}));
  EXPECT_EQ(make.userData[1], (std::pair<std::string, std::string>{"note", "a=b"}));
}

TEST(CliCommandLine, MissingRequiredOptionIsAUsageError) {
  Parsed parsed = parse({"login", "--agent", "5001", "--dn", "1000"});
  EXPECT_EQ(exitStatusOf(parsed), 2);
  EXPECT_THAT(parsed.err, HasSubstr("--password is required"));
}

TEST(CliCommandLine, NoCommandIsAUsageError) {
  Parsed parsed = parse({"--port", "7000"});
  EXPECT_EQ(exitStatusOf(parsed), 2);
  EXPECT_THAT(parsed.err, HasSubstr("subcommand"));
}

TEST(CliCommandLine, UnknownOptionIsAUsageError) {
  Parsed parsed = parse({"ready", "--dn", "1000", "--bogus"});
  EXPECT_EQ(exitStatusOf(parsed), 2);
  EXPECT_THAT(parsed.err, HasSubstr("--bogus"));
}

TEST(CliCommandLine, MalformedConnIdIsAUsageError) {
  Parsed parsed = parse({"hold", "--dn", "1000", "--conn", "12345"});
  EXPECT_EQ(exitStatusOf(parsed), 2);
  EXPECT_THAT(parsed.err, HasSubstr("not a ConnID (16 hex digits): 12345"));
}

TEST(CliCommandLine, PortOutOfRangeIsAUsageError) {
  EXPECT_EQ(exitStatusOf(parse({"--port", "70000", "ready", "--dn", "1000"})), 2);
  EXPECT_EQ(exitStatusOf(parse({"--port", "abc", "ready", "--dn", "1000"})), 2);
}

TEST(CliCommandLine, UserDataWithoutEqualsIsAUsageError) {
  Parsed parsed = parse({"make", "--dn", "1000", "--to", "1001", "--data", "case"});
  EXPECT_EQ(exitStatusOf(parsed), 2);
  EXPECT_THAT(parsed.err, HasSubstr("expected KEY=VALUE"));
}

TEST(CliCommandLine, HelpExitsZeroAndListsTheCommands) {
  Parsed parsed = parse({"--help"});
  EXPECT_EQ(exitStatusOf(parsed), 0);
  for (const char* command : {"login", "ready", "notready", "make", "transfer", "watch"}) {
    EXPECT_THAT(parsed.out, HasSubstr(command));
  }
}

TEST(CliCommandLine, ConnIdIsSixteenHexDigits) {
  EXPECT_TRUE(isConnId("6747a3f0000c2b1e"));
  EXPECT_TRUE(isConnId("6747A3F0000C2B1E"));
  EXPECT_FALSE(isConnId("6747a3f0000c2b1"));
  EXPECT_FALSE(isConnId("6747a3f0000c2b1g"));
  EXPECT_FALSE(isConnId(""));
}

}  // namespace
}  // namespace ccsip::cli
