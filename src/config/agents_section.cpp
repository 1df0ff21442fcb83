#include <map>

#include "config/sections.h"
#include "config/value_readers.h"

// The `agents` section: agent logins (DESIGN.md "Call model").

namespace ccsip::config {

namespace {

constexpr EnumName<NoAnswerAction> kActions[] = {
    {"notready", NoAnswerAction::NotReady},
    {"none", NoAnswerAction::None},
};

}  // namespace

std::string_view toString(NoAnswerAction action) {
  return action == NoAnswerAction::NotReady ? "notready" : "none";
}

std::optional<NoAnswerAction> readNoAnswerAction(const Field& field, Diagnostics& diagnostics) {
  return readEnum(field, diagnostics, kActions);
}

void readAgentsSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  auto list = readList(field, diagnostics);
  if (!list) return;
  std::map<std::string, int, std::less<>> seen;  // id -> line of its first definition
  for (const auto& element : *list) {
    MapReader map(element, diagnostics);
    if (!map.valid()) continue;
    AgentConfig agent;
    bool ok = false;
    if (auto id = map.require("id")) {
      if (auto text = readIdentifier(*id, diagnostics)) {
        auto [first, inserted] = seen.emplace(*text, lineOf(id->mark));
        if (!inserted) {
          diagnostics.error(id->mark, id->path,
                            "duplicate agent id \"" + *text + "\" (first defined at line " +
                                std::to_string(first->second) + ")");
        } else {
          agent.id = *text;
          ok = true;
        }
      }
    }
    if (auto name = map.get("name")) {
      if (auto text = readString(*name, diagnostics, /*allowEmpty=*/true)) agent.name = *text;
    }
    if (auto password = map.require("password")) {
      if (auto text = readString(*password, diagnostics)) agent.password = *text;
    }
    if (auto dn = map.get("default-dn")) {
      if (auto text = readSipUser(*dn, diagnostics)) {
        agent.defaultDn = *text;
        context.references.defaultDns.push_back(Mention{*text, dn->mark, dn->path});
      }
    }
    if (auto mailbox = map.get("mailbox")) {
      if (auto box = readSipUser(*mailbox, diagnostics)) agent.mailbox = *box;
    }
    readNoAnswer(map, context, OverflowOwner{/*known=*/true, "", agent.mailbox}, agent.noAnswer);
    if (auto action = map.get("no-answer-action")) {
      agent.noAnswerAction = readNoAnswerAction(*action, diagnostics);
    }
    if (ok) context.config.agents.push_back(std::move(agent));
  }
}

}  // namespace ccsip::config
