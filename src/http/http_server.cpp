#include "http/http_server.h"

#include "http/http_session.h"

namespace ccsip::http {

namespace {

// After a failed accept (EMFILE...), wait before the next one instead of spinning.
constexpr util::Duration kAcceptRetry{100};

RouterSources routerSources(const HttpServerServices& services, const HttpOptions& options) {
  RouterSources sources;
  sources.metrics = services.metrics;
  sources.admin = services.admin;
  sources.webRoot = options.webRoot;
  sources.maxStaticFileBytes = options.maxStaticFileBytes;
  return sources;
}

}  // namespace

HttpServer::HttpServer(const HttpServerServices& services, HttpOptions options)
    : services_(services),
      options_(std::move(options)),
      router_(routerSources(services_, options_)) {}

HttpServer::~HttpServer() {
  close();
}

void HttpServer::adopt(boost::asio::ip::tcp::acceptor acceptor) {
  // Retries on an asio timer of the acceptor's executor: the HTTP server has no TimerService.
  acceptors_.push_back(std::make_unique<util::AcceptLoop>(
      std::move(acceptor), static_cast<util::AcceptHandler&>(*this),
      util::AcceptLoopOptions{.name = "HTTP", .retryDelay = kAcceptRetry, .timers = nullptr}));
  acceptors_.back()->start();
}

void HttpServer::onAccepted(boost::asio::ip::tcp::socket socket) {
  if (sessions_.size() >= options_.maxConnections) {
    ++counters_.connectionsRejected;
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  ++counters_.connectionsAccepted;
  const auto id = nextId_++;
  auto session = std::make_shared<HttpSession>(id, *this, std::move(socket));
  sessions_.emplace(id, session);
  session->start();
}

void HttpServer::close() {
  for (auto& acceptor : acceptors_) acceptor->close();
  auto sessions = std::move(sessions_);
  sessions_.clear();
  for (auto& [id, session] : sessions) session->detach();
}

std::vector<boost::asio::ip::tcp::endpoint> HttpServer::endpoints() const {
  std::vector<boost::asio::ip::tcp::endpoint> out;
  for (const auto& acceptor : acceptors_) {
    if (const auto endpoint = acceptor->localEndpoint()) out.push_back(*endpoint);
  }
  return out;
}

void HttpServer::sessionEnded(std::uint64_t id) {
  sessions_.erase(id);
}

void HttpServer::handOver(boost::asio::ip::tcp::socket socket, Request request) {
  ++counters_.upgrades;
  services_.cti->acceptWebSocket(std::move(socket), std::move(request));
}

void HttpServer::collectMetrics(std::vector<MetricFamily>& out) const {
  out.push_back({"ccsip_http_connections",
                 "Open HTTP connections (not counting WebSockets handed to CTI).",
                 MetricType::Gauge,
                 {{{}, static_cast<double>(sessions_.size())}}});
  out.push_back({"ccsip_http_connections_accepted_total",
                 "HTTP connections accepted.",
                 MetricType::Counter,
                 {{{}, static_cast<double>(counters_.connectionsAccepted)}}});
  out.push_back({"ccsip_http_connections_rejected_total",
                 "HTTP connections refused over the connection limit.",
                 MetricType::Counter,
                 {{{}, static_cast<double>(counters_.connectionsRejected)}}});
  out.push_back({"ccsip_http_websocket_upgrades_total",
                 "WebSocket upgrades handed to the CTI server.",
                 MetricType::Counter,
                 {{{}, static_cast<double>(counters_.upgrades)}}});
  MetricFamily responses{
      "ccsip_http_responses_total", "HTTP responses by status code.", MetricType::Counter, {}};
  for (const auto& [status, count] : counters_.responses) {
    responses.samples.push_back({{{"code", std::to_string(status)}}, static_cast<double>(count)});
  }
  out.push_back(std::move(responses));
}

}  // namespace ccsip::http
