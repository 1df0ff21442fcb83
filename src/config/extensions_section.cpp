#include <algorithm>
#include <map>

#include "config/sections.h"

namespace ccsip::config {

namespace {

// RFC 3261 25.1 user = 1*( unreserved / escaped / user-unreserved ); escapes are not accepted
// here, a DN is written as it is dialled.
bool isUserChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-_.!~*'()&=+$,;?/").find(c) != std::string_view::npos;
}

}  // namespace

void readExtensionsSection(const Field& field, Config& config, Diagnostics& diagnostics) {
  auto list = readList(field, diagnostics);
  if (!list) return;
  std::map<std::string, int, std::less<>> seen;  // dn -> line of its first definition
  for (const auto& element : *list) {
    MapReader map(element, diagnostics);
    if (!map.valid()) continue;
    ExtensionConfig extension;
    bool ok = true;
    if (auto dn = map.require("dn")) {
      if (auto text = readString(*dn, diagnostics)) {
        if (!std::all_of(text->begin(), text->end(), isUserChar)) {
          diagnostics.error(dn->mark, dn->path,
                            "expected a SIP user name (digits, letters, -_.!~*'()&=+$,;?/), got " +
                                describe(dn->node));
          ok = false;
        } else if (auto first = seen.find(*text); first != seen.end()) {
          diagnostics.error(dn->mark, dn->path,
                            "duplicate dn \"" + *text + "\" (first defined at line " +
                                std::to_string(first->second) + ")");
          ok = false;
        } else {
          seen.emplace(*text, lineOf(dn->mark));
          extension.dn = *text;
        }
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto password = map.require("password")) {
      if (auto text = readString(*password, diagnostics)) {
        extension.password = *text;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto name = map.get("name")) {
      if (auto text = readString(*name, diagnostics, /*allowEmpty=*/true)) {
        extension.name = *text;
      }
    }
    if (ok) config.extensions.push_back(std::move(extension));
  }
}

}  // namespace ccsip::config
