#include <map>

#include "config/sections.h"
#include "config/value_readers.h"

// The `cti` section: the raw TCP CTI port and who may open a session (DESIGN.md "CTI
// protocol"). The WebSocket CTI endpoint is `/cti` on the HTTP port.

namespace ccsip::config {

namespace {

constexpr std::int64_t kMaxQueue = 1'000'000;
constexpr std::int64_t kMaxClients = 1'000'000;
constexpr std::int64_t kMaxOpenSessionSeconds = 3'600;

void readApplications(const Field& field, Diagnostics& diagnostics,
                      std::vector<CtiApplicationConfig>& out) {
  auto list = readList(field, diagnostics);
  if (!list) return;
  std::map<std::string, int, std::less<>> names;   // name -> line of its first definition
  std::map<std::string, int, std::less<>> tokens;  // token -> line of its first use
  for (const auto& element : *list) {
    MapReader map(element, diagnostics);
    if (!map.valid()) continue;
    CtiApplicationConfig application;
    bool ok = true;
    if (auto name = map.require("name")) {
      auto text = readIdentifier(*name, diagnostics);
      ok = text.has_value();
      if (text) {
        auto [first, inserted] = names.emplace(*text, lineOf(name->mark));
        if (!inserted) {
          diagnostics.error(name->mark, name->path,
                            "duplicate application \"" + *text + "\" (first defined at line " +
                                std::to_string(first->second) + ")");
          ok = false;
        }
        application.name = *text;
      }
    } else {
      ok = false;
    }
    if (auto token = map.require("token")) {
      auto text = readString(*token, diagnostics);
      ok = ok && text.has_value();
      if (text) {
        // A shared token could not tell the applications apart in the logs.
        auto [first, inserted] = tokens.emplace(*text, lineOf(token->mark));
        if (!inserted) {
          diagnostics.error(token->mark, token->path,
                            "token already used at line " + std::to_string(first->second));
          ok = false;
        }
        application.token = *text;
      }
    } else {
      ok = false;
    }
    if (ok) out.push_back(std::move(application));
  }
}

}  // namespace

void readCtiSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  CtiConfig& cti = context.config.cti;
  if (auto listen = map.get("listen")) {
    cti.listen = readTcpListen(*listen, diagnostics, context.references.ctiListen);
  }
  if (auto applications = map.get("applications")) {
    readApplications(*applications, diagnostics, cti.applications);
  }
  if (auto queue = map.get("max-queue")) {
    if (auto value = readInteger(*queue, diagnostics, 1, kMaxQueue)) {
      cti.maxQueue = static_cast<std::size_t>(*value);
    }
  }
  if (auto clients = map.get("max-clients")) {
    if (auto value = readInteger(*clients, diagnostics, 1, kMaxClients)) {
      cti.maxClients = static_cast<std::size_t>(*value);
    }
  }
  if (auto timeout = map.get("open-session-timeout")) {
    if (auto value = readSeconds(*timeout, diagnostics, 0, kMaxOpenSessionSeconds)) {
      cti.openSessionTimeout = *value;
    }
  }
}

}  // namespace ccsip::config
