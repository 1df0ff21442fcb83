// The ccsip command line: --check-config, --version, config errors, signals, --port-file.

#include <signal.h>

#include <thread>

#include <gmock/gmock.h>

#include "harness/server_test.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

RunResult runCcsip(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv = {CCSIP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, dir, "ccsip-cli.log", std::chrono::seconds(60));
}

constexpr const char* kBadConfig =
    "sip:\n"
    "  listen:\n"
    "    - address: 127.0.0.1\n"
    "      port: abc\n"
    "      transports: [udp, sctp]\n"
    "  domain: ccsip.test\n"
    "log:\n"
    "  levle: info\n";

TEST(CcsipCli, CheckConfigOnBadFileExits2AndNamesFileLineField) {
  TempDir dir;
  std::string path = dir.write("bad.yaml", kBadConfig);
  auto result = runCcsip({"--check-config", path}, dir);
  EXPECT_EQ(result.status, std::optional<int>(2)) << result.output;
  EXPECT_THAT(
      result.output,
      HasSubstr(path + ":4: sip.listen[0].port: expected an integer 0..65535, got \"abc\""));
  // Every error, not only the first.
  EXPECT_THAT(result.output, HasSubstr(path + ":5: sip.listen[0].transports[1]:"));
  EXPECT_THAT(result.output, HasSubstr(path + ":8: log.levle: unknown key"));
}

TEST(CcsipCli, CheckConfigOnSyntaxErrorExits2WithLine) {
  TempDir dir;
  std::string path = dir.write("syntax.yaml", "sip:\n  listen: [\n  domain: x\n");
  auto result = runCcsip({"--check-config", path}, dir);
  EXPECT_EQ(result.status, std::optional<int>(2)) << result.output;
  EXPECT_THAT(result.output, HasSubstr(path + ":"));
  EXPECT_THAT(result.output, HasSubstr("YAML syntax error"));
}

TEST(CcsipCli, CheckConfigOnMissingFileExits2) {
  TempDir dir;
  auto result = runCcsip({"--check-config", dir.file("absent.yaml")}, dir);
  EXPECT_EQ(result.status, std::optional<int>(2)) << result.output;
  EXPECT_THAT(result.output, HasSubstr("absent.yaml: cannot read the file"));
}

TEST(CcsipCli, CheckConfigOnGoodFilesExits0) {
  TempDir dir;
  auto generated = runCcsip({"--check-config", dir.write("good.yaml", testConfig())}, dir);
  EXPECT_EQ(generated.status, std::optional<int>(0)) << generated.output;
  auto demo =
      runCcsip({"--check-config", std::string(CCSIP_SOURCE_DIR) + "/config/demo.yaml"}, dir);
  EXPECT_EQ(demo.status, std::optional<int>(0)) << demo.output;
}

TEST(CcsipCli, ConfigErrorsPreventStartAndExit2) {
  TempDir dir;
  std::string path = dir.write("bad.yaml", kBadConfig);
  auto result = runCcsip({"--config", path, "--port-file", dir.file("ports.txt")}, dir);
  EXPECT_EQ(result.status, std::optional<int>(2)) << result.output;
  EXPECT_THAT(result.output, HasSubstr(path + ":4: sip.listen[0].port"));
  EXPECT_TRUE(readFile(dir.file("ports.txt")).empty());
}

TEST(CcsipCli, BadFlagsExitNonZero) {
  TempDir dir;
  auto unknown = runCcsip({"--no-such-flag"}, dir);
  EXPECT_NE(unknown.status, std::optional<int>(0)) << unknown.output;
  auto level = runCcsip({"--log-level", "loud", "--check-config",
                         std::string(CCSIP_SOURCE_DIR) + "/config/demo.yaml"},
                        dir);
  EXPECT_NE(level.status, std::optional<int>(0)) << level.output;
}

TEST(CcsipCli, VersionPrintsAndExits0) {
  TempDir dir;
  auto result = runCcsip({"--version"}, dir);
  EXPECT_EQ(result.status, std::optional<int>(0)) << result.output;
  EXPECT_THAT(result.output, HasSubstr("ccsip 0."));
}

