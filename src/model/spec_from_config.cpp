#include "model/spec_from_config.h"

namespace ccsip::model {

namespace {

// "" leaves the choice to the application default, as the model's options expect.
std::string overflowText(const std::optional<config::OverflowTarget>& target) {
  return target ? config::toString(*target) : std::string();
}

DnSpec dnSpec(const config::DnConfig& dn) {
  DnSpec spec;
  spec.dn = dn.dn;
  spec.type = toModel(dn.type);
  DnOptions& options = spec.options;
  options.name = dn.name;
  options.mailbox = dn.mailbox;
  options.noAnswerTimeout = dn.noAnswer.timeout;
  options.noAnswerOverflow = overflowText(dn.noAnswer.overflow);
  options.onCcsip = dn.type == config::DnType::Extension && dn.on == config::DnLocation::Ccsip;
  if (dn.type == config::DnType::Voicemail) {
    options.voicemailBox = dn.voicemail.mailbox;
    options.accessNumber = dn.voicemail.accessNumber;
  }
  if (dn.type == config::DnType::RoutingPoint) {
    options.strategy = dn.routingPoint.strategy;
    options.targetGroup = dn.routingPoint.targetGroup;
    options.queueTimeout = dn.routingPoint.queueTimeout;
  }
  return spec;
}

AgentSpec agentSpec(const config::AgentConfig& agent) {
  AgentSpec spec;
  spec.agentId = agent.id;
  AgentOptions& options = spec.options;
  options.name = agent.name;
  options.password = agent.password;
  options.defaultDn = agent.defaultDn;
  options.mailbox = agent.mailbox;
  options.noAnswerTimeout = agent.noAnswer.timeout;
  options.noAnswerOverflow = overflowText(agent.noAnswer.overflow);
  if (agent.noAnswerAction) options.noAnswerAction = config::toString(*agent.noAnswerAction);
  return spec;
}

}  // namespace

DnType toModel(config::DnType type) {
  switch (type) {
    case config::DnType::Extension:
      return DnType::Extension;
    case config::DnType::RoutingPoint:
      return DnType::RoutingPoint;
    case config::DnType::Voicemail:
      return DnType::Voicemail;
    case config::DnType::Trunk:
      return DnType::Trunk;
  }
  return DnType::Extension;
}

ModelSpec specFromConfig(const config::Config& config) {
  ModelSpec spec;
  spec.dns.reserve(config.dns.size());
  for (const auto& dn : config.dns) spec.dns.push_back(dnSpec(dn));
  spec.agents.reserve(config.agents.size());
  for (const auto& agent : config.agents) spec.agents.push_back(agentSpec(agent));
  spec.groups.reserve(config.groups.size());
  for (const auto& group : config.groups) {
    spec.groups.push_back(GroupSpec{group.name, group.members, group.mailbox});
  }
  return spec;
}

}  // namespace ccsip::model
