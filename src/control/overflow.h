#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "control/control_options.h"
#include "model/model.h"
#include "sip/dialog/usage_types.h"
#include "util/time.h"

// No-answer supervision and overflow decisions (DESIGN.md "No answer", docs/call-flows.md
// "No answer and voicemail"): pure functions of the model and the options, so every call flow
// decides the same way and the decisions are tested without SIP.

namespace ccsip::control {

// The options section's no-answer defaults as call control applies them.
NoAnswerDefaults noAnswerDefaultsFrom(const config::OptionsConfig& options);

// What happens to a call ringing on one DN, fixed when its leg starts (a reload or a login
// during the ringing changes the next call, not this one).
struct NoAnswerPlan {
  util::Duration timeout{};  // zero: no supervision, the call rings until answered or abandoned
  // Voicemail: `value` is the box, resolved already; never a Voicemail without a box.
  config::OverflowTarget overflow{config::OverflowKind::Recall, ""};
  std::string agentId;         // the agent logged in on the DN when it started ringing; "" = none
  bool agentNotReady = false;  // agent-no-answer-action: notready
};

// The plan for a call about to ring on `dn`. The first that is set wins:
//   - with an agent logged in on `dn`: the agent's own no-answer-timeout / -overflow, then the
//     DN's own, then options.noAnswer.agent*, then options.noAnswerTimeout; the action: the
//     agent's own, then options.noAnswer.agentAction;
//   - without: the DN's own, then options.noAnswer.extn*, then options.noAnswerTimeout.
// A bare `voicemail` is the box of the agent (while one is logged in), else of the DN; with no
// box the call is recalled instead. A voicemail or trunk DN is not supervised (a voicemail
// system answers), nor is a DN whose overflow is `none` (it keeps ringing).
NoAnswerPlan planNoAnswer(const model::CallModel& model, std::string_view dn,
                          const CallControlOptions& options);

// Where an overflow sends the call, in call-control terms.
enum class OverflowAction {
  Recall,   // back to the routing point it came from
  Release,  // the caller is rejected and the call ends
  Deliver,  // a new leg to `dn` (another number, or a voicemail DN)
  Route,    // to routing point `dn`, where it waits for a routing decision
};

struct OverflowStep {
  OverflowAction action = OverflowAction::Release;
  std::string dn;  // Deliver / Route
  // Deliver to voicemail: the box. The voicemail DN's number says it (one deposit number per
  // box); a voicemail DN that takes any box gets it in an X-Ccsip-Mailbox header too.
  std::string mailbox;
  bool anyBox = false;  // the voicemail DN takes any box: the header is needed
};

// `target` as a step. A voicemail box no voicemail DN reaches, and None, give `fallback`.
OverflowStep resolveOverflow(const model::CallModel& model, const config::OverflowTarget& target,
                             OverflowAction fallback);

// Where a call goes that found no agent on routing point `rp` (queue-timeout, no logged-in
// member, no router): its no-answer-overflow, a bare `voicemail` meaning the box of its target
// group; unset: release.
config::OverflowTarget routingPointOverflow(const model::CallModel& model, std::string_view rp);

// RFC 5806 reasons of the Diversion header an overflow leg carries.
inline constexpr std::string_view kDiversionNoAnswer = "no-answer";       // nobody answered
inline constexpr std::string_view kDiversionUnavailable = "unavailable";  // nobody to ring

// The extra headers of a leg an overflow starts: `Diversion: <fromUri>;reason=<reason>;counter=1`
// (RFC 5806: Asterisk takes it as the call's redirecting number) and, for a voicemail DN that
// takes any box, `X-Ccsip-Mailbox: <box>` (docs/asterisk.md: the dialplan reads it).
sip::dialog::ExtraHeaders overflowHeaders(std::string_view fromUri, std::string_view reason,
                                          const OverflowStep& step);

}  // namespace ccsip::control
