#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "config/name_index.h"
#include "sip/transport/transport.h"

namespace ccsip::config {

// The validated configuration. Every field has its default here, so a section left out of the
// file means "the defaults"; the loader (loader.h) fills these structs and reports every error.
//
// Adding a section: a struct below, a member of Config, a reader in its own <name>_section.cpp
// declared in sections.h, one row of the section table in loader.cpp, and checks that span
// sections in cross_check.cpp. docs/configuration.md documents every key.

struct ListenConfig {
  boost::asio::ip::address address;
  std::uint16_t port = 5060;  // 0: an ephemeral port (tests; the bound port goes to --port-file)
  std::vector<sip::transport::TransportKind> transports;
};

// RFC 3261 17.1.1.1 / Table 4: T1 (RTT estimate), T2 (max non-INVITE retransmit interval),
// T4 (max time a message stays in the network).
struct SipTimersConfig {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
};

struct SipConfig {
  std::vector<ListenConfig> listen;
  std::string domain;
  SipTimersConfig timers;
  std::string userAgent;  // Server / User-Agent header value; default "ccsip/<version>"
};

enum class LogLevel { Trace, Debug, Info, Warn, Error };

struct LogConfig {
  LogLevel level = LogLevel::Info;
};

enum class DigestAlgorithm { Sha256, Md5 };

struct RegistrarConfig {
  std::string realm;  // default: sip.domain
  std::uint32_t minExpires = 60;
  std::uint32_t maxExpires = 3600;
  std::uint32_t defaultExpires = 3600;
  std::chrono::seconds nonceLifetime{300};
  // Offered in this order, one WWW-Authenticate per algorithm (RFC 8760 2.4: most preferred
  // first).
  std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
};

// A phone number (DN) that may register on ccsip with digest credentials.
struct ExtensionConfig {
  std::string dn;
  std::string password;
  std::string name;  // display name; may be empty
};

// An address and port for a TCP listener (CTI, HTTP).
struct TcpListenConfig {
  boost::asio::ip::address address;
  std::uint16_t port = 0;  // 0: an ephemeral port (tests)
};

// An address block ("10.0.0.0/8"); a single address is a block of its full length.
struct IpNetwork {
  boost::asio::ip::address address;  // host bits cleared
  unsigned prefixLength = 0;

  bool contains(const boost::asio::ip::address& candidate) const;
  bool operator==(const IpNetwork&) const = default;
};

// "10.0.0.0/8", "192.0.2.7" (a /32), "2001:db8::/32"; nullopt when malformed.
std::optional<IpNetwork> parseIpNetwork(std::string_view text);
std::string toString(const IpNetwork& network);  // "10.0.0.0/8"

// --- switch: the Asterisk side (DESIGN.md "Asterisk integration") ---

enum class PresenceEvent {
  Presence,  // Event: presence, application/pidf+xml: tells "not registered" from "idle"
  Dialog,    // Event: dialog, application/dialog-info+xml
};

struct PresenceConfig {
  // Subscribe to the presence of every extension on the switch; false: agent state follows CTI
  // requests and ccsip's own calls only (a switch without hints, or a test switch).
  bool enable = true;
  PresenceEvent event = PresenceEvent::Presence;
  std::chrono::seconds expires{3600};  // asked for in SUBSCRIBE; Asterisk caps at 3600
  std::chrono::seconds retry{60};      // after a rejected or timed-out subscription
  // The From user of the SUBSCRIBEs: chan_sip picks the subscribing peer by it (an unknown
  // name gets 401 then 403), so it names ccsip's peer in sip.conf. chan_pjsip ignores it.
  std::string fromUser = "sipserver";
};

struct MwiConfig {
  bool extensionEnable = false;       // subscribe to every extension's mailbox at start-up
  std::chrono::seconds expires{600};  // the seed's SUBSCRIBE asks for 600
  std::chrono::seconds retry{60};
};

struct SwitchConfig {
  std::string name = "asterisk";
  boost::asio::ip::address address;
  std::uint16_t port = 5060;
  sip::transport::TransportKind transport = sip::transport::TransportKind::Udp;
  // Sources whose requests are the switch's. Always holds `address` (first, unless a listed
  // block already covers it).
  std::vector<IpNetwork> trusted;
  PresenceConfig presence;
  MwiConfig mwi;
  std::chrono::seconds optionsKeepalive{30};  // out-of-dialog OPTIONS interval; 0: off
  // New SUBSCRIBEs per second (start-up, retries, re-creation after a switch restart), so
  // 10,000 endpoints do not flood the switch at once.
  std::uint32_t subscribeRate = 50;
};

// --- no-answer handling (DESIGN.md "Asterisk integration", No answer) ---

enum class OverflowKind {
  None,       // no overflow: the call keeps ringing
  Voicemail,  // to a voicemail box
  Recall,     // back to the routing point the call came from
  Release,    // the call is released
  Dn,         // to another number
};

struct OverflowTarget {
  OverflowKind kind = OverflowKind::None;
  // Voicemail: the box ("" = the mailbox of the DN or agent that did not answer; on a routing
  // point, the mailbox of its target group);
  // Dn: the number. Empty otherwise.
  std::string value;

