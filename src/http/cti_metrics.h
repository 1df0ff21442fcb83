#pragma once

#include "cti/cti_server.h"
#include "http/metrics.h"

namespace ccsip::http {

// The CTI server's counters as ccsip_cti_* metrics (the CTI layer knows nothing of /metrics).
class CtiMetrics final : public MetricsSource {
 public:
  explicit CtiMetrics(const cti::CtiServer& server) : server_(server) {}
  void collectMetrics(std::vector<MetricFamily>& out) const override;

 private:
  const cti::CtiServer& server_;
};

}  // namespace ccsip::http
