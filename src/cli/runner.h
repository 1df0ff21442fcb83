#pragma once

#include <iosfwd>

#include "cli/cti_connection.h"
#include "cli/invocation.h"

namespace ccsip::cli {

// Carries out one parsed command line against the server and returns the process exit code
// (ExitCode). Events go to `out` (one line each), diagnostics to `err`.
//
// One-shot commands: connect, OpenSession, RegisterAddress thisDN, send the request, print the
// events that carry its referenceId (the first within the timeout, more while they keep coming
// within the linger time), exit. An EventError answer is printed to `err` and exits 1.
// watch: connect, OpenSession, RegisterAddress each DN, then print every event until SIGINT /
// SIGTERM (exit 0) or the end of the connection (exit 3).
int run(const Invocation& invocation, CtiConnection& connection, std::ostream& out,
        std::ostream& err);

}  // namespace ccsip::cli
