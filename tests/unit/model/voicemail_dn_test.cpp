#include <gtest/gtest.h>

#include "config/loader.h"
#include "model/model.h"
#include "model/spec_from_config.h"
#include "model_test_support.h"

// Voicemail DNs in the model: their box and access number, and which one deposits into a box.

namespace ccsip::model::test {
namespace {

TEST(VoicemailDnSpec, BoxAndAccessNumberComeFromTheConfiguration) {
  auto result = config::loadConfigText(R"(sip:
  listen: [{address: 127.0.0.1, port: 0}]
  domain: d
switch: {address: 192.0.2.1}
dns:
  - {dn: "91000", type: voicemail, voicemail: {mailbox: "1000", access-number: "*91000"}}
  - {dn: "9000", type: voicemail}
)",
                                       "t.yaml");
  ASSERT_TRUE(result.ok()) << config::toString(result.errors);
  const ModelSpec spec = specFromConfig(result.config);
  ASSERT_EQ(spec.dns.size(), 2u);
  EXPECT_EQ(spec.dns[0].options.voicemailBox, "1000");
  EXPECT_EQ(spec.dns[0].options.accessNumber, "*91000");
  EXPECT_EQ(spec.dns[0].options.mailbox, "");  // no MWI for the deposit number itself
  EXPECT_EQ(spec.dns[1].options.voicemailBox, "");
  EXPECT_EQ(spec.dns[1].options.accessNumber, "9000");  // defaults to the DN
}

class FindVoicemailDnTest : public ModelTest {
 protected:
  void withVoicemailDns() {
    ModelSpec spec = demoSpec();  // 6000: a voicemail DN that takes any box
    spec.dns.push_back(dnSpec("91000", DnType::Voicemail));
    spec.dns.back().options.voicemailBox = "1000";
    spec.dns.push_back(dnSpec("5999", DnType::Voicemail));  // any box too, and lower
    spec.dns.push_back(dnSpec("1000x", DnType::Extension));
    spec.dns.back().options.voicemailBox = "1001";  // not a voicemail DN: never chosen
    model_.apply(spec);
  }
};

TEST_F(FindVoicemailDnTest, TheBoxsOwnDepositNumberFirst) {
  withVoicemailDns();
  ASSERT_NE(model_.findVoicemailDn("1000"), nullptr);
  EXPECT_EQ(model_.findVoicemailDn("1000")->dn, "91000");
}

TEST_F(FindVoicemailDnTest, ElseTheLowestDnThatTakesAnyBox) {
  withVoicemailDns();
  ASSERT_NE(model_.findVoicemailDn("1001"), nullptr);
  EXPECT_EQ(model_.findVoicemailDn("1001")->dn, "5999");
}

TEST_F(FindVoicemailDnTest, NoneWithoutAVoicemailDnOrForAnEmptyBox) {
  EXPECT_EQ(model_.findVoicemailDn(""), nullptr);
  ModelSpec spec = demoSpec();
  std::erase_if(spec.dns, [](const DnSpec& dn) { return dn.type == DnType::Voicemail; });
  model_.apply(spec);
  EXPECT_EQ(model_.findVoicemailDn("1000"), nullptr);
}

}  // namespace
}  // namespace ccsip::model::test
