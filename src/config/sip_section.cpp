#include <algorithm>

#include "config/sections.h"

namespace ccsip::config {

namespace {

using sip::transport::TransportKind;

constexpr EnumName<TransportKind> kTransports[] = {
    {"udp", TransportKind::Udp},
    {"tcp", TransportKind::Tcp},
};

// RFC 3261 17.1.1.1 gives T1 = 500 ms, T2 = 4 s, T4 = 5 s as defaults; the upper bounds only
// stop a unit mistake (seconds written as minutes) from making timers meaningless.
constexpr std::int64_t kMaxTimerMs = 600'000;

std::optional<ListenConfig> readListen(const Field& field, Diagnostics& diagnostics) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return std::nullopt;
  ListenConfig listen;
  bool ok = true;
  if (auto address = map.require("address")) {
    if (auto text = readString(*address, diagnostics)) {
      boost::system::error_code ec;
      listen.address = boost::asio::ip::make_address(*text, ec);
      if (ec) {
        diagnostics.error(address->mark, address->path,
                          "expected an IPv4 or IPv6 address, got " + describe(address->node));
        ok = false;
      }
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto port = map.require("port")) {
    if (auto value = readInteger(*port, diagnostics, 0, 65535)) {
      listen.port = static_cast<std::uint16_t>(*value);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto transports = map.get("transports")) {
    if (auto list = readList(*transports, diagnostics)) {
      if (list->empty()) {
        diagnostics.error(transports->mark, transports->path,
                          "expected at least one transport (udp, tcp)");
        ok = false;
      }
      for (const auto& element : *list) {
        auto kind = readEnum(element, diagnostics, kTransports, /*ignoreCase=*/true);
        if (!kind) {
          ok = false;
        } else if (std::find(listen.transports.begin(), listen.transports.end(), *kind) !=
                   listen.transports.end()) {
          diagnostics.error(element.mark, element.path,
                            "transport " + describe(element.node) + " listed twice");
          ok = false;
        } else {
          listen.transports.push_back(*kind);
        }
      }
    } else {
      ok = false;
    }
  } else {
    // DESIGN.md "Transport": UDP and TCP on the same port unless told otherwise.
    listen.transports = {TransportKind::Udp, TransportKind::Tcp};
  }
  if (!ok) return std::nullopt;
  return listen;
}

void readTimers(const Field& field, SipTimersConfig& timers, Diagnostics& diagnostics) {
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  auto readMs = [&](std::string_view key, std::chrono::milliseconds& out) {
    if (auto value = map.get(key)) {
      if (auto ms = readInteger(*value, diagnostics, 1, kMaxTimerMs)) {
        out = std::chrono::milliseconds(*ms);
      }
    }
  };
  readMs("t1", timers.t1);
  readMs("t2", timers.t2);
  readMs("t4", timers.t4);
  // RFC 3261 17.1.2.2: retransmissions double from T1 up to T2, so T2 below T1 is meaningless.
  if (timers.t2 < timers.t1) {
    diagnostics.error(field.mark, field.path + ".t2",
                      "t2 (" + std::to_string(timers.t2.count()) + " ms) must not be below t1 (" +
                          std::to_string(timers.t1.count()) + " ms)");
  }
}

}  // namespace

void readSipSection(const Field& field, SectionContext& context) {
  Config& config = context.config;
  Diagnostics& diagnostics = context.diagnostics;
  MapReader map(field, diagnostics);
  if (!map.valid()) return;
  SipConfig& sip = config.sip;

  if (auto listen = map.require("listen")) {
    if (auto list = readList(*listen, diagnostics)) {
      if (list->empty()) {
        diagnostics.error(listen->mark, listen->path, "expected at least one listen entry");
      }
      for (const auto& element : *list) {
        auto entry = readListen(element, diagnostics);
        if (!entry) continue;
        // The same address, port and transport twice cannot both be bound (port 0 can).
        for (const auto& other : sip.listen) {
          if (entry->port == 0 || other.address != entry->address || other.port != entry->port) {
            continue;
          }
          for (auto kind : entry->transports) {
            if (std::find(other.transports.begin(), other.transports.end(), kind) !=
                other.transports.end()) {
              diagnostics.error(element.mark, element.path,
                                std::string("address, port and transport ") +
                                    (kind == TransportKind::Udp ? "udp" : "tcp") +
                                    " already listed");
            }
          }
        }
        sip.listen.push_back(std::move(*entry));
      }
    }
  }
  if (auto domain = map.require("domain")) {
    if (auto text = readString(*domain, diagnostics)) sip.domain = *text;
  }
  if (auto timers = map.get("timers")) readTimers(*timers, sip.timers, diagnostics);
  if (auto userAgent = map.get("user-agent")) {
    if (auto text = readString(*userAgent, diagnostics)) sip.userAgent = *text;
  }
}

}  // namespace ccsip::config
