// RFC 4235 dialog-info bodies and the version-ordered tracker: the dialog NOTIFYs of both
// Asterisk channel drivers, partial state, and malformed documents.
#include "events/dialog_info.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trace_reader.h"

namespace ccsip::events {
namespace {

using test::readNotifies;
using enum EndpointState;
using Outcome = DialogInfoTracker::Outcome;

std::vector<DialogInfo> parseTrace(const char* set) {
  std::vector<DialogInfo> documents;
  auto notifies = readNotifies(set, "presence-dialog-info.txt");
  EXPECT_TRUE(notifies.ok()) << notifies.error().message;
  if (!notifies.ok()) return documents;
  for (const auto& notify : *notifies) {
    SCOPED_TRACE(std::string(set) + " NOTIFY #" + std::to_string(documents.size()));
    EXPECT_TRUE(notify.bodyMatchesContentLength);
    EXPECT_EQ(notify.header("Content-Type"), "application/dialog-info+xml");
    auto info = parseDialogInfo(notify.body);
    EXPECT_TRUE(info.ok()) << info.error().message;
    if (info.ok()) documents.push_back(std::move(*info));
  }
  return documents;
}

struct TraceRun {
  std::vector<std::uint32_t> versions;
  std::vector<DialogState> dialogStates;  // of the single dialog "1000"
  std::vector<EndpointState> endpointStates;
  std::vector<Outcome> outcomes;
};

TraceRun runTracker(const std::vector<DialogInfo>& documents) {
  TraceRun run;
  DialogInfoTracker tracker;
  EXPECT_EQ(tracker.endpointState(), Unknown);
  for (const auto& info : documents) {
    EXPECT_EQ(info.state, DialogInfoState::Full);
    EXPECT_EQ(info.dialogs.size(), 1u);
    if (info.dialogs.empty()) continue;
    EXPECT_EQ(info.dialogs[0].id, "1000");
    run.versions.push_back(info.version);
    run.dialogStates.push_back(info.dialogs[0].state);
    run.outcomes.push_back(tracker.apply(info));
    EXPECT_EQ(tracker.endpointState(), endpointState(info));
    run.endpointStates.push_back(tracker.endpointState());
  }
  return run;
}

using DS = DialogState;

TEST(DialogInfoTrace, ChanSipSequence) {
  // README: terminated, terminated, early (twice), confirmed, terminated, terminated; then the
  // final NOTIFY of the unsubscribe. chan_sip increments the version every time.
  const auto documents = parseTrace("asterisk-20");
  ASSERT_EQ(documents.size(), 8u);
  const TraceRun run = runTracker(documents);
  EXPECT_EQ(run.versions, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(run.dialogStates,
            (std::vector<DS>{DS::Terminated, DS::Terminated, DS::Early, DS::Early, DS::Confirmed,
                             DS::Terminated, DS::Terminated, DS::Terminated}));
  EXPECT_EQ(run.endpointStates,
            (std::vector<EndpointState>{Idle, Idle, Ringing, Ringing, Busy, Idle, Idle, Idle}));
  EXPECT_EQ(run.outcomes, std::vector<Outcome>(8, Outcome::Applied));

  EXPECT_EQ(documents[0].entity, "sip:1000@127.0.0.1:5070");
  const DialogEntry& early = documents[2].dialogs[0];
  EXPECT_EQ(early.callId, "pickup-1-5682@127.0.0.1");
  EXPECT_EQ(early.localTag, "5682SIPpTag001");
  EXPECT_EQ(early.remoteTag, "as4169eb95");
  EXPECT_EQ(early.direction, DialogDirection::Recipient);
  ASSERT_TRUE(early.remote.has_value());
  EXPECT_EQ(early.remote->identity, "sip:1000@127.0.0.1:5070");
  EXPECT_EQ(early.remote->identityDisplay, "1000");
  EXPECT_EQ(early.remote->targetUri, "sip:1000@127.0.0.1:5070");
  // The second early NOTIFY carries the caller's identity.
  const DialogEntry& early2 = documents[3].dialogs[0];
  ASSERT_TRUE(early2.remote.has_value() && early2.local.has_value());
  EXPECT_EQ(early2.remote->identity, "sip:2000@127.0.0.1");
  EXPECT_EQ(early2.remote->identityDisplay, "");
  EXPECT_EQ(early2.local->targetUri, "sip:1000@127.0.0.1");
  EXPECT_FALSE(documents[4].dialogs[0].remote.has_value());
}

TEST(DialogInfoTrace, ChanPjsipSequenceKeepsTheRepeatedFinalVersion) {
  // README: terminated, terminated, early (once), confirmed, terminated, terminated; the final
  // NOTIFY (Subscription-State: terminated) repeats version 5 and must not be dropped.
  const auto documents = parseTrace("asterisk-20-pjsip");
  ASSERT_EQ(documents.size(), 7u);
  const TraceRun run = runTracker(documents);
  EXPECT_EQ(run.versions, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 5}));
  EXPECT_EQ(run.dialogStates,
            (std::vector<DS>{DS::Terminated, DS::Terminated, DS::Early, DS::Confirmed,
                             DS::Terminated, DS::Terminated, DS::Terminated}));
  EXPECT_EQ(run.endpointStates,
            (std::vector<EndpointState>{Idle, Idle, Ringing, Busy, Idle, Idle, Idle}));
  EXPECT_EQ(run.outcomes, std::vector<Outcome>(7, Outcome::Applied));

