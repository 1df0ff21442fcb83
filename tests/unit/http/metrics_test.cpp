#include "http/metrics.h"

#include <gtest/gtest.h>

namespace ccsip::http {
namespace {

class FixedSource final : public MetricsSource {
 public:
  void collectMetrics(std::vector<MetricFamily>& out) const override {
    out.push_back({"ccsip_calls", "Calls in progress.", MetricType::Gauge, {{{}, 3}}});
    out.push_back({"ccsip_requests_total",
                   "Requests.",
                   MetricType::Counter,
                   {{{{"method", "INVITE"}}, 7}, {{{"method", "BYE"}}, 2}}});
  }
};

TEST(Metrics, RendersTheTextFormat) {
  const std::vector<MetricFamily> families{
      {"ccsip_requests_total",
       "Requests received.",
       MetricType::Counter,
       {{{{"method", "INVITE"}, {"transport", "udp"}}, 12}, {{}, 0.25}}},
      {"ccsip_up", "Up.", MetricType::Gauge, {{{}, 1}}},
  };
  EXPECT_EQ(renderPrometheus(families),
            "# HELP ccsip_requests_total Requests received.\n"
            "# TYPE ccsip_requests_total counter\n"
            "ccsip_requests_total{method=\"INVITE\",transport=\"udp\"} 12\n"
            "ccsip_requests_total 0.25\n"
            "# HELP ccsip_up Up.\n"
            "# TYPE ccsip_up gauge\n"
            "ccsip_up 1\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  const std::vector<MetricFamily> families{
      {"m", "a \\ b\nc", MetricType::Gauge, {{{{"l", "x\"y\\z\nw"}}, 1}}}};
  EXPECT_EQ(renderPrometheus(families),
            "# HELP m a \\\\ b\\nc\n"
            "# TYPE m gauge\n"
            "m{l=\"x\\\"y\\\\z\\nw\"} 1\n");
}

TEST(Metrics, SpecialValues) {
  const std::vector<MetricFamily> families{
      {"m", "h", MetricType::Gauge, {{{}, 1.0 / 0.0}, {{}, -1.0 / 0.0}, {{}, 0.0 / 0.0}}}};
  EXPECT_EQ(renderPrometheus(families), "# HELP m h\n# TYPE m gauge\nm +Inf\nm -Inf\nm NaN\n");
}

TEST(Metrics, MergesFamiliesOfTheSameName) {
  const std::vector<MetricFamily> families{
      {"a", "A.", MetricType::Counter, {{{{"x", "1"}}, 1}}},
      {"b", "B.", MetricType::Gauge, {{{}, 2}}},
      {"a", "A.", MetricType::Counter, {{{{"x", "2"}}, 3}}},
  };
  EXPECT_EQ(renderPrometheus(families),
            "# HELP a A.\n# TYPE a counter\na{x=\"1\"} 1\na{x=\"2\"} 3\n"
            "# HELP b B.\n# TYPE b gauge\nb 2\n");
}

TEST(Metrics, RegistryOwnsMetricsAndPullsSources) {
  MetricsRegistry registry;
  auto& ok = registry.counter("ccsip_http_total", "HTTP.", {{"code", "200"}});
  auto& again = registry.counter("ccsip_http_total", "HTTP.", {{"code", "200"}});
  EXPECT_EQ(&ok, &again);
  ok.inc();
  again.inc(2);
  registry.counter("ccsip_http_total", "HTTP.", {{"code", "404"}}).inc();
  auto& gauge = registry.gauge("ccsip_clients", "Clients.");
  gauge.set(5);
  gauge.dec();
  FixedSource source;
  registry.addSource(source);
  registry.addSource(source);  // once only
  std::vector<MetricFamily> families;
  registry.collectMetrics(families);
  EXPECT_EQ(renderPrometheus(families),
            "# HELP ccsip_http_total HTTP.\n# TYPE ccsip_http_total counter\n"
            "ccsip_http_total{code=\"200\"} 3\nccsip_http_total{code=\"404\"} 1\n"
            "# HELP ccsip_clients Clients.\n# TYPE ccsip_clients gauge\nccsip_clients 4\n"
            "# HELP ccsip_calls Calls in progress.\n# TYPE ccsip_calls gauge\nccsip_calls 3\n"
            "# HELP ccsip_requests_total Requests.\n# TYPE ccsip_requests_total counter\n"
            "ccsip_requests_total{method=\"INVITE\"} 7\nccsip_requests_total{method=\"BYE\"} 2\n");
  registry.removeSource(source);
  families.clear();
  registry.collectMetrics(families);
  EXPECT_EQ(families.size(), 3u);
}

}  // namespace
}  // namespace ccsip::http
