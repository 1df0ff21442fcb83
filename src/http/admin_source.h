#pragma once

#include <boost/json/array.hpp>

namespace ccsip::http {

// The read-only admin API (/api/v1/...): the app wires it to the call model. Each call
// returns a snapshot as JSON, built on the event loop thread at request time; the HTTP layer
// wraps it as {"agents": [...]}, {"dns": [...]}, {"calls": [...]}.
class AdminSource {
 public:
  virtual ~AdminSource() = default;
  virtual boost::json::array agents() const = 0;
  virtual boost::json::array dns() const = 0;
  virtual boost::json::array calls() const = 0;
};

}  // namespace ccsip::http