  EXPECT_EQ(documents[0].entity, "sip:1000@127.0.0.1:5080");
  const DialogEntry& early = documents[2].dialogs[0];
  EXPECT_TRUE(early.callId.empty());  // chan_pjsip sends no call-id or tags
  EXPECT_TRUE(early.localTag.empty());
  EXPECT_EQ(early.direction, DialogDirection::Recipient);
  ASSERT_TRUE(early.remote.has_value() && early.local.has_value());
  EXPECT_EQ(early.remote->identity, "sip:2000@127.0.0.1");
  EXPECT_FALSE(early.remote->identityDisplay.has_value());
  EXPECT_EQ(early.remote->targetUri, "sip:2000@127.0.0.1");
  EXPECT_EQ(early.local->identity, "sip:1000@127.0.0.1");
  EXPECT_EQ(early.local->targetUri, "sip:1000@127.0.0.1:5080");
}

TEST(DialogInfoTrace, EveryTruncationOfATraceBodyIsAnError) {
  for (const char* set : {"asterisk-20", "asterisk-20-pjsip"}) {
    auto notifies = readNotifies(set, "presence-dialog-info.txt");
    ASSERT_TRUE(notifies.ok()) << notifies.error().message;
    const std::string& body = (*notifies)[2].body;  // early, with identities
    const std::string close = "</dialog-info>";
    const std::size_t end = body.find(close);
    ASSERT_NE(end, std::string::npos);
    for (std::size_t cut = 0; cut < end + close.size(); ++cut) {
      EXPECT_FALSE(parseDialogInfo(body.substr(0, cut)).ok()) << set << " cut at " << cut;
    }
    EXPECT_TRUE(parseDialogInfo(body.substr(0, end + close.size())).ok());
  }
}

std::string document(std::uint32_t version, const char* state, const std::string& dialogs) {
  return "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"" +
         std::to_string(version) + "\" state=\"" + state + "\" entity=\"sip:agent@pbx\">" +
         dialogs + "</dialog-info>";
}

std::string dialog(const char* id, const char* state) {
  return std::string("<dialog id=\"") + id + "\"><state>" + state + "</state></dialog>";
}

DialogInfo parsed(const std::string& body) {
  auto info = parseDialogInfo(body);
  EXPECT_TRUE(info.ok()) << info.error().message;
  return info.ok() ? std::move(*info) : DialogInfo{};
}

TEST(DialogInfo, Rfc4235ExampleWithStateEventAndCode) {
  auto info = parseDialogInfo(R"(<?xml version="1.0"?>
<d:dialog-info xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="1" state="partial"
    entity="sip:alice@example.com">
  <d:dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774"
      direction="initiator">
    <d:state event="rejected" code="486">terminated</d:state>
    <d:local><d:identity display="Alice">sip:alice@example.com</d:identity>
      <d:target uri="sip:alice@pc33.example.com"/></d:local>
  </d:dialog>
</d:dialog-info>)");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->version, 1u);
  EXPECT_EQ(info->state, DialogInfoState::Partial);
  ASSERT_EQ(info->dialogs.size(), 1u);
  const DialogEntry& d = info->dialogs[0];
  EXPECT_EQ(d.id, "as7d900as8");
  EXPECT_EQ(d.callId, "a84b4c76e66710");
  EXPECT_EQ(d.localTag, "1928301774");
  EXPECT_TRUE(d.remoteTag.empty());
  EXPECT_EQ(d.direction, DialogDirection::Initiator);
  EXPECT_EQ(d.state, DialogState::Terminated);
  EXPECT_EQ(d.stateEvent, "rejected");
  EXPECT_EQ(d.stateCode, 486);
  ASSERT_TRUE(d.local.has_value());
  EXPECT_EQ(d.local->identityDisplay, "Alice");
  EXPECT_EQ(d.local->targetUri, "sip:alice@pc33.example.com");
  EXPECT_FALSE(d.remote.has_value());
}

TEST(DialogInfo, EndpointStateMapping) {
  EXPECT_EQ(endpointState(parsed(document(0, "full", ""))), Idle);
  EXPECT_EQ(endpointState(parsed(document(0, "full", dialog("a", "trying")))), Ringing);
  EXPECT_EQ(endpointState(parsed(document(0, "full", dialog("a", "proceeding")))), Ringing);
  EXPECT_EQ(endpointState(parsed(document(0, "full", dialog("a", "early")))), Ringing);
  EXPECT_EQ(
      endpointState(parsed(document(0, "full", dialog("a", "early") + dialog("b", "confirmed")))),
      Busy);
  EXPECT_EQ(endpointState(parsed(document(0, "full", dialog("a", "terminated")))), Idle);
}

TEST(DialogInfoTracker, AppliesPartialStateInVersionOrder) {
  DialogInfoTracker tracker;
  // Nothing to apply a partial document to yet.
  EXPECT_EQ(tracker.apply(parsed(document(3, "partial", dialog("a", "early")))),
            Outcome::NeedFullState);
  EXPECT_EQ(tracker.endpointState(), Unknown);
  EXPECT_FALSE(tracker.version().has_value());

  EXPECT_EQ(tracker.apply(parsed(document(4, "full", dialog("a", "confirmed")))), Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Busy);
  EXPECT_EQ(tracker.apply(parsed(document(5, "partial", dialog("b", "early")))), Outcome::Applied);
  EXPECT_EQ(tracker.dialogs().size(), 2u);
  EXPECT_EQ(tracker.endpointState(), Busy);
  EXPECT_EQ(tracker.apply(parsed(document(6, "partial", dialog("a", "terminated")))),
            Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Ringing);
  EXPECT_EQ(tracker.apply(parsed(document(7, "partial", dialog("b", "terminated")))),
            Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Idle);
  EXPECT_TRUE(tracker.dialogs().empty());

  // An older document arriving late is discarded.
  EXPECT_EQ(tracker.apply(parsed(document(5, "full", dialog("a", "confirmed")))), Outcome::Stale);
  EXPECT_EQ(tracker.endpointState(), Idle);
  EXPECT_EQ(tracker.version(), 7u);

  // A skipped version: applied, and the caller is told to fetch full state.
  EXPECT_EQ(tracker.apply(parsed(document(9, "partial", dialog("c", "early")))),
            Outcome::NeedFullState);
  EXPECT_EQ(tracker.endpointState(), Ringing);
  EXPECT_EQ(tracker.version(), 9u);

  // Full state replaces everything.
  EXPECT_EQ(tracker.apply(parsed(document(10, "full", ""))), Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Idle);
}

TEST(DialogInfoTracker, RepeatedVersionIsAppliedNotDropped) {
  DialogInfoTracker tracker;
  EXPECT_EQ(tracker.apply(parsed(document(5, "full", dialog("1000", "confirmed")))),
            Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Busy);
  EXPECT_EQ(tracker.apply(parsed(document(5, "full", dialog("1000", "terminated")))),
            Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Idle);
  // And a true retransmission changes nothing.
  EXPECT_EQ(tracker.apply(parsed(document(5, "full", dialog("1000", "terminated")))),
            Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Idle);
}

TEST(DialogInfoTracker, ResetStartsANewSubscription) {
  DialogInfoTracker tracker;
  tracker.apply(parsed(document(42, "full", dialog("a", "confirmed"))));
  tracker.reset();
  EXPECT_EQ(tracker.endpointState(), Unknown);
  EXPECT_EQ(tracker.apply(parsed(document(0, "full", dialog("a", "early")))), Outcome::Applied);
  EXPECT_EQ(tracker.endpointState(), Ringing);
}

TEST(DialogInfo, MaximumVersionParses) {
  EXPECT_EQ(parsed(document(4294967295u, "full", "")).version, 4294967295u);
}

TEST(DialogInfo, MalformedDocumentsAreErrors) {
  const std::string ns = "xmlns=\"urn:ietf:params:xml:ns:dialog-info\"";
  const std::vector<std::string> bad = {
      "",
      "Messages-Waiting: no",
      // truncated
      "<dialog-info " + ns + " version=\"0\" state=\"full\" entity=\"sip:a@b\"><dialog id=\"1\">",
      // wrong root: a PIDF document
      R"(<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
          <tuple id="1"><status><basic>open</basic></status></tuple></presence>)",
      // right name, wrong namespace
      R"(<dialog-info xmlns="urn:ietf:params:xml:ns:pidf" version="0" state="full"
          entity="sip:a@b"/>)",
      "<dialog-info " + ns + " state=\"full\" entity=\"sip:a@b\"/>",                // no version
      "<dialog-info " + ns + " version=\"x\" state=\"full\" entity=\"sip:a@b\"/>",  // bad version
      "<dialog-info " + ns + " version=\"-1\" state=\"full\" entity=\"sip:a@b\"/>",
      "<dialog-info " + ns + " version=\"4294967296\" state=\"full\" entity=\"sip:a@b\"/>",
      "<dialog-info " + ns + " version=\"0\" entity=\"sip:a@b\"/>",  // no state
      "<dialog-info " + ns + " version=\"0\" state=\"fool\" entity=\"sip:a@b\"/>",
      "<dialog-info " + ns + " version=\"0\" state=\"full\"/>",  // no entity
      "<dialog-info " + ns +
          " version=\"0\" state=\"full\" entity=\"sip:a@b\">"
          "<dialog><state>early</state></dialog></dialog-info>",  // no id
      "<dialog-info " + ns +
          " version=\"0\" state=\"full\" entity=\"sip:a@b\">"
          "<dialog id=\"1\"/></dialog-info>",  // no state
      "<dialog-info " + ns +
          " version=\"0\" state=\"full\" entity=\"sip:a@b\">"
          "<dialog id=\"1\"><state>ringing</state></dialog></dialog-info>",
      "<dialog-info " + ns +
          " version=\"0\" state=\"full\" entity=\"sip:a@b\">"
          "<dialog id=\"1\" direction=\"sideways\"><state>early</state></dialog></dialog-info>",
      "<dialog-info " + ns +
          " version=\"0\" state=\"full\" entity=\"sip:a@b\">"
          "<dialog id=\"1\"><state code=\"abc\">terminated</state></dialog></dialog-info>",
  };
  for (const auto& body : bad) {
    auto info = parseDialogInfo(body);
    EXPECT_FALSE(info.ok()) << "accepted: " << body;
    if (!info.ok()) {
      EXPECT_EQ(info.error().code, 400);
    }
  }
}

}  // namespace
}  // namespace ccsip::events
