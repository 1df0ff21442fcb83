#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/object.hpp>

namespace ccsip::itest {

// A raw TCP CTI client (docs/protocol.md: one JSON object per line each way) that parses the
// events, for tests that assert on their exact sequence and fields. Every wait is bounded, and
// everything received is kept in a transcript for failure messages.
class CtiEventClient {
 public:
  using Event = boost::json::object;
  using Match = std::function<bool(const Event&)>;

  CtiEventClient() = default;
  ~CtiEventClient();
  CtiEventClient(const CtiEventClient&) = delete;
  CtiEventClient& operator=(const CtiEventClient&) = delete;

  bool connect(std::uint16_t port);
  bool send(const std::string& line);

  // The next event not yet taken, within `timeout`.
  std::optional<Event> next(std::chrono::milliseconds timeout);
  // Takes events until one named `name` (and accepted by `match`, when given) arrives; the
  // events before it are passed over (they stay in the transcript).
  std::optional<Event> waitFor(std::string_view name, std::chrono::milliseconds timeout,
                               const Match& match = {});
  // Every event that arrives within `window` (to assert that nothing more comes).
  std::vector<Event> drain(std::chrono::milliseconds window);

  // Requests and their answer (the event with the request's referenceId); a failure carries
  // the transcript.
  ::testing::AssertionResult openSession();
  ::testing::AssertionResult registerDn(const std::string& dn);
  // `state`: "Ready" or "NotReady".
  ::testing::AssertionResult agentLogin(const std::string& dn, const std::string& agentId,
                                        const std::string& password, const std::string& state);
  ::testing::AssertionResult agentLogout(const std::string& dn);
  // EventAddressInfo of `dn`; nullopt (the transcript in *error) without one.
  std::optional<Event> queryAddress(const std::string& dn, std::string* error = nullptr);

  const std::string& transcript() const { return transcript_; }

 private:
  bool fill(std::chrono::milliseconds timeout);
  // The answer to request `referenceId`: `name`, or an EventError (a failure).
  ::testing::AssertionResult expectAnswer(std::string_view name, std::int64_t referenceId,
                                          Event* answer = nullptr);

  int fd_ = -1;
  std::string buffer_;
  std::deque<Event> pending_;
  std::string transcript_;
  std::int64_t nextReference_ = 100;
};

// Field helpers: "" when absent or not a string.
std::string eventName(const boost::json::object& event);
std::string stringField(const boost::json::object& event, std::string_view key);
// The gsipmwi object of an EventUserEvent (userData.gsipmwi) or of an EventAddressInfo (its
// `mwi`, or `gsipmwi` under it or under `userData`); nullptr when there is none.
const boost::json::object* mwiOf(const boost::json::object& event);
// Whether `reasons` of an agent event holds `text` as a key or a value.
bool reasonsMention(const boost::json::object& event, std::string_view text);
// Names of events, for messages: "EventA, EventB".
std::string eventNames(const std::vector<boost::json::object>& events);

}  // namespace ccsip::itest
