#pragma once

#include "config/config.h"
#include "model/spec.h"

namespace ccsip::model {

// The model's input built from a validated configuration (a LoadResult without errors): every
// DN (the `dns` section and the `extensions` entries), agent and group. Application-wide
// options (config::OptionsConfig) stay in the configuration: the control layer reads them
// where a DN or agent sets nothing. Overflow targets are written in their canonical form
// (config::toString(OverflowTarget)), which config::parseOverflowTarget reads back.
ModelSpec specFromConfig(const config::Config& config);

DnType toModel(config::DnType type);

}  // namespace ccsip::model
