#pragma once

#include <boost/json/object.hpp>

#include "cti/client_id.h"
#include "model/error_codes.h"

namespace ccsip::cti {

// Where valid requests go: the call-control core implements it. The CTI layer has already
// checked the framing, the JSON, `request`, `referenceId`, the required fields and their types
// (request_table.h), authentication, and that `thisDN` (when the request has one) is
// registered by this client. OpenSession, RegisterAddress and UnregisterAddress are answered
// by the CTI layer itself and never arrive here.
//
// Answers are events: broadcast ones through model::EventSink (with the request's
// referenceId), private ones (query results) through CtiServer::sendTo. Called on the event
// loop thread.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // `request` is the whole message, `request` and `referenceId` included. An error result is
  // answered to this client as EventError {errorCode, errorMessage, referenceId}, so a
  // rejection needs no path back to the client.
  virtual model::Status onRequest(ClientId client, const boost::json::object& request) = 0;

  // A client that had opened a session is gone (closed by either side, dropped for queue
  // overflow; not at server shutdown). Its registrations and agent binding are already
  // forgotten by the CTI layer; what becomes of the agent's login is the core's decision.
  virtual void onClientClosed(ClientId client) = 0;
};

}  // namespace ccsip::cti
