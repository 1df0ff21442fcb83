#include "http/cti_metrics.h"

namespace ccsip::http {

namespace {

void add(std::vector<MetricFamily>& out, const char* name, const char* help, MetricType type,
         double value) {
  out.push_back({name, help, type, {{{}, value}}});
}

}  // namespace

void CtiMetrics::collectMetrics(std::vector<MetricFamily>& out) const {
  const auto& c = server_.counters();
  const auto counter = MetricType::Counter;
  add(out, "ccsip_cti_clients", "Connected CTI clients.", MetricType::Gauge,
      static_cast<double>(server_.clientCount()));
  add(out, "ccsip_cti_clients_accepted_total", "CTI clients accepted.", counter,
      static_cast<double>(c.clientsAccepted));
  add(out, "ccsip_cti_clients_rejected_total", "CTI clients refused over the client limit.",
      counter, static_cast<double>(c.clientsRejected));
  add(out, "ccsip_cti_overflow_disconnects_total",
      "CTI clients disconnected because their send queue overflowed.", counter,
      static_cast<double>(c.overflowDisconnects));
  add(out, "ccsip_cti_requests_total", "CTI requests received.", counter,
      static_cast<double>(c.requestsReceived));
  add(out, "ccsip_cti_requests_rejected_total", "CTI requests answered with EventError.", counter,
      static_cast<double>(c.requestsRejected));
  add(out, "ccsip_cti_events_total", "TEvents from the call model.", counter,
      static_cast<double>(c.eventsIn));
  add(out, "ccsip_cti_events_unrouted_total", "TEvents no client was entitled to see.", counter,
      static_cast<double>(c.eventsUnrouted));
  add(out, "ccsip_cti_messages_sent_total", "Messages queued to CTI clients.", counter,
      static_cast<double>(c.messagesSent));
}

}  // namespace ccsip::http
