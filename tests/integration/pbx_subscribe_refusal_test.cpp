// chan_pjsip's refusals of ccsip's SUBSCRIBEs (asterisk-20-pjsip/presence-rejected.txt,
// mwi-rejected.txt) through the whole process: SIPp answers every SUBSCRIBE as Asterisk did, and
// the test counts the SUBSCRIBEs ccsip sends in a window (docs/pbx-monitoring.md "Subscription
// life"): an endless 401 (unknown source), 489 (Bad Event) and 400 are retried once per retry
// period, never in a loop and never with credentials; 423 without Min-Expires is retried at once
// with a doubled Expires, up to an hour, and then at the retry period.

#include <algorithm>
#include <thread>

#include <gmock/gmock.h>

#include "harness/cti_client.h"
#include "harness/pbx_config.h"
#include "harness/server_test.h"
#include "harness/sipp_notifier.h"

namespace ccsip::itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class PbxSubscribeRefusalTest : public ServerTest {
 protected:
  // ccsip with extension 2000 on the switch (presence) or, with `mwi`, extension 3000 on ccsip
  // whose box 1000 is followed instead. T1 100 ms.
  ::testing::AssertionResult startCcsip(SwitchOptions options, bool mwi = false) {
    switch_ = options;
    switch_.port = freeUdpPort();
    if (switch_.port == 0) return ::testing::AssertionFailure() << "no free UDP port";
    if (mwi) {
      switch_.presenceEnable = false;
      switch_.mwiExtensionEnable = true;
    }
    TestConfigOptions config;
    config.t1Ms = 100;
    config.t2Ms = 400;
    config.extraYaml = switchYaml(switch_) + "dns:\n" +
                       (mwi ? "  - {dn: \"3000\", password: pw3000, mailbox: \"1000\"}\n"
                            : "  - {dn: \"2000\", on: switch}\n");
    return startServer(config);
  }

  ::testing::AssertionResult startNotifier(const std::string& scenario,
                                           std::vector<std::string> extraArgs = {}) {
    SippNotifierOptions options;
    options.scenario = scenario;
    options.port = switch_.port;
    options.calls = 0;  // one SIPp call per SUBSCRIBE, as many as come
    options.extraArgs = std::move(extraArgs);
    return notifier_.start(options);
  }

  // The initial SUBSCRIBEs once at least `count` came (bounded).
  std::vector<SippMessage> waitForSubscribes(std::size_t count, std::chrono::seconds timeout) {
    notifier_.waitForMessages(
        [count](const auto& messages) { return initialSubscribes(messages).size() >= count; },
        timeout);
    return initialSubscribes(notifier_.messages());
  }

  // A refusal the retry period follows: SUBSCRIBEs `retry` apart, none with credentials, and in
  // the 4.5 s after the first no more than the period allows (a loop would send hundreds).
  void expectRetriedOncePerPeriod(const std::string& scenario, const std::string& logged) {
    SwitchOptions options;
    options.presenceRetry = 1;
    ASSERT_TRUE(startCcsip(options));
    ASSERT_TRUE(startNotifier(scenario));
    auto subscribes = waitForSubscribes(1, 10s);
    ASSERT_FALSE(subscribes.empty()) << notifier_.report() << ccsip_.outputTail();
    std::this_thread::sleep_for(4500ms);
    subscribes = initialSubscribes(notifier_.messages());
    const double first = subscribes.front().time;
    const auto inWindow = std::count_if(subscribes.begin(), subscribes.end(),
                                        [&](const auto& s) { return s.time - first <= 4.5; });
    EXPECT_GE(inWindow, 3) << "not retried every second\n" << notifier_.report();
    EXPECT_LE(inWindow, 6) << "retried faster than the retry period\n" << notifier_.report();
    for (std::size_t i = 1; i < subscribes.size(); ++i) {
      EXPECT_GE(subscribes[i].time - subscribes[i - 1].time, 0.9)
          << "SUBSCRIBE " << i << " came too soon\n"
          << notifier_.report();
    }
    for (const auto& subscribe : subscribes) {
      EXPECT_EQ(subscribe.header("Authorization"), "") << subscribe.text;
      EXPECT_EQ(subscribe.header("Expires"), std::to_string(switch_.presenceExpires));
    }
    // Logged once, with the cause (the repeats go to debug level).
    EXPECT_THAT(ccsip_.output(), HasSubstr(logged));
  }

  SwitchOptions switch_;
  SippNotifier notifier_{dir_};
};

// presence-rejected.txt p4: a source no identify matches gets 401, and 401 again after
// credentials, forever. ccsip has no credentials for the switch: it waits the retry period.
TEST_F(PbxSubscribeRefusalTest, PjsipEndless401WaitsTheRetryPeriod) {
  expectRetriedOncePerPeriod("pbx_subscribe_401_pjsip.xml", "failed with 401 Unauthorized");
  EXPECT_THAT(ccsip_.output(), HasSubstr("identify must match ccsip's address and port"));
}

// presence-rejected.txt p3 / p7: 489 Bad Event, logged with its likely cause.
TEST_F(PbxSubscribeRefusalTest, PjsipBadEventWaitsTheRetryPeriod) {
  expectRetriedOncePerPeriod("pbx_subscribe_489_pjsip.xml", "failed with 489 Bad Event");
  EXPECT_THAT(ccsip_.output(), HasSubstr("body generator module is not loaded"));
}

