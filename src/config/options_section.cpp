#include "config/sections.h"
#include "config/value_readers.h"

// The `options` section: application-wide defaults (DESIGN.md "Asterisk integration", No
// answer; "Call flows", MakeCall).

namespace ccsip::config {

namespace {

constexpr EnumName<MakeCallFlow> kFlows[] = {
    {"1", MakeCallFlow::Flow1},
    {"4", MakeCallFlow::Flow4},
};

struct NoAnswerKeys {
  std::optional<std::chrono::seconds> timeout;
  std::optional<OverflowTarget> overflow;
};

// `<prefix>no-answer-timeout` and `<prefix>no-answer-overflow`.
NoAnswerKeys readDefaults(MapReader& map, SectionContext& context, std::string_view prefix) {
  NoAnswerKeys keys;
  if (auto timeout = map.get(std::string(prefix) + "no-answer-timeout")) {
    keys.timeout = readSeconds(*timeout, context.diagnostics, 0, kMaxNoAnswerSeconds);
  }
  if (auto overflow = map.get(std::string(prefix) + "no-answer-overflow")) {
    // Application-wide: a bare `voicemail` means the mailbox of whoever did not answer.
    keys.overflow = readOverflowTarget(*overflow, context, OverflowOwner{});
  }
  return keys;
}

}  // namespace

void readOptionsSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  OptionsConfig& options = context.config.options;

  const NoAnswerKeys base = readDefaults(map, context, "");
  const NoAnswerKeys extension = readDefaults(map, context, "extn-");
  const NoAnswerKeys agent = readDefaults(map, context, "agent-");
  if (base.timeout) options.noAnswerTimeout = *base.timeout;
  if (base.overflow) options.noAnswerOverflow = *base.overflow;
  // The extension and agent defaults fall back to the general ones.
  options.extnNoAnswerTimeout = extension.timeout.value_or(options.noAnswerTimeout);
  options.extnNoAnswerOverflow = extension.overflow.value_or(options.noAnswerOverflow);
  options.agentNoAnswerTimeout = agent.timeout.value_or(options.noAnswerTimeout);
  options.agentNoAnswerOverflow = agent.overflow.value_or(options.noAnswerOverflow);

  if (auto action = map.get("agent-no-answer-action")) {
    if (auto value = readNoAnswerAction(*action, diagnostics)) {
      options.agentNoAnswerAction = *value;
    }
  }
  if (auto flow = map.get("makecall-flow")) {
    if (auto value = readEnum(*flow, diagnostics, kFlows)) options.makecallFlow = *value;
  }
}

}  // namespace ccsip::config
