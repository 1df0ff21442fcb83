#include "http/http_server.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "http/cti_metrics.h"
#include "http_test_support.h"
#include "util/timer_service.h"

namespace ccsip::http {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using cti::test::LineClient;
using cti::test::runUntil;
using cti::test::WsClient;
using test::parseResponses;

class FakeAdmin final : public AdminSource {
 public:
  json::array agents() const override {
    return json::array{json::object{{"agentId", "a1"}, {"state", "Ready"}}};
  }
  json::array dns() const override { return json::array{json::object{{"dn", "1000"}}}; }
  json::array calls() const override { return json::array{}; }
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    webRoot_ = fs::temp_directory_path() /
               ("ccsip-http-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(webRoot_);
    fs::create_directories(webRoot_ / "web");
    std::ofstream(webRoot_ / "web" / "index.html") << "<h1>desk</h1>";
    std::ofstream(webRoot_ / "web" / "logo.svg") << "<svg/>";
    std::ofstream(webRoot_ / "secret.txt") << "secret";

    cti::CtiOptions ctiOptions;
    ctiOptions.applicationTokens = {"t"};
    cti_ = std::make_unique<cti::CtiServer>(cti::CtiServerServices{timers_, handler_, directory_},
                                            ctiOptions);
    ctiMetrics_ = std::make_unique<CtiMetrics>(*cti_);
    registry_.addSource(*ctiMetrics_);
    registry_.gauge("ccsip_calls", "Calls in progress.").set(2);
    start(HttpOptions{});
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(webRoot_);
  }

  void start(HttpOptions options) {
    server_.reset();
    options.webRoot = webRoot_ / "web";
    server_ =
        std::make_unique<HttpServer>(HttpServerServices{&registry_, &admin_, cti_.get()}, options);
    server_->adopt(cti::test::listenLoopback(io_));
    endpoint_ = server_->endpoints().at(0);
  }

  std::unique_ptr<LineClient> connect() {
    auto client = std::make_unique<LineClient>(io_);
    EXPECT_TRUE(client->connect(endpoint_));
    client->startReading();
    return client;
  }

  // One request on a fresh connection (Connection: close), its response.
  test::HttpResponse get(std::string_view target, std::string_view method = "GET",
                         std::string extraHeaders = {}) {
    auto client = connect();
    client->write(std::string(method) + " " + std::string(target) +
                  " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "Connection: close\r\n\r\n");
    EXPECT_TRUE(runUntil(io_, [&] { return client->closed; }));
    auto responses = parseResponses(client->received, {method == "HEAD"});
    EXPECT_EQ(responses.size(), 1u) << client->received;
    return responses.empty() ? test::HttpResponse{} : responses[0];
  }

  boost::asio::io_context io_;
  util::ManualTimerService timers_;
  cti::test::FakeHandler handler_;
  cti::test::FakeDirectory directory_;
  std::unique_ptr<cti::CtiServer> cti_;
  std::unique_ptr<CtiMetrics> ctiMetrics_;
  MetricsRegistry registry_;
  FakeAdmin admin_;
  fs::path webRoot_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, Healthz) {
  const auto response = get("/healthz");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "ok");
  EXPECT_EQ(response[boost::beast::http::field::content_type], "text/plain; charset=utf-8");
}

TEST_F(HttpServerTest, MetricsInPrometheusFormat) {
  get("/healthz");  // counted under ccsip_http_responses_total
  registry_.addSource(*server_);
  const auto response = get("/metrics");
  registry_.removeSource(*server_);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[boost::beast::http::field::content_type],
            "text/plain; version=0.0.4; charset=utf-8");
  const auto& body = response.body();
  EXPECT_NE(body.find("# HELP ccsip_calls Calls in progress.\n# TYPE ccsip_calls gauge\n"
                      "ccsip_calls 2\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("# TYPE ccsip_cti_clients gauge\nccsip_cti_clients 0\n"), std::string::npos);
  EXPECT_NE(body.find("ccsip_http_responses_total{code=\"200\"} 1\n"), std::string::npos) << body;
  // Every line is a comment or `name[{labels}] value`.
  std::size_t start = 0;
  while (start < body.size()) {
    const auto end = body.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const auto line = body.substr(start, end - start);
    if (line[0] != '#') {
      const auto space = line.rfind(' ');
      ASSERT_NE(space, std::string::npos) << line;
      EXPECT_NO_THROW((void)std::stod(line.substr(space + 1))) << line;
    }
    start = end + 1;
  }
}

TEST_F(HttpServerTest, AdminApiJson) {
  auto response = get("/api/v1/agents");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[boost::beast::http::field::content_type], "application/json");
  auto body = json::parse(response.body());
  EXPECT_EQ(body.at("agents").at(0).at("agentId").as_string(), "a1");
  EXPECT_EQ(json::parse(get("/api/v1/dns").body()).at("dns").at(0).at("dn").as_string(), "1000");
  EXPECT_TRUE(json::parse(get("/api/v1/calls?x=1").body()).at("calls").as_array().empty());
  response = get("/api/v1/nothing");
  EXPECT_EQ(response.result_int(), 404u);
  EXPECT_EQ(json::parse(response.body()).at("error").as_string(), "not found");
}

TEST_F(HttpServerTest, StaticFilesAndTraversal) {
  auto response = get("/");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "<h1>desk</h1>");
  EXPECT_EQ(response[boost::beast::http::field::content_type], "text/html; charset=utf-8");
  response = get("/logo.svg");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[boost::beast::http::field::content_type], "image/svg+xml");
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"}) {
    response = get(target);
    EXPECT_EQ(response.result_int(), 404u) << target;
    EXPECT_EQ(response.body(), "not found\n");
  }
  EXPECT_EQ(get("/nothing/here").result_int(), 404u);
}

