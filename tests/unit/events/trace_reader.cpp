#include "trace_reader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace ccsip::events::test {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Builds one message from its lines (after the "----" and the direction line).
TraceMessage buildMessage(const std::vector<std::string>& lines) {
  TraceMessage message;
  std::size_t i = 0;
  if (i < lines.size()) message.startLine = lines[i++];
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    const std::size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    message.headers.emplace_back(std::string(trim(std::string_view(lines[i]).substr(0, colon))),
                                 std::string(trim(std::string_view(lines[i]).substr(colon + 1))));
  }
  if (i < lines.size()) ++i;  // the empty line before the body
  std::vector<std::string> bodyLines(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.end());
  while (!bodyLines.empty() && bodyLines.back().empty()) bodyLines.pop_back();
  std::string lf;
  for (const auto& line : bodyLines) lf += line + "\n";

  const std::string contentLength = message.header("Content-Length");
  const std::string crlf = lfToCrlf(lf);
  if (!contentLength.empty() && std::to_string(crlf.size()) == contentLength) {
    message.body = crlf;
    message.bodyMatchesContentLength = true;
  } else {
    message.body = lf;
    message.bodyMatchesContentLength = std::to_string(lf.size()) == contentLength;
  }
  return message;
}

}  // namespace

std::string TraceMessage::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

bool TraceMessage::isRequest(std::string_view method) const {
  return startLine.size() > method.size() && startLine.compare(0, method.size(), method) == 0 &&
         startLine[method.size()] == ' ';
}

std::filesystem::path traceDir(std::string_view set) {
  return std::filesystem::path(CCSIP_SHARED_DIR) / "traces" / std::string(set);
}

util::Result<std::vector<TraceMessage>> readTrace(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return util::makeError(0, "trace file missing: " + path.string() +
                                  " (the Asterisk traces live in shared/traces beside the "
                                  "project root; CCSIP_SHARED_DIR points there)");
  }
  std::vector<TraceMessage> messages;
  std::vector<std::string> current;
  bool inMessage = false;
  bool sawDirection = false;
  auto flush = [&] {
    if (inMessage && !current.empty()) {
      TraceMessage message = buildMessage(current);
      message.file = path.filename().string();
      message.index = static_cast<int>(messages.size());
      messages.push_back(std::move(message));
    }
    current.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "----") {
      flush();
      inMessage = true;
      sawDirection = false;
      continue;
    }
    if (!inMessage) continue;  // the '#' description at the top
    if (!sawDirection) {       // "<<< to Asterisk ..." / ">>> from Asterisk ..."
      sawDirection = true;
      continue;
    }
    current.push_back(line);
  }
  flush();
  if (messages.empty()) return util::makeError(0, "no message in trace file " + path.string());
  return messages;
}

util::Result<std::vector<TraceMessage>> readNotifies(std::string_view set, std::string_view file) {
  auto messages = readTrace(traceDir(set) / std::string(file));
  if (!messages.ok()) return messages.error();
  std::vector<TraceMessage> notifies;
  for (auto& message : *messages) {
    if (message.isRequest("NOTIFY") && !message.body.empty()) notifies.push_back(message);
  }
  return notifies;
}

std::vector<std::filesystem::path> traceFiles(std::string_view set) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(traceDir(set), ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string lfToCrlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string crlfToLf(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

}  // namespace ccsip::events::test
