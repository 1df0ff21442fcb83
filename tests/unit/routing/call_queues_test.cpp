#include "routing/call_queues.h"

#include <gtest/gtest.h>

namespace ccsip::routing {
namespace {

using model::ConnId;

TEST(CallQueues, FifoPerGroupWithRecallsInFront) {
  CallQueues queues;
  queues.pushBack("sales", ConnId{1});
  queues.pushBack("sales", ConnId{2});
  queues.pushBack("support", ConnId{3});
  queues.pushFront("sales", ConnId{4});
  EXPECT_EQ(queues.calls("sales"), (std::vector<ConnId>{ConnId{4}, ConnId{1}, ConnId{2}}));
  EXPECT_EQ(queues.front("support"), ConnId{3});
  EXPECT_EQ(queues.size(), 4u);
  EXPECT_EQ(queues.size("sales"), 3u);
  // Ranks order fronts across groups: a recall before everything, then arrival order.
  EXPECT_LT(queues.rank(ConnId{4}), queues.rank(ConnId{1}));
  EXPECT_LT(queues.rank(ConnId{1}), queues.rank(ConnId{3}));
  EXPECT_LT(queues.rank(ConnId{2}), queues.rank(ConnId{3}));
}

TEST(CallQueues, RemoveAnywhereAndForgetEmptyGroups) {
  CallQueues queues;
  queues.pushBack("sales", ConnId{1});
  queues.pushBack("sales", ConnId{2});
  queues.pushBack("sales", ConnId{3});
  EXPECT_TRUE(queues.remove(ConnId{2}));
  EXPECT_FALSE(queues.remove(ConnId{2}));
  EXPECT_EQ(queues.calls("sales"), (std::vector<ConnId>{ConnId{1}, ConnId{3}}));
  EXPECT_TRUE(queues.remove(ConnId{1}));
  EXPECT_TRUE(queues.remove(ConnId{3}));
  EXPECT_TRUE(queues.groups().empty());
  EXPECT_EQ(queues.front("sales"), std::nullopt);
  EXPECT_EQ(queues.size(), 0u);
}

TEST(CallQueues, PushingAQueuedCallMovesIt) {
  CallQueues queues;
  queues.pushBack("sales", ConnId{1});
  queues.pushBack("sales", ConnId{2});
  queues.pushFront("support", ConnId{2});
  EXPECT_EQ(queues.calls("sales"), std::vector<ConnId>{ConnId{1}});
  EXPECT_EQ(queues.calls("support"), std::vector<ConnId>{ConnId{2}});
  EXPECT_EQ(queues.size(), 2u);
}

}  // namespace
}  // namespace ccsip::routing
