#include <gtest/gtest.h>

#include "../model/model_test_support.h"
#include "control/dn_address.h"

// A voicemail DN is a number of the switch, dialled by its access number, whoever calls it
// (docs/call-flows.md "No answer and voicemail").

namespace ccsip::control {
namespace {

class VoicemailAddressTest : public model::test::ModelTest {
 protected:
  VoicemailAddressTest() {
    model::ModelSpec spec = model::test::demoSpec();
    spec.dns.push_back(model::test::dnSpec("9700", model::DnType::Voicemail));
    spec.dns.back().options.accessNumber = "*97";
    model_.apply(spec);
    options_.switchHost = "192.0.2.1";
    options_.switchPort = 5080;
  }
  CallControlOptions options_;
};

TEST_F(VoicemailAddressTest, DialledOnTheSwitchByItsAccessNumber) {
  DnAddressBook book(model_, options_, nullptr);
  auto address = book.resolve("9700");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->requestUri, "sip:*97@192.0.2.1:5080");
  EXPECT_EQ(address->to, "<sip:*97@192.0.2.1:5080>");
  EXPECT_FALSE(address->destination.has_value());
  // Without an access number (a hand-built spec): the DN itself.
  EXPECT_EQ(book.resolve("6000")->requestUri, "sip:6000@192.0.2.1:5080");
}

TEST_F(VoicemailAddressTest, WithoutASwitchThereIsNothingToDial) {
  options_.hasSwitch = false;
  DnAddressBook book(model_, options_, nullptr);
  auto address = book.resolve("9700");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, 480);
}

}  // namespace
}  // namespace ccsip::control
