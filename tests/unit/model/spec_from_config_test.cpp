#include "model/spec_from_config.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "config/loader.h"
#include "model/model.h"
#include "model_test_support.h"

namespace ccsip::model {
namespace {

using namespace std::chrono_literals;

const DnSpec* dnOf(const ModelSpec& spec, const std::string& dn) {
  auto it =
      std::find_if(spec.dns.begin(), spec.dns.end(), [&](const DnSpec& d) { return d.dn == dn; });
  return it == spec.dns.end() ? nullptr : &*it;
}

config::Config loadOrFail(const std::string& text) {
  auto result = config::loadConfigText(text, "t.yaml");
  EXPECT_TRUE(result.ok()) << config::toString(result.errors);
  return result.config;
}

TEST(SpecFromConfig, EveryDnAgentAndGroup) {
  const config::Config config = loadOrFail(R"(sip:
  listen: [{address: 127.0.0.1, port: 0}]
  domain: d
switch: {address: 192.0.2.1}
extensions:
  - {dn: "1000", password: a, name: Alice}
dns:
  - {dn: "1001", mailbox: "1001", no-answer-timeout: 20, no-answer-overflow: voicemail}
  - {dn: "1002", password: b, no-answer-overflow: "1001"}
  - dn: "8000"
    type: routing-point
    routing-point: {target-group: sales, strategy: longest-idle, queue-timeout: 60}
    no-answer-overflow: voicemail:sales
  - {dn: "8001", type: routing-point}
  - {dn: "9000", type: voicemail}
  - {dn: pbx, type: trunk, name: Asterisk}
agents:
  - id: "5001"
    name: Ann
    password: pw
    default-dn: "1000"
    mailbox: "5001"
    no-answer-timeout: 10
    no-answer-overflow: recall
    no-answer-action: notready
  - {id: "5002", password: pw2}
groups:
  - {name: sales, members: ["5002", "5001"], mailbox: sales}
)");
  const ModelSpec spec = specFromConfig(config);

  ASSERT_EQ(spec.dns.size(), 7u);
  const DnSpec* alice = dnOf(spec, "1000");  // from `extensions`
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->type, DnType::Extension);
  EXPECT_EQ(alice->options.name, "Alice");
  EXPECT_FALSE(alice->options.noAnswerTimeout.has_value());
  EXPECT_EQ(alice->options.noAnswerOverflow, "");  // the application default

  const DnSpec* bob = dnOf(spec, "1001");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->options.mailbox, "1001");
  EXPECT_EQ(bob->options.noAnswerTimeout, 20s);
  EXPECT_EQ(bob->options.noAnswerOverflow, "voicemail:1001");  // its own box, resolved
  EXPECT_EQ(dnOf(spec, "1002")->options.noAnswerOverflow, "dn:1001");
  // The canonical form reads back.
  EXPECT_EQ(config::parseOverflowTarget(dnOf(spec, "1002")->options.noAnswerOverflow),
            (config::OverflowTarget{config::OverflowKind::Dn, "1001"}));

  const DnSpec* rp = dnOf(spec, "8000");
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->type, DnType::RoutingPoint);
  EXPECT_EQ(rp->options.targetGroup, "sales");
  EXPECT_EQ(rp->options.strategy, "longest-idle");
  EXPECT_EQ(rp->options.queueTimeout, 60s);
  EXPECT_EQ(rp->options.noAnswerOverflow, "voicemail:sales");
  const DnSpec* bare = dnOf(spec, "8001");
  EXPECT_EQ(bare->options.targetGroup, "");
  EXPECT_EQ(bare->options.strategy, "");
  EXPECT_FALSE(bare->options.queueTimeout.has_value());
  EXPECT_EQ(dnOf(spec, "9000")->type, DnType::Voicemail);
  EXPECT_EQ(dnOf(spec, "pbx")->type, DnType::Trunk);
  EXPECT_EQ(dnOf(spec, "pbx")->options.name, "Asterisk");

  ASSERT_EQ(spec.agents.size(), 2u);
  const AgentSpec& ann = spec.agents[0];
  EXPECT_EQ(ann.agentId, "5001");
  EXPECT_EQ(ann.options.name, "Ann");
  EXPECT_EQ(ann.options.password, "pw");
  EXPECT_EQ(ann.options.defaultDn, "1000");
  EXPECT_EQ(ann.options.mailbox, "5001");
  EXPECT_EQ(ann.options.noAnswerTimeout, 10s);
  EXPECT_EQ(ann.options.noAnswerOverflow, "recall");
  EXPECT_EQ(ann.options.noAnswerAction, "notready");
  EXPECT_EQ(spec.agents[1].options.noAnswerAction, "");
  EXPECT_EQ(spec.agents[1].options.defaultDn, "");

  ASSERT_EQ(spec.groups.size(), 1u);
  EXPECT_EQ(spec.groups[0].name, "sales");
  EXPECT_EQ(spec.groups[0].members, (std::vector<std::string>{"5002", "5001"}));
  EXPECT_EQ(spec.groups[0].mailbox, "sales");
}

TEST(SpecFromConfig, DnTypes) {
  EXPECT_EQ(toModel(config::DnType::Extension), DnType::Extension);
  EXPECT_EQ(toModel(config::DnType::RoutingPoint), DnType::RoutingPoint);
  EXPECT_EQ(toModel(config::DnType::Voicemail), DnType::Voicemail);
  EXPECT_EQ(toModel(config::DnType::Trunk), DnType::Trunk);
}

// The demo configuration builds a model without a warning: every reference resolves.
TEST(SpecFromConfig, DemoConfigAppliesCleanly) {
  auto result = config::loadEmbeddedConfig();
  ASSERT_TRUE(result.ok()) << config::toString(result.errors);
  const ModelSpec spec = specFromConfig(result.config);
  test::RecordingSink sink;
  ManualWallClock clock;
  test::SequenceConnIds ids;
  CallModel model(ModelOptions{&sink, &clock, &ids, nullptr});
  const ApplyReport report = model.apply(spec);
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(report.dnsAdded, 5u);
  EXPECT_EQ(report.agentsAdded, 4u);
  EXPECT_EQ(report.groups, 1u);
  EXPECT_EQ(model.findDn("8000")->type, DnType::RoutingPoint);
  EXPECT_EQ(model.findDn("8000")->options.targetGroup, "sales");
  EXPECT_EQ(model.findAgent("5001")->options.defaultDn, "1000");
}

}  // namespace
}  // namespace ccsip::model
