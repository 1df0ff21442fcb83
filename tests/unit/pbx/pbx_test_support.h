#pragma once

// Test support for the pbx monitors: ccsip's SIP stack (a real TransactionLayer + UserAgentCore)
// and a scripted Asterisk on an in-memory wire with a ManualTimerService, a call model with a
// recording sink, and NOTIFYs replayed from the real Asterisk 20 traces (shared/traces/).

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "../dialog/usage_test_support.h"
#include "../events/trace_reader.h"
#include "model/model.h"
#include "pbx/subscription_pacer.h"

namespace ccsip::pbx::test {

using namespace sip::dialog::usage_test;
using namespace std::chrono_literals;
using sip::HeaderId;
using sip::Message;
using sip::Method;

constexpr std::uint16_t kCcsipPort = 5060;
constexpr std::uint16_t kAsteriskPort = 5070;

class RecordingSink final : public model::EventSink {
 public:
  void onEvent(const model::TEvent& event) override { events.push_back(event); }
  // "EventAgentNotReady 1000", "EventDNOutOfService 1000"
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& event : events) {
      const auto* dn = event.fields.if_contains("thisDN");
      out.push_back(event.name + " " +
                    (dn != nullptr && dn->is_string() ? std::string(dn->as_string()) : "?"));
    }
    return out;
  }
  std::vector<model::TEvent> events;
};

class SequenceConnIds final : public model::ConnIdSource {
 public:
  model::ConnId next() override { return model::ConnId{next_++}; }

 private:
  std::uint64_t next_ = 1;
};

// Asterisk as the tests script it: answers SUBSCRIBEs and sends NOTIFYs in their dialogs.
class FakeAsterisk {
 public:
  FakeAsterisk(Wire& wire) : wire_(wire), peer_(wire, "asterisk", kAsteriskPort) {}

  RawPeer& peer() { return peer_; }

  // Every SUBSCRIBE received (one per transaction: retransmissions are left out).
  std::vector<Message> subscribes() const { return requests(Method::Subscribe); }
  std::vector<Message> requests(Method method) const {
    std::vector<Message> out;
    std::vector<std::string> branches;
    for (const auto& r : peer_.received) {
      if (!r.message.isRequest() || r.message.method() != method) continue;
      const std::string branch(r.message.topVia()->branch);
      if (std::find(branches.begin(), branches.end(), branch) != branches.end()) continue;
      branches.push_back(branch);
      out.push_back(r.message.clone());
    }
    return out;
  }
  // Initial SUBSCRIBEs (no To tag) whose Request-URI user is `user`.
  std::vector<Message> initialSubscribes(std::string_view user = {}) const {
    std::vector<Message> out;
    for (auto& m : subscribes()) {
      if (!m.to().tag.empty()) continue;
      if (!user.empty() && m.requestUri().user != user) continue;
      out.push_back(std::move(m));
    }
    return out;
  }
  // Requests not answered yet by answer().
  std::vector<Message> unanswered(Method method = Method::Subscribe) const {
    std::vector<Message> out;
    for (auto& m : requests(method)) {
      if (answered_.count(std::string(m.topVia()->branch)) == 0) out.push_back(std::move(m));
    }
    return out;
  }

  // Answers as Asterisk does: To tag (kept per Call-ID), Expires echoed (capped at 3600).
  void answer(const Message& request, int status, const std::string& extraName = {},
              const std::string& extraValue = {}) {
    answered_.insert(std::string(request.topVia()->branch));
    const std::string callId(request.callId());
    std::string tag = std::string(request.to().tag);
    if (tag.empty()) {
      auto it = tags_.find(callId);
      tag = it != tags_.end() ? it->second : "as" + std::to_string(++nextTag_);
      if (status / 100 == 2) tags_[callId] = tag;
    }
    Message response = sip::makeResponse(request, status, sip::defaultReasonPhrase(status),
                                         request.to().tag.empty() ? tag : "");
    if (status / 100 == 2 && request.method() == Method::Subscribe) {
      const std::uint32_t expires = std::min<std::uint32_t>(request.expires().value_or(3600), 3600);
      response.addHeader(HeaderId::Expires, std::to_string(expires));
      response.addHeader(HeaderId::Contact, "<sip:asterisk@127.0.0.1:5070>");
    }
    if (!extraName.empty()) response.addHeader(std::string_view(extraName), extraValue);
    peer_.send(response, kCcsipPort);
    wire_.pump();
  }
  void answerAll(int status, Method method = Method::Subscribe) {
    for (const Message& m : unanswered(method)) answer(m, status);
  }

