#include <gtest/gtest.h>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

class RequestFailedTest : public ModelTest {};

TEST_F(RequestFailedTest, EventErrorGoesToTheRequestersDnWithTheReferenceId) {
  ASSERT_TRUE(model_
                  .requestFailed(ConnId{42}, "1000", ErrorCode::RejectedByEndpoint, "HoldCall: 488",
                                 boost::json::value(17))
                  .ok());
  ASSERT_EQ(sink_.names(), std::vector<std::string>{"EventError"});
  const TEvent& event = sink_.events.front();
  EXPECT_EQ(event.dns, std::vector<std::string>{"1000"});
  EXPECT_EQ(event.fields.at("errorCode").as_int64(), 65);
  EXPECT_EQ(field(event, "errorMessage"), "Rejected by the endpoint: HoldCall: 488");
  EXPECT_EQ(event.fields.at("referenceId").as_int64(), 17);
  EXPECT_EQ(field(event, "thisDN"), "1000");
  EXPECT_EQ(field(event, "connId"), ConnId{42}.str());
}

TEST_F(RequestFailedTest, UnknownOrEmptyDnIsRefusedAndNothingIsSent) {
  const Status unknown = model_.requestFailed(ConnId{1}, "9999", ErrorCode::InternalError, "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, toInt(ErrorCode::UnknownDn));
  const Status empty = model_.requestFailed(ConnId{1}, "", ErrorCode::InternalError, "x");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, toInt(ErrorCode::MissingField));
  EXPECT_TRUE(sink_.events.empty());
}

}  // namespace
}  // namespace ccsip::model::test
