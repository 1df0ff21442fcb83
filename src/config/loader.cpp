#include "config/loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "config/embedded_config.h"
#include "config/sections.h"

namespace ccsip::config {

namespace {

struct SectionSpec {
  std::string_view key;
  bool required;
  void (*read)(const Field&, SectionContext&);
};

// The top-level sections, in the order they are read. A new section adds one row (see
// config.h for the rest of the recipe). References between sections are checked after all
// are read (crossCheck), so the order here does not matter to them.
constexpr SectionSpec kSections[] = {
    {"sip", true, readSipSection},
    {"log", false, readLogSection},
    {"registrar", false, readRegistrarSection},
    {"extensions", false, readExtensionsSection},
    {"switch", false, readSwitchSection},
    {"dns", false, readDnsSection},
    {"agents", false, readAgentsSection},
    {"groups", false, readGroupsSection},
    {"options", false, readOptionsSection},
    {"cti", false, readCtiSection},
    {"http", false, readHttpSection},
};

// Records where the documents of a stream start; the events themselves are not needed.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The start of a second YAML document, if any: everything after a "---" would be ignored.
// Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever on some inputs (",p"), so at most two
// documents are asked for here.
std::optional<YAML::Mark> secondDocumentMark(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts handler;
  for (int document = 0; document < 2; ++document) {
    if (!parser.HandleNextDocument(handler)) break;
  }
  if (handler.starts.size() < 2) return std::nullopt;
  return handler.starts[1];
}

void readDocument(const YAML::Node& root, Config& config, Diagnostics& diagnostics) {
  YAML::Mark start = root.Mark();
  if (start.is_null()) {
    start.line = 0;
    start.column = 0;
    start.pos = 0;
  }
  if (root.IsNull()) {
    diagnostics.error(start, "", "the file is empty: expected a map with at least a sip section");
    return;
  }
  MapReader map(Field{root, "", start}, diagnostics);
  if (!map.valid()) return;
  References references;
  SectionContext context{config, diagnostics, references};
  for (const auto& section : kSections) {
    auto field = section.required ? map.require(section.key) : map.get(section.key);
    if (field) section.read(*field, context);
  }
  map.finish();
  crossCheck(context);
}

}  // namespace

LoadResult loadConfigText(std::string_view text, std::string_view sourceName) {
  LoadResult result;
  Diagnostics diagnostics{std::string(sourceName)};
  try {
    std::string input(text);
    YAML::Node root = YAML::Load(input);
    if (auto second = secondDocumentMark(input)) {
      diagnostics.error(*second, "", "expected one YAML document, found more (a \"---\" line?)");
    }
    readDocument(root, result.config, diagnostics);
  } catch (const YAML::Exception& e) {
    // A syntax error: yaml-cpp stops at the first one, with its position.
    diagnostics.error(e.mark, "", "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    diagnostics.error(YAML::Mark::null_mark(), "", std::string("cannot load: ") + e.what());
  } catch (...) {
    diagnostics.error(YAML::Mark::null_mark(), "", "cannot load: unknown error");
  }
  result.errors = diagnostics.take();
  return result;
}

LoadResult loadConfigFile(const std::string& path) {
  auto fail = [&](int error) {
    LoadResult result;
    result.errors.push_back(ConfigError{path, 0, 0, "",
                                        std::string("cannot read the file: ") +
                                            (error != 0 ? std::strerror(error) : "read error")});
    return result;
  };
  // stdio rather than iostreams: a read error (a directory, EIO) is a return value here, where
  // libstdc++'s filebuf throws.
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return fail(errno);
  std::string text;
  char buffer[8192];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text.append(buffer, n);
  if (std::ferror(file.get())) return fail(errno);
  return loadConfigText(text, path);
}

LoadResult loadEmbeddedConfig() {
  return loadConfigText(embeddedConfigText(), kEmbeddedConfigName);
}

}  // namespace ccsip::config
