// PolicyRequestValidator: sip::validateRequest as the layer's RequestValidator.

#include "sip/txn/request_validator.h"

#include <gtest/gtest.h>

#include "txn_test_support.h"

namespace ccsip::sip::txn::test {
namespace {

TEST(RequestValidatorTest, UnsupportedMethodGets405WithAllowInsideTheTransaction) {
  PolicyRequestValidator validator({}, 7);
  TransactionLayerOptions options;
  options.validator = &validator;
  Harness h(options);
  RequestText foo;
  foo.method = "FOO";
  h.layer.onMessage(foo.str(), udpPeer("198.51.100.7", 5060));
  EXPECT_TRUE(h.user.requests.empty());
  auto sent = h.wire.take();
  ASSERT_EQ(sent.size(), 1u);
  sip::Message response = sent[0].parse();
  EXPECT_EQ(response.statusCode(), 405);
  EXPECT_FALSE(response.headerValue(sip::HeaderId::Allow).empty());
  EXPECT_FALSE(response.to().tag.empty());

  RequestText options2;
  options2.method = "OPTIONS";
  h.layer.onMessage(options2.str(), udpPeer("198.51.100.7", 5060));
  ASSERT_EQ(h.user.requests.size(), 1u);
  h.user.requests[0].txn.respond(
      sip::makeResponse(*h.user.requests[0].txn.request(), 200, "OK", "t"));
  h.drain();
  EXPECT_TRUE(h.idle());
}

}  // namespace
}  // namespace ccsip::sip::txn::test
