#include "sip/dialog/digest.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <random>

#include "sip/syntax.h"

namespace ccsip::sip::dialog {
namespace {

// A header value with a thousand parameters is an attack, not a client.
constexpr std::size_t kMaxAuthParams = 64;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// RFC 3261 25.1 token characters: the parser's own character table.
using syntax::isTokenChar;

// LWS after unfolding is SP / HTAB; CR and LF are tolerated in case a caller hands a raw value.
bool isLws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Unquoted auth-param values: a token in the grammar, but real clients put '/', ':' or '@' in
// unquoted nonces and URIs, so anything up to a separator that ends the element is taken.
bool isBareValueChar(char c) {
  return !isLws(c) && c != ',' && c != '"' && c != '=' && static_cast<unsigned char>(c) >= 0x20 &&
         c != 0x7f;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void advance() { ++pos_; }
  void skipLws() {
    while (!atEnd() && isLws(peek())) advance();
  }
  std::string_view takeWhile(bool (*pred)(char)) {
    const std::size_t start = pos_;
    while (!atEnd() && pred(peek())) advance();
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

util::Error authError(std::string message) {
  return util::makeError(400, std::move(message));
}

// RFC 3261 25.1 quoted-string with quoted-pair; the cursor is on the opening quote.
util::Result<std::string> takeQuoted(Cursor& cursor) {
  cursor.advance();
  std::string value;
  while (!cursor.atEnd()) {
    const char c = cursor.peek();
    cursor.advance();
    if (c == '"') return value;
    if (c == '\\') {
      if (cursor.atEnd()) break;
      value.push_back(cursor.peek());
      cursor.advance();
      continue;
    }
    value.push_back(c);
  }
  return authError("unterminated quoted string");
}

void appendQuoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void appendParam(std::string& out, std::string_view name, std::string_view value, bool quoted) {
  if (out.back() != ' ') out += ", ";
  out += name;
  out.push_back('=');
  // A value meant as a token but holding separators (from a peer's quoted string) is quoted,
  // so what is written always parses back to the same value.
  if (!quoted) {
    quoted = value.empty();
    for (char c : value) quoted = quoted || !isBareValueChar(c);
  }
  if (quoted) {
    appendQuoted(out, value);
  } else {
    out += value;
  }
}

std::string toHex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

std::optional<std::uint32_t> parseHex32(std::string_view text) {
  if (text.empty() || text.size() > 8) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : text) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = (value << 4) | static_cast<std::uint32_t>(digit);
  }
  return value;
}

std::string paramValue(const AuthValue& value, std::string_view name) {
  const AuthParam* param = value.find(name);
  return param ? param->value : std::string();
}

// Sets text and value of an algorithm parameter; absent means MD5 (RFC 2617 3.2.1).
void readAlgorithm(const AuthValue& value, std::string& text,
                   std::optional<DigestAlgorithm>& algorithm) {
  const AuthParam* param = value.find("algorithm");
  if (param == nullptr) {
    text.clear();
    algorithm = DigestAlgorithm::Md5;
    return;
  }
  text = param->value;
  algorithm = digestAlgorithmFromName(text);
}

}  // namespace

std::string_view digestAlgorithmName(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return "MD5";
    case DigestAlgorithm::Md5Sess:
      return "MD5-sess";
    case DigestAlgorithm::Sha256:
      return "SHA-256";
    case DigestAlgorithm::Sha256Sess:
      return "SHA-256-sess";
  }
  return "";
}

std::optional<DigestAlgorithm> digestAlgorithmFromName(std::string_view name) {
  for (DigestAlgorithm algorithm : {DigestAlgorithm::Md5, DigestAlgorithm::Md5Sess,
                                    DigestAlgorithm::Sha256, DigestAlgorithm::Sha256Sess}) {
    if (iequals(name, digestAlgorithmName(algorithm))) return algorithm;
  }
  return std::nullopt;
}

bool isSessionAlgorithm(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Md5Sess || algorithm == DigestAlgorithm::Sha256Sess;
}

const AuthParam* AuthValue::find(std::string_view lowerName) const {
  for (const AuthParam& param : params) {
    if (param.name == lowerName) return &param;
  }
  return nullptr;
}

std::string_view authScheme(std::string_view text) {
  Cursor cursor(text);
  cursor.skipLws();
  return cursor.takeWhile(isTokenChar);
}

