#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/conn_id.h"

namespace ccsip::model {

// DESIGN.md "Call model": the four kinds of directory numbers.
enum class DnType {
  Extension,     // an agent phone, on Asterisk or registered on ccsip
  RoutingPoint,  // where business calls wait for a routing decision
  Voicemail,     // an Asterisk-hosted mailbox access
  Trunk,         // the Asterisk switch itself
};

// What the DN's device is doing, as desktops and the router see it.
enum class DeviceState { OutOfService, Idle, Ringing, Busy, Held };

// What the endpoint's presence (Asterisk NOTIFY, or registration on ccsip) says.
enum class EndpointPresence {
  Unknown,  // nothing reported yet: treated as idle
  Offline,  // not registered: the DN is out of service
  Idle,
  Ringing,
  Busy,
  Held,  // in a call the endpoint put on hold (chan_sip PIDF note "On hold")
};

std::string_view toString(DnType type);  // configuration words: "extension", "routing-point", ...
std::optional<DnType> parseDnType(std::string_view text);
std::string_view toString(DeviceState state);          // "OutOfService", "Idle", ...
std::string_view toString(EndpointPresence presence);  // "unknown", "offline", "idle", "held"...

// Options of a DN the control layer reads (no-answer handling, embedded strategy); the model only
// stores them.
struct DnOptions {
  std::string name;     // display name
  std::string mailbox;  // associated voicemail box (MWI to this DN's clients); "" = none
  std::optional<std::chrono::seconds> noAnswerTimeout;
  // A voicemail box, "recall", "release" or a DN, as config::toString(OverflowTarget) writes
  // it ("voicemail:<box>", "dn:<number>", ...: config::parseOverflowTarget reads it back);
  // "" = the application default.
  std::string noAnswerOverflow;
  // Routing points: the embedded strategy (DESIGN.md "CTI protocol": it runs when no router is
  // registered), as config::RoutingPointConfig has it. `targetGroup`: the agent group it picks
  // from ("" = none: calls wait for a router); `strategy`: how ("" = the router's default,
  // "longest-idle"); `queueTimeout`: how long a call waits for an agent before its overflow
  // (unset = the router's default, 0 = no limit).
  std::string strategy;
  std::string targetGroup;
  std::optional<std::chrono::seconds> queueTimeout;
  // Extensions: the phone registers on ccsip (config `on: ccsip`), so calls reach it at its
  // registered contact rather than through the switch.
  bool onCcsip = false;
  // Voicemail DNs (config `voicemail`): the box calls to this DN deposit into ("" = any box: the
  // box travels with the call), and the number dialled on the switch to reach it ("" = the DN).
  std::string voicemailBox;
  std::string accessNumber;

  bool operator==(const DnOptions&) const = default;
};

// A configured DN and its live state.
struct Dn {
  std::string dn;
  DnType type = DnType::Extension;
  DnOptions options;

  EndpointPresence presence = EndpointPresence::Unknown;
  bool removed = false;       // dropped from the configuration: goes away once idle
  std::string agentId;        // the agent logged in here, "" = none
  std::vector<ConnId> calls;  // calls with an active party on this DN, oldest first

  bool outOfService() const { return presence == EndpointPresence::Offline; }
};

}  // namespace ccsip::model
