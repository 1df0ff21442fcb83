#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace ccsip::http {

namespace {

std::string_view typeName(MetricType type) {
  return type == MetricType::Counter ? "counter" : "gauge";
}

// Text format: HELP text escapes `\` and newline; label values also escape `"`.
void appendEscaped(std::string& out, std::string_view text, bool quotes) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void appendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[64];
    // Shortest round-trip form: 3 stays "3", 0.25 stays "0.25".
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

void appendSample(std::string& out, std::string_view name, const MetricSample& sample) {
  out += name;
  if (!sample.labels.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : sample.labels) {
      if (!first) out += ',';
      first = false;
      out += key;
      out += "=\"";
      appendEscaped(out, value, true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  appendValue(out, sample.value);
  out += '\n';
}

}  // namespace

MetricsRegistry::Owned& MetricsRegistry::find(std::string_view name, std::string_view help,
                                              MetricType type, Labels labels) {
  for (auto& metric : owned_) {
    if (metric.name == name && metric.type == type && metric.labels == labels) return metric;
  }
  return owned_.emplace_back(
      Owned{std::string(name), std::string(help), type, std::move(labels), {}, {}});
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, Labels labels) {
  return find(name, help, MetricType::Counter, std::move(labels)).counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, Labels labels) {
  return find(name, help, MetricType::Gauge, std::move(labels)).gauge;
}

void MetricsRegistry::addSource(const MetricsSource& source) {
  if (std::find(sources_.begin(), sources_.end(), &source) == sources_.end()) {
    sources_.push_back(&source);
  }
}

void MetricsRegistry::removeSource(const MetricsSource& source) {
  sources_.erase(std::remove(sources_.begin(), sources_.end(), &source), sources_.end());
}

void MetricsRegistry::collectMetrics(std::vector<MetricFamily>& out) const {
  for (const auto& metric : owned_) {
    const double value =
        metric.type == MetricType::Counter ? metric.counter.value() : metric.gauge.value();
    out.push_back(MetricFamily{metric.name, metric.help, metric.type, {{metric.labels, value}}});
  }
  for (const auto* source : sources_) source->collectMetrics(out);
}

std::string renderPrometheus(const std::vector<MetricFamily>& families) {
  // The format wants all samples of one name together, after its HELP and TYPE.
  std::vector<std::size_t> order;
  std::unordered_map<std::string_view, std::vector<std::size_t>> byName;
  for (std::size_t i = 0; i < families.size(); ++i) {
    auto& indices = byName[families[i].name];
    if (indices.empty()) order.push_back(i);
    indices.push_back(i);
  }
  std::string out;
  for (const std::size_t first : order) {
    const auto& head = families[first];
    out += "# HELP ";
    out += head.name;
    out += ' ';
    appendEscaped(out, head.help, false);
    out += "\n# TYPE ";
    out += head.name;
    out += ' ';
    out += typeName(head.type);
    out += '\n';
    for (const std::size_t index : byName[head.name]) {
      for (const auto& sample : families[index].samples) appendSample(out, head.name, sample);
    }
  }
  return out;
}

}  // namespace ccsip::http