util::Result<AuthValue> parseAuthValue(std::string_view text) {
  Cursor cursor(text);
  cursor.skipLws();
  AuthValue out;
  out.scheme = std::string(cursor.takeWhile(isTokenChar));
  if (out.scheme.empty()) return authError("missing authentication scheme");
  if (!cursor.atEnd() && !isLws(cursor.peek())) return authError("bad authentication scheme");
  for (;;) {
    // RFC 7235 7: list elements may be empty ("a=1,,b=2").
    while (!cursor.atEnd() && (isLws(cursor.peek()) || cursor.peek() == ',')) cursor.advance();
    if (cursor.atEnd()) break;
    const std::string_view name = cursor.takeWhile(isTokenChar);
    if (name.empty()) return authError("expected an auth-param name");
    cursor.skipLws();
    if (cursor.atEnd() || cursor.peek() != '=') return authError("expected '=' after auth-param");
    cursor.advance();
    cursor.skipLws();
    AuthParam param;
    param.name = toLower(name);
    if (!cursor.atEnd() && cursor.peek() == '"') {
      auto quoted = takeQuoted(cursor);
      if (!quoted) return quoted.error();
      param.value = std::move(quoted.value());
      param.quoted = true;
    } else {
      const std::string_view bare = cursor.takeWhile(isBareValueChar);
      if (bare.empty()) return authError("empty auth-param value");
      param.value = std::string(bare);
    }
    cursor.skipLws();
    if (!cursor.atEnd() && cursor.peek() != ',') return authError("expected ',' between params");
    if (out.find(param.name) != nullptr) return authError("duplicate auth-param " + param.name);
    if (out.params.size() >= kMaxAuthParams) return authError("too many auth-params");
    out.params.push_back(std::move(param));
  }
  return out;
}

bool DigestChallenge::offersQopAuth() const {
  for (const std::string& qop : qopOptions) {
    if (iequals(qop, "auth")) return true;
  }
  return false;
}

util::Result<DigestChallenge> parseDigestChallenge(std::string_view text) {
  auto parsed = parseAuthValue(text);
  if (!parsed) return parsed.error();
  const AuthValue& value = parsed.value();
  if (!iequals(value.scheme, "Digest")) return authError("not a Digest challenge");
  if (value.find("realm") == nullptr) return authError("challenge without realm");
  if (value.find("nonce") == nullptr) return authError("challenge without nonce");
  DigestChallenge out;
  out.realm = paramValue(value, "realm");
  out.nonce = paramValue(value, "nonce");
  out.opaque = paramValue(value, "opaque");
  out.domain = paramValue(value, "domain");
  readAlgorithm(value, out.algorithmText, out.algorithm);
  // RFC 2617 3.2.1: qop-options is a quoted, comma-separated list of tokens.
  const std::string qop = paramValue(value, "qop");
  std::size_t start = 0;
  while (start <= qop.size()) {
    std::size_t end = qop.find(',', start);
    if (end == std::string::npos) end = qop.size();
    std::string_view item = std::string_view(qop).substr(start, end - start);
    while (!item.empty() && isLws(item.front())) item.remove_prefix(1);
    while (!item.empty() && isLws(item.back())) item.remove_suffix(1);
    if (!item.empty()) out.qopOptions.emplace_back(toLower(item));
    start = end + 1;
  }
  out.stale = iequals(paramValue(value, "stale"), "true");
  out.userhash = iequals(paramValue(value, "userhash"), "true");
  return out;
}

util::Result<DigestCredentials> parseDigestCredentials(std::string_view text) {
  auto parsed = parseAuthValue(text);
  if (!parsed) return parsed.error();
  const AuthValue& value = parsed.value();
  if (!iequals(value.scheme, "Digest")) return authError("not Digest credentials");
  for (std::string_view required : {"username", "realm", "nonce", "uri", "response"}) {
    if (value.find(required) == nullptr) {
      return authError("credentials without " + std::string(required));
    }
  }
  DigestCredentials out;
  out.username = paramValue(value, "username");
  out.realm = paramValue(value, "realm");
  out.nonce = paramValue(value, "nonce");
  out.uri = paramValue(value, "uri");
  out.response = paramValue(value, "response");
  out.cnonce = paramValue(value, "cnonce");
  out.opaque = paramValue(value, "opaque");
  out.qop = toLower(paramValue(value, "qop"));
  out.ncText = paramValue(value, "nc");
  out.userhash = iequals(paramValue(value, "userhash"), "true");
  readAlgorithm(value, out.algorithmText, out.algorithm);
  if (!out.qop.empty()) {
    // RFC 2617 3.2.2: cnonce and nonce-count MUST be sent when qop is.
    if (value.find("cnonce") == nullptr) return authError("qop without cnonce");
    const auto nc = parseHex32(out.ncText);
    if (!nc) return authError("qop without a hexadecimal nc");
    out.nc = *nc;
  }
  return out;
}

std::string formatDigestChallenge(const DigestChallenge& challenge) {
  std::string out = "Digest ";
  appendParam(out, "realm", challenge.realm, true);
  appendParam(out, "nonce", challenge.nonce, true);
  if (!challenge.opaque.empty()) appendParam(out, "opaque", challenge.opaque, true);
  if (!challenge.domain.empty()) appendParam(out, "domain", challenge.domain, true);
  if (challenge.algorithm) {
    appendParam(out, "algorithm", digestAlgorithmName(*challenge.algorithm), false);
  } else if (!challenge.algorithmText.empty()) {
    appendParam(out, "algorithm", challenge.algorithmText, false);
  }
  if (!challenge.qopOptions.empty()) {
    std::string qop;
    for (const std::string& option : challenge.qopOptions) {
      if (!qop.empty()) qop.push_back(',');
      qop += option;
    }
    appendParam(out, "qop", qop, true);
  }
  // RFC 2617 3.2.1: stale is an unquoted token.
  if (challenge.stale) appendParam(out, "stale", "true", false);
  if (challenge.userhash) appendParam(out, "userhash", "true", false);
  return out;
}