// mwi-rejected.txt c9: chan_pjsip's 400 (its answer to a fetch, which ccsip never sends).
TEST_F(PbxSubscribeRefusalTest, PjsipBadRequestWaitsTheRetryPeriod) {
  expectRetriedOncePerPeriod("pbx_subscribe_400_pjsip.xml", "failed with 400 Bad Request");
}

// mwi-rejected.txt c1: the MWI subscription of an extension box, refused the same way.
TEST_F(PbxSubscribeRefusalTest, PjsipEndless401ToMwiWaitsTheRetryPeriod) {
  SwitchOptions options;
  options.mwiRetry = 1;
  ASSERT_TRUE(startCcsip(options, /*mwi=*/true));
  ASSERT_TRUE(startNotifier("pbx_subscribe_401_pjsip.xml"));
  ASSERT_FALSE(waitForSubscribes(1, 10s).empty()) << notifier_.report() << ccsip_.outputTail();
  std::this_thread::sleep_for(3500ms);
  const auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_GE(subscribes.size(), 3U) << notifier_.report();
  EXPECT_LE(subscribes.size(), 5U) << notifier_.report();
  for (const auto& subscribe : subscribes) {
    EXPECT_EQ(subscribe.header("Event"), "message-summary");
    EXPECT_EQ(subscribe.header("Authorization"), "") << subscribe.text;
  }
  EXPECT_THAT(
      ccsip_.output(),
      HasSubstr("message-summary SUBSCRIBE failed with 401 Unauthorized for sip:gvm-1000@"));
}

// presence-rejected.txt p5: Expires 30 below sub_min_expiry 60 gets 423 without Min-Expires.
// The next SUBSCRIBE goes at once and asks for 60, which is accepted and notified.
TEST_F(PbxSubscribeRefusalTest, PjsipTooBriefIsRetriedAtOnceWithTwiceTheExpires) {
  SwitchOptions options;
  options.presenceExpires = 30;
  options.presenceRetry = 5;
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(startNotifier("pbx_subscribe_423_pjsip.xml", {"-key", "minexpires", "60"}));
  // The NOTIFY of the accepted subscription was answered.
  ASSERT_TRUE(notifier_.waitForMessages(
      [](const auto& messages) {
        return std::any_of(messages.begin(), messages.end(), [](const SippMessage& m) {
          return m.received && m.status() == 200 && m.header("CSeq") == "5736 NOTIFY";
        });
      },
      10s))
      << notifier_.report() << ccsip_.outputTail();
  std::this_thread::sleep_for(1s);
  const auto subscribes = initialSubscribes(notifier_.messages());
  ASSERT_EQ(subscribes.size(), 2U) << notifier_.report();
  EXPECT_EQ(subscribes[0].header("Expires"), "30");
  EXPECT_EQ(subscribes[1].header("Expires"), "60");
  EXPECT_LT(subscribes[1].time - subscribes[0].time, 1.0) << "waited instead of asking longer";
  EXPECT_THAT(ccsip_.output(), HasSubstr("got 423 Interval Too Brief; asking for 60 s"));
}

// A switch whose minimum is above an hour: 600, 1200, 2400 and 3600 at once, then an hour at
// the retry period (2 s), not a loop.
TEST_F(PbxSubscribeRefusalTest, PjsipTooBriefEvenForAnHourWaitsTheRetryPeriod) {
  SwitchOptions options;
  options.presenceExpires = 600;
  options.presenceRetry = 2;
  ASSERT_TRUE(startCcsip(options));
  ASSERT_TRUE(startNotifier("pbx_subscribe_423_pjsip.xml", {"-key", "minexpires", "100000"}));
  auto subscribes = waitForSubscribes(1, 10s);
  ASSERT_FALSE(subscribes.empty()) << notifier_.report() << ccsip_.outputTail();
  std::this_thread::sleep_for(5s);
  subscribes = initialSubscribes(notifier_.messages());
  ASSERT_GE(subscribes.size(), 5U) << notifier_.report();
  const double first = subscribes.front().time;
  const auto inWindow = std::count_if(subscribes.begin(), subscribes.end(),
                                      [&](const auto& s) { return s.time - first <= 5.0; });
  EXPECT_LE(inWindow, 7) << "423 made a loop\n" << notifier_.report();
  const std::vector<std::string> grown = {"600", "1200", "2400", "3600"};
  for (std::size_t i = 0; i < grown.size(); ++i) {
    EXPECT_EQ(subscribes[i].header("Expires"), grown[i]) << subscribes[i].text;
  }
  EXPECT_LT(subscribes[3].time - first, 1.5) << "the doublings did not go at once";
  for (std::size_t i = 4; i < subscribes.size(); ++i) {
    EXPECT_EQ(subscribes[i].header("Expires"), "3600") << subscribes[i].text;
    EXPECT_GE(subscribes[i].time - subscribes[i - 1].time, 1.9) << notifier_.report();
  }
}

}  // namespace
}  // namespace ccsip::itest
