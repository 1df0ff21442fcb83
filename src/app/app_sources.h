#pragma once

#include <memory>
#include <vector>

#include <boost/json/array.hpp>

#include "config/config.h"
#include "control/call_control.h"
#include "http/admin_source.h"
#include "http/metrics.h"
#include "model/model.h"
#include "sip/dialog/user_agent_core.h"
#include "sip/transport/transport_manager.h"
#include "sip/txn/transaction_layer.h"

namespace ccsip::app {

// The UA core's session handler, forwarding to one set later: the core and the call control
// each need the other at construction.
class SessionGate final : public sip::dialog::IncomingSessionHandler {
 public:
  void setTarget(sip::dialog::IncomingSessionHandler* target) { target_ = target; }
  sip::dialog::InviteSessionHandler* onNewSession(
      const std::shared_ptr<sip::dialog::InviteSession>& session,
      const sip::Message& invite) override {
    return target_ == nullptr ? nullptr : target_->onNewSession(session, invite);
  }

 private:
  sip::dialog::IncomingSessionHandler* target_ = nullptr;
};

// ccsip_sip_*: the transport and transaction counters, and the transactions, dialogs and
// usages alive now (gauges that return to 0 when the server is idle: a leak check).
class SipMetrics final : public http::MetricsSource {
 public:
  SipMetrics(const sip::transport::TransportManager& transport,
             const sip::txn::TransactionLayer& layer)
      : transport_(transport), layer_(layer) {}
  // The UA core is built by Server::start(); until then there are no dialog gauges.
  void setCore(const sip::dialog::UserAgentCore* core) { core_ = core; }
  void collectMetrics(std::vector<http::MetricFamily>& out) const override;

 private:
  const sip::transport::TransportManager& transport_;
  const sip::txn::TransactionLayer& layer_;
  const sip::dialog::UserAgentCore* core_ = nullptr;
};

// ccsip_calls / ccsip_agents: the model's counts (QueryServer); ccsip_b2bua_calls: the call
// control's B2BUA calls (with a switch configured).
class ModelMetrics final : public http::MetricsSource {
 public:
  explicit ModelMetrics(const model::CallModel& model) : model_(model) {}
  // Built by Server::start() when a switch is configured.
  void setCallControl(const control::CallControl* control) { control_ = control; }
  void collectMetrics(std::vector<http::MetricFamily>& out) const override;

 private:
  const model::CallModel& model_;
  const control::CallControl* control_ = nullptr;
};

// /api/v1/{agents,dns,calls}: the configured agents and DNs as the model sees them, and the
// calls on those DNs.
class ModelAdmin final : public http::AdminSource {
 public:
  ModelAdmin(const config::Config& config, const model::CallModel& model)
      : config_(config), model_(model) {}
  boost::json::array agents() const override;
  boost::json::array dns() const override;
  boost::json::array calls() const override;

 private:
  const config::Config& config_;
  const model::CallModel& model_;
};

}  // namespace ccsip::app
