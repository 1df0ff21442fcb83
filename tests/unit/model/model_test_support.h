#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "model/model.h"

namespace ccsip::model::test {

// Keeps every event the model emits, in order.
class RecordingSink final : public EventSink {
 public:
  void onEvent(const TEvent& event) override { events.push_back(event); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const TEvent& event : events) out.push_back(event.name);
    return out;
  }
  void clear() { events.clear(); }

  std::vector<TEvent> events;
};

// ConnIds 1, 2, 3... so tests can name them.
class SequenceConnIds final : public ConnIdSource {
 public:
  ConnId next() override { return ConnId{next_++}; }

 private:
  std::uint64_t next_ = 1;
};

// A string field of an event, or "<absent>".
inline std::string field(const TEvent& event, std::string_view key) {
  const auto* value = event.fields.if_contains(key);
  if (value == nullptr) return "<absent>";
  if (value->is_string()) return std::string(value->as_string());
  return boost::json::serialize(*value);
}

inline DnSpec dnSpec(std::string dn, DnType type, std::string mailbox = {}) {
  DnSpec spec;
  spec.dn = std::move(dn);
  spec.type = type;
  spec.options.mailbox = std::move(mailbox);
  return spec;
}

inline AgentSpec agentSpec(std::string id, std::string password, std::string defaultDn,
                           std::string mailbox = {}) {
  AgentSpec spec;
  spec.agentId = std::move(id);
  spec.options.password = std::move(password);
  spec.options.defaultDn = std::move(defaultDn);
  spec.options.mailbox = std::move(mailbox);
  return spec;
}

// Extensions 1000-1003, routing point 5000, voicemail 6000, trunk "asterisk"; agents a1000-a1003
// (password "pw", default DN = their number); group "sales" = a1000, a1001, a1002.
inline ModelSpec demoSpec() {
  ModelSpec spec;
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    spec.dns.push_back(dnSpec(dn, DnType::Extension));
  }
  spec.dns[0].options.mailbox = "1000";
  spec.dns.push_back(dnSpec("5000", DnType::RoutingPoint));
  spec.dns.push_back(dnSpec("6000", DnType::Voicemail));
  spec.dns.push_back(dnSpec("asterisk", DnType::Trunk));
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    spec.agents.push_back(agentSpec(std::string("a") + dn, "pw", dn));
  }
  spec.agents[3].options.mailbox = "a1003";
  spec.groups.push_back(GroupSpec{"sales", {"a1000", "a1001", "a1002"}, "sales"});
  return spec;
}

class ModelTest : public ::testing::Test {
 protected:
  ModelTest() : model_(ModelOptions{&sink_, &clock_, &ids_, nullptr}) {
    const ApplyReport report = model_.apply(demoSpec());
    EXPECT_TRUE(report.warnings.empty());
  }

  // Logs `agentId` in on its default DN, Ready, and forgets the events.
  void loginReady(const std::string& agentId) {
    AgentLoginRequest request;
    request.agentId = agentId;
    request.password = "pw";
    request.initialState = AgentState::Ready;
    ASSERT_TRUE(model_.agentLogin(request).ok());
    sink_.clear();
  }

  AgentState stateOf(const std::string& agentId) const { return model_.findAgent(agentId)->state; }

  RecordingSink sink_;
  ManualWallClock clock_;
  SequenceConnIds ids_;
  CallModel model_;
};

}  // namespace ccsip::model::test
