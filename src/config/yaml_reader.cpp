#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace ccsip::config {

namespace {

std::string quote(std::string_view text) {
  // Long or multi-line values are cut so that one error stays one line.
  constexpr std::size_t kMax = 60;
  std::string out = "\"";
  for (char c : text.substr(0, kMax)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  if (text.size() > kMax) out += "...";
  out += '"';
  return out;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Levenshtein distance, for "did you mean" on unknown keys.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

int lineOf(const YAML::Mark& mark) {
  return mark.is_null() ? 0 : mark.line + 1;
}

void Diagnostics::error(const YAML::Mark& mark, std::string field, std::string message) {
  errors_.push_back(ConfigError{file_, lineOf(mark), mark.is_null() ? 0 : mark.column + 1,
                                std::move(field), std::move(message)});
}

std::vector<ConfigError> Diagnostics::take() {
  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  return std::move(errors_);
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing (null)";
}

MapReader::MapReader(const Field& field, Diagnostics& diagnostics)
    : field_(field), diagnostics_(diagnostics) {
  if (!field.node.IsMap()) {
    diagnostics_.error(field.mark, field.path, "expected a map, got " + describe(field.node));
    finished_ = true;
    return;
  }
  valid_ = true;
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    // Copies: the iterator yields a temporary pair, references into it would dangle.
    YAML::Node key = it->first;
    YAML::Node value = it->second;
    if (!key.IsScalar()) {
      diagnostics_.error(key.Mark(), field.path,
                         "a key must be a plain name, got " + describe(key));
      continue;
    }
    auto duplicate = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) { return e.key == key.Scalar(); });
    if (duplicate != entries_.end()) {
      // yaml-cpp keeps both pairs of a duplicated key; the second would silently lose.
      diagnostics_.error(
          key.Mark(), childPath(key.Scalar()),
          "duplicate key (first at line " + std::to_string(lineOf(duplicate->keyMark)) + ")");
      continue;
    }
    entries_.push_back(Entry{key.Scalar(), value, key.Mark()});
  }
}

MapReader::~MapReader() {
  finish();
}

std::string MapReader::childPath(std::string_view key) const {
  if (field_.path.empty()) return std::string(key);
  return field_.path + "." + std::string(key);
}

std::optional<Field> MapReader::get(std::string_view key) {
  known_.emplace_back(key);
  for (auto& entry : entries_) {
    if (entry.key != key) continue;
    entry.used = true;
    // A null value ("key:" with nothing after it) has the mark of whatever follows: report
    // it at its key instead.
    YAML::Mark mark =
        entry.value.IsNull() || entry.value.Mark().is_null() ? entry.keyMark : entry.value.Mark();
    return Field{entry.value, childPath(key), mark};
  }
  return std::nullopt;
}

std::optional<Field> MapReader::require(std::string_view key) {
  auto field = get(key);
  if (!field && valid_) {
    diagnostics_.error(field_.mark, childPath(key), "missing required field");
  }
  return field;
}

void MapReader::finish() {
  if (finished_) return;
  finished_ = true;
  for (const auto& entry : entries_) {
    if (entry.used || std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    std::string message = "unknown key";
    std::size_t best = 3;  // suggest only near misses (typos)
    std::string_view suggestion;
    for (const auto& known : known_) {
      std::size_t distance = editDistance(entry.key, known);
      if (distance < best) {
        best = distance;
        suggestion = known;
      }
    }
    if (!suggestion.empty()) {
      message += " (did you mean \"" + std::string(suggestion) + "\"?)";
    } else {
      std::string list;
      for (const auto& known : known_) {
        if (!list.empty()) list += ", ";
        list += known;
      }
      message += " (expected one of: " + list + ")";
    }
    diagnostics_.error(entry.keyMark, childPath(entry.key), message);
  }
}

std::optional<std::vector<Field>> readList(const Field& field, Diagnostics& diagnostics) {
  if (!field.node.IsSequence()) {
    diagnostics.error(field.mark, field.path, "expected a list, got " + describe(field.node));
    return std::nullopt;
  }
  std::vector<Field> out;
  std::size_t index = 0;
  for (const auto& element : field.node) {
    YAML::Mark mark = element.Mark().is_null() || element.IsNull() ? field.mark : element.Mark();
    out.push_back(Field{element, field.path + "[" + std::to_string(index) + "]", mark});
    ++index;
  }
  return out;
}

std::optional<std::string> readString(const Field& field, Diagnostics& diagnostics,
                                      bool allowEmpty) {
  if (!field.node.IsScalar()) {
    diagnostics.error(field.mark, field.path, "expected a string, got " + describe(field.node));
    return std::nullopt;
  }
  if (!allowEmpty && field.node.Scalar().empty()) {
    diagnostics.error(field.mark, field.path, "expected a non-empty string");
    return std::nullopt;
  }
  return field.node.Scalar();
}

std::optional<std::int64_t> readInteger(const Field& field, Diagnostics& diagnostics,
                                        std::int64_t min, std::int64_t max) {
  std::string expected = "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
  if (!field.node.IsScalar()) {
    diagnostics.error(field.mark, field.path, expected + ", got " + describe(field.node));
    return std::nullopt;
  }
  const std::string& text = field.node.Scalar();
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;  // YAML 1.2 core schema allows a leading '+'
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    diagnostics.error(field.mark, field.path, expected + ", got " + describe(field.node));
    return std::nullopt;
  }
  return value;
}

std::optional<std::size_t> readChoice(const Field& field, Diagnostics& diagnostics,
                                      std::span<const std::string_view> names, bool ignoreCase) {
  std::string expected = "expected one of ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) expected += ", ";
    expected += names[i];
  }
  if (field.node.IsScalar()) {
    const std::string& text = field.node.Scalar();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (ignoreCase ? equalNoCase(text, names[i]) : text == names[i]) return i;
    }
  }
  diagnostics.error(field.mark, field.path, expected + ", got " + describe(field.node));
  return std::nullopt;
}

}  // namespace ccsip::config
