#include "sip/dialog/location_table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "sip/parser.h"
#include "util/timer_service.h"

namespace ccsip::sip::dialog {
namespace {

using std::chrono::seconds;

constexpr const char* kAor = "sip:1000@ccsip.test";

struct Recorded {
  std::string what;  // "registered", "refreshed", "unregistered:<reason>"
  std::string aor;
  std::string contact;
};

class RecordingHandler final : public RegistrationHandler {
 public:
  void onRegistered(std::string_view aor, const Binding& b) override {
    events.push_back({"registered", std::string(aor), b.contact});
  }
  void onRefreshed(std::string_view aor, const Binding& b) override {
    events.push_back({"refreshed", std::string(aor), b.contact});
  }
  void onUnregistered(std::string_view aor, const Binding& b, UnregisterReason r) override {
    events.push_back(
        {"unregistered:" + std::string(unregisterReasonName(r)), std::string(aor), b.contact});
  }
  std::vector<Recorded> events;
};

transport::Peer phonePeer() {
  transport::Peer peer;
  peer.remote = {boost::asio::ip::make_address("192.0.2.20"), 5062};
  peer.local = {boost::asio::ip::make_address("192.0.2.1"), 5060};
  return peer;
}

sip::Message registerMessage(std::uint32_t cseq, const std::vector<std::string>& contacts,
                             const std::string& expires = "",
                             const std::string& callId = "reg-1@192.0.2.20",
                             const std::string& extra = "") {
  std::string text =
      "REGISTER sip:ccsip.test SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bK-" +
      std::to_string(cseq) +
      "\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:1000@ccsip.test>;tag=abc\r\n"
      "To: <sip:1000@ccsip.test>\r\n"
      "Call-ID: " +
      callId + "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\n";
  for (const std::string& contact : contacts) text += "Contact: " + contact + "\r\n";
  if (!expires.empty()) text += "Expires: " + expires + "\r\n";
  text += extra;
  text += "Content-Length: 0\r\n\r\n";
  auto parsed = sip::parseMessage(std::move(text));
  EXPECT_TRUE(parsed.ok()) << (parsed.error ? parsed.error->reason : "");
  return std::move(parsed.message);
}

class LocationTableTest : public ::testing::Test {
 protected:
  LocationTableTest() { timers_.advance(seconds(1000)); }

  util::Result<std::vector<Binding>> registerContacts(
      std::uint32_t cseq, const std::vector<std::string>& contacts, const std::string& expires = "",
      const std::string& callId = "reg-1@192.0.2.20") {
    auto update =
        table_.parseRegistration(registerMessage(cseq, contacts, expires, callId), phonePeer());
    if (!update) return update.error();
    return table_.apply(kAor, update.value());
  }

  std::int64_t secondsLeft(const Binding& binding) {
    return std::chrono::duration_cast<seconds>(binding.expiresAt - timers_.now()).count();
  }

