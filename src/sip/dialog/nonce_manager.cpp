#include "sip/dialog/nonce_manager.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>

#include "sip/dialog/digest.h"

namespace ccsip::sip::dialog {
namespace {

constexpr std::size_t kStampBytes = 8;
constexpr std::size_t kRandomBytes = 8;
constexpr std::size_t kBodyBytes = kStampBytes + kRandomBytes;
constexpr std::size_t kMacBytes = 16;  // HMAC-SHA256 truncated to 128 bits
constexpr std::size_t kNonceHexSize = 2 * (kBodyBytes + kMacBytes);

// Clocks may differ by a little between a nonce's issue and its check only if the clock is
// replaced; a nonce stamped further in the future than this was not issued here.
constexpr std::chrono::seconds kFutureTolerance{2};

std::uint64_t millis(util::TimePoint t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool unhex(std::string_view text, unsigned char* out) {
  for (std::size_t i = 0; i < text.size() / 2; ++i) {
    const int hi = hexDigit(text[2 * i]);
    const int lo = hexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  return true;
}

}  // namespace

NonceManager::NonceManager(util::TimerService& timers, NonceOptions options)
    : timers_(timers), options_(std::move(options)) {
  if (options_.secret.empty()) options_.secret = randomHex(32);
}

std::string NonceManager::mac(const unsigned char* data, std::size_t size) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int mdSize = 0;
  if (HMAC(EVP_sha256(), options_.secret.data(), static_cast<int>(options_.secret.size()), data,
           size, md.data(), &mdSize) == nullptr) {
    return {};
  }
  return hex(md.data(), kMacBytes);
}

std::string NonceManager::issue() {
  std::array<unsigned char, kBodyBytes> body{};
  const std::uint64_t stamp = millis(timers_.now());
  for (std::size_t i = 0; i < kStampBytes; ++i) {
    body[i] = static_cast<unsigned char>(stamp >> (8 * (kStampBytes - 1 - i)));
  }
  if (RAND_bytes(body.data() + kStampBytes, static_cast<int>(kRandomBytes)) != 1) {
    // The random part only makes two nonces of the same millisecond differ; the MAC carries the
    // security, so a hex string from the fallback source is good enough.
    const std::string fallback = randomHex(kRandomBytes);
    unhex(fallback, body.data() + kStampBytes);
  }
  return hex(body.data(), body.size()) + mac(body.data(), body.size());
}

NonceStatus NonceManager::check(std::string_view nonce) const {
  if (nonce.size() != kNonceHexSize) return NonceStatus::Invalid;
  std::array<unsigned char, kBodyBytes> body{};
  if (!unhex(nonce.substr(0, 2 * kBodyBytes), body.data())) return NonceStatus::Invalid;
  const std::string expected = mac(body.data(), body.size());
  std::string received(nonce.substr(2 * kBodyBytes));
  for (char& c : received) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  if (expected.size() != received.size() ||
      CRYPTO_memcmp(expected.data(), received.data(), expected.size()) != 0) {
    return NonceStatus::Invalid;
  }
  std::uint64_t stamp = 0;
  for (std::size_t i = 0; i < kStampBytes; ++i) stamp = (stamp << 8) | body[i];
  const std::uint64_t now = millis(timers_.now());
  const auto tolerance = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(kFutureTolerance).count());
  if (stamp > now + tolerance) return NonceStatus::Invalid;
  const auto lifetime = static_cast<std::uint64_t>(options_.lifetime.count());
  // RFC 2617 3.2.1: a nonce past its lifetime is stale, not forged.
  if (now > stamp && now - stamp > lifetime) return NonceStatus::Stale;
  return NonceStatus::Valid;
}

void NonceManager::purgeCounts() {
  const util::TimePoint now = timers_.now();
  while (!countOrder_.empty() && countOrder_.front().first <= now) {
    counts_.erase(countOrder_.front().second);
    countOrder_.pop_front();
  }
}

bool NonceManager::acceptNonceCount(std::string_view nonce, std::uint32_t nc) {
  purgeCounts();
  const std::string key(nonce);
  auto it = counts_.find(key);
  if (it != counts_.end()) {
    if (nc <= it->second.highestNc) return false;
    it->second.highestNc = nc;
    return true;
  }
  if (options_.maxTrackedNonces == 0) return true;
  while (counts_.size() >= options_.maxTrackedNonces && !countOrder_.empty()) {
    counts_.erase(countOrder_.front().second);
    countOrder_.pop_front();
  }
  counts_.emplace(key, CountEntry{nc});
  // An entry can go once its nonce is stale: a stale nonce never authenticates again.
  countOrder_.emplace_back(timers_.now() + options_.lifetime, key);
  return true;
}

}  // namespace ccsip::sip::dialog
