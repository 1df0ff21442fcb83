#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "cti/client_connection.h"

namespace ccsip::cti {

// Settings of the CTI server (the `cti` section of the configuration maps onto these).
struct CtiOptions {
  // Tokens accepted by OpenSession's `applicationToken`. Empty: any token is accepted
  // (development only; the server logs a warning at start).
  std::vector<std::string> applicationTokens;
  // A connection without a successful OpenSession is closed after this (0: never).
  std::chrono::milliseconds openSessionTimeout{30'000};
  std::size_t maxClients = 10'000;
  ConnectionLimits limits;  // message size, send queue bytes and events
};

// What the server counts, for /metrics.
struct CtiCounters {
  std::uint64_t clientsAccepted = 0;
  std::uint64_t clientsRejected = 0;  // over maxClients
  std::uint64_t clientsClosed = 0;
  std::uint64_t overflowDisconnects = 0;
  std::uint64_t requestsReceived = 0;  // messages read, valid or not
  std::uint64_t requestsRejected = 0;  // answered with EventError by the CTI layer or the core
  std::uint64_t eventsIn = 0;          // TEvents from the model
  std::uint64_t eventsUnrouted = 0;    // TEvents no client was entitled to see
  std::uint64_t messagesSent = 0;      // queued to clients (an event to 3 clients counts 3)
};

}  // namespace ccsip::cti
