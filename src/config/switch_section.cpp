#include <algorithm>

#include "config/sections.h"
#include "config/value_readers.h"

// The `switch` section: the Asterisk PBX ccsip works beside (DESIGN.md "Asterisk integration").

namespace ccsip::config {

namespace {

using sip::transport::TransportKind;

constexpr EnumName<TransportKind> kTransports[] = {
    {"udp", TransportKind::Udp},
    {"tcp", TransportKind::Tcp},
};

constexpr EnumName<PresenceEvent> kPresenceEvents[] = {
    {"presence", PresenceEvent::Presence},
    {"dialog", PresenceEvent::Dialog},
};

// RFC 6665 4.1.2.1: the subscriber asks for a duration, the notifier may shorten it; a day is
// past what any switch grants (Asterisk caps at 3600).
constexpr std::int64_t kMaxExpires = 86'400;
constexpr std::int64_t kMaxRetry = 86'400;
constexpr std::int64_t kMaxKeepalive = 3'600;
constexpr std::int64_t kMaxSubscribeRate = 10'000;

// `expires` and `retry` of a subscription kind.
template <class Settings>
void readSubscriptionTiming(MapReader& map, Diagnostics& diagnostics, Settings& settings) {
  if (auto expires = map.get("expires")) {
    if (auto value = readSeconds(*expires, diagnostics, 1, kMaxExpires)) settings.expires = *value;
  }
  if (auto retry = map.get("retry")) {
    if (auto value = readSeconds(*retry, diagnostics, 1, kMaxRetry)) settings.retry = *value;
  }
}

void readPresence(const Field& field, Diagnostics& diagnostics, PresenceConfig& presence) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  if (auto event = map.get("event")) {
    if (auto value = readEnum(*event, diagnostics, kPresenceEvents)) presence.event = *value;
  }
  if (auto enable = map.get("enable")) {
    if (auto value = readBool(*enable, diagnostics)) presence.enable = *value;
  }
  if (auto fromUser = map.get("from-user")) {
    if (auto value = readSipUser(*fromUser, diagnostics)) presence.fromUser = *value;
  }
  readSubscriptionTiming(map, diagnostics, presence);
}

void readMwi(const Field& field, Diagnostics& diagnostics, MwiConfig& mwi) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  if (auto enable = map.get("extension-enable")) {
    if (auto value = readBool(*enable, diagnostics)) mwi.extensionEnable = *value;
  }
  readSubscriptionTiming(map, diagnostics, mwi);
}

void readTrusted(const Field& field, Diagnostics& diagnostics, std::vector<IpNetwork>& trusted) {
  auto list = readList(field, diagnostics);
  if (!list) return;
  for (const auto& element : *list) {
    auto text = readString(element, diagnostics);
    if (!text) continue;
    auto network = parseIpNetwork(*text);
    if (!network) {
      diagnostics.error(
          element.mark, element.path,
          "expected an IPv4 or IPv6 address or block (10.0.0.0/8), got " + describe(element.node));
      continue;
    }
    if (std::find(trusted.begin(), trusted.end(), *network) != trusted.end()) {
      diagnostics.error(element.mark, element.path, toString(*network) + " listed twice");
      continue;
    }
    trusted.push_back(*network);
  }
}

}  // namespace

std::string_view toString(PresenceEvent event) {
  for (const auto& entry : kPresenceEvents) {
    if (entry.value == event) return entry.name;
  }
  return "presence";
}

void readSwitchSection(const Field& field, SectionContext& context) {
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  // Present even when invalid: the DNs that need a switch then get no second error.
  SwitchConfig& pbx = context.config.pbx.emplace();
  if (!map.valid()) return;

  if (auto name = map.get("name")) {
    if (auto text = readIdentifier(*name, diagnostics)) pbx.name = *text;
  }
  bool haveAddress = false;
  if (auto address = map.require("address")) {
    if (auto value = readIpAddress(*address, diagnostics)) {
      pbx.address = *value;
      haveAddress = true;
    }
  }
  if (auto port = map.get("port")) {
    if (auto value = readInteger(*port, diagnostics, 1, 65535)) {
      pbx.port = static_cast<std::uint16_t>(*value);
    }
  }
  if (auto transport = map.get("transport")) {
    if (auto value = readEnum(*transport, diagnostics, kTransports, /*ignoreCase=*/true)) {
      pbx.transport = *value;
    }
  }
  std::vector<IpNetwork> listed;
  if (auto trusted = map.get("trusted")) readTrusted(*trusted, diagnostics, listed);
  // The switch's own address is always trusted: a list that forgot it would lock it out.
  const bool covered = std::any_of(listed.begin(), listed.end(), [&](const IpNetwork& network) {
    return network.contains(pbx.address);
  });
  if (haveAddress && !covered) {
    pbx.trusted.push_back(IpNetwork{pbx.address, pbx.address.is_v4() ? 32u : 128u});
  }
  pbx.trusted.insert(pbx.trusted.end(), listed.begin(), listed.end());

  if (auto presence = map.get("presence")) readPresence(*presence, diagnostics, pbx.presence);
  if (auto mwi = map.get("mwi")) readMwi(*mwi, diagnostics, pbx.mwi);
  if (auto keepalive = map.get("options-keepalive")) {
    if (auto value = readSeconds(*keepalive, diagnostics, 0, kMaxKeepalive)) {
      pbx.optionsKeepalive = *value;
    }
  }
  if (auto rate = map.get("subscribe-rate")) {
    if (auto value = readInteger(*rate, diagnostics, 1, kMaxSubscribeRate)) {
      pbx.subscribeRate = static_cast<std::uint32_t>(*value);
    }
  }
}

}  // namespace ccsip::config
