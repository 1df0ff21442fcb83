#include "pbx/subscribe_failure.h"

#include <gtest/gtest.h>

namespace ccsip::pbx {
namespace {

using std::chrono::seconds;

// chan_pjsip's 423 carries no Min-Expires: each attempt asks for twice as long, up to an hour.
TEST(SubscribeFailureTest, ExpiryDoublesUpToAnHour) {
  EXPECT_EQ(grownExpiry(seconds(600), 0), seconds(600));
  EXPECT_EQ(grownExpiry(seconds(600), 1), seconds(1200));
  EXPECT_EQ(grownExpiry(seconds(600), 2), seconds(2400));
  EXPECT_EQ(grownExpiry(seconds(600), 3), seconds(3600));
  EXPECT_EQ(grownExpiry(seconds(600), 200), seconds(3600));
  EXPECT_EQ(grownExpiry(seconds(30), 1), seconds(60));
  EXPECT_EQ(grownExpiry(seconds(1), 12), seconds(3600));
  // Never shorter than configured, even above an hour (the switch cuts it).
  EXPECT_EQ(grownExpiry(seconds(7200), 3), seconds(7200));
}

// Immediate retries end once an hour was asked: at most 12 from 1 s, 3 from 600 s, none from an
// hour; then the retry period applies.
TEST(SubscribeFailureTest, ImmediateRetriesAreBounded) {
  EXPECT_TRUE(retryLongerAfter423(seconds(600), 0));
  EXPECT_TRUE(retryLongerAfter423(seconds(600), 2));
  EXPECT_FALSE(retryLongerAfter423(seconds(600), 3));
  EXPECT_FALSE(retryLongerAfter423(seconds(3600), 0));
  int attempts = 0;
  for (std::uint8_t doublings = 0; retryLongerAfter423(seconds(1), doublings); ++doublings) {
    ++attempts;
  }
  EXPECT_EQ(attempts, 12);
}

TEST(SubscribeFailureTest, HintsNameTheLikelyCause) {
  EXPECT_NE(subscribeFailureHint(401).find("identify"), std::string_view::npos);
  EXPECT_NE(subscribeFailureHint(489).find("body generator"), std::string_view::npos);
  EXPECT_NE(subscribeFailureHint(400).find("fetch"), std::string_view::npos);
  EXPECT_NE(subscribeFailureHint(423).find("sub_min_expiry"), std::string_view::npos);
  EXPECT_TRUE(subscribeFailureHint(599).empty());
}

}  // namespace
}  // namespace ccsip::pbx
