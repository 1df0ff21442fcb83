#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::model {

// A call's identity (the T-Library ConnID): 64 bits shown as 16 lowercase hex digits.
class ConnId {
 public:
  constexpr ConnId() = default;
  constexpr explicit ConnId(std::uint64_t value) : value_(value) {}

  constexpr std::uint64_t value() const { return value_; }
  std::string str() const;  // always 16 lowercase hex digits
  // Accepts exactly 16 hex digits (either case); anything else is not a ConnId.
  static std::optional<ConnId> parse(std::string_view text);

  friend constexpr auto operator<=>(ConnId, ConnId) = default;

 private:
  std::uint64_t value_ = 0;
};

// Where new ConnIds come from; injectable so tests get predictable ids.
class ConnIdSource {
 public:
  virtual ~ConnIdSource() = default;
  virtual ConnId next() = 0;
};

// The server's ConnId scheme, unique across restarts without any stored state:
//   high 32 bits: seconds since the Unix epoch when the generator was created (process start);
//   low 32 bits:  a counter, incremented per call, starting at a random value below 2^31.
// A restart happens in a later second, so its ids carry a new prefix. When the counter wraps
// the prefix is incremented: that takes at least 2^31 calls (2.5 days at 10,000 calls/s), so
// prefixes advance far slower than the clock and never reach the start second of a later run.
// Two starts in the same second (not a real restart) share a prefix; their random counter
// starts keep them apart with high probability. Nodes of a future cluster add a node field here.
class ConnIdGenerator final : public ConnIdSource {
 public:
  // `counterSeed` is taken modulo 2^31 (see above).
  ConnIdGenerator(std::uint32_t startSeconds, std::uint32_t counterSeed)
      : prefix_(startSeconds), counter_(counterSeed & 0x7fff'ffffU) {}
  // Seeds from the system clock and std::random_device.
  static ConnIdGenerator fromSystem();
  // Continues exactly where another generator stands (a backup taking over; tests).
  static ConnIdGenerator resume(std::uint32_t prefix, std::uint32_t counter) {
    ConnIdGenerator generator(prefix, 0);
    generator.counter_ = counter;
    return generator;
  }

  ConnId next() override;

 private:
  std::uint32_t prefix_;
  std::uint32_t counter_;
};

}  // namespace ccsip::model

template <>
struct std::hash<ccsip::model::ConnId> {
  std::size_t operator()(ccsip::model::ConnId id) const noexcept {
    return std::hash<std::uint64_t>{}(id.value());
  }
};
