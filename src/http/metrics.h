#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccsip::http {

// Metrics for GET /metrics in the Prometheus text exposition format (version 0.0.4).
//
// Lower layers (transport, model, cti) keep plain counters of their own and know nothing of
// Prometheus; the app wires a MetricsSource per layer that reads them at scrape time. Values
// that belong to no layer live in a MetricsRegistry. Single-threaded like the rest of the
// server: collected on the event loop.

enum class MetricType : std::uint8_t { Counter, Gauge };

// Label pairs in output order. Names must match [a-zA-Z_][a-zA-Z0-9_]*; values are escaped.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct MetricSample {
  Labels labels;
  double value = 0;
};

// One metric name with its samples. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; a counter's
// name should end in `_total` (Prometheus naming convention).
struct MetricFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::Gauge;
  std::vector<MetricSample> samples;
};

// Something that has metrics to show: appends its families at each scrape.
class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  virtual void collectMetrics(std::vector<MetricFamily>& out) const = 0;
};

class Counter {
 public:
  void inc(double by = 1) { value_ += by; }
  double value() const { return value_; }

 private:
  double value_ = 0;
};

class Gauge {
 public:
  void set(double value) { value_ = value; }
  void inc(double by = 1) { value_ += by; }
  void dec(double by = 1) { value_ -= by; }
  double value() const { return value_; }

 private:
  double value_ = 0;
};

// Named counters and gauges owned here, plus sources pulled at each scrape. Returned
// references stay valid for the registry's life. Asking twice for the same name and labels
// returns the same metric.
class MetricsRegistry final : public MetricsSource {
 public:
  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});

  // Not owned: must outlive the registry or be removed first.
  void addSource(const MetricsSource& source);
  void removeSource(const MetricsSource& source);

  void collectMetrics(std::vector<MetricFamily>& out) const override;

 private:
  struct Owned {
    std::string name;
    std::string help;
    MetricType type;
    Labels labels;
    Counter counter;
    Gauge gauge;
  };
  Owned& find(std::string_view name, std::string_view help, MetricType type, Labels labels);

  std::deque<Owned> owned_;  // deque: references stay valid as it grows
  std::vector<const MetricsSource*> sources_;
};

// The text format: `# HELP`, `# TYPE`, then one `name{labels} value` line per sample.
// Families with the same name (from different sources) are merged under one HELP/TYPE.
std::string renderPrometheus(const std::vector<MetricFamily>& families);

// Prometheus content type of renderPrometheus's output.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace ccsip::http
