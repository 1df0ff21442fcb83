#pragma once

#include <optional>

#include "sip/request_validation.h"
#include "sip/txn/transaction_user.h"
#include "util/random.h"

namespace ccsip::sip::txn {

// The RFC 3261 8.2 checks of sip::validateRequest as the layer's RequestValidator: a rejected
// request gets its 4xx (with Allow / Unsupported / Accept ... and a fresh To tag) inside its
// server transaction, so retransmissions get the same answer, and the TU never sees it.
class PolicyRequestValidator final : public RequestValidator {
 public:
  explicit PolicyRequestValidator(sip::ValidationPolicy policy = {},
                                  std::optional<std::uint64_t> seed = std::nullopt);

  std::optional<sip::Message> validate(const sip::Message& request,
                                       const transport::Peer& from) override;
  const sip::ValidationPolicy& policy() const { return policy_; }

 private:
  sip::ValidationPolicy policy_;
  util::Random random_;
};

}  // namespace ccsip::sip::txn