std::string formatDigestCredentials(const DigestCredentials& credentials) {
  std::string out = "Digest ";
  appendParam(out, "username", credentials.username, true);
  appendParam(out, "realm", credentials.realm, true);
  appendParam(out, "nonce", credentials.nonce, true);
  appendParam(out, "uri", credentials.uri, true);
  appendParam(out, "response", credentials.response, true);
  if (credentials.algorithm) {
    appendParam(out, "algorithm", digestAlgorithmName(*credentials.algorithm), false);
  } else if (!credentials.algorithmText.empty()) {
    appendParam(out, "algorithm", credentials.algorithmText, false);
  }
  if (!credentials.cnonce.empty() || !credentials.qop.empty()) {
    appendParam(out, "cnonce", credentials.cnonce, true);
  }
  if (!credentials.opaque.empty()) appendParam(out, "opaque", credentials.opaque, true);
  // RFC 2617 3.2.2: message-qop and nonce-count are unquoted.
  if (!credentials.qop.empty()) {
    appendParam(out, "qop", credentials.qop, false);
    appendParam(out, "nc", credentials.ncText, false);
  }
  if (credentials.userhash) appendParam(out, "userhash", "true", false);
  return out;
}

std::string digestHash(DigestAlgorithm algorithm, std::string_view data) {
  const bool sha256 =
      algorithm == DigestAlgorithm::Sha256 || algorithm == DigestAlgorithm::Sha256Sess;
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &size, sha256 ? EVP_sha256() : EVP_md5(),
                 nullptr) != 1) {
    // Only a broken OpenSSL build fails here; an empty digest never matches a response.
    return {};
  }
  return toHex(md.data(), size);
}

std::string computeHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  return digestHash(algorithm, a1);
}

std::string computeDigestResponse(const DigestResponseInput& input) {
  std::string ha1(input.ha1);
  if (isSessionAlgorithm(input.algorithm)) {
    ha1 = digestHash(input.algorithm,
                     ha1 + ":" + std::string(input.nonce) + ":" + std::string(input.cnonce));
  }
  const std::string ha2 =
      digestHash(input.algorithm, std::string(input.method) + ":" + std::string(input.uri));
  std::string kd = ha1;
  kd.append(":").append(input.nonce).append(":");
  if (!input.qop.empty()) {
    kd.append(input.ncText).append(":").append(input.cnonce).append(":").append(input.qop);
    kd.append(":");
  }
  kd.append(ha2);
  return digestHash(input.algorithm, kd);
}

bool digestEquals(std::string_view expected, std::string_view received) {
  if (expected.size() != received.size() || expected.empty()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned>(lower(expected[i]) ^ lower(received[i]));
  }
  return diff == 0;
}

util::Result<DigestCredentials> answerDigestChallenge(const DigestChallenge& challenge,
                                                      const DigestClientInput& input) {
  if (!challenge.algorithm) {
    return authError("unsupported digest algorithm " + challenge.algorithmText);
  }
  const bool useQop = challenge.offersQopAuth();
  if (!useQop && !challenge.qopOptions.empty()) return authError("challenge offers only auth-int");
  DigestCredentials out;
  out.username = std::string(input.username);
  out.realm = challenge.realm;
  out.nonce = challenge.nonce;
  out.uri = std::string(input.uri);
  out.algorithm = challenge.algorithm;
  out.algorithmText = std::string(digestAlgorithmName(*challenge.algorithm));
  out.opaque = challenge.opaque;
  if (useQop) {
    out.qop = "auth";
    out.cnonce = std::string(input.cnonce);
    out.nc = input.nc;
    char nc[9];
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 7; i >= 0; --i) nc[7 - i] = kDigits[(input.nc >> (i * 4)) & 0x0f];
    nc[8] = '\0';
    out.ncText = nc;
  }
  const std::string ha1 =
      computeHa1(*challenge.algorithm, input.username, challenge.realm, input.password);
  out.response = computeDigestResponse({.algorithm = *challenge.algorithm,
                                        .ha1 = ha1,
                                        .nonce = out.nonce,
                                        .cnonce = out.cnonce,
                                        .ncText = out.ncText,
                                        .qop = out.qop,
                                        .method = input.method,
                                        .uri = input.uri});
  return out;
}

std::string randomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  auto* data = reinterpret_cast<unsigned char*>(raw.data());
  if (RAND_bytes(data, static_cast<int>(bytes)) != 1) {
    // RAND_bytes fails only when OpenSSL cannot seed; random_device is the OS source as well.
    std::random_device device;
    for (auto& byte : raw) byte = static_cast<char>(device() & 0xff);
  }
  return toHex(data, bytes);
}

}  // namespace ccsip::sip::dialog