TEST_F(HttpServerTest, HeadAndMethodNotAllowed) {
  auto response = get("/healthz", "HEAD");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[boost::beast::http::field::content_length], "2");
  EXPECT_TRUE(response.body().empty());
  response = get("/healthz", "POST");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(response[boost::beast::http::field::allow], "GET, HEAD");
  EXPECT_EQ(response.body(), "method not allowed\n");
  response = get("/api/v1/agents", "DELETE");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(json::parse(response.body()).at("error").as_string(), "method not allowed");
}

TEST_F(HttpServerTest, CtiWithoutUpgradeIs426) {
  EXPECT_EQ(get("/cti").result_int(), 426u);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto client = connect();
  client->write(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/dns HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return parseResponses(client->received).size() == 2; }));
  EXPECT_FALSE(client->closed);
  EXPECT_EQ(server_->connectionCount(), 1u);
  client->write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  const auto responses = parseResponses(client->received);
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[1].result_int(), 200u);
  EXPECT_TRUE(runUntil(io_, [&] { return server_->connectionCount() == 0; }));
}

TEST_F(HttpServerTest, LimitsAndBadRequests) {
  auto response = get("/healthz", "GET", "X-Big: " + std::string(10'000, 'x') + "\r\n");
  EXPECT_EQ(response.result_int(), 431u);
  response = get("/healthz", "GET", "Content-Length: 100000\r\n");
  EXPECT_EQ(response.result_int(), 413u);
  auto client = connect();
  client->write("NOT HTTP AT ALL\r\n\r\n");
  ASSERT_TRUE(runUntil(io_, [&] { return client->closed; }));
  const auto responses = parseResponses(client->received);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 400u);
}

TEST_F(HttpServerTest, IdleConnectionsAreClosed) {
  HttpOptions options;
  options.idleTimeout = std::chrono::milliseconds(50);
  start(options);
  auto client = connect();
  client->write("GET /heal");  // never finished
  EXPECT_TRUE(runUntil(io_, [&] { return client->closed; }));
}

TEST_F(HttpServerTest, WebSocketUpgradeOnCtiReachesTheCtiServer) {
  WsClient client(io_);
  client.connect(endpoint_);
  ASSERT_TRUE(runUntil(io_, [&] { return client.handshaken || client.failed; }));
  ASSERT_TRUE(client.handshaken);
  client.send(cti::test::request("OpenSession", 1, {{"applicationToken", "t"}}));
  client.send(cti::test::request("RegisterAddress", 2, {{"thisDN", "1000"}}));
  ASSERT_TRUE(runUntil(io_, [&] { return client.messages.size() == 2; }));
  EXPECT_EQ(client.events()[0].at("event").as_string(), "EventAck");
  EXPECT_EQ(client.events()[1].at("event").as_string(), "EventRegistered");
  EXPECT_EQ(server_->counters().upgrades, 1u);
  EXPECT_EQ(server_->connectionCount(), 0u);  // the socket is the CTI server's now
  EXPECT_EQ(cti_->clientCount(), 1u);
  model::TEvent event;
  event.name = "EventRinging";
  event.dns = {"1000"};
  cti_->onEvent(event);
  ASSERT_TRUE(runUntil(io_, [&] { return client.messages.size() == 3; }));
  EXPECT_EQ(client.events()[2].at("event").as_string(), "EventRinging");
}

TEST_F(HttpServerTest, WebSocketUpgradeElsewhereIsRefused) {
  WsClient client(io_);
  client.connect(endpoint_, "/ws");
  ASSERT_TRUE(runUntil(io_, [&] { return client.handshaken || client.failed; }));
  EXPECT_TRUE(client.failed);
  EXPECT_EQ(cti_->clientCount(), 0u);
}

}  // namespace
}  // namespace ccsip::http
