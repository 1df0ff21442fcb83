#include <algorithm>
#include <map>

#include "config/sections.h"
#include "config/value_readers.h"

// The `groups` section: agent groups, what routing points target (DESIGN.md "Call model").

namespace ccsip::config {

void readGroupsSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  auto list = readList(field, diagnostics);
  if (!list) return;
  std::map<std::string, int, std::less<>> seen;  // name -> line of its first definition
  for (const auto& element : *list) {
    MapReader map(element, diagnostics);
    if (!map.valid()) continue;
    GroupConfig group;
    bool ok = false;
    if (auto name = map.require("name")) {
      if (auto text = readIdentifier(*name, diagnostics)) {
        auto [first, inserted] = seen.emplace(*text, lineOf(name->mark));
        if (!inserted) {
          diagnostics.error(name->mark, name->path,
                            "duplicate group \"" + *text + "\" (first defined at line " +
                                std::to_string(first->second) + ")");
        } else {
          group.name = *text;
          ok = true;
        }
      }
    }
    if (auto members = map.get("members")) {
      if (auto entries = readList(*members, diagnostics)) {
        for (const auto& entry : *entries) {
          auto id = readIdentifier(entry, diagnostics);
          if (!id) continue;
          if (std::find(group.members.begin(), group.members.end(), *id) != group.members.end()) {
            diagnostics.error(entry.mark, entry.path, "agent \"" + *id + "\" listed twice");
            continue;
          }
          group.members.push_back(*id);
          context.references.members.push_back(Mention{*id, entry.mark, entry.path});
        }
      }
    }
    if (auto mailbox = map.get("mailbox")) {
      if (auto box = readSipUser(*mailbox, diagnostics)) group.mailbox = *box;
    }
    if (ok) context.config.groups.push_back(std::move(group));
  }
}

}  // namespace ccsip::config
