// Server::reload, apart from the start-up wiring of server.cpp.

#include <utility>

#include "app/server.h"
#include "control/overflow.h"
#include "model/spec_from_config.h"

namespace ccsip::app {

Server::ReloadOutcome Server::reload(const config::Config& next) {
  ReloadOutcome outcome;
  outcome.plan = planReload(config_, next);
  // Only the live sections are taken; config_ keeps describing what actually runs (the admin
  // API reads it), so a listener changed in the file still shows its running address.
  config_.log = next.log;
  config_.extensions = next.extensions;
  config_.dns = next.dns;
  config_.agents = next.agents;
  config_.groups = next.groups;
  const auto runningNoAnswer = config_.options.noAnswerTimeout;
  config_.options = next.options;
  config_.options.noAnswerTimeout = runningNoAnswer;
  if (callControl_) callControl_->setMakeCallFlow(config_.options.makecallFlow);
  if (callControl_) {
    callControl_->setNoAnswerDefaults(control::noAnswerDefaultsFrom(config_.options));
  }
  // The registrar holds this store by reference: replaced in place, new REGISTERs use it.
  credentials_ = config::ExtensionCredentialStore(config_.extensions);
  // Removed DNs and agents with calls stay until those calls end (CallModel::apply).
  outcome.model = model_.apply(model::specFromConfig(config_));
  // After the model: a forced logout of a removed agent has released its boxes already.
  if (pbx_) pbx_->reload(config_);
  return outcome;
}

}  // namespace ccsip::app
