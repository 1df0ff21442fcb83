// A thousand routed inbound calls up at the same time, then nothing left behind: SIPp plays
// Asterisk on both sides (scenarios/routed_load_caller.xml sends the calls to routing point
// 8000; scenarios/routed_load_agent.xml answers the presence SUBSCRIBE of every agent extension
// and then the B2BUA's agent legs), 1,000 agents are logged in Ready over CTI, and each call
// holds long enough for all of them to overlap. Afterwards the call model (QueryServer and
// /metrics), the B2BUA, the UA core's dialogs and the transaction layer must all be back to
// what they held before the calls: the presence subscriptions only.

#include <atomic>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/pbx_config.h"
#include "harness/server_test.h"
#include "harness/sipp_notifier.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;

constexpr int kAgents = 1000;
constexpr int kCallsPerSecond = 250;  // all 1,000 calls placed in 4 s
constexpr int kHoldMs = 15000;        // so every call is still up when the last one is answered

std::string agentId(int i) {
  return std::to_string(60000 + i);
}
std::string agentDn(int i) {
  return std::to_string(30000 + i);
}

// Routing point 8000 -> group `load` (longest idle) of agents 60000.. on extensions 30000.. on
// the switch.
std::string callCenterYaml() {
  std::ostringstream out;
  out << "dns:\n"
      << "  - dn: \"8000\"\n"
      << "    type: routing-point\n"
      << "    routing-point: {target-group: load, strategy: longest-idle}\n";
  for (int i = 0; i < kAgents; ++i) out << "  - {dn: \"" << agentDn(i) << "\", on: switch}\n";
  out << "agents:\n";
  for (int i = 0; i < kAgents; ++i) {
    out << "  - {id: \"" << agentId(i) << "\", password: pw, default-dn: \"" << agentDn(i)
        << "\"}\n";
  }
  out << "groups:\n  - name: load\n    members:\n";
  for (int i = 0; i < kAgents; ++i) out << "      - \"" << agentId(i) << "\"\n";
  return out.str();
}

