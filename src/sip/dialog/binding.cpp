#include "sip/dialog/binding.h"

namespace ccsip::sip::dialog {

std::string formatQValue(std::uint16_t thousandths) {
  if (thousandths >= 1000) return "1";
  std::string out = "0.";
  out.push_back(static_cast<char>('0' + thousandths / 100));
  out.push_back(static_cast<char>('0' + thousandths / 10 % 10));
  out.push_back(static_cast<char>('0' + thousandths % 10));
  while (out.size() > 3 && out.back() == '0') out.pop_back();
  if (out == "0.0") return "0";
  return out;
}

std::optional<std::uint16_t> parseQValue(std::string_view text) {
  // RFC 3261 25.1: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  const bool one = text[0] == '1';
  if (text.size() == 1) return static_cast<std::uint16_t>(one ? 1000 : 0);
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  std::uint16_t value = 0;
  std::uint16_t scale = 100;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    if (one && c != '0') return std::nullopt;
    value = static_cast<std::uint16_t>(value + (c - '0') * scale);
    scale = static_cast<std::uint16_t>(scale / 10);
  }
  return static_cast<std::uint16_t>(one ? 1000 : value);
}

std::string_view unregisterReasonName(UnregisterReason reason) {
  switch (reason) {
    case UnregisterReason::Unregistered:
      return "unregistered";
    case UnregisterReason::Expired:
      return "expired";
    case UnregisterReason::Removed:
      return "removed";
  }
  return "";
}

}  // namespace ccsip::sip::dialog
