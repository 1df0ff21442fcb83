#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

// Reads the Asterisk trace files of shared/traces/ (format in their README.md): '#' comment lines,
// then per message a "----" line, a "<<< to Asterisk" / ">>> from Asterisk" line, the message.
namespace ccsip::events::test {

struct TraceMessage {
  std::string file;  // file name, for failure messages
  int index = 0;     // position in the file (0-based)
  std::string startLine;
  std::vector<std::pair<std::string, std::string>> headers;
  // The body as on the wire: the files show CRLF as LF, so the line ends that make the body
  // match its Content-Length are put back (Asterisk writes MWI bodies with CRLF, XML with LF).
  std::string body;
  bool bodyMatchesContentLength = false;

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  bool isRequest(std::string_view method) const;
};

// shared/traces/<set> ("asterisk-20" for chan_sip, "asterisk-20-pjsip" for chan_pjsip).
std::filesystem::path traceDir(std::string_view set);

// All messages of one trace file; an error when the file is missing or holds no message.
util::Result<std::vector<TraceMessage>> readTrace(const std::filesystem::path& path);

// The NOTIFY requests of a trace file that carry a body, in order.
util::Result<std::vector<TraceMessage>> readNotifies(std::string_view set, std::string_view file);

// Every *.txt trace file of a set, sorted by name.
std::vector<std::filesystem::path> traceFiles(std::string_view set);

std::string lfToCrlf(std::string_view text);
std::string crlfToLf(std::string_view text);

}  // namespace ccsip::events::test
