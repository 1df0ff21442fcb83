#include "model/conn_id.h"

#include <chrono>
#include <random>

namespace ccsip::model {

std::string ConnId::str() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  std::uint64_t v = value_;
  for (int i = 15; i >= 0; --i) {
    text[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
    v >>= 4;
  }
  return text;
}

std::optional<ConnId> ConnId::parse(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    std::uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint64_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    v = (v << 4) | digit;
  }
  return ConnId{v};
}

ConnIdGenerator ConnIdGenerator::fromSystem() {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  std::random_device device;
  return ConnIdGenerator(static_cast<std::uint32_t>(seconds), static_cast<std::uint32_t>(device()));
}

ConnId ConnIdGenerator::next() {
  const ConnId id{(static_cast<std::uint64_t>(prefix_) << 32) | counter_};
  if (++counter_ == 0) ++prefix_;  // wrapped: a fresh prefix keeps ids unique
  return id;
}

}  // namespace ccsip::model
