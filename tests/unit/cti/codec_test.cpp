#include "cti/codec.h"

#include <string>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace ccsip::cti {
namespace {

namespace json = boost::json;
using model::ErrorCode;
using model::toInt;

json::object object(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(Codec, ParsesAnObject) {
  auto parsed = parseMessage(R"({"request":"QueryServer","referenceId":1})", 1024);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("request").as_string(), "QueryServer");
}

TEST(Codec, RejectsBadJsonNonObjectsAndTooLarge) {
  for (const char* text : {"{", "{\"a\":}", "nul", "{} {}", "{\"a\":1,}", "\xff"}) {
    auto parsed = parseMessage(text, 1024);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, toInt(ErrorCode::BadJson)) << text;
  }
  for (const char* text : {"[]", "1", "\"x\"", "null", "true"}) {
    auto parsed = parseMessage(text, 1024);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, toInt(ErrorCode::BadJson)) << text;
    EXPECT_NE(parsed.error().message.find("not a JSON object"), std::string::npos);
  }
  auto large = parseMessage(std::string(2000, ' ') + "{}", 1024);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().code, toInt(ErrorCode::MessageTooLarge));
}

TEST(Codec, RejectsDeepNesting) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  auto parsed = parseMessage(deep, 4096);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, toInt(ErrorCode::BadJson));
}

TEST(Codec, ReferenceIdIsANonNegativeJsSafeInteger) {
  EXPECT_EQ(*readReferenceId(object(R"({"referenceId":0})")), 0);
  EXPECT_EQ(*readReferenceId(object(R"({"referenceId":9007199254740991})")), kMaxReferenceId);
  EXPECT_EQ(readReferenceId(object(R"({})")).error().code, toInt(ErrorCode::MissingField));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":"7"})")).error().code,
            toInt(ErrorCode::BadFieldType));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":1.5})")).error().code,
            toInt(ErrorCode::BadFieldType));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":null})")).error().code,
            toInt(ErrorCode::BadFieldType));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":-1})")).error().code,
            toInt(ErrorCode::BadFieldValue));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":9007199254740992})")).error().code,
            toInt(ErrorCode::BadFieldValue));
  EXPECT_EQ(readReferenceId(object(R"({"referenceId":18446744073709551615})")).error().code,
            toInt(ErrorCode::BadFieldValue));
}

TEST(Codec, RequestNameMustBeAString) {
  EXPECT_EQ(*readRequestName(object(R"({"request":"MakeCall"})")), "MakeCall");
  EXPECT_EQ(readRequestName(object(R"({})")).error().code, toInt(ErrorCode::MissingField));
  EXPECT_EQ(readRequestName(object(R"({"request":5})")).error().code,
            toInt(ErrorCode::BadFieldType));
}

TEST(Codec, ChecksRequiredFieldsAndTypes) {
  const auto& spec = *findRequest("RouteCall");
  EXPECT_TRUE(checkFields(
      object(R"({"thisDN":"5000","connId":"0123456789abcdef","otherDN":"1000"})"), spec));
  // Unknown fields pass through.
  EXPECT_TRUE(checkFields(
      object(R"({"thisDN":"5000","connId":"0123456789abcdef","otherDN":"1000","x":[1]})"), spec));

  auto missing = checkFields(object(R"({"thisDN":"5000","connId":"0123456789abcdef"})"), spec);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, toInt(ErrorCode::MissingField));
  EXPECT_NE(missing.error().message.find("otherDN"), std::string::npos);

  auto wrongType =
      checkFields(object(R"({"thisDN":5000,"connId":"0123456789abcdef","otherDN":"1"})"), spec);
  ASSERT_FALSE(wrongType);
  EXPECT_EQ(wrongType.error().code, toInt(ErrorCode::BadFieldType));
  EXPECT_NE(wrongType.error().message.find("thisDN"), std::string::npos);

  auto badConnId = checkFields(object(R"({"thisDN":"5000","connId":"xyz","otherDN":"1"})"), spec);
  ASSERT_FALSE(badConnId);
  EXPECT_EQ(badConnId.error().code, toInt(ErrorCode::BadFieldValue));

  auto empty =
      checkFields(object(R"({"thisDN":"","connId":"0123456789abcdef","otherDN":"1"})"), spec);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, toInt(ErrorCode::BadFieldValue));

  // Optional fields are type-checked when present.
  auto badUserData = checkFields(
      object(R"({"thisDN":"5000","connId":"0123456789abcdef","otherDN":"1","userData":[]})"), spec);
  ASSERT_FALSE(badUserData);
  EXPECT_EQ(badUserData.error().code, toInt(ErrorCode::BadFieldType));
}

