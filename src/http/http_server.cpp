#include "http/http_server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include "http/http_session.h"

namespace ccsip::http {

namespace {

constexpr std::chrono::milliseconds kAcceptRetry{100};

RouterSources routerSources(const HttpServerServices& services, const HttpOptions& options) {
  RouterSources sources;
  sources.metrics = services.metrics;
  sources.admin = services.admin;
  sources.webRoot = options.webRoot;
  sources.maxStaticFileBytes = options.maxStaticFileBytes;
  return sources;
}

}  // namespace

struct HttpServer::Acceptor {
  explicit Acceptor(boost::asio::ip::tcp::acceptor a)
      : acceptor(std::move(a)), retry(acceptor.get_executor()) {}
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer retry;
};

HttpServer::HttpServer(const HttpServerServices& services, HttpOptions options)
    : services_(services),
      options_(std::move(options)),
      router_(routerSources(services_, options_)) {}

HttpServer::~HttpServer() {
  close();
}

void HttpServer::adopt(boost::asio::ip::tcp::acceptor acceptor) {
  acceptors_.push_back(std::make_unique<Acceptor>(std::move(acceptor)));
  startAccept(*acceptors_.back());
}

void HttpServer::startAccept(Acceptor& acceptor) {
  acceptor.acceptor.async_accept(
      [this, &acceptor, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec,
                                                            boost::asio::ip::tcp::socket socket) {
        if (alive.expired() || !acceptor.acceptor.is_open()) return;
        if (ec) {
          if (ec == boost::asio::error::operation_aborted) return;
          spdlog::warn("HTTP: accept failed: {}", ec.message());
          // EMFILE and friends: wait instead of spinning on the same error.
          acceptor.retry.expires_after(kAcceptRetry);
          acceptor.retry.async_wait([this, &acceptor, alive](const boost::system::error_code& e) {
            if (!e && !alive.expired() && acceptor.acceptor.is_open()) startAccept(acceptor);
          });
          return;
        }
        if (sessions_.size() >= options_.maxConnections) {
          ++counters_.connectionsRejected;
          boost::system::error_code ignored;
          socket.close(ignored);
        } else {
          ++counters_.connectionsAccepted;
          const auto id = nextId_++;
          auto session = std::make_shared<HttpSession>(id, *this, std::move(socket));
          sessions_.emplace(id, session);
          session->start();
        }
        startAccept(acceptor);
      });
}

void HttpServer::close() {
  for (auto& acceptor : acceptors_) {
    boost::system::error_code ignored;
    acceptor->acceptor.close(ignored);
    acceptor->retry.cancel();
  }
  auto sessions = std::move(sessions_);
  sessions_.clear();
  for (auto& [id, session] : sessions) session->detach();
}

std::vector<boost::asio::ip::tcp::endpoint> HttpServer::endpoints() const {
  std::vector<boost::asio::ip::tcp::endpoint> out;
  for (const auto& acceptor : acceptors_) {
    boost::system::error_code ec;
    const auto endpoint = acceptor->acceptor.local_endpoint(ec);
    if (!ec) out.push_back(endpoint);
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
