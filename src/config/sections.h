#pragma once

#include "config/config.h"
#include "config/yaml_reader.h"

// One reader per top-level section, each in its own <name>_section.cpp. A reader validates
// what it can see alone; checks across sections live in loader.cpp (crossCheck).

namespace ccsip::config {

void readSipSection(const Field& field, Config& config, Diagnostics& diagnostics);
void readLogSection(const Field& field, Config& config, Diagnostics& diagnostics);
void readRegistrarSection(const Field& field, Config& config, Diagnostics& diagnostics);
void readExtensionsSection(const Field& field, Config& config, Diagnostics& diagnostics);

}  // namespace ccsip::config
