#pragma once

#include <string>

#include "sip/dialog/options_responder.h"
#include "sip/dialog/registrar.h"
#include "sip/dialog/user_agent_core.h"
#include "util/random.h"

namespace ccsip::app {

// The out-of-dialog requests the UA core hands to the application (everything but INVITE,
// in-dialog requests and BYE/UPDATE/PRACK/INFO, which the core answers itself), after the
// RFC 3261 8.2 checks of the transaction layer's validator:
//   REGISTER  -> the registrar (RFC 3261 10.3);
//   OPTIONS   -> the OPTIONS responder (RFC 3261 11.2);
//   SUBSCRIBE -> 489 Bad Event: no event package is served yet (RFC 6665 4.2.1.2);
//   NOTIFY    -> 481: it matches no subscription of ours (RFC 6665 4.1.3);
//   an extension method -> 501 Not Implemented: not recognised (RFC 3261 21.5.2);
//   any other (MESSAGE, PUBLISH, REFER, ...) -> 405 Method Not Allowed with Allow: the method
//   is understood but not served at this address (RFC 3261 8.2.1, 21.4.6).
// No request ever goes unanswered, and nothing a request holds can take the server down: an
// exception from a handler is logged and answered 500 (RFC 3261 21.5.1).
class RequestRouter final : public sip::dialog::RequestHandler {
 public:
  RequestRouter(sip::dialog::Registrar& registrar, sip::dialog::OptionsResponder& options,
                std::string allow);

  void onRequest(const sip::txn::ServerTransactionHandle& txn, const sip::Message& request,
                 const sip::transport::Peer& from) override;

 private:
  void route(const sip::txn::ServerTransactionHandle& txn, const sip::Message& request,
             const sip::transport::Peer& from);
  void reject(const sip::txn::ServerTransactionHandle& txn, const sip::Message& request,
              int status);

  sip::dialog::Registrar& registrar_;
  sip::dialog::OptionsResponder& options_;
  std::string allow_;
  util::Random random_;
};

}  // namespace ccsip::app
