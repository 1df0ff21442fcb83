#include "app/app_sources.h"

#include <set>
#include <string>

#include "model/query.h"

namespace ccsip::app {

namespace {

http::MetricFamily family(std::string name, std::string help, http::MetricType type) {
  http::MetricFamily out;
  out.name = std::move(name);
  out.help = std::move(help);
  out.type = type;
  return out;
}

void addTransport(http::MetricFamily& in, http::MetricFamily& out, const char* kind,
                  const sip::transport::TransportCounters& counters) {
  in.samples.push_back({{{"transport", kind}}, static_cast<double>(counters.messagesIn)});
  out.samples.push_back({{{"transport", kind}}, static_cast<double>(counters.messagesOut)});
}

}  // namespace

void SipMetrics::collectMetrics(std::vector<http::MetricFamily>& out) const {
  const sip::transport::TransportStats stats = transport_.stats();
  auto in = family("ccsip_sip_messages_received_total", "SIP messages received",
                   http::MetricType::Counter);
  auto sent =
      family("ccsip_sip_messages_sent_total", "SIP messages sent", http::MetricType::Counter);
  addTransport(in, sent, "udp", stats.udp);
  addTransport(in, sent, "tcp", stats.tcp);
  out.push_back(std::move(in));
  out.push_back(std::move(sent));

  const sip::txn::TransactionCounters& txn = layer_.counters();
  auto created =
      family("ccsip_sip_transactions_total", "SIP transactions created", http::MetricType::Counter);
  created.samples.push_back(
      {{{"role", "client"}}, static_cast<double>(txn.clientTransactionsCreated)});
  created.samples.push_back(
      {{{"role", "server"}}, static_cast<double>(txn.serverTransactionsCreated)});
  out.push_back(std::move(created));
  auto retrans = family("ccsip_sip_retransmissions_total", "SIP retransmissions sent",
                        http::MetricType::Counter);
  retrans.samples.push_back({{}, static_cast<double>(txn.retransmissionsSent)});
  out.push_back(std::move(retrans));
  auto timeouts = family("ccsip_sip_transaction_timeouts_total",
                         "SIP transactions timed out (Timer B/F/H)", http::MetricType::Counter);
  timeouts.samples.push_back({{}, static_cast<double>(txn.clientTimeouts + txn.serverTimeouts)});
  out.push_back(std::move(timeouts));

  auto active =
      family("ccsip_sip_transactions_active",
             "SIP transactions alive (Timer D/J/K/M lingering included)", http::MetricType::Gauge);
  active.samples.push_back(
      {{{"role", "client"}}, static_cast<double>(layer_.activeClientTransactions())});
  active.samples.push_back(
      {{{"role", "server"}}, static_cast<double>(layer_.activeServerTransactions())});
  out.push_back(std::move(active));
  if (core_ == nullptr) return;
  auto dialogs = family("ccsip_sip_dialogs", "SIP dialogs alive (early and confirmed)",
                        http::MetricType::Gauge);
  dialogs.samples.push_back({{}, static_cast<double>(core_->dialogCount())});
  out.push_back(std::move(dialogs));
  auto usages = family("ccsip_sip_dialog_usages", "INVITE sessions and subscriptions not yet freed",
                       http::MetricType::Gauge);
  usages.samples.push_back({{}, static_cast<double>(core_->usageCount())});
  out.push_back(std::move(usages));
}

void ModelMetrics::collectMetrics(std::vector<http::MetricFamily>& out) const {
  const model::ServerInfo info = model_.queryServer();
  auto calls = family("ccsip_calls", "Calls in progress", http::MetricType::Gauge);
  calls.samples.push_back({{}, static_cast<double>(info.calls)});
  out.push_back(std::move(calls));
  auto agents = family("ccsip_agents", "Configured agents by state", http::MetricType::Gauge);
  for (std::size_t i = 0; i < info.agentsByState.size(); ++i) {
    const auto state = static_cast<model::AgentState>(i);
    agents.samples.push_back({{{"state", std::string(model::toString(state))}},
                              static_cast<double>(info.agentsByState[i])});
  }
  out.push_back(std::move(agents));
  if (control_ == nullptr) return;
  auto b2bua = family("ccsip_b2bua_calls", "B2BUA calls (customer leg + agent leg) in progress",
                      http::MetricType::Gauge);
  b2bua.samples.push_back({{}, static_cast<double>(control_->callCount())});
  out.push_back(std::move(b2bua));
}

boost::json::array ModelAdmin::agents() const {
  boost::json::array out;
  for (const config::AgentConfig& config : config_.agents) {
    const model::Agent* agent = model_.findAgent(config.id);
    if (agent == nullptr) continue;
    boost::json::object item;
    item["agentId"] = agent->agentId;
    item["agentState"] = model::toString(agent->state);
    item["thisDN"] = agent->dn;
    item["reasons"] = agent->reasons;
    out.push_back(std::move(item));
  }
  return out;
}

boost::json::array ModelAdmin::dns() const {
  boost::json::array out;
  for (const config::DnConfig& config : config_.dns) {
    auto info = model_.queryAddress(config.dn);
    if (info) out.push_back(model::toJson(*info));
  }
  return out;
}

boost::json::array ModelAdmin::calls() const {
  // The model lists calls by DN: every call has a party on some configured DN or came from one.
  std::set<std::uint64_t> seen;
  boost::json::array out;
  for (const config::DnConfig& config : config_.dns) {
    auto info = model_.queryAddress(config.dn);
    if (!info) continue;
    for (const model::AddressCall& call : info->calls) {
      if (!seen.insert(call.connId.value()).second) continue;
      auto json = model_.queryCall(call.connId);
      if (json) out.push_back(std::move(*json));
    }
  }
  return out;
}

}  // namespace ccsip::app
