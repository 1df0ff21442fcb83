#include "harness/cti_event_client.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ccsip::itest {

namespace json = boost::json;

CtiEventClient::~CtiEventClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool CtiEventClient::connect(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
}

bool CtiEventClient::send(const std::string& line) {
  transcript_ += ">> " + line + "\n";
  std::string text = line + "\n";
  return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
}

bool CtiEventClient::fill(std::chrono::milliseconds timeout) {
  pollfd event{fd_, POLLIN, 0};
  if (::poll(&event, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char chunk[8192];
  ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
  if (got <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(got));
  for (std::size_t end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    transcript_ += "<< " + line + "\n";
    boost::system::error_code error;
    json::value value = json::parse(line, error);
    if (!error && value.is_object()) pending_.push_back(std::move(value.as_object()));
  }
  return true;
}

std::optional<CtiEventClient::Event> CtiEventClient::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pending_.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (!fill(left) && std::chrono::steady_clock::now() >= deadline) return std::nullopt;
  }
  Event event = std::move(pending_.front());
  pending_.pop_front();
  return event;
}

std::optional<CtiEventClient::Event> CtiEventClient::waitFor(std::string_view name,
                                                             std::chrono::milliseconds timeout,
                                                             const Match& match) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = next(std::max(left, std::chrono::milliseconds(0)));
    if (!event) return std::nullopt;
    if (eventName(*event) == name && (!match || match(*event))) return event;
  }
}

std::vector<CtiEventClient::Event> CtiEventClient::drain(std::chrono::milliseconds window) {
  std::vector<Event> out;
  auto deadline = std::chrono::steady_clock::now() + window;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 && pending_.empty()) return out;
    auto event = next(std::max(left, std::chrono::milliseconds(0)));
    if (!event) return out;
    out.push_back(std::move(*event));
  }
}

::testing::AssertionResult CtiEventClient::expectAnswer(std::string_view name,
                                                        std::int64_t referenceId, Event* answer) {
  auto event = waitFor(name, std::chrono::seconds(10), [&](const Event& e) {
    const json::value* ref = e.if_contains("referenceId");
    return ref != nullptr && ref->is_int64() && ref->as_int64() == referenceId;
  });
  if (!event) {
    return ::testing::AssertionFailure()
           << "no " << name << " for referenceId " << referenceId << "; CTI transcript:\n"
           << transcript_;
  }
  if (answer != nullptr) *answer = std::move(*event);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult CtiEventClient::openSession() {
  const std::int64_t ref = ++nextReference_;
  send(R"({"request":"OpenSession","referenceId":)" + std::to_string(ref) +
       R"(,"applicationToken":"t","applicationName":"pbx-itest"})");
  return expectAnswer("EventAck", ref);
}

::testing::AssertionResult CtiEventClient::registerDn(const std::string& dn) {
  const std::int64_t ref = ++nextReference_;
  json::object request{{"request", "RegisterAddress"}, {"referenceId", ref}, {"thisDN", dn}};
  send(json::serialize(request));
  return expectAnswer("EventRegistered", ref);
}

::testing::AssertionResult CtiEventClient::agentLogin(const std::string& dn,
                                                      const std::string& agentId,
                                                      const std::string& password,
                                                      const std::string& state) {
  const std::int64_t ref = ++nextReference_;
  json::object request{{"request", "AgentLogin"}, {"referenceId", ref},   {"thisDN", dn},
                       {"agentId", agentId},      {"password", password}, {"agentState", state}};
  send(json::serialize(request));
  return expectAnswer("EventAgentLogin", ref);
}

::testing::AssertionResult CtiEventClient::agentLogout(const std::string& dn) {
  const std::int64_t ref = ++nextReference_;
  json::object request{{"request", "AgentLogout"}, {"referenceId", ref}, {"thisDN", dn}};
  send(json::serialize(request));
  return expectAnswer("EventAgentLogout", ref);
}

std::optional<CtiEventClient::Event> CtiEventClient::queryAddress(const std::string& dn,
                                                                  std::string* error) {
  const std::int64_t ref = ++nextReference_;
  json::object request{{"request", "QueryAddress"}, {"referenceId", ref}, {"thisDN", dn}};
  send(json::serialize(request));
  Event answer;
  auto result = expectAnswer("EventAddressInfo", ref, &answer);
  if (!result) {
    if (error != nullptr) *error = result.message();
    return std::nullopt;
  }
  return answer;
}

std::string eventName(const json::object& event) {
  return stringField(event, "event");
}

std::string stringField(const json::object& event, std::string_view key) {
  const json::value* value = event.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

const json::object* mwiOf(const json::object& event) {
  auto objectAt = [](const json::object& in, std::string_view key) -> const json::object* {
    const json::value* value = in.if_contains(key);
    return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
  };
  for (const char* outer : {"userData", "mwi"}) {
    if (const json::object* o = objectAt(event, outer)) {
      if (const json::object* inner = objectAt(*o, "gsipmwi")) return inner;
      if (std::string_view(outer) == "mwi") return o;
    }
  }
  return objectAt(event, "gsipmwi");
}

bool reasonsMention(const json::object& event, std::string_view text) {
  const json::value* reasons = event.if_contains("reasons");
  if (reasons == nullptr || !reasons->is_object()) return false;
  for (const auto& [key, value] : reasons->as_object()) {
    if (key == text) return true;
    if (value.is_string() && value.as_string() == text) return true;
  }
  return false;
}

std::string eventNames(const std::vector<json::object>& events) {
  std::string out;
  for (const auto& event : events) {
    if (!out.empty()) out += ", ";
    out += eventName(event);
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace ccsip::itest
