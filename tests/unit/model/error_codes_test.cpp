#include "model/error_codes.h"

#include <gtest/gtest.h>

#include <set>

namespace ccsip::model {
namespace {

TEST(ErrorCodes, PublishedNumbersNeverChange) {
  // docs/protocol.md publishes these numbers: clients depend on them.
  EXPECT_EQ(toInt(ErrorCode::BadJson), 40);
  EXPECT_EQ(toInt(ErrorCode::UnknownRequest), 41);
  EXPECT_EQ(toInt(ErrorCode::MissingField), 42);
  EXPECT_EQ(toInt(ErrorCode::BadFieldType), 43);
  EXPECT_EQ(toInt(ErrorCode::NotAuthenticated), 50);
  EXPECT_EQ(toInt(ErrorCode::UnknownDn), 56);
  EXPECT_EQ(toInt(ErrorCode::UnknownCall), 57);
  EXPECT_EQ(toInt(ErrorCode::CallNotOnDn), 58);
  EXPECT_EQ(toInt(ErrorCode::InvalidAgentState), 71);
}

TEST(ErrorCodes, EveryCodeHasItsOwnMessage) {
  std::set<std::string_view> messages;
  int codes = 0;
  for (int n = 0; n < 100; ++n) {
    const std::string_view message = defaultMessage(static_cast<ErrorCode>(n));
    if (message == "Error") continue;  // not a code
    ++codes;
    EXPECT_TRUE(messages.insert(message).second) << message;
  }
  EXPECT_EQ(codes, 29);
}

TEST(ErrorCodes, MakeErrorAppendsDetail) {
  const util::Error error = makeError(ErrorCode::UnknownDn, "9999");
  EXPECT_EQ(error.code, 56);
  EXPECT_EQ(error.message, "Unknown DN: 9999");
  EXPECT_EQ(makeError(ErrorCode::WrongPassword).message, "Wrong password");
}

}  // namespace
}  // namespace ccsip::model
