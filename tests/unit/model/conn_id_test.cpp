#include "model/conn_id.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace ccsip::model {
namespace {

bool isLowerHex16(const std::string& text) {
  if (text.size() != 16) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(ConnId, SixteenLowercaseHexDigits) {
  EXPECT_EQ(ConnId{0}.str(), "0000000000000000");
  EXPECT_EQ(ConnId{0x00ab'cdef'0123'4567}.str(), "00abcdef01234567");
  EXPECT_EQ(ConnId{~0ULL}.str(), "ffffffffffffffff");
}

TEST(ConnId, ParseRoundTripsAndRejectsOthers) {
  EXPECT_EQ(ConnId::parse("00abcdef01234567"), ConnId{0x00ab'cdef'0123'4567});
  EXPECT_EQ(ConnId::parse("00ABCDEF01234567"), ConnId{0x00ab'cdef'0123'4567});
  EXPECT_FALSE(ConnId::parse(""));
  EXPECT_FALSE(ConnId::parse("00abcdef0123456"));    // 15 digits
  EXPECT_FALSE(ConnId::parse("00abcdef012345678"));  // 17 digits
  EXPECT_FALSE(ConnId::parse("00abcdef0123456g"));
  EXPECT_FALSE(ConnId::parse(" 0abcdef01234567"));
}

TEST(ConnIdGenerator, StartSecondsPrefixAndCounterFromSeed) {
  ConnIdGenerator generator(0x6553'f100, 0x0000'0010);
  EXPECT_EQ(generator.next().str(), "6553f10000000010");
  EXPECT_EQ(generator.next().str(), "6553f10000000011");
}

TEST(ConnIdGenerator, SeedIsBelowTwoToThe31) {
  // So the first wrap is at least 2^31 calls away.
  ConnIdGenerator generator(1, 0xffff'fff0);
  EXPECT_EQ(generator.next(), ConnId{(1ULL << 32) | 0x7fff'fff0});
}

TEST(ConnIdGenerator, CounterWrapMovesToTheNextPrefix) {
  ConnIdGenerator generator = ConnIdGenerator::resume(100, 0xffff'fffe);
  EXPECT_EQ(generator.next(), ConnId{(100ULL << 32) | 0xffff'fffe});
  EXPECT_EQ(generator.next(), ConnId{(100ULL << 32) | 0xffff'ffff});
  EXPECT_EQ(generator.next(), ConnId{(101ULL << 32) | 0});
  EXPECT_EQ(generator.next(), ConnId{(101ULL << 32) | 1});
}

TEST(ConnIdGenerator, RestartInALaterSecondNeverRepeatsAnId) {
  // Same random seed by bad luck, one second later: the prefixes differ.
  ConnIdGenerator before(1'700'000'000, 42);
  ConnIdGenerator after(1'700'000'001, 42);
  std::unordered_set<ConnId> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(before.next()).second);
    EXPECT_TRUE(seen.insert(after.next()).second);
  }
}

TEST(ConnIdGenerator, FromSystemGivesUniqueWellFormedIds) {
  ConnIdGenerator generator = ConnIdGenerator::fromSystem();
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = generator.next().str();
    EXPECT_TRUE(isLowerHex16(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << id;
  }
}

}  // namespace
}  // namespace ccsip::model
