// RFC 3842 message-summary bodies: the Asterisk traces (chan_sip and chan_pjsip) and the edges.
#include "events/simple_message_summary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_reader.h"

namespace ccsip::events {
namespace {

using test::readNotifies;

struct Expected {
  bool waiting;
  std::uint32_t newMessages;
  std::uint32_t oldMessages;
};

// Parses every NOTIFY body of a trace file, in both line-end forms, and checks the sequence.
void expectTraceSequence(const char* set, const char* file, const std::vector<Expected>& expected,
                         bool hasAccount) {
  auto notifies = readNotifies(set, file);
  ASSERT_TRUE(notifies.ok()) << notifies.error().message;
  ASSERT_EQ(notifies->size(), expected.size()) << set << "/" << file;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& notify = (*notifies)[i];
    SCOPED_TRACE(std::string(set) + "/" + file + " NOTIFY #" + std::to_string(i));
    EXPECT_TRUE(notify.bodyMatchesContentLength);
    EXPECT_EQ(notify.header("Content-Type"), "application/simple-message-summary");
    for (const std::string& body : {notify.body, test::crlfToLf(notify.body)}) {
      auto summary = parseMessageSummary(body);
      ASSERT_TRUE(summary.ok()) << summary.error().message;
      EXPECT_EQ(summary->messagesWaiting, expected[i].waiting);
      EXPECT_EQ(summary->messageAccount.has_value(), hasAccount);
      ASSERT_NE(summary->voice(), nullptr);
      EXPECT_EQ(summary->voice()->newMessages, expected[i].newMessages);
      EXPECT_EQ(summary->voice()->oldMessages, expected[i].oldMessages);
      // Asterisk's literal " (0/0)".
      EXPECT_EQ(summary->voice()->urgentNew, 0u);
      EXPECT_EQ(summary->voice()->urgentOld, 0u);
    }
  }
}

TEST(SimpleMessageSummaryTrace, ChanSipNoThenOneNew) {
  // Initial NOTIFY "no 0/0"; a voicemail is left: "yes 1/0"; unsubscribe: final "yes 1/0".
  expectTraceSequence("asterisk-20", "mwi-message-summary.txt",
                      {{false, 0, 0}, {true, 1, 0}, {true, 1, 0}}, /*hasAccount=*/true);
  auto notifies = readNotifies("asterisk-20", "mwi-message-summary.txt");
  ASSERT_TRUE(notifies.ok());
  auto summary = parseMessageSummary(notifies->front().body);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->messageAccount, "sip:asterisk@127.0.0.1:5070");
}

TEST(SimpleMessageSummaryTrace, ChanPjsipNoThenOneNewWithoutAccount) {
  expectTraceSequence("asterisk-20-pjsip", "mwi-message-summary.txt",
                      {{false, 0, 0}, {true, 1, 0}, {true, 1, 0}}, /*hasAccount=*/false);
}

TEST(SimpleMessageSummaryTrace, ChanPjsipTwoMailboxes) {
  // One address, two subscriptions told apart by the Contact's mb= (the Request-URI here).
  auto notifies = readNotifies("asterisk-20-pjsip", "mwi-two-mailboxes.txt");
  ASSERT_TRUE(notifies.ok()) << notifies.error().message;
  struct Step {
    const char* mailbox;
    bool waiting;
    std::uint32_t newMessages;
  };
  const std::vector<Step> expected = {{"mb=1000", true, 1},
                                      {"mb=2000", false, 0},
                                      {"mb=1000", true, 2},
                                      {"mb=2000", false, 0},
                                      {"mb=1000", true, 2}};
  ASSERT_EQ(notifies->size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& notify = (*notifies)[i];
    SCOPED_TRACE("NOTIFY #" + std::to_string(i));
    EXPECT_NE(notify.startLine.find(expected[i].mailbox), std::string::npos) << notify.startLine;
    auto summary = parseMessageSummary(notify.body);
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    EXPECT_EQ(summary->messagesWaiting, expected[i].waiting);
    ASSERT_NE(summary->voice(), nullptr);
    EXPECT_EQ(summary->voice()->newMessages, expected[i].newMessages);
    EXPECT_EQ(summary->voice()->oldMessages, 0u);
  }
}

TEST(SimpleMessageSummary, Rfc3842ExampleWithUrgentCountsAndMessageHeaders) {
  const std::string body =
      "Messages-Waiting: yes\r\n"
      "Message-Account: sip:alice@vmail.example.com\r\n"
      "Voice-Message: 4/8 (1/2)\r\n"
      "Fax-Message: 2/0\r\n"
      "\r\n"
      "To: <alice@example.com>\r\n"
      "From: <bob@example.com>\r\n"
      "Subject: carpool tomorrow?\r\n"
      "\r\n"
      "To: <alice@example.com>\r\n"
      "Subject: sales\r\n";
  auto summary = parseMessageSummary(body);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_TRUE(summary->messagesWaiting);
  EXPECT_EQ(summary->messageAccount, "sip:alice@vmail.example.com");
  ASSERT_EQ(summary->classes.size(), 2u);
  EXPECT_EQ(summary->classes[0].messageClass, "Voice-Message");
  EXPECT_EQ(summary->classes[0].counts, (MessageCounts{4, 8, 1, 2}));
  ASSERT_NE(summary->find("fax-message"), nullptr);
  EXPECT_EQ(*summary->find("fax-message"), (MessageCounts{2, 0, std::nullopt, std::nullopt}));
  EXPECT_EQ(summary->find("Pager-Message"), nullptr);
  ASSERT_EQ(summary->messageHeaders.size(), 5u);
  EXPECT_EQ(summary->messageHeaders[2].first, "Subject");
  EXPECT_EQ(summary->messageHeaders[2].second, "carpool tomorrow?");
}

