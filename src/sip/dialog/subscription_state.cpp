#include "sip/dialog/subscription_state.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ccsip::sip::dialog {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::chrono::seconds> parseSeconds(std::string_view text) {
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return std::chrono::seconds(value);
}

// Calls fn(name, value) for each ";name=value" parameter after the first token.
template <class Fn>
std::string_view forEachParam(std::string_view value, Fn fn) {
  const auto semi = value.find(';');
  const std::string_view token = trim(value.substr(0, semi));
  std::string_view rest = semi == std::string_view::npos ? std::string_view() : value.substr(semi);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // ';'
    const auto next = rest.find(';');
    const std::string_view param = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
    const auto eq = param.find('=');
    const std::string_view name = trim(param.substr(0, eq));
    std::string_view paramValue =
        eq == std::string_view::npos ? std::string_view() : trim(param.substr(eq + 1));
    if (paramValue.size() >= 2 && paramValue.front() == '"' && paramValue.back() == '"') {
      paramValue = paramValue.substr(1, paramValue.size() - 2);
    }
    fn(name, paramValue);
  }
  return token;
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

util::Result<SubscriptionStateHeader> parseSubscriptionState(std::string_view value) {
  SubscriptionStateHeader header;
  const std::string_view token =
      forEachParam(value, [&](std::string_view name, std::string_view paramValue) {
        if (equalsIgnoreCase(name, "reason")) {
          header.reason = lower(paramValue);
        } else if (equalsIgnoreCase(name, "expires")) {
          header.expires = parseSeconds(paramValue);
        } else if (equalsIgnoreCase(name, "retry-after")) {
          header.retryAfter = parseSeconds(paramValue);
        }
      });
  if (equalsIgnoreCase(token, "active")) {
    header.state = SubscriptionStateValue::Active;
  } else if (equalsIgnoreCase(token, "pending")) {
    header.state = SubscriptionStateValue::Pending;
  } else if (equalsIgnoreCase(token, "terminated")) {
    header.state = SubscriptionStateValue::Terminated;
  } else {
    return util::makeError(400, "bad Subscription-State");
  }
  return header;
}

std::string toString(const SubscriptionStateHeader& header) {
  std::string out;
  switch (header.state) {
    case SubscriptionStateValue::Active:
      out = "active";
      break;
    case SubscriptionStateValue::Pending:
      out = "pending";
      break;
    case SubscriptionStateValue::Terminated:
      out = "terminated";
      break;
  }
  if (!header.reason.empty()) out += ";reason=" + header.reason;
  if (header.expires) out += ";expires=" + std::to_string(header.expires->count());
  if (header.retryAfter) out += ";retry-after=" + std::to_string(header.retryAfter->count());
  return out;
}

bool resubscribeAllowed(std::string_view reason) {
  return !(reason == "rejected" || reason == "noresource" || reason == "invariant");
}

std::string_view eventPackageName(std::string_view eventHeader) {
  return trim(eventHeader.substr(0, eventHeader.find(';')));
}

std::string_view eventId(std::string_view eventHeader) {
  std::string_view id;
  forEachParam(eventHeader, [&](std::string_view name, std::string_view value) {
    if (equalsIgnoreCase(name, "id")) id = value;
  });
  return id;
}

}  // namespace ccsip::sip::dialog
