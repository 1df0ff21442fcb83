#include <algorithm>
#include <initializer_list>

#include "config/sections.h"

namespace ccsip::config {

namespace {

// RFC 8760 2.1: the algorithm names as they appear in WWW-Authenticate.
constexpr EnumName<DigestAlgorithm> kAlgorithms[] = {
    {"SHA-256", DigestAlgorithm::Sha256},
    {"MD5", DigestAlgorithm::Md5},
};

// RFC 3261 20.19: Expires is a 32-bit value; 2^31-1 keeps every sum of seconds in range.
constexpr std::int64_t kMaxSeconds = 2'147'483'647;

}  // namespace

std::string_view toString(DigestAlgorithm algorithm) {
  for (const auto& entry : kAlgorithms) {
    if (entry.value == algorithm) return entry.name;
  }
  return "MD5";
}

void readRegistrarSection(const Field& field, SectionContext& context) {
  Config& config = context.config;
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  RegistrarConfig& registrar = config.registrar;

  if (auto realm = map.get("realm")) {
    if (auto text = readString(*realm, diagnostics)) {
      // The realm is sent inside a quoted-string (RFC 3261 25.1): no quote or backslash.
      if (text->find_first_of("\"\\\r\n") != std::string::npos) {
        diagnostics.error(realm->mark, realm->path,
                          "must not contain quotes, backslashes or line breaks");
      } else {
        registrar.realm = *text;
      }
    }
  }
  auto readSeconds = [&](std::string_view key, std::uint32_t& out) {
    auto value = map.get(key);
    if (value) {
      if (auto seconds = readInteger(*value, diagnostics, 1, kMaxSeconds)) {
        out = static_cast<std::uint32_t>(*seconds);
      }
    }
    return value;
  };
  // RFC 3261 10.3 step 7: a registrar may refuse expirations below its minimum (423).
  auto minField = readSeconds("min-expires", registrar.minExpires);
  auto maxField = readSeconds("max-expires", registrar.maxExpires);
  auto defaultField = readSeconds("default-expires", registrar.defaultExpires);
  if (auto lifetime = map.get("nonce-lifetime")) {
    if (auto seconds = readInteger(*lifetime, diagnostics, 1, 86'400)) {
      registrar.nonceLifetime = std::chrono::seconds(*seconds);
    }
  }
  if (auto algorithms = map.get("algorithms")) {
    if (auto list = readList(*algorithms, diagnostics)) {
      if (list->empty()) {
        diagnostics.error(algorithms->mark, algorithms->path,
                          "expected at least one algorithm (SHA-256, MD5)");
      } else {
        std::vector<DigestAlgorithm> chosen;
        for (const auto& element : *list) {
          auto algorithm = readEnum(element, diagnostics, kAlgorithms, /*ignoreCase=*/true);
          if (!algorithm) continue;
          if (std::find(chosen.begin(), chosen.end(), *algorithm) != chosen.end()) {
            diagnostics.error(element.mark, element.path,
                              "algorithm " + describe(element.node) + " listed twice");
            continue;
          }
          chosen.push_back(*algorithm);
        }
        if (!chosen.empty()) registrar.algorithms = std::move(chosen);
      }
    }
  }

  // An inconsistent order is reported at a key the file sets (the defaults cannot be wrong
  // alone), preferring the one most likely edited: max, then default, then min.
  auto where = [&](std::initializer_list<const std::optional<Field>*> candidates) {
    for (const auto* candidate : candidates) {
      if (*candidate) return **candidate;
    }
    return Field{field.node, field.path, field.mark};
  };
  if (registrar.minExpires > registrar.maxExpires) {
    Field at = where({&maxField, &minField});
    diagnostics.error(at.mark, at.path,
                      "max-expires (" + std::to_string(registrar.maxExpires) +
                          ") is below min-expires (" + std::to_string(registrar.minExpires) + ")");
  } else if (registrar.defaultExpires < registrar.minExpires ||
             registrar.defaultExpires > registrar.maxExpires) {
    Field at = where({&defaultField, &maxField, &minField});
    diagnostics.error(at.mark, at.path,
                      "default-expires (" + std::to_string(registrar.defaultExpires) +
                          ") must be within min-expires..max-expires (" +
                          std::to_string(registrar.minExpires) + ".." +
                          std::to_string(registrar.maxExpires) + ")");
  }
}

}  // namespace ccsip::config
