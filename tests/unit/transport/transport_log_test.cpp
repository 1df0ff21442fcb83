#include "sip/transport/transport_log.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

namespace ccsip::sip::transport {
namespace {

// Swaps the default logger for one writing to a string, for the test's lifetime.
class CapturedLog {
 public:
  explicit CapturedLog(spdlog::level::level_enum level) : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_pattern("%v");
    logger->set_level(level);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

const Peer kPeer{TransportKind::Tcp,
                 {boost::asio::ip::make_address("10.0.0.1"), 5062},
                 {boost::asio::ip::make_address("::1"), 5060},
                 7};

TEST(TransportLog, TraceShowsDirectionTransportPeerAndMessage) {
  CapturedLog log(spdlog::level::trace);
  EXPECT_TRUE(messageTraceEnabled());
  logMessage(Direction::In, kPeer, "OPTIONS sip:a@b SIP/2.0\r\n\r\n");
  logMessage(Direction::Out, kPeer, "SIP/2.0 200 OK\r\n\r\n");
  const std::string text = log.text();
  EXPECT_NE(text.find("recv 27 bytes TCP#7 10.0.0.1:5062 -> [::1]:5060\nOPTIONS sip:a@b"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("send 18 bytes TCP#7 [::1]:5060 -> 10.0.0.1:5062\nSIP/2.0 200 OK"),
            std::string::npos)
      << text;
}

TEST(TransportLog, NothingBelowTrace) {
  CapturedLog log(spdlog::level::debug);
  EXPECT_FALSE(messageTraceEnabled());
  logMessage(Direction::In, kPeer, "OPTIONS sip:a@b SIP/2.0\r\n\r\n");
  EXPECT_EQ(log.text(), "");
}

}  // namespace
}  // namespace ccsip::sip::transport
