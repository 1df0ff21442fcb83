#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::bench {

// The numbering the generated configuration and the notifier share: endpoint i (0-based,
// below 100,000) is extension DN "2<i:05>" on the switch with mailbox "7<i:05>" and, when
// agents are wanted, agent "5<i:05>" (password "pw") whose default DN it is.
inline constexpr std::uint32_t kMaxEndpoints = 100'000;

inline std::string numbered(char prefix, std::uint32_t index) {
  char text[16];
  std::snprintf(text, sizeof text, "%c%05u", prefix, static_cast<unsigned>(index));
  return text;
}

inline std::string extensionDn(std::uint32_t index) {
  return numbered('2', index);
}
inline std::string mailboxOf(std::uint32_t index) {
  return numbered('7', index);
}
inline std::string agentIdOf(std::uint32_t index) {
  return numbered('5', index);
}

// "2<i:05>" with prefix '2' -> i; nullopt for anything else.
inline std::optional<std::uint32_t> indexOf(std::string_view text, char prefix) {
  if (text.size() != 6 || text.front() != prefix) return std::nullopt;
  std::uint32_t index = 0;
  const auto result = std::from_chars(text.data() + 1, text.data() + text.size(), index);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return std::nullopt;
  return index;
}

}  // namespace ccsip::bench
