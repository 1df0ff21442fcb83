#pragma once

#include <string_view>

namespace ccsip::config {

// The text of config/demo.yaml, embedded at build time (src/config/CMakeLists.txt generates
// the definition), and the name its errors carry.
std::string_view embeddedConfigText();
inline constexpr std::string_view kEmbeddedConfigName = "demo.yaml (embedded)";

}  // namespace ccsip::config
