#include "sip/dialog/nonce_manager.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "util/timer_service.h"

namespace ccsip::sip::dialog {
namespace {

using std::chrono::seconds;

TEST(NonceManager, FreshNonceIsValidAndUnique) {
  util::ManualTimerService timers;
  NonceManager nonces(timers);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string nonce = nonces.issue();
    EXPECT_EQ(nonce.size(), 64u);
    EXPECT_EQ(nonces.check(nonce), NonceStatus::Valid);
    EXPECT_TRUE(seen.insert(nonce).second);
  }
}

TEST(NonceManager, ExpiresAfterLifetime) {
  util::ManualTimerService timers;
  timers.advance(seconds(1000));
  NonceManager nonces(timers);  // default lifetime 300 s
  const std::string nonce = nonces.issue();
  timers.advance(seconds(300));
  EXPECT_EQ(nonces.check(nonce), NonceStatus::Valid);
  timers.advance(seconds(1));
  // RFC 2617 3.2.1: authentic but too old -> stale.
  EXPECT_EQ(nonces.check(nonce), NonceStatus::Stale);
}

TEST(NonceManager, ConfigurableLifetime) {
  util::ManualTimerService timers;
  NonceManager nonces(timers, {.lifetime = seconds(10)});
  const std::string nonce = nonces.issue();
  timers.advance(seconds(11));
  EXPECT_EQ(nonces.check(nonce), NonceStatus::Stale);
}

TEST(NonceManager, ForgedOrForeignNoncesAreInvalid) {
  util::ManualTimerService timers;
  NonceManager nonces(timers, {.secret = "one"});
  NonceManager other(timers, {.secret = "two"});
  const std::string nonce = nonces.issue();
  EXPECT_EQ(other.check(nonce), NonceStatus::Invalid);
  NonceManager same(timers, {.secret = "one"});
  EXPECT_EQ(same.check(nonce), NonceStatus::Valid);

  std::string tampered = nonce;
  tampered[3] = tampered[3] == '0' ? '1' : '0';  // the timestamp
  EXPECT_EQ(nonces.check(tampered), NonceStatus::Invalid);
  tampered = nonce;
  tampered.back() = tampered.back() == '0' ? '1' : '0';  // the MAC
  EXPECT_EQ(nonces.check(tampered), NonceStatus::Invalid);

  EXPECT_EQ(nonces.check(""), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check("1700000000/abc"), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check(std::string(64, 'z')), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check(nonce + "00"), NonceStatus::Invalid);
}

TEST(NonceManager, NonceFromTheFutureIsInvalid) {
  util::ManualTimerService later;
  later.advance(seconds(5000));
  NonceManager issuer(later, {.secret = "s"});
  const std::string nonce = issuer.issue();
  util::ManualTimerService earlier;
  earlier.advance(seconds(100));
  NonceManager checker(earlier, {.secret = "s"});
  EXPECT_EQ(checker.check(nonce), NonceStatus::Invalid);
}

TEST(NonceManager, NonceCountMustIncrease) {
  util::ManualTimerService timers;
  NonceManager nonces(timers);
  const std::string nonce = nonces.issue();
  EXPECT_TRUE(nonces.acceptNonceCount(nonce, 1));
  EXPECT_FALSE(nonces.acceptNonceCount(nonce, 1));  // replay
  EXPECT_TRUE(nonces.acceptNonceCount(nonce, 2));
  EXPECT_FALSE(nonces.acceptNonceCount(nonce, 1));
  EXPECT_TRUE(nonces.acceptNonceCount(nonces.issue(), 1));  // counts are per nonce
  EXPECT_EQ(nonces.trackedNonces(), 2u);
  timers.advance(seconds(301));
  // Entries go with their nonce's lifetime.
  EXPECT_TRUE(nonces.acceptNonceCount(nonces.issue(), 1));
  EXPECT_EQ(nonces.trackedNonces(), 1u);
}

TEST(NonceManager, TrackingTableIsBounded) {
  util::ManualTimerService timers;
  NonceManager nonces(timers, {.maxTrackedNonces = 3});
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(nonces.acceptNonceCount(nonces.issue(), 1));
  EXPECT_EQ(nonces.trackedNonces(), 3u);
}

}  // namespace
}  // namespace ccsip::sip::dialog
