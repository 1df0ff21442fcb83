#include "http/http_router.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/static_files.h"

namespace ccsip::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view kTextType = "text/plain; charset=utf-8";
constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kApiPrefix = "/api/";

Response makeResponse(const Request& request, bhttp::status status, std::string_view contentType,
                      std::string body) {
  Response response{status, request.version()};
  response.set(bhttp::field::server, "ccsip");
  response.set(bhttp::field::content_type, contentType);
  // Browsers must take the declared type (a JSON or text answer never runs as a script).
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(body);
  return response;
}

Response text(const Request& request, bhttp::status status, std::string body) {
  return makeResponse(request, status, kTextType, std::move(body));
}

Response jsonError(const Request& request, bhttp::status status, std::string_view message) {
  return makeResponse(request, status, kJsonType,
                      json::serialize(json::object{{"error", message}}) + "\n");
}

Response jsonList(const Request& request, std::string_view key, json::array items) {
  json::object body;
  body.emplace(key, std::move(items));
  return makeResponse(request, bhttp::status::ok, kJsonType, json::serialize(body) + "\n");
}

}  // namespace

std::string_view HttpRouter::pathOf(std::string_view target) {
  const auto end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

Response HttpRouter::handle(const Request& request) const {
  const auto target = request.target();
  const auto path = pathOf(std::string_view(target.data(), target.size()));
  const auto method = request.method();
  Response response;
  if (method != bhttp::verb::get && method != bhttp::verb::head) {
    response = path.starts_with(kApiPrefix)
                   ? jsonError(request, bhttp::status::method_not_allowed, "method not allowed")
                   : text(request, bhttp::status::method_not_allowed, "method not allowed\n");
    response.set(bhttp::field::allow, "GET, HEAD");
  } else {
    response = route(request, path);
  }
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  if (method == bhttp::verb::head) {
    // RFC 9110 9.3.2: the same header fields as GET, Content-Length included, and no body.
    const auto length = response.body().size();
    response.body().clear();
    response.content_length(length);
  }
  return response;
}

Response HttpRouter::route(const Request& request, std::string_view path) const {
  if (path == "/healthz") return text(request, bhttp::status::ok, "ok");
  if (path == "/metrics") {
    std::vector<MetricFamily> families;
    if (sources_.metrics != nullptr) sources_.metrics->collectMetrics(families);
    return makeResponse(request, bhttp::status::ok, kPrometheusContentType,
                        renderPrometheus(families));
  }
  if (path.starts_with(kApiPrefix)) {
    const bool known = path == "/api/v1/agents" || path == "/api/v1/dns" || path == "/api/v1/calls";
    if (!known) return jsonError(request, bhttp::status::not_found, "not found");
    if (sources_.admin == nullptr) {
      return jsonError(request, bhttp::status::service_unavailable, "admin API not available");
    }
    if (path == "/api/v1/agents") return jsonList(request, "agents", sources_.admin->agents());
    if (path == "/api/v1/dns") return jsonList(request, "dns", sources_.admin->dns());
    return jsonList(request, "calls", sources_.admin->calls());
  }
  if (path == "/cti") {
    auto response =
        text(request, bhttp::status::upgrade_required, "/cti is a WebSocket endpoint\n");
    response.set(bhttp::field::upgrade, "websocket");
    response.set(bhttp::field::connection, "Upgrade");
    return response;
  }
  if (auto file = loadStaticFile(sources_.webRoot, path, sources_.maxStaticFileBytes)) {
    auto response =
        makeResponse(request, bhttp::status::ok, file->contentType, std::move(file->body));
    // The desktop is small and changes with each release: revalidate rather than cache stale.
    response.set(bhttp::field::cache_control, "no-cache");
    return response;
  }
  return text(request, bhttp::status::not_found, "not found\n");
}

}  // namespace ccsip::http
