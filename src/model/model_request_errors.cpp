#include "model/model.h"

// Failures of requests that were accepted and then failed in the signalling (DESIGN.md "CTI
// protocol": the answer to a request is its events or EventError with the same referenceId).

namespace ccsip::model {

Status CallModel::requestFailed(ConnId id, std::string_view dn, ErrorCode code,
                                std::string_view detail, const ReferenceId& ref) {
  if (dn.empty()) return makeError(ErrorCode::MissingField, "DN");
  if (!isConfigured(dn)) return makeError(ErrorCode::UnknownDn, dn);
  const util::Error error = makeError(code, detail);
  TEvent event;
  event.name = "EventError";
  event.fields = baseFields(ref);
  event.fields["errorCode"] = error.code;
  event.fields["errorMessage"] = error.message;
  event.fields["thisDN"] = dn;
  event.fields["connId"] = id.str();
  event.dns.emplace_back(dn);
  emit(std::move(event));
  return ok();
}

}  // namespace ccsip::model
