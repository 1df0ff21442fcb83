#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ccsip::itest {

// The `switch` section of a test config: SIPp on 127.0.0.1:`port` plays Asterisk. Retry
// periods default to 1 s so tests of retries stay short; the durations asked for are those of
// the Asterisk traces' SUBSCRIBEs (600 s), which the copied NOTIFYs' expires= agree with.
struct SwitchOptions {
  std::uint16_t port = 0;
  std::string presenceEvent = "presence";  // or "dialog"
  int presenceExpires = 600;
  int presenceRetry = 1;
  bool mwiExtensionEnable = false;
  int mwiExpires = 600;
  int mwiRetry = 1;
  int optionsKeepalive = 0;  // off: SIPp scenarios need not answer OPTIONS
  int subscribeRate = 0;     // 0: the default
  bool presenceEnable = true;
  std::string transport = "udp";  // switch.transport; "tcp": SIPp runs with -t t1
};

std::string switchYaml(const SwitchOptions& options);

// CTI on a free TCP port, HTTP (admin API) on another.
std::string ctiAndHttpYaml();

// GET http://127.0.0.1:`port``path` (HTTP/1.1, Connection: close); the body of a 200, nullopt
// for anything else or after `timeout`.
std::optional<std::string> httpGet(std::uint16_t port, const std::string& path,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace ccsip::itest
