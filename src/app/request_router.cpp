#include "app/request_router.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "sip/serializer.h"

namespace ccsip::app {

RequestRouter::RequestRouter(sip::dialog::Registrar& registrar,
                             sip::dialog::OptionsResponder& options, std::string allow)
    : registrar_(registrar), options_(options), allow_(std::move(allow)) {}

void RequestRouter::onRequest(const sip::txn::ServerTransactionHandle& txn,
                              const sip::Message& request, const sip::transport::Peer& from) {
  try {
    route(txn, request, from);
  } catch (const std::exception& e) {
    spdlog::error("{} {} (Call-ID {}): {}", request.methodName(), request.requestUri().text,
                  request.callId(), e.what());
    reject(txn, request, 500);
  } catch (...) {
    spdlog::error("{} (Call-ID {}): unknown exception", request.methodName(), request.callId());
    reject(txn, request, 500);
  }
}

void RequestRouter::route(const sip::txn::ServerTransactionHandle& txn, const sip::Message& request,
                          const sip::transport::Peer& from) {
  switch (request.method()) {
    case sip::Method::Register:
      txn.respond(registrar_.handleRegister(request, from));
      return;
    case sip::Method::Options:
      txn.respond(options_.respond(request));
      return;
    case sip::Method::Subscribe:
      reject(txn, request, 489);
      return;
    case sip::Method::Notify:
      reject(txn, request, 481);
      return;
    case sip::Method::Unknown:
      reject(txn, request, 501);
      return;
    default:
      reject(txn, request, 405);
      return;
  }
}

void RequestRouter::reject(const sip::txn::ServerTransactionHandle& txn,
                           const sip::Message& request, int status) {
  // RFC 3261 8.2.6.2: a To tag on every final response to a request without one.
  std::string tag = request.to().tag.empty() ? random_.tag() : std::string();
  sip::Message response = sip::makeResponse(request, status, sip::defaultReasonPhrase(status), tag);
  // RFC 3261 20.5: Allow is mandatory in a 405 and useful in a 501.
  if (status == 405 || status == 501) response.addHeader(sip::HeaderId::Allow, allow_);
  txn.respond(std::move(response));
}

}  // namespace ccsip::app
