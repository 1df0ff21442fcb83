#include "config/sections.h"
#include "config/value_readers.h"

// The `extensions` section: phones that register on ccsip, in short. Each entry is also a DN
// (an extension on ccsip): crossCheck adds it to Config::dns.

namespace ccsip::config {

void readExtensionsSection(const Field& field, SectionContext& context) {
  Config& config = context.config;
  Diagnostics& diagnostics = context.diagnostics;
  auto list = readList(field, diagnostics);
  if (!list) return;
  for (const auto& element : *list) {
    MapReader map(element, diagnostics);
    if (!map.valid()) continue;
    ExtensionConfig extension;
    // Kept once its DN is valid, whatever else is wrong: references to it then add no
    // errors of their own.
    bool ok = false;
    if (auto dn = map.require("dn")) {
      auto text = readSipUser(*dn, diagnostics);
      ok = text && defineDn(*dn, *text, context);
      if (ok) extension.dn = *text;
    }
    if (auto password = map.require("password")) {
      if (auto text = readString(*password, diagnostics)) extension.password = *text;
    }
    if (auto name = map.get("name")) {
      if (auto text = readString(*name, diagnostics, /*allowEmpty=*/true)) {
        extension.name = *text;
      }
    }
    if (ok) config.extensions.push_back(std::move(extension));
  }
}

}  // namespace ccsip::config
