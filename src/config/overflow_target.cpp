#include "config/config.h"
#include "config/value_readers.h"

namespace ccsip::config {

namespace {

constexpr std::string_view kVoicemailPrefix = "voicemail:";
constexpr std::string_view kDnPrefix = "dn:";

}  // namespace

std::optional<OverflowTarget> parseOverflowTarget(std::string_view text) {
  if (text == "none") return OverflowTarget{OverflowKind::None, ""};
  if (text == "recall") return OverflowTarget{OverflowKind::Recall, ""};
  if (text == "release") return OverflowTarget{OverflowKind::Release, ""};
  if (text == "voicemail") return OverflowTarget{OverflowKind::Voicemail, ""};
  if (text.starts_with(kVoicemailPrefix)) {
    std::string_view box = text.substr(kVoicemailPrefix.size());
    if (!isSipUser(box)) return std::nullopt;
    return OverflowTarget{OverflowKind::Voicemail, std::string(box)};
  }
  // A keyword wins over a DN of the same name; such a DN is written "dn:recall".
  std::string_view number = text.starts_with(kDnPrefix) ? text.substr(kDnPrefix.size()) : text;
  if (!isSipUser(number)) return std::nullopt;
  return OverflowTarget{OverflowKind::Dn, std::string(number)};
}

std::string toString(const OverflowTarget& target) {
  switch (target.kind) {
    case OverflowKind::None:
      return "none";
    case OverflowKind::Recall:
      return "recall";
    case OverflowKind::Release:
      return "release";
    case OverflowKind::Voicemail:
      return target.value.empty() ? "voicemail" : std::string(kVoicemailPrefix) + target.value;
    case OverflowKind::Dn:
      return std::string(kDnPrefix) + target.value;
  }
  return "none";
}

}  // namespace ccsip::config