TEST(SimpleMessageSummary, ToleratesSpacesCaseLfAndOrder) {
  auto summary = parseMessageSummary(
      "\n  messages-waiting:   YES \t\nmessage-account :sip:vm@pbx\nVOICE-MESSAGE:3 / 1 ( 0 / 0 "
      ")\n");
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_TRUE(summary->messagesWaiting);
  EXPECT_EQ(summary->messageAccount, "sip:vm@pbx");
  ASSERT_NE(summary->voice(), nullptr);
  EXPECT_EQ(*summary->voice(), (MessageCounts{3, 1, 0, 0}));
}

TEST(SimpleMessageSummary, MinimalBodyWithoutFinalLineEnd) {
  auto summary = parseMessageSummary("Messages-Waiting: no");
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_FALSE(summary->messagesWaiting);
  EXPECT_TRUE(summary->classes.empty());
  EXPECT_EQ(summary->voice(), nullptr);
}

TEST(SimpleMessageSummary, FoldedHeaderLineIsJoined) {
  auto summary = parseMessageSummary("Messages-Waiting: yes\r\nVoice-Message: 1/\r\n 2\r\n");
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(*summary->voice(), (MessageCounts{1, 2, std::nullopt, std::nullopt}));
}

TEST(SimpleMessageSummary, FormatRoundTrips) {
  MessageSummary summary;
  summary.messagesWaiting = true;
  summary.messageAccount = "sip:asterisk@127.0.0.1:5070";
  summary.classes.push_back({"Voice-Message", {1, 0, 0, 0}});
  summary.classes.push_back({"Fax-Message", {0, 3, std::nullopt, std::nullopt}});
  summary.messageHeaders.emplace_back("Subject", "hello");
  const std::string wire = formatMessageSummary(summary);
  EXPECT_EQ(wire,
            "Messages-Waiting: yes\r\nMessage-Account: sip:asterisk@127.0.0.1:5070\r\n"
            "Voice-Message: 1/0 (0/0)\r\nFax-Message: 0/3\r\n\r\nSubject: hello\r\n");
  auto parsed = parseMessageSummary(wire);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, summary);
}

TEST(SimpleMessageSummary, MalformedBodiesAreErrors) {
  const std::vector<std::string> bad = {
      "",
      "\r\n\r\n",
      "Voice-Message: 1/0\r\n",                                    // no Messages-Waiting
      "Messages-Waiting: maybe\r\n",                               // not yes/no
      "Messages-Waiting:\r\n",                                     // empty status
      "Messages-Waiting: yes\r\nVoice-Message: x/y\r\n",           // counts not numbers
      "Messages-Waiting: yes\r\nVoice-Message: 1/\r\n",            // old count missing
      "Messages-Waiting: yes\r\nVoice-Message: 1/0 (0/0\r\n",      // unclosed urgent counts
      "Messages-Waiting: yes\r\nVoice-Message: 1/0 (0)\r\n",       // half an urgent pair
      "Messages-Waiting: yes\r\nVoice-Message: 1/0 junk\r\n",      // trailing garbage
      "Messages-Waiting: yes\r\nVoice-Message: -1/0\r\n",          // sign
      "Messages-Waiting: yes\r\nVoice-Message: 4294967296/0\r\n",  // above 32 bits
      "Messages-Waiting: yes\r\nthis is not a header\r\n",         // garbage line
      "Messages-Waiting: yes\r\nMessages-Waiting: no\r\n",         // twice
      "Messages-Waiting: yes\r\nVoice-Message: 1/0\r\nvoice-message: 2/0\r\n",
      "Messages-Waiting: yes\r\nMessage-Account: not a uri\r\n",
      "Messages-Waiting: yes\r\nBad Name: 1/0\r\n",
      "Messages-Waiting: yes\r\n\r\nno colon in a message header\r\n",
      "<?xml version=\"1.0\"?><presence/>",
  };
  for (const auto& body : bad) {
    auto summary = parseMessageSummary(body);
    EXPECT_FALSE(summary.ok()) << "accepted: '" << body << "'";
    if (!summary.ok()) {
      EXPECT_EQ(summary.error().code, 400);
      EXPECT_FALSE(summary.error().message.empty());
    }
  }
}

TEST(SimpleMessageSummary, MaximumCountsParse) {
  auto summary = parseMessageSummary("Messages-Waiting: yes\nVoice-Message: 4294967295/0\n");
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->voice()->newMessages, 4294967295u);
}

}  // namespace
}  // namespace ccsip::events
