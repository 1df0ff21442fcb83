#include "model/availability_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model::test {
namespace {

using namespace std::chrono_literals;

AgentRequest byAgent(const std::string& agentId) {
  AgentRequest request;
  request.agentId = agentId;
  return request;
}

// --- the index on its own

class AvailabilityIndexTest : public ::testing::Test {
 protected:
  AvailabilityIndexTest() {
    for (const char* id : {"a", "b", "c"}) {
      Agent agent;
      agent.agentId = id;
      agents_.push_back(agent);
    }
    rebuild({Group{"g", {"a", "b", "c"}, ""}, Group{"h", {"c", "a"}, ""}});
  }
  void rebuild(std::vector<Group> groups) {
    groups_ = std::move(groups);
    std::vector<const Group*> pointers;
    for (const Group& group : groups_) pointers.push_back(&group);
    index_.rebuild(pointers, [this](std::string_view id) -> const Agent* {
      for (const Agent& agent : agents_) {
        if (agent.agentId == id) return &agent;
      }
      return nullptr;
    });
  }
  Agent& agent(const std::string& id) {
    return *std::find_if(agents_.begin(), agents_.end(),
                         [&](const Agent& agent) { return agent.agentId == id; });
  }
  std::vector<std::string> order(std::string_view group) const {
    std::vector<std::string> out;
    const AvailabilityIndex::Members* members = index_.available(group);
    if (members == nullptr) return {"<no group>"};
    for (const AvailabilityIndex::Entry& entry : *members) out.push_back(entry.agent->agentId);
    return out;
  }
  void setIdle(const std::string& id, std::chrono::seconds at, bool available = true) {
    agent(id).idleSince = WallClock::TimePoint{at};
    index_.update(agent(id), available);
  }