// The value of the sample `series` (name with its labels, as printed) in a /metrics text; -1
// when absent.
double metricValue(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

// What a routed call holds while it lasts, as /metrics shows it.
struct Live {
  double calls = -1;         // ccsip_calls: the call model (QueryServer's count)
  double b2bua = -1;         // ccsip_b2bua_calls: customer leg + agent leg pairs
  double dialogs = -1;       // ccsip_sip_dialogs
  double usages = -1;        // ccsip_sip_dialog_usages: INVITE sessions and subscriptions
  double transactions = -1;  // ccsip_sip_transactions_active, client + server
  double ready = -1;         // ccsip_agents{state="Ready"}

  std::string str() const {
    std::ostringstream out;
    out << "calls " << calls << ", b2bua calls " << b2bua << ", dialogs " << dialogs << ", usages "
        << usages << ", transactions " << transactions << ", Ready agents " << ready;
    return out.str();
  }
};

std::optional<Live> scrape(std::uint16_t httpPort) {
  auto text = httpGet(httpPort, "/metrics", 5s);
  if (!text) return std::nullopt;
  Live live;
  live.calls = metricValue(*text, "ccsip_calls");
  live.b2bua = metricValue(*text, "ccsip_b2bua_calls");
  live.dialogs = metricValue(*text, "ccsip_sip_dialogs");
  live.usages = metricValue(*text, "ccsip_sip_dialog_usages");
  live.transactions = metricValue(*text, "ccsip_sip_transactions_active{role=\"client\"}") +
                      metricValue(*text, "ccsip_sip_transactions_active{role=\"server\"}");
  live.ready = metricValue(*text, "ccsip_agents{state=\"Ready\"}");
  return live;
}

// Polls /metrics (bounded) until `done` holds; the last scrape either way.
template <class Done>
std::optional<Live> scrapeUntil(std::uint16_t httpPort, Done done, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<Live> live;
  for (;;) {
    live = scrape(httpPort);
    if (live && done(*live)) return live;
    if (std::chrono::steady_clock::now() >= deadline) return live;
    std::this_thread::sleep_for(200ms);
  }
}

class ConcurrentCallsTest : public ServerTest {};

TEST_F(ConcurrentCallsTest, ThousandRoutedCallsAtOnceLeaveNoCallDialogOrTransaction) {
  SwitchOptions pbx;
  pbx.port = freeUdpPort();
  ASSERT_NE(pbx.port, 0);
  pbx.presenceRetry = 3600;  // a failed subscription is not retried during the test
  pbx.subscribeRate = 500;

  // Asterisk's side first: ccsip subscribes to every extension as it starts. Each SUBSCRIBE and
  // each agent leg is one SIPp call.
  SippNotifier switchSide(dir_);
  SippNotifierOptions switchOptions;
  switchOptions.scenario = "routed_load_agent.xml";
  switchOptions.port = pbx.port;
  switchOptions.calls = 2 * kAgents;
  switchOptions.traceMessages = false;
  switchOptions.keepDeadCalls = true;  // a late retransmission of an ended call is absorbed
  switchOptions.timeout = 150s;
  ASSERT_TRUE(switchSide.start(switchOptions));

  // Short transaction timers so that what lingers after a call (Timer J, K, M: 64 x T1, T4)
  // is gone within seconds; info level, as in production (debug logs every message).
  TestConfigOptions config;
  config.logLevel = "info";
  config.t1Ms = 200;
  config.t2Ms = 1000;
  config.t4Ms = 1000;
  config.extraYaml = switchYaml(pbx) + callCenterYaml() + ctiAndHttpYaml();
  ASSERT_TRUE(startServer(config));
  const std::string ports = readFile(dir_.file("ports.txt"));
  const std::uint16_t httpPort = servicePort(ports, "http");
  const std::uint16_t ctiPort = servicePort(ports, "cti");
  ASSERT_NE(httpPort, 0) << ports;
  ASSERT_NE(ctiPort, 0) << ports;

  // Every extension's presence subscription is up (one dialog each) before the agents log in.
  auto subscribed = scrapeUntil(
      httpPort, [](const Live& live) { return live.dialogs == kAgents; }, 60s);
  ASSERT_TRUE(subscribed) << ccsip_.outputTail();
  ASSERT_EQ(subscribed->dialogs, kAgents) << subscribed->str() << "\n" << switchSide.report();
  const Live before = *subscribed;

  {
    CtiClient cti;
    ASSERT_TRUE(cti.open(ctiPort)) << cti.transcript();
    // Pipelined in windows so that neither side's buffers fill up.
    constexpr int kWindow = 50;
    for (int first = 0; first < kAgents; first += kWindow) {
      for (int i = first; i < first + kWindow; ++i) {
        ASSERT_TRUE(cti.send(R"({"request":"RegisterAddress","referenceId":)" +
                             std::to_string(2 * i + 10) + R"(,"thisDN":")" + agentDn(i) + R"("})"));
        ASSERT_TRUE(cti.send(R"({"request":"AgentLogin","referenceId":)" +
                             std::to_string(2 * i + 11) + R"(,"thisDN":")" + agentDn(i) +
                             R"(","agentId":")" + agentId(i) +
                             R"(","password":"pw","agentState":"Ready"})"));
      }
      for (int i = first; i < first + kWindow; ++i) {
        ASSERT_TRUE(cti.waitFor("\"EventAgentLogin\"", 20s))
            << "agent " << agentId(i) << "\n"
            << cti.transcript().substr(0, 4000) << ccsip_.outputTail();
      }
    }
    // The logins stay when the client goes (docs/protocol.md "Scoping").
  }
  auto ready = scrapeUntil(
      httpPort, [](const Live& live) { return live.ready == kAgents; }, 10s);
  ASSERT_TRUE(ready && ready->ready == kAgents) << (ready ? ready->str() : "no /metrics");

  // The highest counts seen while the calls run.
  std::atomic<bool> polling{true};
  Live peak;
  std::thread poller([&] {
    while (polling.load()) {
      if (auto live = scrape(httpPort)) {
        peak.calls = std::max(peak.calls, live->calls);
        peak.b2bua = std::max(peak.b2bua, live->b2bua);
        peak.dialogs = std::max(peak.dialogs, live->dialogs);
        peak.transactions = std::max(peak.transactions, live->transactions);
      }
      std::this_thread::sleep_for(100ms);
    }
  });

  SippOptions caller;
  caller.scenario = "routed_load_caller.xml";
  caller.target = ccsip_.udpTarget();
  caller.service = "8000";
  caller.calls = kAgents;
  caller.rate = kCallsPerSecond;
  caller.timeout = 90s;
  caller.extraArgs = {"-l", std::to_string(kAgents), "-d", std::to_string(kHoldMs)};
  SippResult callerResult = runSipp(caller, dir_);
  polling = false;
  poller.join();
  EXPECT_EQ(callerResult.exitCode, std::optional<int>(0))
      << callerResult.report << ccsip_.outputTail();

  // All 1,000 calls were up at once: 1,000 in the model, 1,000 B2BUA calls, and two call
  // dialogs each (customer leg, agent leg) besides the subscriptions.
  EXPECT_EQ(peak.calls, kAgents) << peak.str();
  EXPECT_EQ(peak.b2bua, kAgents) << peak.str();
  EXPECT_EQ(peak.dialogs, before.dialogs + 2 * kAgents) << peak.str();

  // Then everything returns to where it was: no call, no call dialog or usage, and once the
  // transaction timers have run out, no transaction.
  auto after = scrapeUntil(
      httpPort,
      [&](const Live& live) {
        return live.calls == 0 && live.b2bua == 0 && live.dialogs == before.dialogs &&
               live.usages == before.usages && live.transactions == 0 && live.ready == kAgents;
      },
      45s);
  ASSERT_TRUE(after) << ccsip_.outputTail();
  EXPECT_EQ(after->calls, 0) << after->str();
  EXPECT_EQ(after->b2bua, 0) << after->str();
  EXPECT_EQ(after->dialogs, before.dialogs) << after->str() << " (before: " << before.str() << ")";
  EXPECT_EQ(after->usages, before.usages) << after->str() << " (before: " << before.str() << ")";
  EXPECT_EQ(after->transactions, 0) << after->str();
  EXPECT_EQ(after->ready, kAgents) << after->str();

  // The call model says the same through CTI.
  CtiClient query;
  ASSERT_TRUE(query.open(ctiPort)) << query.transcript();
  ASSERT_TRUE(query.send(R"({"request":"QueryServer","referenceId":7})"));
  auto info = query.waitFor("\"EventServerInfo\"", 10s);
  ASSERT_TRUE(info) << query.transcript();
  EXPECT_THAT(*info, ::testing::HasSubstr("\"calls\":0")) << *info;
  EXPECT_THAT(*info, ::testing::HasSubstr("\"parties\":0")) << *info;

  // The switch side saw every subscription and every agent leg through.
  EXPECT_TRUE(switchSide.passes(20s)) << ccsip_.outputTail();
}

}  // namespace
}  // namespace ccsip::itest
