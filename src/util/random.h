#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ccsip::util {

// Fast non-cryptographic generator (xoshiro256**) for tags, branches and Call-IDs, seeded from
// std::random_device. Nonces for digest auth use OpenSSL's RAND_bytes instead.
class Random {
 public:
  Random();
  explicit Random(std::uint64_t seed);

  std::uint64_t next();
  // `length` lowercase hex digits.
  std::string hex(std::size_t length);
  // RFC 3261 8.1.1.7: branch starts with the magic cookie z9hG4bK.
  std::string branch() { return "z9hG4bK" + hex(16); }
  std::string tag() { return hex(12); }
  std::string callId(std::string_view host) { return hex(20) + "@" + std::string(host); }

 private:
  std::uint64_t s_[4];
};

}  // namespace ccsip::util
