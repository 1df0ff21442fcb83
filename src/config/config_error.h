#pragma once

#include <string>
#include <vector>

namespace ccsip::config {

// One configuration error: where (file, 1-based line, field path) and what.
struct ConfigError {
  std::string file;
  int line = 0;       // 0: no line applies (e.g. the file cannot be read)
  int column = 0;     // 1-based; 0: unknown
  std::string field;  // "sip.listen[0].port"; empty for syntax errors
  std::string message;
};

// "demo.yaml:12: sip.listen[0].port: expected an integer 0..65535, got \"abc\""
std::string toString(const ConfigError& error);

// Every error, one per line.
std::string toString(const std::vector<ConfigError>& errors);

}  // namespace ccsip::config
