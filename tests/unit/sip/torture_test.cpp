// RFC 4475 torture messages through the parser (UDP framing) and the RFC 3261 8.2 request
// checks: every file of shared/torture/rfc4475 with the outcomes RFC 4475 allows for it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sip/parser.h"
#include "sip/request_validation.h"

namespace ccsip::sip {
namespace {

// What happened to a message: kAccepted (parsed, no rejection: it goes on to the transaction
// and application layers), kDropped (discarded without an answer), or the status answered.
constexpr int kAccepted = 0;
constexpr int kDropped = -1;

struct TortureCase {
  const char* file;     // name in torture/rfc4475 without ".dat"
  const char* section;  // RFC 4475 section
  std::set<int> allowed;
  bool mustParse = false;             // the RFC calls it well-formed: the parser must accept it
  HeaderId header = HeaderId::Other;  // a header the rejection must carry ...
  const char* headerValue = "";       // ... with this value
};

// gtest prints the parameter of a failing case: the file name says it all.
void PrintTo(const TortureCase& c, std::ostream* os) {
  *os << c.file << ".dat";
}

std::string outcomeName(int outcome) {
  if (outcome == kAccepted) return "accepted";
  if (outcome == kDropped) return "dropped";
  return std::to_string(outcome);
}

std::string allowedNames(const std::set<int>& allowed) {
  std::string out;
  for (int o : allowed) out += (out.empty() ? "" : " | ") + outcomeName(o);
  return out;
}

const std::filesystem::path& tortureDir() {
  static const std::filesystem::path dir =
      std::filesystem::path(CCSIP_SHARED_DIR) / "torture" / "rfc4475";
  return dir;
}

// ccsip's UAS: the default policy plus what mpart01 needs to be an ordinary request.
ValidationPolicy torturePolicy() {
  ValidationPolicy policy;
  policy.supportedMethods.push_back(Method::Message);
  policy.acceptedContentTypes.push_back("multipart/mixed");
  policy.acceptedContentTypes.push_back("text/plain");
  return policy;
}

// clang-format off
const std::vector<TortureCase> kCases = {
  // 3.1.1 Valid messages: parsed as well-formed; a request gets its ordinary answer.
  {"wsinv",      "3.1.1.1",  {kAccepted}, true},
  {"intmeth",    "3.1.1.2",  {405}, true},   // unknown method: 405, never 400
  {"esc01",      "3.1.1.3",  {kAccepted}, true},
  {"escnull",    "3.1.1.4",  {kAccepted}, true},
  {"esc02",      "3.1.1.5",  {405}, true},   // "RE%47IST%45R" is not REGISTER
  {"lwsdisp",    "3.1.1.6",  {kAccepted}, true},
  {"longreq",    "3.1.1.7",  {kAccepted}, true},
  {"dblreq",     "3.1.1.8",  {kAccepted}, true},  // the INVITE after Content-Length is ignored
  {"semiuri",    "3.1.1.9",  {kAccepted}, true},
  {"transports", "3.1.1.10", {kAccepted}, true},
  {"mpart01",    "3.1.1.11", {kAccepted}, true},
  {"unreason",   "3.1.1.12", {kAccepted}, true},  // response
  {"noreason",   "3.1.1.13", {kAccepted}, true},  // response
  // 3.1.2 Invalid messages: 400 (505 for badvers) or dropped; responses are dropped. Where the
  // RFC lets a liberal element go on ("may ignore", "could infer"), acceptance is allowed too.
  {"badinv01",   "3.1.2.1",  {400, kDropped}},
  {"clerr",      "3.1.2.2",  {400, kDropped}},
  {"ncl",        "3.1.2.3",  {400, kDropped}},
  {"scalar02",   "3.1.2.4",  {400, kDropped}},
  {"scalarlg",   "3.1.2.5",  {kDropped}},               // response
  {"quotbal",    "3.1.2.6",  {400, kDropped, kAccepted}},  // may infer the closing quote
  {"ltgtruri",   "3.1.2.7",  {400, kDropped, kAccepted}},  // may ignore the brackets
  {"lwsruri",    "3.1.2.8",  {400, kDropped}},
  {"lwsstart",   "3.1.2.9",  {400, kDropped, kAccepted}},  // may ignore the extra SP
  {"trws",       "3.1.2.10", {400, kDropped, kAccepted}},  // may ignore the trailing SP
  {"escruri",    "3.1.2.11", {400, kDropped, kAccepted}},  // may ignore the escaped headers
  {"baddate",    "3.1.2.12", {400, kDropped, kAccepted}},  // may ignore an unused Date
  {"regbadct",   "3.1.2.13", {400, kDropped, kAccepted}},  // may infer the <>
  {"badaspec",   "3.1.2.14", {400, kDropped, kAccepted}},  // may ignore the spaces
  {"baddn",      "3.1.2.15", {400, kDropped, kAccepted}},  // may accept the display name
  {"badvers",    "3.1.2.16", {505}},
  {"mismatch01", "3.1.2.17", {400}},
  {"mismatch02", "3.1.2.18", {400}},  // 400, not 501/405
  {"bigcode",    "3.1.2.19", {kDropped}},               // response
  // 3.2 Transaction layer: an RFC 2543 transaction (no magic cookie), otherwise ordinary.
  {"badbranch",  "3.2.1",    {kAccepted}, true},
  // 3.3 Application layer.
  {"insuf",      "3.3.1",    {400}},
  {"unkscm",     "3.3.2",    {416}, true},
  {"novelsc",    "3.3.3",    {416}, true},
  {"unksm2",     "3.3.4",    {kAccepted, 400}, true},  // well-formed; a registrar answers 400
  {"bext01",     "3.3.5",    {420}, true, HeaderId::Unsupported,
                 "nothingSupportsThis, nothingSupportsThisEither"},
  {"invut",      "3.3.6",    {415}, true, HeaderId::Accept,
                 "application/sdp, application/pidf+xml, application/dialog-info+xml, "
                 "application/simple-message-summary, application/dtmf-relay, message/sipfrag, "
                 "multipart/mixed, text/plain"},
  {"regaut01",   "3.3.7",    {kAccepted}, true},  // the registrar answers 401
  {"multi01",    "3.3.8",    {400}},
  {"mcl01",      "3.3.9",    {400}},
  {"bcast",      "3.3.10",   {kAccepted}, true},  // response
  {"zeromf",     "3.3.11",   {483}, true},
  {"cparam01",   "3.3.12",   {kAccepted}, true},
  {"cparam02",   "3.3.13",   {kAccepted}, true},
  {"regescrt",   "3.3.14",   {kAccepted}, true},
  {"sdp01",      "3.3.15",   {406, 415}, true},
  // 3.4 Backward compatibility.
  {"inv2543",    "3.4.1",    {kAccepted}, true},
};
// clang-format on

class TortureTest : public ::testing::TestWithParam<TortureCase> {};

TEST_P(TortureTest, Classification) {
  const TortureCase& c = GetParam();
  const std::filesystem::path path = tortureDir() / (std::string(c.file) + ".dat");
  ASSERT_TRUE(std::filesystem::is_directory(tortureDir()))
      << "RFC 4475 torture folder missing: " << tortureDir()
      << " (expected shared/torture/rfc4475 beside the project root)";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string text = bytes.str();
  const bool isResponse = text.starts_with("SIP/");

  ParseResult parsed = parseMessage(text, Framing::Datagram);
  int outcome = kAccepted;
  std::string detail;
  std::optional<Rejection> rejection;
  if (!parsed.ok()) {
    detail = "parser: " + std::to_string(parsed.error->status) + " " + parsed.error->reason +
             (parsed.error->drop ? " (drop)" : "");
    // A response is never answered; a request is answered unless the parser says drop.
    outcome = (isResponse || parsed.error->drop) ? kDropped : parsed.error->status;
  } else if (!isResponse) {
    EXPECT_TRUE(parsed.message.isRequest());
    rejection = validateRequest(parsed.message, torturePolicy());
    if (rejection) {
      outcome = rejection->status;
      detail = "validation: " + std::to_string(rejection->status) + " " + rejection->reason;
    }
  }

  if (c.mustParse) {
    EXPECT_TRUE(parsed.ok()) << c.file << " (RFC 4475 " << c.section << ") is well-formed but "
                             << detail;
  }
  EXPECT_TRUE(c.allowed.count(outcome))
      << c.file << " (RFC 4475 " << c.section << "): got " << outcomeName(outcome)
      << (detail.empty() ? "" : " [" + detail + "]") << ", allowed " << allowedNames(c.allowed);
  if (c.header != HeaderId::Other) {
    ASSERT_TRUE(rejection.has_value()) << c.file;
    auto it = std::find_if(rejection->headers.begin(), rejection->headers.end(),
                           [&](const RejectionHeader& h) { return h.id == c.header; });
    ASSERT_NE(it, rejection->headers.end()) << c.file << ": no " << headerName(c.header);
    EXPECT_EQ(it->value, c.headerValue) << c.file;
  }
  RecordProperty("outcome", outcomeName(outcome) + (detail.empty() ? "" : " [" + detail + "]"));
}

INSTANTIATE_TEST_SUITE_P(Rfc4475, TortureTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<TortureCase>& info) {
                           return std::string(info.param.file);
                         });

TEST(TortureFilesTest, TableCoversEveryFileOfTheFolder) {
  ASSERT_TRUE(std::filesystem::is_directory(tortureDir()))
      << "RFC 4475 torture folder missing: " << tortureDir()
      << " (expected shared/torture/rfc4475 beside the project root)";
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(tortureDir())) {
    if (entry.path().extension() == ".dat") files.insert(entry.path().stem().string());
  }
  std::set<std::string> table;
  for (const auto& c : kCases) table.insert(c.file);
  EXPECT_EQ(files.size(), 49u);
  EXPECT_EQ(table.size(), kCases.size()) << "duplicate rows";
  EXPECT_EQ(files, table);
}

// dblreq: the second request in the datagram must not leak into the first one.
TEST(TortureFilesTest, DblreqKeepsOnlyTheRegister) {
  std::ifstream in(tortureDir() / "dblreq.dat", std::ios::binary);
  ASSERT_TRUE(in) << "RFC 4475 torture folder missing: " << tortureDir();
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ParseResult parsed = parseMessage(bytes.str(), Framing::Datagram);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.message.method(), Method::Register);
  EXPECT_TRUE(parsed.message.body().empty());
  EXPECT_EQ(parsed.message.countHeaders(HeaderId::CSeq), 1u);
}

}  // namespace
}  // namespace ccsip::sip
