// libFuzzer target: ccsip-cli's reading and printing of server lines (cli/event_format.h). The
// server is a peer like any other: whatever a line holds, the human line printed for it stays
// one line without control characters (a hostile server cannot forge events or drive the
// terminal), the --json line means the same JSON, and parsing never throws.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli/event_format.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "ccsip-cli output invariant broken: %s\n--- line ---\n%s\n---\n", what,
               detail.c_str());
  std::abort();
}

// No C0 control, no DEL, no C1 control (U+0080..U+009F: 0xC2 0x80..0x9F in UTF-8).
void checkPrintable(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const bool c1 = byte == 0xC2 && i + 1 < line.size() &&
                    static_cast<unsigned char>(line[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(line[i + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7f || c1) fail("control character in a printed line", line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto event = ccsip::cli::parseEventLine(input);
  if (!event.ok()) return 0;
  (void)ccsip::cli::referenceIdOf(*event);
  const std::chrono::system_clock::time_point receivedAt{std::chrono::milliseconds(1764261000123)};
  for (bool utc : {true, false}) {
    checkPrintable(ccsip::cli::formatEvent(*event, {.json = false, .utc = utc}, receivedAt));
  }
  // --json prints the line through escapeControls: still the same JSON, and printable.
  const std::string printed = ccsip::cli::escapeControls(input);
  checkPrintable(printed);
  auto reparsed = ccsip::cli::parseEventLine(printed);
  if (!reparsed.ok() || *reparsed != *event) fail("escapeControls changed the JSON", printed);
  return 0;
}
