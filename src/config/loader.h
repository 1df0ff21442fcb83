#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"

namespace ccsip::config {

// The outcome of loading: the configuration is meaningful only when errors is empty. Loading
// never throws (house style: config is untrusted input) and reports every error it finds.
struct LoadResult {
  Config config;
  std::vector<ConfigError> errors;
  bool ok() const { return errors.empty(); }
};

// Parses and validates YAML text; sourceName is the file name that errors carry.
LoadResult loadConfigText(std::string_view text, std::string_view sourceName);

// Reads the file (an unreadable file is one error without a line) and validates it.
LoadResult loadConfigFile(const std::string& path);

// config/demo.yaml as embedded at build time: what ccsip runs on without --config.
LoadResult loadEmbeddedConfig();

}  // namespace ccsip::config