  // A NOTIFY in the dialog `subscribe` created (answered 2xx before, or not: then it creates it).
  void notify(const Message& subscribe, const std::string& state, const std::string& event,
              const std::string& contentType, const std::string& body) {
    const std::string callId(subscribe.callId());
    auto it = tags_.find(callId);
    if (it == tags_.end()) it = tags_.emplace(callId, "as" + std::to_string(++nextTag_)).first;
    const auto contact = sip::parseNameAddr(subscribe.headerValue(HeaderId::Contact));
    const std::string target =
        contact ? std::string(contact->uri.text) : "sip:ccsip@127.0.0.1:5060";
    const std::uint32_t cseq = ++cseq_;
    std::string text = "NOTIFY " + target + " SIP/2.0\r\n";
    text += "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKnotify" + std::to_string(cseq) + "\r\n";
    text += "Max-Forwards: 70\r\n";
    text += "From: <" + std::string(subscribe.requestUri().text) + ">;tag=" + it->second + "\r\n";
    text += "To: <" + std::string(subscribe.from().uri.text) +
            ">;tag=" + std::string(subscribe.from().tag) + "\r\n";
    text += "Contact: <sip:asterisk@127.0.0.1:5070>\r\n";
    text += "Call-ID: " + callId + "\r\n";
    text += "CSeq: " + std::to_string(cseq) + " NOTIFY\r\n";
    text += "Subscription-State: " + state + "\r\n";
    text += "Event: " + event + "\r\n";
    if (!body.empty()) text += "Content-Type: " + contentType + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    peer_.sendText(text, kCcsipPort);
    wire_.pump();
  }
  // Replays a NOTIFY of a trace (its Subscription-State, Event, Content-Type and body) in the
  // dialog of `subscribe`.
  void replay(const Message& subscribe, const events::test::TraceMessage& traced) {
    notify(subscribe, traced.header("Subscription-State"), traced.header("Event"),
           traced.header("Content-Type"), traced.body);
  }
  // The status ccsip gave the last NOTIFY.
  int lastNotifyStatus() const {
    const Message* response = peer_.lastResponse(Method::Notify);
    return response ? response->statusCode() : 0;
  }

 private:
  Wire& wire_;
  RawPeer peer_;
  std::map<std::string, std::string> tags_;  // Call-ID -> Asterisk's tag
  std::set<std::string> answered_;
  std::uint32_t nextTag_ = 0;
  std::uint32_t cseq_ = 100;
};

// The NOTIFYs of a trace file that carry a body, or a failed test.
inline std::vector<events::test::TraceMessage> traceNotifies(std::string_view set,
                                                             std::string_view file) {
  auto notifies = events::test::readNotifies(set, file);
  EXPECT_TRUE(notifies.ok()) << set << "/" << file;
  return notifies.ok() ? *notifies : std::vector<events::test::TraceMessage>{};
}

// ccsip's stack, the model and a fake Asterisk on one wire and one fake clock.
class PbxTest : public ::testing::Test {
 protected:
  PbxTest()
      : ccsip(wire, clock, "ccsip", kCcsipPort, {}, 7),
        asterisk(wire),
        model(model::ModelOptions{&sink, &wallClock, &connIds, nullptr}) {}

  // Moves the fake clock by `total`, delivering the wire at every step.
  void run(util::Duration total, util::Duration step = 100ms) {
    wire.pump();
    for (util::Duration t{0}; t < total; t += step) {
      clock.advance(step);
      wire.pump();
    }
  }

  void loginReady(const std::string& agentId, const std::string& dn = {}) {
    model::AgentLoginRequest request;
    request.agentId = agentId;
    request.password = "pw";
    request.dn = dn;
    request.initialState = model::AgentState::Ready;
    ASSERT_TRUE(model.agentLogin(request).ok());
  }
  void logout(const std::string& agentId) {
    ASSERT_TRUE(model.agentLogout(model::AgentRequest{agentId, {}, nullptr}).ok());
  }

  Wire wire;
  util::ManualTimerService clock;
  Endpoint ccsip;
  FakeAsterisk asterisk;
  RecordingSink sink;
  model::ManualWallClock wallClock;
  SequenceConnIds connIds;
  model::CallModel model;
};

}  // namespace ccsip::pbx::test
