#include <gtest/gtest.h>

#include "config/config.h"

namespace ccsip::config {
namespace {

TEST(OverflowTarget, ParsesEveryForm) {
  EXPECT_EQ(parseOverflowTarget("none"), (OverflowTarget{OverflowKind::None, ""}));
  EXPECT_EQ(parseOverflowTarget("recall"), (OverflowTarget{OverflowKind::Recall, ""}));
  EXPECT_EQ(parseOverflowTarget("release"), (OverflowTarget{OverflowKind::Release, ""}));
  EXPECT_EQ(parseOverflowTarget("voicemail"), (OverflowTarget{OverflowKind::Voicemail, ""}));
  EXPECT_EQ(parseOverflowTarget("voicemail:1000"),
            (OverflowTarget{OverflowKind::Voicemail, "1000"}));
  EXPECT_EQ(parseOverflowTarget("dn:2000"), (OverflowTarget{OverflowKind::Dn, "2000"}));
  EXPECT_EQ(parseOverflowTarget("2000"), (OverflowTarget{OverflowKind::Dn, "2000"}));
  // A DN named like a keyword is written with dn:.
  EXPECT_EQ(parseOverflowTarget("dn:recall"), (OverflowTarget{OverflowKind::Dn, "recall"}));
}

TEST(OverflowTarget, RejectsMalformed) {
  for (const char* text : {"", "voicemail:", "dn:", "dn:10 00", "voicemail:a@b", "10 00",
                           "sip:1000@host", "voicemail:1000:2"}) {
    EXPECT_FALSE(parseOverflowTarget(text).has_value()) << text;
  }
}

TEST(OverflowTarget, CanonicalFormRoundTrips) {
  EXPECT_EQ(toString(OverflowTarget{OverflowKind::Dn, "2000"}), "dn:2000");
  EXPECT_EQ(toString(OverflowTarget{OverflowKind::Voicemail, ""}), "voicemail");
  EXPECT_EQ(toString(OverflowTarget{OverflowKind::Voicemail, "77"}), "voicemail:77");
  EXPECT_EQ(toString(OverflowTarget{}), "none");
  for (const char* text :
       {"none", "recall", "release", "voicemail", "voicemail:1000", "dn:2000", "dn:recall"}) {
    auto target = parseOverflowTarget(text);
    ASSERT_TRUE(target.has_value()) << text;
    EXPECT_EQ(toString(*target), text);
  }
  EXPECT_EQ(toString(*parseOverflowTarget("2000")), "dn:2000");
}

}  // namespace
}  // namespace ccsip::config
