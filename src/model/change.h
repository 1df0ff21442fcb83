#pragma once

#include <string_view>

#include <boost/json/object.hpp>

namespace ccsip::model {

// DESIGN.md "Growing past one machine": every change of model state goes through a handful of
// CallModel functions, and each reports itself here as a fact a backup could replay or a log
// could keep. `kind` names the change ("agent.state", "call.party", ...), `data` its values.
struct StateChange {
  std::string_view kind;
  boost::json::object data;
};

class ChangeObserver {
 public:
  virtual ~ChangeObserver() = default;
  virtual void onChange(const StateChange& change) = 0;
};

}  // namespace ccsip::model
