#include "config/config_error.h"

namespace ccsip::config {

std::string toString(const ConfigError& error) {
  std::string out = error.file;
  if (error.line > 0) {
    out += ':';
    out += std::to_string(error.line);
  }
  out += ": ";
  if (!error.field.empty()) {
    out += error.field;
    out += ": ";
  }
  out += error.message;
  return out;
}

std::string toString(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& error : errors) {
    out += toString(error);
    out += '\n';
  }
  return out;
}

}  // namespace ccsip::config
