#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "config/config.h"
#include "config/sections.h"
#include "config/yaml_reader.h"

// Typed reads shared by several sections, on top of yaml_reader.h: each records an error at
// the field and returns nullopt instead of throwing.

namespace ccsip::config {

// RFC 3261 25.1 user characters (unreserved / user-unreserved), unescaped: a DN, a mailbox or
// a number is written as it is dialled and ends up in a URI as is.
bool isSipUser(std::string_view text);

// A DN, mailbox or number: a non-empty string of SIP user characters.
std::optional<std::string> readSipUser(const Field& field, Diagnostics& diagnostics);

// An id or name (agent, group, application): no whitespace or control characters, at most
// 128 bytes.
std::optional<std::string> readIdentifier(const Field& field, Diagnostics& diagnostics);

// `true` or `false` (case-insensitive).
std::optional<bool> readBool(const Field& field, Diagnostics& diagnostics);

// An integer number of seconds within [min, max].
std::optional<std::chrono::seconds> readSeconds(const Field& field, Diagnostics& diagnostics,
                                                std::int64_t min, std::int64_t max);

// An IPv4 or IPv6 address (no host names: nothing resolves names while loading).
std::optional<boost::asio::ip::address> readIpAddress(const Field& field, Diagnostics& diagnostics);

// Records the definition of DN `dn` (written at `field`); false and an error when the DN is
// already defined, in this section or another.
bool defineDn(const Field& field, const std::string& dn, SectionContext& context);

// {address, port} of a TCP listener; `at` receives where it was written (for the port
// conflict checks of crossCheck).
std::optional<TcpListenConfig> readTcpListen(const Field& field, Diagnostics& diagnostics,
                                             std::optional<Mention>& at);

// Whose no-answer-overflow is read, for the checks that depend on it.
struct OverflowOwner {
  bool known = false;         // false: an application default (options section)
  std::string_view dn;        // a DN's own number: overflowing to itself is an error
  std::string_view mailbox;   // the owner's mailbox: what a bare `voicemail` means
  bool routingPoint = false;  // its overflow is where a call that found no agent goes
};

// A no-answer overflow target (config.h parseOverflowTarget). Notes the DNs and voicemail
// boxes it names in context.references.
std::optional<OverflowTarget> readOverflowTarget(const Field& field, SectionContext& context,
                                                 const OverflowOwner& owner);

// The no-answer-timeout and no-answer-overflow keys of a DN or agent map.
void readNoAnswer(MapReader& map, SectionContext& context, const OverflowOwner& owner,
                  NoAnswerConfig& out);

// `notready` or `none` (agents_section.cpp; options use it too).
std::optional<NoAnswerAction> readNoAnswerAction(const Field& field, Diagnostics& diagnostics);

// Upper bound of every no-answer and queue timeout: an hour of ringing is already absurd;
// the bound only stops a unit mistake (milliseconds written for seconds).
inline constexpr std::int64_t kMaxNoAnswerSeconds = 3600;

}  // namespace ccsip::config
