#include "config/sections.h"

namespace ccsip::config {

namespace {

constexpr EnumName<LogLevel> kLevels[] = {
    {"trace", LogLevel::Trace}, {"debug", LogLevel::Debug}, {"info", LogLevel::Info},
    {"warn", LogLevel::Warn},   {"error", LogLevel::Error},
};

}  // namespace

std::optional<LogLevel> parseLogLevel(std::string_view text) {
  for (const auto& level : kLevels) {
    if (level.name == text) return level.value;
  }
  return std::nullopt;
}

std::string_view toString(LogLevel level) {
  for (const auto& entry : kLevels) {
    if (entry.value == level) return entry.name;
  }
  return "info";
}

void readLogSection(const Field& field, SectionContext& context) {
  Config& config = context.config;
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  if (auto level = map.get("level")) {
    if (auto value = readEnum(*level, diagnostics, kLevels)) config.log.level = *value;
  }
}

}  // namespace ccsip::config