  bool operator==(const OverflowTarget&) const = default;
};

// The written forms: "none", "recall", "release", "voicemail", "voicemail:<box>", "dn:<number>"
// and a bare number (kind Dn, like "dn:<number>"). Syntax only: whether a DN exists is the
// loader's check. nullopt when malformed.
std::optional<OverflowTarget> parseOverflowTarget(std::string_view text);
// The canonical form, which parseOverflowTarget reads back: a Dn is always "dn:<number>".
std::string toString(const OverflowTarget& target);

enum class NoAnswerAction {
  None,      // the agent's state stays as it is
  NotReady,  // the agent who did not answer is set NotReady
};

struct NoAnswerConfig {
  std::optional<std::chrono::seconds> timeout;  // nullopt: the application default; 0: never
  std::optional<OverflowTarget> overflow;       // nullopt: the application default
};

// --- dns, agents, groups ---

enum class DnType { Extension, RoutingPoint, Voicemail, Trunk };

// Where a DN's device registers.
enum class DnLocation {
  Switch,  // on Asterisk: ccsip reaches it through the switch and follows its presence
  Ccsip,   // registers on ccsip with digest credentials
};

// The default target of a routing point: what runs when no router (CTI client) answers.
struct RoutingPointConfig {
  std::string targetGroup;  // "" = none: calls wait for a router
  std::string strategy;     // how an agent of targetGroup is picked; "" = the router's default
  // How long a call waits for an agent, then no-answer-overflow; nullopt: the router's
  // default; 0: no limit.
  std::optional<std::chrono::seconds> queueTimeout;
};

struct VoicemailConfig {
  std::string mailbox;       // the box calls to this DN deposit into; "" = any (chosen per call)
  std::string accessNumber;  // dialled on the switch to reach it; defaults to the DN
};

struct DnConfig {
  std::string dn;
  DnType type = DnType::Extension;
  std::string name;  // display name
  // Extensions: as configured; routing points: Ccsip; voicemail and trunk DNs: Switch.
  DnLocation on = DnLocation::Switch;
  std::string password;  // extensions on ccsip only
  std::string mailbox;   // extensions: the associated voicemail box (MWI); "" = none
  NoAnswerConfig noAnswer;
  RoutingPointConfig routingPoint;  // type RoutingPoint only
  VoicemailConfig voicemail;        // type Voicemail only
};

struct AgentConfig {
  std::string id;
  std::string name;
  std::string password;
  std::string defaultDn;  // an extension; "" = AgentLogin must name the DN
  std::string mailbox;
  NoAnswerConfig noAnswer;
  std::optional<NoAnswerAction> noAnswerAction;  // nullopt: options.agentNoAnswerAction
};

struct GroupConfig {
  std::string name;
  std::vector<std::string> members;  // agent ids, in configuration order
  std::string mailbox;
};

// --- options: application-wide defaults ---

// RFC 3725 flow I (the seed's: INVITE thisDN without SDP) or flow IV.
enum class MakeCallFlow { Flow1 = 1, Flow4 = 4 };

struct OptionsConfig {
  std::chrono::seconds noAnswerTimeout{15};  // the seed's default; 0: ring until abandoned
  OverflowTarget noAnswerOverflow{OverflowKind::Recall, ""};
  // Defaults for DNs without an agent and for agents; when not written, the two above.
  std::chrono::seconds extnNoAnswerTimeout{15};
  OverflowTarget extnNoAnswerOverflow{OverflowKind::Recall, ""};
  std::chrono::seconds agentNoAnswerTimeout{15};
  OverflowTarget agentNoAnswerOverflow{OverflowKind::Recall, ""};
  NoAnswerAction agentNoAnswerAction = NoAnswerAction::None;
  MakeCallFlow makecallFlow = MakeCallFlow::Flow1;
};

// --- cti, http ---

struct CtiApplicationConfig {
  std::string name;
  std::string token;  // OpenSession's applicationToken
};

struct CtiConfig {
  std::optional<TcpListenConfig> listen;  // raw TCP, one JSON object per line; nullopt: none
  std::vector<CtiApplicationConfig> applications;  // empty: any token is accepted
  std::size_t maxQueue = 10'000;                   // events queued per client before it is cut
  std::size_t maxClients = 10'000;
  std::chrono::seconds openSessionTimeout{30};  // 0: never
};

struct HttpConfig {
  std::optional<TcpListenConfig> listen;  // nullopt: no HTTP port
  std::string webRoot;                    // static files; "" = none
};

struct Config {
  SipConfig sip;
  LogConfig log;
  RegistrarConfig registrar;
  // Every phone that registers on ccsip, with its credentials: the `extensions` section and
  // the `dns` entries with `on: ccsip`. What the registrar authenticates.
  std::vector<ExtensionConfig> extensions;
  std::optional<SwitchConfig> pbx;  // the `switch` section; nullopt: no Asterisk
  // Every DN: the `dns` section, then the `extensions` entries (as extensions on ccsip).
  std::vector<DnConfig> dns;
  std::vector<AgentConfig> agents;
  std::vector<GroupConfig> groups;
  OptionsConfig options;
  CtiConfig cti;
  HttpConfig http;

  // The first entry of that name, in constant time (see NameIndex).
  const DnConfig* findDn(std::string_view dn) const;
  const AgentConfig* findAgent(std::string_view id) const;
  const GroupConfig* findGroup(std::string_view name) const;

  // Lookup caches of the find functions above (no configuration).
  NameIndex<DnConfig, &DnConfig::dn> dnIndex_;
  NameIndex<AgentConfig, &AgentConfig::id> agentIndex_;
  NameIndex<GroupConfig, &GroupConfig::name> groupIndex_;
};

std::string_view toString(LogLevel level);                     // "info"
std::optional<LogLevel> parseLogLevel(std::string_view text);  // "info" -> Info
std::string_view toString(DigestAlgorithm algorithm);          // "SHA-256" / "MD5" (RFC 8760 names)
std::string_view toString(DnType type);                        // "routing-point"
std::string_view toString(DnLocation location);                // "switch" / "ccsip"
std::string_view toString(NoAnswerAction action);              // "notready" / "none"
std::string_view toString(PresenceEvent event);                // "presence" / "dialog"

}  // namespace ccsip::config
