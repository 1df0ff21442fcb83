#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_error.h"

// Building blocks of the section readers: typed reads of YAML nodes that record an error
// (file, line, field path) instead of throwing, so that one pass reports every error.

namespace ccsip::config {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Mark& mark, std::string field, std::string message);
  const std::string& file() const { return file_; }
  bool empty() const { return errors_.empty(); }
  std::size_t count() const { return errors_.size(); }
  // The errors sorted by line (stable: same-line errors keep their order).
  std::vector<ConfigError> take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// A node with its field path ("sip.listen[0].port") and the mark to report it at.
struct Field {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;  // the value's mark, or its key's when the value has none (a null value)
};

// "\"abc\"", "null", "a list", "a map": what was found, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);

// Reads a map node: key lookup that remembers which keys the schema knows, so that finish()
// reports every unknown key (with a "did you mean" for near misses) and duplicate keys.
class MapReader {
 public:
  // Reports "expected a map" (and reads nothing) when field is not a map.
  MapReader(const Field& field, Diagnostics& diagnostics);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;
  ~MapReader();

  bool valid() const { return valid_; }
  // The value of an optional key.
  std::optional<Field> get(std::string_view key);
  // The value of a required key; reports "missing required field" when absent.
  std::optional<Field> require(std::string_view key);
  // Reports unknown keys. Called by the destructor when not called before.
  void finish();

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    YAML::Mark keyMark;
    bool used = false;
  };
  std::string childPath(std::string_view key) const;

  Field field_;
  Diagnostics& diagnostics_;
  bool valid_ = false;
  bool finished_ = false;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;
};

// The elements of a list ("[i]" appended to the path); nullopt and an error when not a list.
std::optional<std::vector<Field>> readList(const Field& field, Diagnostics& diagnostics);

// A scalar string; allowEmpty=false also rejects "".
std::optional<std::string> readString(const Field& field, Diagnostics& diagnostics,
                                      bool allowEmpty = false);

// A decimal integer within [min, max].
std::optional<std::int64_t> readInteger(const Field& field, Diagnostics& diagnostics,
                                        std::int64_t min, std::int64_t max);

// One of a fixed set of names (compared case-sensitively unless ignoreCase).
template <class T>
struct EnumName {
  std::string_view name;
  T value;
};

std::optional<std::size_t> readChoice(const Field& field, Diagnostics& diagnostics,
                                      std::span<const std::string_view> names, bool ignoreCase);

template <class T, std::size_t N>
std::optional<T> readEnum(const Field& field, Diagnostics& diagnostics,
                          const EnumName<T> (&names)[N], bool ignoreCase = false) {
  std::string_view keys[N];
  for (std::size_t i = 0; i < N; ++i) keys[i] = names[i].name;
  auto index = readChoice(field, diagnostics, keys, ignoreCase);
  if (!index) return std::nullopt;
  return names[*index].value;
}

// 1-based line of a mark (0 when the mark is null).
int lineOf(const YAML::Mark& mark);

}  // namespace ccsip::config
