// libFuzzer target: the YAML configuration loader. Config is untrusted input: whatever the
// bytes, loading must return (never throw, crash or hang), an invalid result must carry at
// least one error, and every error must name the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = ccsip::config::loadConfigText(text, "fuzz.yaml");
  for (const auto& error : result.errors) {
    if (error.file != "fuzz.yaml" || error.message.empty()) {
      std::fprintf(stderr, "config error without file or message: %s\n",
                   ccsip::config::toString(error).c_str());
      std::abort();
    }
  }
  if (result.ok() && result.config.sip.listen.empty()) {
    std::fprintf(stderr, "a valid config without listen entries\n");
    std::abort();
  }
  return 0;
}
