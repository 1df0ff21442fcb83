#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "cti/cti_server.h"
#include "http/admin_source.h"
#include "http/http_router.h"
#include "http/metrics.h"
#include "util/accept_loop.h"

namespace ccsip::http {

struct HttpOptions {
  std::filesystem::path webRoot;  // static files; empty: none
  std::size_t maxHeaderBytes = 8 * 1024;
  std::size_t maxBodyBytes = 64 * 1024;  // requests are GETs; a body has nothing to carry
  std::size_t maxStaticFileBytes = 8 * 1024 * 1024;
  // A connection with no complete request (or unwritten response) for this long is closed.
  std::chrono::milliseconds idleTimeout{30'000};
  std::size_t maxConnections = 1024;
};

// What the routes serve; each may be null (see HttpRouter). All must outlive the server.
struct HttpServerServices {
  const MetricsSource* metrics = nullptr;
  const AdminSource* admin = nullptr;
  cti::CtiServer* cti = nullptr;  // takes `/cti` WebSocket upgrades
};

struct HttpCounters {
  std::uint64_t connectionsAccepted = 0;
  std::uint64_t connectionsRejected = 0;        // over maxConnections
  std::uint64_t upgrades = 0;                   // handed over to the CTI server
  std::map<unsigned, std::uint64_t> responses;  // by status code
};

class HttpSession;

// The HTTP/1.1 port (Beast): keep-alive, header and body limits (431 / 413, then close), an
// idle timeout, and the routes of HttpRouter. A WebSocket upgrade on `/cti` leaves HTTP: the
// socket and the request go to the CTI server. Also a MetricsSource of its own counters
// (ccsip_http_*).
//
// Single-threaded: every call on the io_context's thread.
class HttpServer final : public MetricsSource, private util::AcceptHandler {
 public:
  HttpServer(const HttpServerServices& services, HttpOptions options);
  ~HttpServer() override;
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Takes an open, bound, listening acceptor and starts accepting.
  void adopt(boost::asio::ip::tcp::acceptor acceptor);
  // Stops accepting and closes every HTTP connection (handed-over WebSockets are the CTI
  // server's).
  void close();

  std::vector<boost::asio::ip::tcp::endpoint> endpoints() const;
  std::size_t connectionCount() const { return sessions_.size(); }
  const HttpCounters& counters() const { return counters_; }
  const HttpOptions& options() const { return options_; }

  void collectMetrics(std::vector<MetricFamily>& out) const override;

 private:
  friend class HttpSession;

  // util::AcceptHandler
  void onAccepted(boost::asio::ip::tcp::socket socket) override;
  // From sessions.
  void sessionEnded(std::uint64_t id);
  void responded(unsigned status) { ++counters_.responses[status]; }
  bool canHandOver() const { return services_.cti != nullptr; }
  void handOver(boost::asio::ip::tcp::socket socket, Request request);
  const HttpRouter& router() const { return router_; }

  HttpServerServices services_;
  HttpOptions options_;
  HttpRouter router_;
  HttpCounters counters_;
  std::vector<std::unique_ptr<util::AcceptLoop>> acceptors_;
  std::map<std::uint64_t, std::shared_ptr<HttpSession>> sessions_;
  std::uint64_t nextId_ = 1;
};

}  // namespace ccsip::http
