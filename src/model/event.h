#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace ccsip::model {

// One T-Library event as the call model decides it. The model never knows about sockets or JSON
// framing; the CTI layer only delivers what it gets here and never decides an event itself.
struct TEvent {
  std::string name;              // "EventRinging", "EventAgentReady", ...
  boost::json::object fields;    // lowerCamel protocol fields: thisDN, otherDN, thirdPartyDN,
                                 // connId, callType, agentId, agentState, reasons, userData,
                                 // referenceId (when caused by a request), time, ...
  std::vector<std::string> dns;  // the DNs whose registered clients see it
  std::string agentId;           // "" or the agent whose session sees it (as well)
};

// Implemented by the CTI server. Called synchronously, in the model's thread, in fact order.
// onEvent must not call back into the model (post such work instead): the model may be in the
// middle of a fact that emits several events.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void onEvent(const TEvent& event) = 0;
};

}  // namespace ccsip::model