  util::ManualTimerService timers_;
  RecordingHandler handler_;
  LocationTable table_{timers_, {}, &handler_};
};

TEST_F(LocationTableTest, AddsBindingWithDefaultExpiry) {
  auto result = registerContacts(1, {"<sip:1000@192.0.2.20:5062>"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->size(), 1u);
  const Binding& b = result->front();
  EXPECT_EQ(b.contact, "sip:1000@192.0.2.20:5062");
  EXPECT_EQ(secondsLeft(b), 3600);
  EXPECT_EQ(b.callId, "reg-1@192.0.2.20");
  EXPECT_EQ(b.cseq, 1u);
  EXPECT_EQ(b.source.remote.port, 5062);
  ASSERT_EQ(handler_.events.size(), 1u);
  EXPECT_EQ(handler_.events[0].what, "registered");
  EXPECT_EQ(handler_.events[0].aor, kAor);
  EXPECT_EQ(table_.lookup(kAor).size(), 1u);
  EXPECT_TRUE(table_.lookup("sip:2000@ccsip.test").empty());
}

TEST_F(LocationTableTest, ExpiresParamWinsOverHeaderAndIsCapped) {
  auto result = registerContacts(
      1,
      {"<sip:a@192.0.2.20>;expires=120", "<sip:b@192.0.2.20>", "<sip:c@192.0.2.20>;expires=99999"},
      "600");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->size(), 3u);
  for (const Binding& b : result.value()) {
    if (b.contact == "sip:a@192.0.2.20") {
      EXPECT_EQ(secondsLeft(b), 120);
    }
    if (b.contact == "sip:b@192.0.2.20") {
      EXPECT_EQ(secondsLeft(b), 600);
    }
    if (b.contact == "sip:c@192.0.2.20") {
      EXPECT_EQ(secondsLeft(b), 7200);  // max
    }
  }
}

TEST_F(LocationTableTest, TooBriefIs423AndChangesNothing) {
  auto result =
      registerContacts(1, {"<sip:a@192.0.2.20>;expires=3600", "<sip:b@192.0.2.20>"}, "30");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, 423);
  EXPECT_EQ(table_.bindingCount(), 0u);
}

TEST_F(LocationTableTest, RefreshAndRemovePerContact) {
  ASSERT_TRUE(registerContacts(1, {"<sip:a@Phone.Example.COM>", "<sip:b@192.0.2.20>"}, "600").ok());
  timers_.advance(seconds(100));
  // Same URI compared by RFC 3261 19.1.4 rules (host case) refreshes, not adds.
  auto refreshed = registerContacts(
      2, {"<sip:a@phone.example.com>;expires=900", "<sip:b@192.0.2.20>;expires=0"});
  ASSERT_TRUE(refreshed.ok());
  ASSERT_EQ(refreshed->size(), 1u);
  EXPECT_EQ(refreshed->front().contact, "sip:a@phone.example.com");
  EXPECT_EQ(secondsLeft(refreshed->front()), 900);
  ASSERT_EQ(handler_.events.size(), 4u);
  EXPECT_EQ(handler_.events[2].what, "refreshed");
  EXPECT_EQ(handler_.events[3].what, "unregistered:unregistered");
  EXPECT_EQ(handler_.events[3].contact, "sip:b@192.0.2.20");
}

TEST_F(LocationTableTest, StaleCSeqOfSameCallIdIs500) {
  ASSERT_TRUE(registerContacts(5, {"<sip:a@192.0.2.20>"}).ok());
  auto same = registerContacts(5, {"<sip:a@192.0.2.20>;expires=0"});
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, 500);
  auto lower = registerContacts(4, {"<sip:a@192.0.2.20>;expires=0"});
  ASSERT_FALSE(lower.ok());
  EXPECT_EQ(lower.error().code, 500);
  EXPECT_EQ(table_.lookup(kAor).size(), 1u);
  // Another Call-ID (the phone rebooted) may use any CSeq.
  auto other = registerContacts(1, {"<sip:a@192.0.2.20>;expires=0"}, "", "other@192.0.2.20");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(table_.lookup(kAor).empty());
}

TEST_F(LocationTableTest, WildcardRemovesAllOnlyAloneWithExpiresZero) {
  ASSERT_TRUE(registerContacts(1, {"<sip:a@192.0.2.20>", "<sip:b@192.0.2.20>"}).ok());
  auto noExpires = registerContacts(2, {"*"});
  ASSERT_FALSE(noExpires.ok());
  EXPECT_EQ(noExpires.error().code, 400);
  auto notZero = registerContacts(2, {"*"}, "60");
  ASSERT_FALSE(notZero.ok());
  EXPECT_EQ(notZero.error().code, 400);
  auto notAlone = registerContacts(2, {"*", "<sip:c@192.0.2.20>"}, "0");
  ASSERT_FALSE(notAlone.ok());
  EXPECT_EQ(notAlone.error().code, 400);
  EXPECT_EQ(table_.lookup(kAor).size(), 2u);

  auto all = registerContacts(3, {"*"}, "0");
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_TRUE(all->empty());
  EXPECT_EQ(table_.aorCount(), 0u);
  EXPECT_EQ(handler_.events.size(), 4u);
  EXPECT_EQ(handler_.events[2].what, "unregistered:unregistered");
  EXPECT_EQ(handler_.events[3].what, "unregistered:unregistered");
}

TEST_F(LocationTableTest, WildcardWithStaleCSeqIs500) {
  ASSERT_TRUE(registerContacts(7, {"<sip:a@192.0.2.20>"}).ok());
  auto stale = registerContacts(7, {"*"}, "0");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, 500);
  EXPECT_EQ(table_.lookup(kAor).size(), 1u);
}

TEST_F(LocationTableTest, QueryWithoutContactReturnsBindings) {
  ASSERT_TRUE(registerContacts(1, {"<sip:a@192.0.2.20>;q=0.5", "<sip:b@192.0.2.20>;q=0.9"}).ok());
  auto query = registerContacts(2, {});
  ASSERT_TRUE(query.ok());
  ASSERT_EQ(query->size(), 2u);
  EXPECT_EQ(query->at(0).contact, "sip:b@192.0.2.20");  // highest q first
  EXPECT_EQ(query->at(0).q, 900);
  EXPECT_EQ(query->at(1).q, 500);
}

