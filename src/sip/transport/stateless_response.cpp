#include "sip/transport/stateless_response.h"

#include <vector>

#include "sip/transport/head_lines.h"

namespace ccsip::sip::transport {

namespace {

bool isName(std::string_view name, std::string_view full, std::string_view compact) {
  return HeadFields::equalsNoCase(name, full) ||
         (!compact.empty() && HeadFields::equalsNoCase(name, compact));
}

// Whether a To value already carries a tag parameter. Parameters of the header follow the
// name-addr's '>' when there is one (RFC 3261 20.39), else the addr-spec itself.
bool hasTag(std::string_view value) {
  const std::size_t close = value.rfind('>');
  if (close != std::string_view::npos) value.remove_prefix(close + 1);
  for (std::size_t pos = value.find(';'); pos != std::string_view::npos;
       pos = value.find(';', pos + 1)) {
    std::string_view param = HeadFields::trim(value.substr(pos + 1));
    if (param.size() >= 3 && HeadFields::equalsNoCase(param.substr(0, 3), "tag")) {
      param.remove_prefix(3);
      param = HeadFields::trim(param);
      if (param.empty() || param.front() == '=' || param.front() == ';') return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> buildStatelessResponse(std::string_view requestHead, int status,
                                                  std::string_view reason, std::string_view toTag) {
  HeadFields fields(requestHead);
  const std::string_view startLine = fields.startLine();
  const std::size_t space = startLine.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  const std::string_view method = startLine.substr(0, space);
  if (method.starts_with("SIP/")) return std::nullopt;  // a response: never answered
  if (method == "ACK") return std::nullopt;             // RFC 3261 17.2.1: ACK gets no response

  std::vector<std::string_view> vias;
  std::string_view from;
  std::string_view to;
  std::string_view toValue;
  std::string_view callId;
  std::string_view cseq;
  HeaderField field;
  while (fields.next(field)) {
    // Compact forms (RFC 3261 7.3.3) are copied as they came: they are valid in responses too.
    if (isName(field.name, "via", "v")) {
      vias.push_back(field.raw);
    } else if (isName(field.name, "from", "f")) {
      from = field.raw;
    } else if (isName(field.name, "to", "t")) {
      to = field.raw;
      toValue = field.value;
    } else if (isName(field.name, "call-id", "i")) {
      callId = field.raw;
    } else if (isName(field.name, "cseq", "")) {
      cseq = field.raw;
    }
  }
  if (vias.empty() || from.empty() || to.empty() || callId.empty() || cseq.empty()) {
    return std::nullopt;
  }

  std::string out;
  out.reserve(128 + requestHead.size() / 4);
  out += "SIP/2.0 ";
  out += std::to_string(status);
  out += ' ';
  out += reason;
  out += "\r\n";
  for (const std::string_view via : vias) {
    out += via;
    out += "\r\n";
  }
  out += from;
  out += "\r\n";
  out += to;
  if (!toTag.empty() && !hasTag(toValue)) {
    // RFC 3261 8.2.6.2: a UAS adds a To tag to its responses (other than 100).
    out += ";tag=";
    out += toTag;
  }
  out += "\r\n";
  out += callId;
  out += "\r\n";
  out += cseq;
  out += "\r\n";
  out += "Content-Length: 0\r\n\r\n";
  return out;
}

}  // namespace ccsip::sip::transport
