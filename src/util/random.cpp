#include "util/random.h"

#include <random>

namespace ccsip::util {
namespace {
std::uint64_t splitMix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Random::Random() {
  std::random_device rd;
  std::uint64_t seed = (std::uint64_t{rd()} << 32) ^ rd();
  for (auto& s : s_) s = splitMix(seed);
}

Random::Random(std::uint64_t seed) {
  for (auto& s : s_) s = splitMix(seed);
}

std::uint64_t Random::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::string Random::hex(std::size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(length, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (i % 16 == 0) bits = next();
    out[i] = kDigits[bits & 0xf];
    bits >>= 4;
  }
  return out;
}

}  // namespace ccsip::util
