#pragma once

#include <cstdint>

namespace ccsip::cti {

// One CTI client connection (TCP or WebSocket). Ids start at 1 and are never reused for the
// life of a CtiServer, so a late reply to a closed client can never reach a new one.
using ClientId = std::uint64_t;

}  // namespace ccsip::cti
