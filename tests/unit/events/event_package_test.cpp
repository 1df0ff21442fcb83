// The event-package registry, and every NOTIFY body of both Asterisk trace sets decoded through
// it the way the subscription code does: by the Event header, checked against Content-Type.
#include "events/event_package.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "trace_reader.h"

namespace ccsip::events {
namespace {

TEST(EventPackageRegistry, DefaultPackages) {
  const EventPackageRegistry registry = makeDefaultEventPackages();
  ASSERT_EQ(registry.packages().size(), 3u);

  const EventPackageDescriptor* presence = registry.find("presence");
  ASSERT_NE(presence, nullptr);
  EXPECT_EQ(presence->contentType, "application/pidf+xml");
  EXPECT_EQ(presence->defaultExpires, std::chrono::seconds{3600});

  const EventPackageDescriptor* dialog = registry.find("dialog");
  ASSERT_NE(dialog, nullptr);
  EXPECT_EQ(dialog->contentType, "application/dialog-info+xml");

  const EventPackageDescriptor* mwi = registry.find("message-summary");
  ASSERT_NE(mwi, nullptr);
  EXPECT_EQ(mwi->contentType, "application/simple-message-summary");
  EXPECT_EQ(mwi->defaultExpires, std::chrono::seconds{3600});

  EXPECT_EQ(registry.find("refer"), nullptr);
  EXPECT_EQ(registry.findByContentType("Application/PIDF+XML; charset=UTF-8"), presence);
  EXPECT_EQ(registry.findByContentType("application/dialog-info+xml"), dialog);
  EXPECT_EQ(registry.findByContentType("text/plain"), nullptr);
}

util::Result<EventBody> decodeNothing(std::string_view) {
  return util::makeError(400, "nothing");
}

TEST(EventPackageRegistry, AddRejectsDuplicatesAndIncompleteDescriptors) {
  EventPackageRegistry registry = makeDefaultEventPackages();
  EXPECT_FALSE(registry.add(
      {"presence", "application/xpidf+xml", std::chrono::seconds{60}, &decodeNothing}));
  EXPECT_FALSE(registry.add({"", "a/b", std::chrono::seconds{60}, &decodeNothing}));
  EXPECT_FALSE(registry.add({"x", "", std::chrono::seconds{60}, &decodeNothing}));
  EXPECT_FALSE(registry.add({"x", "a/b", std::chrono::seconds{60}, nullptr}));
  EXPECT_TRUE(
      registry.add({"x-test", "application/x-test", std::chrono::seconds{60}, &decodeNothing}));
  EXPECT_EQ(registry.packages().size(), 4u);
  auto decoded = registry.decode("x-test", "body");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().message, "nothing");
}

TEST(EventPackageRegistry, DecodeDispatchesOnTheEventName) {
  const EventPackageRegistry registry = makeDefaultEventPackages();
  auto mwi = registry.decode("message-summary", "Messages-Waiting: yes\r\nVoice-Message: 2/1\r\n");
  ASSERT_TRUE(mwi.ok()) << mwi.error().message;
  ASSERT_TRUE(std::holds_alternative<MessageSummary>(*mwi));
  EXPECT_EQ(std::get<MessageSummary>(*mwi).voice()->newMessages, 2u);
  EXPECT_EQ(endpointStateOf(*mwi), EndpointState::Unknown);

  auto unknown = registry.decode("refer", "SIP/2.0 200 OK");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, 489);

  // A body of another package is an error, not a misread.
  EXPECT_FALSE(registry.decode("presence", "Messages-Waiting: yes\r\n").ok());
}

// Every NOTIFY with a body in every trace file of a set.
void decodeEveryNotify(const char* set) {
  const EventPackageRegistry registry = makeDefaultEventPackages();
  const auto files = test::traceFiles(set);
  ASSERT_FALSE(files.empty()) << "no trace files in " << test::traceDir(set)
                              << " (CCSIP_SHARED_DIR/traces/" << set << ")";
  int decoded = 0;
  for (const auto& file : files) {
    auto messages = test::readTrace(file);
    ASSERT_TRUE(messages.ok()) << messages.error().message;
    for (const auto& message : *messages) {
      if (!message.isRequest("NOTIFY") || message.body.empty()) continue;
      SCOPED_TRACE(std::string(set) + "/" + message.file + " message #" +
                   std::to_string(message.index));
      EXPECT_TRUE(message.bodyMatchesContentLength) << "body extraction disagrees with "
                                                    << "Content-Length";
      const std::string event = message.header("Event");
      const EventPackageDescriptor* package = registry.find(event);
      ASSERT_NE(package, nullptr) << "Event: " << event;
      EXPECT_EQ(registry.findByContentType(message.header("Content-Type")), package);
      auto body = registry.decode(event, message.body);
      ASSERT_TRUE(body.ok()) << body.error().message << "\n" << message.body;
      if (event == "presence") {
        EXPECT_TRUE(std::holds_alternative<PidfDocument>(*body));
      }
      if (event == "dialog") {
        EXPECT_TRUE(std::holds_alternative<DialogInfo>(*body));
      }
      if (event == "message-summary") {
        EXPECT_TRUE(std::holds_alternative<MessageSummary>(*body));
      }
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 20) << "too few NOTIFY bodies found in " << test::traceDir(set);
}

TEST(EventPackageTraces, EveryChanSipNotifyBodyDecodes) {
  decodeEveryNotify("asterisk-20");
}

TEST(EventPackageTraces, EveryChanPjsipNotifyBodyDecodes) {
  decodeEveryNotify("asterisk-20-pjsip");
}

TEST(EventPackageTraces, MissingTraceFileIsAClearError) {
  auto missing = test::readNotifies("asterisk-20", "no-such-trace.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("trace file missing"), std::string::npos);
}

}  // namespace
}  // namespace ccsip::events
