#pragma once

#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include "cli/invocation.h"

namespace ccsip::cli {

// Help and --version (status 0) or a usage error (status 2), already printed.
struct ExitNow {
  int status = 0;
};

// Parses the arguments after the program name. Help goes to `out`, usage errors to `err`.
std::variant<Invocation, ExitNow> parseCommandLine(const std::vector<std::string>& args,
                                                   std::ostream& out, std::ostream& err);

// True for 16 hexadecimal digits, the form of a ConnID (docs/protocol.md "Requests and answers").
bool isConnId(const std::string& text);

}  // namespace ccsip::cli
