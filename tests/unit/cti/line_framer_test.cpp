#include "cti/line_framer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ccsip::cti {
namespace {

// Every frame as text, "<too long>" for TooLong.
std::vector<std::string> drain(LineFramer& framer) {
  std::vector<std::string> out;
  while (auto frame = framer.next()) {
    out.push_back(frame->kind == LineFramer::Kind::TooLong ? "<too long>"
                                                           : std::string(frame->text));
  }
  return out;
}

TEST(LineFramer, SplitsLinesAndStripsCr) {
  LineFramer framer(100);
  framer.append("{\"a\":1}\n{\"b\":2}\r\n{\"c\"");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  framer.append(":3}\n");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"{\"c\":3}"}));
  EXPECT_EQ(framer.bufferedBytes(), 0u);
}

TEST(LineFramer, SkipsBlankLines) {
  LineFramer framer(100);
  framer.append("\n\r\n  \t\nx\n");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"x"}));
}

TEST(LineFramer, ByteByByte) {
  LineFramer framer(100);
  std::vector<std::string> all;
  for (char c : std::string("ab\ncd\n")) {
    framer.append(std::string_view(&c, 1));
    for (auto& line : drain(framer)) all.push_back(line);
  }
  EXPECT_EQ(all, (std::vector<std::string>{"ab", "cd"}));
}

TEST(LineFramer, LineAtTheLimitPasses) {
  LineFramer framer(4);
  framer.append("abcd\r\nabcde\nok\n");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"abcd", "<too long>", "ok"}));
}

TEST(LineFramer, TooLongLineIsReportedOnceAndDiscardedAcrossReads) {
  LineFramer framer(8);
  framer.append(std::string(20, 'x'));
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"<too long>"}));
  EXPECT_EQ(framer.bufferedBytes(), 0u);  // memory does not grow with the line
  framer.append(std::string(1000, 'y'));
  EXPECT_TRUE(drain(framer).empty());
  EXPECT_EQ(framer.bufferedBytes(), 0u);
  framer.append("zz\nnext\n");
  EXPECT_EQ(drain(framer), (std::vector<std::string>{"next"}));
}

}  // namespace
}  // namespace ccsip::cti