class CcsipLifecycleTest : public ServerTest {};

// A second server on the first one's port cannot bind: exit 1 with the reason, no port file.
TEST_F(CcsipLifecycleTest, PortInUseExits1) {
  ASSERT_TRUE(startServer());
  TempDir other;
  std::string config = testConfig();
  std::string port = std::to_string(ccsip_.udpPort());
  config.replace(config.find("port: 0"), 7, "port: " + port);
  auto result = runCcsip(
      {"--config", other.write("taken.yaml", config), "--port-file", other.file("ports.txt")},
      other);
  EXPECT_EQ(result.status, std::optional<int>(1)) << result.output;
  EXPECT_THAT(result.output, HasSubstr("cannot listen on 127.0.0.1:" + port));
  EXPECT_TRUE(readFile(other.file("ports.txt")).empty());
  EXPECT_TRUE(answersOptionsUdp());
}

TEST(CcsipCli, UnwritablePortFileExits1) {
  TempDir dir;
  auto result = runCcsip({"--config", dir.write("good.yaml", testConfig()), "--port-file",
                          dir.file("no-such-folder/ports.txt")},
                         dir);
  EXPECT_EQ(result.status, std::optional<int>(1)) << result.output;
  EXPECT_THAT(result.output, HasSubstr("--port-file"));
}

TEST_F(CcsipLifecycleTest, PortFileListsBoundPorts) {
  ASSERT_TRUE(startServer());
  EXPECT_NE(ccsip_.udpPort(), 0);
  EXPECT_NE(ccsip_.tcpPort(), 0);
  std::string ports = readFile(dir_.file("ports.txt"));
  EXPECT_THAT(ports, HasSubstr("udp 127.0.0.1 " + std::to_string(ccsip_.udpPort()) + "\n"));
  EXPECT_THAT(ports, HasSubstr("tcp 127.0.0.1 " + std::to_string(ccsip_.tcpPort()) + "\n"));
  EXPECT_TRUE(answersOptionsUdp());
  EXPECT_TRUE(answersOptionsTcp());
}

TEST_F(CcsipLifecycleTest, SighupReloadIsLoggedAndServiceContinues) {
  ASSERT_TRUE(startServer());
  ccsip_.signal(SIGHUP);
  bool logged = false;
  for (int i = 0; i < 100 && !logged; ++i) {
    logged = ccsip_.output().find("SIGHUP: reloaded") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(logged) << ccsip_.outputTail();
  EXPECT_TRUE(answersOptionsUdp());
}

TEST_F(CcsipLifecycleTest, SigintStopsCleanly) {
  ASSERT_TRUE(startServer());
  EXPECT_TRUE(answersOptionsUdp());
  ccsip_.signal(SIGINT);
  auto status = ccsip_.waitForExit(30s);
  EXPECT_EQ(status, std::optional<int>(0)) << ccsip_.outputTail();
  // TearDown finds the process gone and checks the same status.
}

TEST_F(CcsipLifecycleTest, TraceLevelLogsEveryMessage) {
  TestConfigOptions config;
  config.logLevel = "trace";
  ASSERT_TRUE(startServer(config));
  ASSERT_TRUE(answersOptionsUdp());
  std::string log = ccsip_.output();
  EXPECT_THAT(log, HasSubstr("OPTIONS sip:1000@ccsip.test SIP/2.0"));
  EXPECT_THAT(log, HasSubstr("SIP/2.0 200"));
}

TEST_F(CcsipLifecycleTest, LogLevelFlagOverridesConfig) {
  TestConfigOptions config;
  config.logLevel = "error";
  auto result = ccsip_.start(testConfig(config), {"--log-level", "trace"});
  started_ = static_cast<bool>(result);
  ASSERT_TRUE(result);
  ASSERT_TRUE(answersOptionsUdp());
  EXPECT_THAT(ccsip_.output(), HasSubstr("OPTIONS sip:1000@ccsip.test SIP/2.0"));
}

}  // namespace
}  // namespace ccsip::itest