TEST(Codec, StringArrayChecksElements) {
  const auto& spec = *findRequest("DeleteUserData");
  EXPECT_TRUE(
      checkFields(object(R"({"thisDN":"1","connId":"0123456789abcdef","keys":["a","b"]})"), spec));
  EXPECT_FALSE(
      checkFields(object(R"({"thisDN":"1","connId":"0123456789abcdef","keys":["a",1]})"), spec));
  EXPECT_FALSE(
      checkFields(object(R"({"thisDN":"1","connId":"0123456789abcdef","keys":"a"})"), spec));
}

TEST(Codec, ErrorEventCarriesCodeMessageAndReferenceId) {
  auto event = object(errorEventText(42, "Missing field: thisDN", 7));
  EXPECT_EQ(event.at("event").as_string(), "EventError");
  EXPECT_EQ(event.at("errorCode").as_int64(), 42);
  EXPECT_EQ(event.at("errorMessage").as_string(), "Missing field: thisDN");
  EXPECT_EQ(event.at("referenceId").as_int64(), 7);
  EXPECT_FALSE(object(errorEventText(40, "x", std::nullopt)).contains("referenceId"));
}

TEST(Codec, EventTextPutsTheNameFirstAndKeepsFields) {
  model::TEvent event;
  event.name = "EventRinging";
  event.fields = {{"thisDN", "1000"},
                  {"connId", "0123456789abcdef"},
                  {"event", "spoof"},
                  {"userData", {{"k", "v \"quoted\"\n"}}}};
  const auto text = eventText(event);
  EXPECT_EQ(text.rfind("{\"event\":\"EventRinging\",", 0), 0u) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
  auto parsed = object(text);
  EXPECT_EQ(parsed.at("event").as_string(), "EventRinging");
  EXPECT_EQ(parsed.at("thisDN").as_string(), "1000");
  EXPECT_EQ(parsed.at("userData").at("k").as_string(), "v \"quoted\"\n");
  EXPECT_EQ(parsed.size(), 4u);
}

TEST(Codec, EventTextIsExactJson) {
  EXPECT_EQ(eventText("EventAgentReady", {}), R"({"event":"EventAgentReady"})");
  EXPECT_EQ(eventText("EventUserEvent", {{"thisDN", "1000"}, {"time", 17}}),
            R"({"event":"EventUserEvent","thisDN":"1000","time":17})");
  EXPECT_EQ(eventText("Event\"X", {{"event", "spoof"}}), R"({"event":"Event\"X"})");
}

TEST(Codec, LongEventTextIsWhole) {
  // Longer than the text's first allocation: the serializer's output comes in several reads.
  json::object fields;
  fields["thisDN"] = "1000";
  fields["userData"] = {{"long", std::string(5000, 'x')}, {"n", 1}};
  const auto text = eventText("EventUserEvent", fields);
  auto parsed = object(text);
  EXPECT_EQ(parsed.at("event").as_string(), "EventUserEvent");
  EXPECT_EQ(parsed.at("userData").at("long").as_string().size(), 5000u);
  EXPECT_EQ(parsed.at("userData").at("n").as_int64(), 1);
  EXPECT_EQ(parsed.size(), 3u);
}

TEST(Codec, Utf8PrefixNeverCutsACharacter) {
  EXPECT_EQ(utf8Prefix("abc", 5), "abc");
  EXPECT_EQ(utf8Prefix("abcdef", 3), "abc");
  // "\xc3\xa9" is U+00E9 (2 bytes), "\xe2\x82\xac" U+20AC (3), "\xf0\x9f\x93\x9e" U+1F4DE (4).
  EXPECT_EQ(utf8Prefix("ab\xc3\xa9", 3), "ab");
  EXPECT_EQ(utf8Prefix("ab\xc3\xa9", 4), "ab\xc3\xa9");
  EXPECT_EQ(utf8Prefix("a\xe2\x82\xac", 2), "a");
  EXPECT_EQ(utf8Prefix("a\xe2\x82\xac", 3), "a");
  EXPECT_EQ(utf8Prefix("a\xf0\x9f\x93\x9e", 4), "a");
  EXPECT_EQ(utf8Prefix("\xf0\x9f\x93\x9ez", 4), "\xf0\x9f\x93\x9e");
  EXPECT_EQ(utf8Prefix("\xc3\xa9", 1), "");
  EXPECT_EQ(utf8Prefix("", 0), "");
}

}  // namespace
}  // namespace ccsip::cti
