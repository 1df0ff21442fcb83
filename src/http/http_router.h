#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/admin_source.h"
#include "http/metrics.h"

namespace ccsip::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// What the routes read from; each may be absent.
struct RouterSources {
  const MetricsSource* metrics = nullptr;
  const AdminSource* admin = nullptr;
  std::filesystem::path webRoot;  // empty: no static files
  std::size_t maxStaticFileBytes = 8 * 1024 * 1024;
};

// The HTTP routes without any I/O (the session does the socket part):
//   GET /healthz          200 "ok"
//   GET /metrics          Prometheus text format
//   GET /api/v1/agents    {"agents": [...]}   (also /dns, /calls)
//   GET /cti              426 unless it is a WebSocket upgrade (the session hands those over)
//   GET /<file>           static file under webRoot, `/` -> index.html
// HEAD is answered like GET without the body. Other methods: 405 with Allow. Unknown paths
// and unsafe or missing files: 404. /api errors are JSON ({"error": "..."}), others plain text.
class HttpRouter {
 public:
  explicit HttpRouter(RouterSources sources) : sources_(std::move(sources)) {}

  Response handle(const Request& request) const;

  // The path part of a request target ("/a/b?x=1" -> "/a/b").
  static std::string_view pathOf(std::string_view target);

 private:
  Response route(const Request& request, std::string_view path) const;

  RouterSources sources_;
};

}  // namespace ccsip::http