TEST_F(LocationTableTest, SweepPurgesExpiredAndNotifies) {
  ASSERT_TRUE(registerContacts(1, {"<sip:a@192.0.2.20>"}, "60").ok());
  ASSERT_TRUE(registerContacts(2, {"<sip:b@192.0.2.20>"}, "3600").ok());
  timers_.advance(seconds(59));
  EXPECT_EQ(table_.bindingCount(), 2u);
  // The sweep runs every 30 s: by 60 + 30 s the binding is gone without any lookup.
  timers_.advance(seconds(31));
  EXPECT_EQ(table_.bindingCount(), 1u);
  ASSERT_EQ(handler_.events.size(), 3u);
  EXPECT_EQ(handler_.events[2].what, "unregistered:expired");
  EXPECT_EQ(handler_.events[2].contact, "sip:a@192.0.2.20");
}

TEST_F(LocationTableTest, LookupPurgesLazily) {
  LocationTable table(timers_, {.sweepInterval = util::Duration::zero()}, &handler_);
  auto update =
      table.parseRegistration(registerMessage(1, {"<sip:a@192.0.2.20>"}, "60"), phonePeer());
  ASSERT_TRUE(update.ok());
  ASSERT_TRUE(table.apply(kAor, update.value()).ok());
  timers_.advance(seconds(60));
  EXPECT_EQ(table.bindingCount(), 1u);  // no sweep
  EXPECT_TRUE(table.lookup(kAor).empty());
  EXPECT_EQ(table.aorCount(), 0u);
  EXPECT_EQ(handler_.events.back().what, "unregistered:expired");
}

TEST_F(LocationTableTest, InstanceAndRegIdReplaceTheOldContact) {
  const std::string instance = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"";
  ASSERT_TRUE(registerContacts(1, {"<sip:1000@192.0.2.20:5062>;" + instance + ";reg-id=1"}).ok());
  auto moved = registerContacts(1, {"<sip:1000@198.51.100.7:5062>;" + instance + ";reg-id=1"}, "",
                                "new-call@198.51.100.7");
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(moved->size(), 1u);
  EXPECT_EQ(moved->front().contact, "sip:1000@198.51.100.7:5062");
  EXPECT_EQ(moved->front().regId, 1u);
  EXPECT_FALSE(moved->front().instanceId.empty());
}

TEST_F(LocationTableTest, PathIsKept) {
  auto update = table_.parseRegistration(
      registerMessage(1, {"<sip:a@192.0.2.20>"}, "", "p@x",
                      "Path: <sip:edge1.example.com;lr>, <sip:edge2.example.com;lr>\r\n"),
      phonePeer());
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->path,
            (std::vector<std::string>{"<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>"}));
}

TEST_F(LocationTableTest, BindingLimitPerAor) {
  LocationTable table(timers_, {.maxBindingsPerAor = 2});
  auto update = table.parseRegistration(
      registerMessage(1, {"<sip:a@192.0.2.20>", "<sip:b@192.0.2.20>", "<sip:c@192.0.2.20>"}),
      phonePeer());
  ASSERT_TRUE(update.ok());
  auto result = table.apply(kAor, update.value());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, 503);
  EXPECT_EQ(table.bindingCount(), 0u);
}

TEST_F(LocationTableTest, RemoveAor) {
  ASSERT_TRUE(registerContacts(1, {"<sip:a@192.0.2.20>"}).ok());
  EXPECT_TRUE(table_.removeAor(kAor));
  EXPECT_FALSE(table_.removeAor(kAor));
  EXPECT_EQ(handler_.events.back().what, "unregistered:removed");
}

TEST(QValue, ParseAndFormat) {
  EXPECT_EQ(parseQValue("1"), 1000);
  EXPECT_EQ(parseQValue("1.000"), 1000);
  EXPECT_EQ(parseQValue("0.5"), 500);
  EXPECT_EQ(parseQValue("0.125"), 125);
  EXPECT_EQ(parseQValue("0"), 0);
  EXPECT_FALSE(parseQValue("1.5").has_value());
  EXPECT_FALSE(parseQValue("0.1234").has_value());
  EXPECT_FALSE(parseQValue("2").has_value());
  EXPECT_FALSE(parseQValue("").has_value());
  EXPECT_EQ(formatQValue(1000), "1");
  EXPECT_EQ(formatQValue(500), "0.5");
  EXPECT_EQ(formatQValue(125), "0.125");
  EXPECT_EQ(formatQValue(0), "0");
}

}  // namespace
}  // namespace ccsip::sip::dialog
