#pragma once

#include <string>

#include <gtest/gtest.h>

#include "config/loader.h"

// Helpers of the section tests: a minimal valid file to append sections to, and error access.

namespace ccsip::config::test {

// 5 lines: appended sections start at line 6.
inline constexpr const char* kMinimal = R"(sip:
  listen:
    - address: 127.0.0.1
      port: 5060
  domain: example.org
)";

inline LoadResult load(const std::string& sections) {
  return loadConfigText(std::string(kMinimal) + sections, "t.yaml");
}

inline std::string errorsOf(const LoadResult& result) {
  return toString(result.errors);
}

// Exactly one error, returned for inspection.
inline ConfigError onlyError(const LoadResult& result) {
  EXPECT_EQ(result.errors.size(), 1u) << errorsOf(result);
  return result.errors.empty() ? ConfigError{} : result.errors.front();
}

// The one error as "t.yaml:LINE: field: message".
inline std::string onlyErrorText(const LoadResult& result) {
  return toString(onlyError(result));
}

}  // namespace ccsip::config::test
