#pragma once

#include "config/config.h"

namespace ccsip::app {

// The default spdlog logger: stderr, one line per event (messages traced at `trace`, see
// sip/transport/transport_log.h, span several lines).
void setupLogging(config::LogLevel level);
void setLogLevel(config::LogLevel level);

}  // namespace ccsip::app
