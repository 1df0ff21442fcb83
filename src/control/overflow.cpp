#include "control/overflow.h"

#include <chrono>

namespace ccsip::control {

namespace {

util::Duration toDuration(std::chrono::seconds seconds) {
  return std::chrono::duration_cast<util::Duration>(seconds);
}

// A model option string ("" = unset) as a target; a malformed one (the model stores what the
// configuration wrote, so only a hand-built spec has it) counts as unset.
std::optional<config::OverflowTarget> parseOption(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return config::parseOverflowTarget(text);
}

}  // namespace

NoAnswerDefaults noAnswerDefaultsFrom(const config::OptionsConfig& options) {
  NoAnswerDefaults defaults;
  // The loader has resolved extn-/agent- against the plain no-answer-* keys already.
  defaults.extnTimeout = toDuration(options.extnNoAnswerTimeout);
  defaults.agentTimeout = toDuration(options.agentNoAnswerTimeout);
  defaults.extnOverflow = options.extnNoAnswerOverflow;
  defaults.agentOverflow = options.agentNoAnswerOverflow;
  defaults.agentAction = options.agentNoAnswerAction;
  return defaults;
}

NoAnswerPlan planNoAnswer(const model::CallModel& model, std::string_view dnName,
                          const CallControlOptions& options) {
  NoAnswerPlan plan;
  const NoAnswerDefaults& defaults = options.noAnswer;
  const model::Dn* dn = model.findDn(dnName);
  if (dn != nullptr && (dn->type == model::DnType::Voicemail || dn->type == model::DnType::Trunk)) {
    return plan;  // a voicemail system answers; the trunk is no one to wait for
  }
  const model::Agent* agent = dn == nullptr ? nullptr : model.findAgent(dn->agentId);
  if (agent != nullptr && !agent->loggedIn()) agent = nullptr;

  std::optional<std::chrono::seconds> ownTimeout;
  std::optional<config::OverflowTarget> ownOverflow;
  std::string box;
  if (dn != nullptr) {
    ownTimeout = dn->options.noAnswerTimeout;
    ownOverflow = parseOption(dn->options.noAnswerOverflow);
  }
  if (agent != nullptr) {
    plan.agentId = agent->agentId;
    // The agent's own settings go with the agent to whatever DN it uses; the DN's own still beat
    // the application-wide defaults.
    if (agent->options.noAnswerTimeout) ownTimeout = agent->options.noAnswerTimeout;
    if (auto overflow = parseOption(agent->options.noAnswerOverflow)) ownOverflow = overflow;
    const std::string& action = agent->options.noAnswerAction;
    plan.agentNotReady = action.empty()
                             ? defaults.agentAction == config::NoAnswerAction::NotReady
                             : action == config::toString(config::NoAnswerAction::NotReady);
    // The agent's box first (the seed: the box "associated with the Agent Login (and not the
    // extension)"), then the phone's.
    box = agent->options.mailbox;
  }
  if (box.empty() && dn != nullptr) box = dn->options.mailbox;

  const std::optional<util::Duration> defaultTimeout =
      agent != nullptr ? defaults.agentTimeout : defaults.extnTimeout;
  plan.timeout =
      ownTimeout ? toDuration(*ownTimeout) : defaultTimeout.value_or(options.noAnswerTimeout);
  plan.overflow =
      ownOverflow.value_or(agent != nullptr ? defaults.agentOverflow : defaults.extnOverflow);
  if (plan.overflow.kind == config::OverflowKind::Voicemail && plan.overflow.value.empty()) {
    // Nobody's box to leave a message in: the call goes back where it came from.
    plan.overflow = box.empty() ? config::OverflowTarget{config::OverflowKind::Recall, ""}
                                : config::OverflowTarget{config::OverflowKind::Voicemail, box};
  }
  if (plan.overflow.kind == config::OverflowKind::None) plan.timeout = util::Duration::zero();
  return plan;
}

OverflowStep resolveOverflow(const model::CallModel& model, const config::OverflowTarget& target,
                             OverflowAction fallback) {
  OverflowStep step;
  step.action = fallback;
  switch (target.kind) {
    case config::OverflowKind::None:
      break;
    case config::OverflowKind::Recall:
      step.action = OverflowAction::Recall;
      break;
    case config::OverflowKind::Release:
      step.action = OverflowAction::Release;
      break;
    case config::OverflowKind::Dn: {
      const model::Dn* dn = model.findDn(target.value);
      step.action = dn != nullptr && dn->type == model::DnType::RoutingPoint
                        ? OverflowAction::Route
                        : OverflowAction::Deliver;
      step.dn = target.value;
      break;
    }
    case config::OverflowKind::Voicemail: {
      const model::Dn* dn = model.findVoicemailDn(target.value);
      if (dn == nullptr) break;  // the configuration check makes sure of one; a reload may not
      step.action = OverflowAction::Deliver;
      step.dn = dn->dn;
      step.mailbox = target.value;
      step.anyBox = dn->options.voicemailBox.empty();
      break;
    }
  }
  return step;
}

config::OverflowTarget routingPointOverflow(const model::CallModel& model, std::string_view rp) {
  const config::OverflowTarget release{config::OverflowKind::Release, ""};
  const model::Dn* dn = model.findDn(rp);
  if (dn == nullptr) return release;
  auto target = parseOption(dn->options.noAnswerOverflow);
  if (!target) return release;
  if (target->kind == config::OverflowKind::Voicemail && target->value.empty()) {
    const model::Group* group = model.findGroup(dn->options.targetGroup);
    if (group == nullptr || group->mailbox.empty()) return release;
    target->value = group->mailbox;
  }
  return *target;
}

sip::dialog::ExtraHeaders overflowHeaders(std::string_view fromUri, std::string_view reason,
                                          const OverflowStep& step) {
  sip::dialog::ExtraHeaders headers;
  headers.push_back(
      {"Diversion", "<" + std::string(fromUri) + ">;reason=" + std::string(reason) + ";counter=1"});
  if (step.anyBox && !step.mailbox.empty()) headers.push_back({"X-Ccsip-Mailbox", step.mailbox});
  return headers;
}

}  // namespace ccsip::control
