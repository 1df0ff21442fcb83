#include "config/sections.h"
#include "config/value_readers.h"

// The `http` section: admin API, /metrics, the web desktop's static files and the `/cti`
// WebSocket endpoint.

namespace ccsip::config {

void readHttpSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  HttpConfig& http = context.config.http;
  if (auto listen = map.require("listen")) {
    http.listen = readTcpListen(*listen, diagnostics, context.references.httpListen);
  }
  if (auto root = map.get("web-root")) {
    // Not checked for existence: a configuration is often checked on another machine.
    if (auto text = readString(*root, diagnostics, /*allowEmpty=*/true)) http.webRoot = *text;
  }
}

}  // namespace ccsip::config
