#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "sip/transport/transport.h"

namespace ccsip::config {

// The validated configuration. Every field has its default here, so a section left out of the
// file means "the defaults"; the loader (loader.h) fills these structs and reports every error.
//
// Adding a section (switch, dns, agents, groups, cti, http, options): a struct below, a member
// of Config, a reader in its own <name>_section.cpp declared in sections.h, and one row of the
// section table in loader.cpp. docs/configuration.md documents every key.

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

struct Config {
  SipConfig sip;
  LogConfig log;
  RegistrarConfig registrar;
  std::vector<ExtensionConfig> extensions;
};

std::string_view toString(LogLevel level);                     // "info"
std::optional<LogLevel> parseLogLevel(std::string_view text);  // "info" -> Info
std::string_view toString(DigestAlgorithm algorithm);          // "SHA-256" / "MD5" (RFC 8760 names)

}  // namespace ccsip::config