  std::vector<Agent> agents_;  // never resized after the constructor: stable addresses
  std::vector<Group> groups_;
  AvailabilityIndex index_;
};

TEST_F(AvailabilityIndexTest, OrdersByIdleSinceThenByPositionInEachGroup) {
  EXPECT_EQ(order("g"), std::vector<std::string>{});
  setIdle("c", 10s);
  setIdle("a", 20s);
  setIdle("b", 10s);
  // Tie at 10 s: in "g" b is listed before c; in "h" only c and a are members.
  EXPECT_EQ(order("g"), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(order("h"), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(order("nope"), std::vector<std::string>{"<no group>"});
}

TEST_F(AvailabilityIndexTest, TiesFollowTheOrderOfEachGroup) {
  setIdle("a", 5s);
  setIdle("c", 5s);
  EXPECT_EQ(order("g"), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(order("h"), (std::vector<std::string>{"c", "a"}));
}

TEST_F(AvailabilityIndexTest, UpdateMovesRemovesAndIgnoresRepeats) {
  setIdle("a", 5s);
  setIdle("b", 6s);
  setIdle("a", 7s);  // idle again later: behind b
  EXPECT_EQ(order("g"), (std::vector<std::string>{"b", "a"}));
  index_.update(agent("a"), true);  // nothing changed
  EXPECT_EQ(order("g"), (std::vector<std::string>{"b", "a"}));
  index_.update(agent("b"), false);
  EXPECT_EQ(order("g"), std::vector<std::string>{"a"});
  EXPECT_FALSE(index_.isIndexed(agent("b")));
  index_.update(agent("b"), false);  // already out
  EXPECT_TRUE(index_.isIndexed(agent("a")));
}

TEST_F(AvailabilityIndexTest, ForgetDropsTheAgentFromEveryGroup) {
  setIdle("a", 5s);
  setIdle("c", 6s);
  index_.forget(agent("c"));
  EXPECT_EQ(order("g"), std::vector<std::string>{"a"});
  EXPECT_EQ(order("h"), std::vector<std::string>{"a"});
  index_.update(agent("c"), true);  // no longer known: ignored until the next rebuild
  EXPECT_EQ(order("h"), std::vector<std::string>{"a"});
}

TEST_F(AvailabilityIndexTest, RebuildStartsEveryoneUnavailableAndSkipsUnknownMembers) {
  setIdle("a", 5s);
  rebuild({Group{"g", {"zz", "c", "a"}, ""}});
  EXPECT_EQ(order("g"), std::vector<std::string>{});
  EXPECT_EQ(order("h"), std::vector<std::string>{"<no group>"});
  setIdle("a", 5s);
  setIdle("c", 5s);
  EXPECT_EQ(order("g"), (std::vector<std::string>{"c", "a"}));  // the new order breaks the tie
}

TEST_F(AvailabilityIndexTest, AMemberListedTwiceComesFirstAtItsFirstPlace) {
  rebuild({Group{"g", {"b", "a", "b"}, ""}});
  setIdle("a", 5s);
  setIdle("b", 5s);
  EXPECT_EQ(order("g"), (std::vector<std::string>{"b", "a", "b"}));
  index_.update(agent("b"), false);
  EXPECT_EQ(order("g"), std::vector<std::string>{"a"});
}

TEST_F(AvailabilityIndexTest, AnAgentOfNoGroupIsIgnored) {
  Agent loner;
  loner.agentId = "loner";
  index_.update(loner, true);
  EXPECT_FALSE(index_.isIndexed(loner));
  index_.forget(loner);
}

// --- the model keeps it up to date

class ModelAvailabilityTest : public ModelTest {
 protected:
  // The index's view of "sales", longest idle first.
  std::vector<std::string> available(std::string_view group = "sales") const {
    std::vector<std::string> out;
    const AvailabilityIndex::Members* members = model_.availableMembers(group);
    if (members == nullptr) return {"<no group>"};
    for (const AvailabilityIndex::Entry& entry : *members) out.push_back(entry.agent->agentId);
    return out;
  }
  ConnId callTo(const std::string& dn) {
    NewCall call;
    call.originDn = "+15550001";
    call.dialledDn = dn;
    auto id = model_.callCreated(call);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(model_.partyRinging(*id, dn).ok());
    return *id;
  }
};

TEST_F(ModelAvailabilityTest, AgentStatesEnterAndLeaveTheIndex) {
  EXPECT_EQ(available(), std::vector<std::string>{});
  loginReady("a1001");
  clock_.advance(1s);
  loginReady("a1000");
  EXPECT_EQ(available(), (std::vector<std::string>{"a1001", "a1000"}));
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1001"), {}).ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1000"});
  ASSERT_TRUE(model_.agentSetAfterCallWork(byAgent("a1000")).ok());
  EXPECT_EQ(available(), std::vector<std::string>{});
  clock_.advance(1s);
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1001")).ok());
  clock_.advance(1s);
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1000")).ok());
  EXPECT_EQ(available(), (std::vector<std::string>{"a1001", "a1000"}));
  // Ready again while Ready keeps the idle time (and the place).
  clock_.advance(1s);
  ASSERT_TRUE(model_.agentSetReady(byAgent("a1001")).ok());
  EXPECT_EQ(available(), (std::vector<std::string>{"a1001", "a1000"}));
  ASSERT_TRUE(model_.agentLogout(byAgent("a1001")).ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1000"});
  EXPECT_EQ(available("support"), std::vector<std::string>{"<no group>"});
}

TEST_F(ModelAvailabilityTest, EndpointBusyAndIdle) {
  loginReady("a1000");
  loginReady("a1001");
  ASSERT_TRUE(model_.endpointRinging("1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});
  clock_.advance(5s);
  ASSERT_TRUE(model_.endpointIdle("1000").ok());  // Ready again: idle from now
  EXPECT_EQ(available(), (std::vector<std::string>{"a1001", "a1000"}));
  // Held on the endpoint (chan_sip "On hold") is busy too.
  ASSERT_TRUE(model_.endpointPresence("1001", EndpointPresence::Held).ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1000"});
  ASSERT_TRUE(model_.endpointIdle("1001").ok());  // idle since now too: a tie, list order
  EXPECT_EQ(available(), (std::vector<std::string>{"a1000", "a1001"}));
}

TEST_F(ModelAvailabilityTest, OutOfServiceAndBack) {
  loginReady("a1000");
  ASSERT_TRUE(model_.endpointOffline("1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{});
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1000"});
}

TEST_F(ModelAvailabilityTest, ACallOnTheDnAndItsEnd) {
  loginReady("a1000");
  clock_.advance(1s);
  loginReady("a1001");
  const ConnId id = callTo("1000");
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});
  ASSERT_TRUE(model_.partyEstablished(id, "1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});
  // Presence busy while the call runs adds nothing; its end makes the agent idle from now.
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  clock_.advance(1s);
  ASSERT_TRUE(model_.partyReleased(id, "+15550001").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});  // still on the call
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});  // presence still busy
  ASSERT_TRUE(model_.endpointIdle("1000").ok());
  EXPECT_EQ(available(), (std::vector<std::string>{"a1001", "a1000"}));

  const ConnId abandoned = callTo("1001");
  EXPECT_EQ(available(), std::vector<std::string>{"a1000"});
  clock_.advance(1s);
  ASSERT_TRUE(model_.callAbandoned(abandoned).ok());
  EXPECT_EQ(available(), (std::vector<std::string>{"a1000", "a1001"}));
}

TEST_F(ModelAvailabilityTest, ReloadOfGroupMembership) {
  loginReady("a1000");
  loginReady("a1001");
  loginReady("a1003");  // in no group yet
  EXPECT_EQ(available(), (std::vector<std::string>{"a1000", "a1001"}));
  ModelSpec spec = demoSpec();
  spec.groups[0].members = {"a1003", "a1001"};  // a1000 leaves, a1003 joins, new order
  spec.groups.push_back(GroupSpec{"support", {"a1000"}, ""});
  ASSERT_TRUE(model_.apply(spec).warnings.empty());
  EXPECT_EQ(available(), (std::vector<std::string>{"a1003", "a1001"}));  // a tie: list order
  EXPECT_EQ(available("support"), std::vector<std::string>{"a1000"});
  EXPECT_EQ(model_.selectAgent("sales")->agentId, "a1003");
  ASSERT_TRUE(model_.agentSetNotReady(byAgent("a1003"), {}).ok());
  EXPECT_EQ(available(), std::vector<std::string>{"a1001"});
  spec.groups.pop_back();
  ASSERT_TRUE(model_.apply(spec).warnings.empty());
  EXPECT_EQ(available("support"), std::vector<std::string>{"<no group>"});
}

TEST_F(ModelAvailabilityTest, RemovedAgentsAndDnsLeaveTheIndex) {
  loginReady("a1000");
  loginReady("a1001");
  const ConnId id = callTo("1001");
  ModelSpec spec = demoSpec();
  // a1000 goes at once (idle); DN 1001 and a1001 when the call on 1001 ends.
  std::erase_if(spec.dns, [](const DnSpec& dn) { return dn.dn == "1001"; });
  std::erase_if(spec.agents, [](const AgentSpec& agent) {
    return agent.agentId == "a1000" || agent.agentId == "a1001";
  });
  spec.groups[0].members = {"a1002"};
  model_.apply(spec);
  EXPECT_EQ(model_.findAgent("a1000"), nullptr);
  EXPECT_EQ(available(), std::vector<std::string>{});
  ASSERT_TRUE(model_.partyReleased(id, "1001").ok());
  EXPECT_EQ(model_.findDn("1001"), nullptr);
  EXPECT_EQ(available(), std::vector<std::string>{});
  // Back in the configuration: a new login is available again.
  model_.apply(demoSpec());
  loginReady("a1001");
  loginReady("a1000");
  EXPECT_EQ(available(), (std::vector<std::string>{"a1000", "a1001"}));
}

TEST_F(ModelAvailabilityTest, ARemovedGroupMemberOnACallIsNotAvailableAfterIt) {
  loginReady("a1000");
  const ConnId id = callTo("1000");
  ModelSpec spec = demoSpec();
  spec.agents.erase(spec.agents.begin());  // a1000 removed, still on its call
  model_.apply(spec);
  ASSERT_NE(model_.findAgent("a1000"), nullptr);
  EXPECT_EQ(available(), std::vector<std::string>{});
  ASSERT_TRUE(model_.partyReleased(id, "1000").ok());
  EXPECT_EQ(model_.findAgent("a1000"), nullptr);
  EXPECT_EQ(available(), std::vector<std::string>{});
}

TEST_F(ModelAvailabilityTest, ADnTurnedRoutingPointIsNoLongerAnAgentDevice) {
  loginReady("a1000");
  ModelSpec spec = demoSpec();
  spec.dns[0].type = DnType::RoutingPoint;
  ASSERT_TRUE(model_.endpointBusy("1000").ok());
  EXPECT_EQ(available(), std::vector<std::string>{});
  model_.apply(spec);  // a routing point has no device to be busy: as isAvailable says
  EXPECT_EQ(model_.isAvailable(*model_.findAgent("a1000")), !available().empty());
}

// --- the index always agrees with isAvailable and a scan of every member

class IndexConsistencyTest : public ::testing::Test {
 protected:
  static constexpr int kDns = 12;

  IndexConsistencyTest() : model_(ModelOptions{&sink_, &clock_, &ids_, nullptr}) {
    model_.apply(spec(0));
  }

  static std::string dnOf(int i) { return std::to_string(2000 + i); }
  static std::string agentOf(int i) { return "ag" + std::to_string(i); }

  // Every DN and agent; two groups whose membership and order depend on `variant`; in some
  // variants a DN and an agent are left out (removed).
  static ModelSpec spec(unsigned variant) {
    ModelSpec out;
    for (int i = 0; i < kDns; ++i) {
      if (variant % 5 == 1 && i == 3) continue;
      out.dns.push_back(dnSpec(dnOf(i), DnType::Extension));
    }
    for (int i = 0; i < kDns; ++i) {
      if (variant % 7 == 2 && i == 5) continue;
      out.agents.push_back(agentSpec(agentOf(i), "pw", dnOf(i)));
    }
    GroupSpec even{"even", {}, ""};
    GroupSpec all{"all", {}, ""};
    for (int i = 0; i < kDns; ++i) {
      const int j = static_cast<int>((i * 5 + variant) % kDns);
      if (j % 2 == 0) even.members.push_back(agentOf(j));
      if ((j + variant) % 4 != 3) all.members.push_back(agentOf(j));
    }
    out.groups = {even, all};
    return out;
  }

  // What the pick would be by reading every member, as before the index.
  std::vector<std::string> scan(const Group& group) const {
    std::vector<std::pair<std::pair<WallClock::TimePoint, std::size_t>, std::string>> found;
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      const Agent* agent = model_.findAgent(group.members[i]);
      if (agent != nullptr && model_.isAvailable(*agent)) {
        found.push_back({{agent->idleSince, i}, agent->agentId});
      }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (const auto& item : found) out.push_back(item.second);
    return out;
  }
  std::vector<std::string> indexed(std::string_view group) const {
    std::vector<std::string> out;
    for (const auto& entry : *model_.availableMembers(group)) out.push_back(entry.agent->agentId);
    return out;
  }

  RecordingSink sink_;
  ManualWallClock clock_;
  SequenceConnIds ids_;
  CallModel model_;
};

TEST_F(IndexConsistencyTest, RandomFactsAndRequestsKeepTheIndexExact) {
  std::mt19937 random(20261127);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<ConnId> calls;
  const EndpointPresence presences[] = {EndpointPresence::Idle,    EndpointPresence::Busy,
                                        EndpointPresence::Ringing, EndpointPresence::Held,
                                        EndpointPresence::Offline, EndpointPresence::Unknown};
  for (int step = 0; step < 6000; ++step) {
    const std::string agent = agentOf(pick(kDns));
    const std::string dn = dnOf(pick(kDns));
    switch (pick(12)) {
      case 0: {
        AgentLoginRequest login;
        login.agentId = agent;
        login.password = "pw";
        login.initialState = pick(2) == 0 ? AgentState::Ready : AgentState::NotReady;
        (void)model_.agentLogin(login);
        break;
      }
      case 1:
        (void)model_.agentLogout(byAgent(agent));
        break;
      case 2:
      case 3:
        (void)model_.agentSetReady(byAgent(agent));
        break;
      case 4:
        (void)model_.agentSetNotReady(byAgent(agent), {});
        break;
      case 5:
        (void)model_.agentSetAfterCallWork(byAgent(agent));
        break;
      case 6:
        (void)model_.endpointPresence(dn, presences[pick(6)]);
        break;
      case 7: {
        NewCall call;
        call.originDn = "+1555" + std::to_string(step);
        call.dialledDn = dn;
        auto id = model_.callCreated(call);
        if (id.ok() && model_.partyRinging(*id, dn).ok()) calls.push_back(*id);
        break;
      }
      case 8:
        if (!calls.empty()) {
          const ConnId id = calls[static_cast<std::size_t>(pick(static_cast<int>(calls.size())))];
          if (const Call* call = model_.findCall(id); call != nullptr && call->parties.size() > 1) {
            (void)model_.partyEstablished(id, call->parties.back().dn);
          }
        }
        break;
      case 9:
        if (!calls.empty()) {
          const std::size_t i = static_cast<std::size_t>(pick(static_cast<int>(calls.size())));
          const ConnId id = calls[i];
          if (const Call* call = model_.findCall(id); call != nullptr) {
            const std::string party = call->parties[static_cast<std::size_t>(pick(
                                                        static_cast<int>(call->parties.size())))]
                                          .dn;
            if (pick(3) == 0) {
              (void)model_.callAbandoned(id);
            } else {
              (void)model_.partyReleased(id, party);
            }
          }
          if (model_.findCall(id) == nullptr) calls.erase(calls.begin() + static_cast<long>(i));
        }
        break;
      case 10:
        if (pick(20) == 0) model_.apply(spec(static_cast<unsigned>(pick(35))));
        break;
      case 11:
        clock_.advance(std::chrono::milliseconds(pick(3) * 500));  // ties often
        break;
    }
    for (const char* name : {"even", "all"}) {
      const Group* group = model_.findGroup(name);
      ASSERT_NE(group, nullptr);
      ASSERT_EQ(indexed(name), scan(*group)) << "step " << step << ", group " << name;
    }
  }
}

}  // namespace
}  // namespace ccsip::model::test
