#include "sip/txn/request_validator.h"

#include <string>
#include <utility>

#include "sip/serializer.h"

namespace ccsip::sip::txn {

PolicyRequestValidator::PolicyRequestValidator(sip::ValidationPolicy policy,
                                               std::optional<std::uint64_t> seed)
    : policy_(std::move(policy)), random_(seed ? util::Random(*seed) : util::Random()) {}

std::optional<sip::Message> PolicyRequestValidator::validate(const sip::Message& request,
                                                             const transport::Peer& /*from*/) {
  std::optional<sip::Rejection> rejection = sip::validateRequest(request, policy_);
  if (!rejection) return std::nullopt;
  // RFC 3261 8.2.6.2: a final response carries a To tag when the request had none.
  const std::string tag = request.to().tag.empty() ? random_.tag() : std::string();
  std::string_view reason = rejection->reason.empty() ? sip::defaultReasonPhrase(rejection->status)
                                                      : std::string_view(rejection->reason);
  sip::Message response = sip::makeResponse(request, rejection->status, reason, tag);
  for (const sip::RejectionHeader& header : rejection->headers) {
    response.addHeader(header.id, header.value);
  }
  return response;
}

}  // namespace ccsip::sip::txn
