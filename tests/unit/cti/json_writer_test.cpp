#include "cti/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include <boost/json/serialize.hpp>

namespace ccsip::cti {
namespace {

namespace json = boost::json;

std::string written(const json::value& value) {
  std::string out;
  appendJson(out, value);
  return out;
}

TEST(JsonWriter, EveryByteIsWrittenAsBoostJsonWritesIt) {
  for (int c = 0; c < 256; ++c) {
    const std::string text = "a" + std::string(1, static_cast<char>(c)) + "b";
    const json::value value = json::string(text);
    EXPECT_EQ(written(value), json::serialize(value)) << "byte " << c;
  }
}

TEST(JsonWriter, ScalarsAndContainersAreWrittenAsBoostJsonWritesThem) {
  const json::value value = {
      {"thisDN", "1000"},
      {"quoted", "say \"hi\"\\ \r\n\t\b\f \x01 \x1f \x7f caf\xc3\xa9"},
      {"time", 1764280000123},
      {"negative", -42},
      {"max", std::numeric_limits<std::uint64_t>::max()},
      {"min", std::numeric_limits<std::int64_t>::min()},
      {"fraction", 0.1},
      {"big", 1e300},
      {"yes", true},
      {"no", false},
      {"nothing", nullptr},
      {"empty", json::object{}},
      {"list", json::array{1, "two", json::array{}, json::object{{"k", "v"}}}},
      {"userData", {{"gsipmwi", {{"Mailbox", "1000"}, {"NewMessages", 3}}}}}};
  EXPECT_EQ(written(value), json::serialize(value));
  std::string object;
  appendJson(object, value.as_object());
  EXPECT_EQ(object, json::serialize(value));
}

TEST(JsonWriter, DeepNestingIsWrittenWhole) {
  // Deeper than the writer recurses: the rest is handed to boost::json.
  json::value value = "leaf";
  for (int i = 0; i < 100; ++i)
    value = i % 2 == 0 ? json::value(json::array{value}) : json::value({{"k", value}});
  EXPECT_EQ(written(value), json::serialize(value));
}

TEST(JsonWriter, StringsAppendToWhatIsThere) {
  std::string out = "x=";
  appendJsonString(out, "");
  appendJsonString(out, "a\"b");
  EXPECT_EQ(out, R"(x="""a\"b")");
}

}  // namespace
}  // namespace ccsip::cti
