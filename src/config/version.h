#pragma once

#include <string_view>

namespace ccsip::config {

// The project version from CMake ("0.1.0").
std::string_view version();

}  // namespace ccsip::config
