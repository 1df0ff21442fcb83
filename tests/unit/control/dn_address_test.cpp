#include "control/dn_address.h"

#include <gtest/gtest.h>

#include "../model/model_test_support.h"
#include "sip/dialog/location_table.h"
#include "util/timer_service.h"

// DnAddressBook beyond the voicemail numbers (voicemail_address_test.cpp): the transport of the
// switch's legs, and telling a phone on ccsip from the switch by where it registered from.

namespace ccsip::control {
namespace {

using sip::transport::Address;

Address loopback(std::uint16_t port) {
  return Address{boost::asio::ip::make_address("127.0.0.1"), port};
}

class DnAddressTest : public model::test::ModelTest {
 protected:
  DnAddressTest() : locations_(clock_) {
    model::ModelSpec spec = model::test::demoSpec();
    spec.dns.push_back(model::test::dnSpec("3000", model::DnType::Extension));
    spec.dns.back().options.onCcsip = true;
    model_.apply(spec);
    options_.switchHost = "127.0.0.1";
    options_.switchPort = 5080;
    options_.domain = "ccsip.test";
  }

  // Extension 3000's phone registers from 127.0.0.1:`port`.
  void registerFrom(std::uint16_t port) {
    sip::dialog::RegistrationUpdate update;
    update.contacts.push_back(sip::dialog::ContactUpdate{
        "sip:3000@127.0.0.1:" + std::to_string(port), std::chrono::seconds(300), {}, {}, {}});
    update.callId = "reg-3000";
    update.cseq = 1;
    update.source.remote = loopback(port);
    ASSERT_TRUE(locations_.apply("sip:3000@ccsip.test", update).ok());
  }

  util::ManualTimerService clock_;
  sip::dialog::LocationTable locations_;
  CallControlOptions options_;
};

// RFC 3263 4.1: switch.transport tcp puts ;transport=tcp in the Request-URI; the To and the
// identity (Diversion) name the DN and carry no transport.
TEST_F(DnAddressTest, SwitchOverTcpSaysSoInTheRequestUriOnly) {
  options_.switchTcp = true;
  DnAddressBook book(model_, options_, &locations_);
  auto address = book.resolve("1000");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->requestUri, "sip:1000@127.0.0.1:5080;transport=tcp");
  EXPECT_EQ(address->to, "<sip:1000@127.0.0.1:5080>");
  EXPECT_EQ(book.identityOf("1000"), "sip:1000@127.0.0.1:5080");
  options_.switchTcp = false;
  EXPECT_EQ(book.resolve("1000")->requestUri, "sip:1000@127.0.0.1:5080");
}

// docs/asterisk.md's lab: the switch, ccsip and the phones share 127.0.0.1. A request from the
// address and port a phone of the From's extension registered from is that phone's.
TEST_F(DnAddressTest, RegisteredSourceIsThePhones) {
  DnAddressBook book(model_, options_, &locations_);
  EXPECT_FALSE(book.isRegisteredFrom("3000", loopback(5071)));  // not registered yet
  registerFrom(5071);
  EXPECT_TRUE(book.isRegisteredFrom("3000", loopback(5071)));
  EXPECT_FALSE(book.isRegisteredFrom("3000", loopback(5080)));  // the switch's port
  EXPECT_FALSE(book.isRegisteredFrom("1000", loopback(5071)));  // an extension on the switch
  EXPECT_FALSE(book.isRegisteredFrom("9999", loopback(5071)));  // no such DN
  DnAddressBook withoutRegistrar(model_, options_, nullptr);
  EXPECT_FALSE(withoutRegistrar.isRegisteredFrom("3000", loopback(5071)));
}

}  // namespace
}  // namespace ccsip::control
