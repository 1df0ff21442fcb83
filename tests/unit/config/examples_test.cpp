#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "config/loader.h"

// config/examples/asterisk/: ccsip.yaml must load, say what docs/asterisk.md says it says, and
// agree with the Asterisk files beside it (chan_sip/ and chan_pjsip/): every mailbox has its
// gvm-<box> object and a voicemail box, every switch DN a hint and an agent-leg extension, every
// voicemail DN a deposit extension, and the addresses and ports match on both sides.

namespace ccsip::config {
namespace {

const std::string kDir = std::string(CCSIP_SOURCE_DIR) + "/config/examples/asterisk/";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// An Asterisk .conf file: sections in order (a name may repeat: pjsip.conf has an endpoint and
// an AOR named 1000), each with its `key=value` / `key => value` lines in order.
struct ConfSection {
  std::string name;
  std::vector<std::pair<std::string, std::string>> lines;

  // The first value of `key`; "" when absent.
  std::string value(std::string_view key) const {
    for (const auto& [k, v] : lines) {
      if (k == key) return v;
    }
    return {};
  }
  std::vector<std::string> values(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : lines) {
      if (k == key) out.push_back(v);
    }
    return out;
  }
};

std::vector<ConfSection> readConf(const std::string& path) {
  std::vector<ConfSection> sections;
  std::istringstream in(readFile(path));
  std::string line;
  while (std::getline(in, line)) {
    // Comments run from ';' to the end of the line (these files quote no ';').
    const std::string text = trim(std::string_view(line).substr(0, line.find(';')));
    if (text.empty()) continue;
    if (text.front() == '[') {
      sections.push_back(ConfSection{trim(text.substr(1, text.find(']') - 1)), {}});
      continue;
    }
    if (sections.empty()) continue;
    const auto equals = text.find('=');
    if (equals == std::string::npos) continue;
    std::string value = text.substr(equals + 1);
    if (!value.empty() && value.front() == '>') value.erase(0, 1);  // "exten => ..."
    sections.back().lines.emplace_back(trim(text.substr(0, equals)), trim(value));
  }
  return sections;
}

// The section `name` whose `type` is `type` ("" = any type).
const ConfSection* findSection(const std::vector<ConfSection>& sections, std::string_view name,
                               std::string_view type = {}) {
  for (const ConfSection& section : sections) {
    if (section.name == name && (type.empty() || section.value("type") == type)) return &section;
  }
  return nullptr;
}

// The `exten` lines of a dialplan context: "1000,hint,SIP/phone-1000", "1000,1,Dial(...)".
std::vector<std::string> extensions(const std::vector<ConfSection>& dialplan,
                                    std::string_view context) {
  const ConfSection* section = findSection(dialplan, context);
  return section == nullptr ? std::vector<std::string>{} : section->values("exten");
}

// The exten line of `context` starting with `prefix`; "" when none.
std::string extenLine(const std::vector<ConfSection>& dialplan, std::string_view context,
                      std::string_view prefix) {
  for (const std::string& line : extensions(dialplan, context)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return {};
}

bool includes(const std::vector<ConfSection>& dialplan, std::string_view context,
              std::string_view included) {
  const ConfSection* section = findSection(dialplan, context);
  if (section == nullptr) return false;
  for (const std::string& name : section->values("include")) {
    if (name == included) return true;
  }
  return false;
}

// voicemail.conf: is `box` defined in `context`?
bool hasBox(const std::vector<ConfSection>& voicemail, std::string_view context,
            std::string_view box) {
  const ConfSection* section = findSection(voicemail, context);
  return section != nullptr && !section->value(box).empty();
}

// "1000@MY_COMPANY" -> {"1000", "MY_COMPANY"}.
std::pair<std::string, std::string> splitBox(const std::string& text) {
  const auto at = text.find('@');
  if (at == std::string::npos) return {text, ""};
  return {text.substr(0, at), text.substr(at + 1)};
}

class AsteriskExample : public ::testing::Test {
 protected:
  void SetUp() override {
    result_ = loadConfigFile(kDir + "ccsip.yaml");
    ASSERT_TRUE(result_.ok()) << toString(result_.errors);
  }

  // Every box ccsip follows: the DNs', the agents' and the groups' mailboxes.
  std::vector<std::string> mailboxes() const {
    std::vector<std::string> out;
    for (const DnConfig& dn : config().dns) {
      if (!dn.mailbox.empty()) out.push_back(dn.mailbox);
    }
    for (const AgentConfig& agent : config().agents) {
      if (!agent.mailbox.empty()) out.push_back(agent.mailbox);
    }
    for (const GroupConfig& group : config().groups) {
      if (!group.mailbox.empty()) out.push_back(group.mailbox);
    }
    return out;
  }

  std::vector<const DnConfig*> dnsOfType(DnType type) const {
    std::vector<const DnConfig*> out;
    for (const DnConfig& dn : config().dns) {
      if (dn.type == type) out.push_back(&dn);
    }
    return out;
  }

  const Config& config() const { return result_.config; }
  std::string ccsipAddress() const { return config().sip.listen.front().address.to_string(); }
  std::string ccsipPort() const { return std::to_string(config().sip.listen.front().port); }
  std::string switchAddress() const { return config().pbx->address.to_string(); }
  std::string switchPort() const { return std::to_string(config().pbx->port); }
  // ccsip's peer (chan_sip) and endpoint (chan_pjsip): named after the From user of the
  // presence SUBSCRIBEs, which chan_sip matches against peer names.
  std::string peerName() const { return config().pbx->presence.fromUser; }

  LoadResult result_;
};

TEST_F(AsteriskExample, IsWhatTheGuideDescribes) {
  const Config& c = config();
  // One UDP socket on a fixed address and port: Asterisk recognises ccsip by it.
  ASSERT_EQ(c.sip.listen.size(), 1u);
  EXPECT_EQ(ccsipAddress(), "127.0.0.1");
  EXPECT_EQ(c.sip.listen[0].port, 5060);
  EXPECT_EQ(c.sip.listen[0].transports,
            (std::vector<sip::transport::TransportKind>{sip::transport::TransportKind::Udp}));

  ASSERT_TRUE(c.pbx.has_value());
  EXPECT_EQ(switchAddress(), "127.0.0.1");
  EXPECT_EQ(c.pbx->port, 5080);
  EXPECT_EQ(c.pbx->transport, sip::transport::TransportKind::Udp);
  EXPECT_EQ(c.pbx->presence.event, PresenceEvent::Presence);
  EXPECT_EQ(c.pbx->presence.expires, std::chrono::seconds(3600));
  EXPECT_EQ(c.pbx->presence.retry, std::chrono::seconds(60));
  EXPECT_EQ(c.pbx->presence.fromUser, "sipserver");
  EXPECT_TRUE(c.pbx->mwi.extensionEnable);
  EXPECT_EQ(c.pbx->mwi.expires, std::chrono::seconds(600));
  EXPECT_EQ(c.pbx->mwi.retry, std::chrono::seconds(60));

  // The agent phones live on the switch, each with its own box.
  for (const char* number : {"1000", "2000"}) {
    const DnConfig* dn = c.findDn(number);
    ASSERT_NE(dn, nullptr) << number;
    EXPECT_EQ(dn->type, DnType::Extension);
    EXPECT_EQ(dn->on, DnLocation::Switch);
    EXPECT_EQ(dn->mailbox, number);
  }
  const DnConfig* rp = c.findDn("8000");
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->type, DnType::RoutingPoint);
  EXPECT_EQ(rp->routingPoint.targetGroup, "sales");

  ASSERT_NE(c.findAgent("5001"), nullptr);
  EXPECT_EQ(c.findAgent("5001")->mailbox, "5001");
  EXPECT_EQ(c.findAgent("5001")->defaultDn, "1000");
  ASSERT_NE(c.findAgent("5002"), nullptr);
  EXPECT_EQ(c.findAgent("5002")->mailbox, "5002");
  EXPECT_EQ(c.findAgent("5002")->defaultDn, "2000");
  const GroupConfig* sales = c.findGroup("sales");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->mailbox, "7000");
  EXPECT_EQ(sales->members, (std::vector<std::string>{"5001", "5002"}));

  EXPECT_EQ(mailboxes(), (std::vector<std::string>{"1000", "2000", "5001", "5002", "7000"}));
  // Each box has a voicemail DN that deposits into exactly it.
  for (const std::string& box : mailboxes()) {
    bool deposit = false;
    for (const DnConfig* dn : dnsOfType(DnType::Voicemail)) {
      deposit = deposit || dn->voicemail.mailbox == box;
    }
    EXPECT_TRUE(deposit) << "no voicemail DN for box " << box;
  }

  // CTI and HTTP on loopback only.
  ASSERT_TRUE(c.cti.listen.has_value());
  EXPECT_EQ(c.cti.listen->address.to_string(), "127.0.0.1");
  EXPECT_FALSE(c.cti.applications.empty());
  ASSERT_TRUE(c.http.listen.has_value());
  EXPECT_EQ(c.http.listen->address.to_string(), "127.0.0.1");
}

TEST_F(AsteriskExample, ChanSipFilesMatch) {
  const auto sip = readConf(kDir + "chan_sip/sip.conf");
  const auto dialplan = readConf(kDir + "chan_sip/extensions.conf");
  const auto voicemail = readConf(kDir + "chan_sip/voicemail.conf");
  ASSERT_FALSE(sip.empty());

  const ConfSection* general = findSection(sip, "general");
  ASSERT_NE(general, nullptr);
  EXPECT_EQ(general->value("udpbindaddr"), switchAddress() + ":" + switchPort());

  // ccsip's peer: its INVITEs are matched by address and port, its SUBSCRIBEs by the name.
  const ConfSection* ccsip = findSection(sip, peerName());
  ASSERT_NE(ccsip, nullptr);
  EXPECT_EQ(ccsip->value("host"), ccsipAddress());
  EXPECT_EQ(ccsip->value("port"), ccsipPort());
  EXPECT_EQ(ccsip->value("context"), "from-ccsip");
  EXPECT_EQ(ccsip->value("subscribecontext"), "agents");
  EXPECT_EQ(ccsip->value("secret"), "");

  // chan_sip takes the MWI mailbox from the From user: one peer gvm-<box> per box.
  for (const std::string& box : mailboxes()) {
    const ConfSection* peer = findSection(sip, "gvm-" + box);
    ASSERT_NE(peer, nullptr) << "gvm-" << box;
    EXPECT_EQ(peer->value("host"), ccsipAddress()) << box;
    const auto [number, context] = splitBox(peer->value("mailbox"));
    EXPECT_EQ(number, box);
    EXPECT_TRUE(hasBox(voicemail, context, number)) << box << "@" << context;
  }

  for (const DnConfig* dn : dnsOfType(DnType::Extension)) {
    // No phone peer may be named like a DN: the caller's From would make chan_sip challenge
    // ccsip's agent leg (traces: call-to-agent-failures.txt).
    EXPECT_EQ(findSection(sip, dn->dn), nullptr) << dn->dn;
    const std::string hint = extenLine(dialplan, "agents", dn->dn + ",hint,");
    ASSERT_FALSE(hint.empty()) << "no hint for " << dn->dn;
    const std::string device = hint.substr(hint.rfind(',') + 1);  // SIP/phone-1000
    ASSERT_EQ(device.rfind("SIP/", 0), 0u) << hint;
    EXPECT_NE(findSection(sip, device.substr(4)), nullptr) << device;
    EXPECT_EQ(extenLine(dialplan, "from-ccsip", dn->dn + ",1,"),
              dn->dn + ",1,Dial(" + device + ")");
  }
  for (const DnConfig* rp : dnsOfType(DnType::RoutingPoint)) {
    EXPECT_EQ(extenLine(dialplan, "agents", rp->dn + ",1,"),
              rp->dn + ",1,Dial(SIP/" + peerName() + "/" + rp->dn + ")");
  }
}

TEST_F(AsteriskExample, ChanPjsipFilesMatch) {
  const auto pjsip = readConf(kDir + "chan_pjsip/pjsip.conf");
  const auto dialplan = readConf(kDir + "chan_pjsip/extensions.conf");
  const auto voicemail = readConf(kDir + "chan_pjsip/voicemail.conf");
  ASSERT_FALSE(pjsip.empty());

  const ConfSection* transport = findSection(pjsip, "transport-udp", "transport");
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(transport->value("bind"), switchAddress() + ":" + switchPort());

  // chan_pjsip recognises ccsip by source address AND port.
  const ConfSection* identify = findSection(pjsip, peerName() + "-identify", "identify");
  ASSERT_NE(identify, nullptr);
  EXPECT_EQ(identify->value("endpoint"), peerName());
  EXPECT_EQ(identify->value("match"), ccsipAddress() + ":" + ccsipPort());
  const ConfSection* endpoint = findSection(pjsip, peerName(), "endpoint");
  ASSERT_NE(endpoint, nullptr);
  EXPECT_EQ(endpoint->value("context"), "from-ccsip");
  EXPECT_EQ(endpoint->value("subscribe_context"), "agents");
  EXPECT_EQ(endpoint->value("auth"), "");
  EXPECT_EQ(endpoint->value("mailboxes"), "");  // would turn the subscriptions into 500s
  const ConfSection* aor = findSection(pjsip, peerName(), "aor");
  ASSERT_NE(aor, nullptr);
  EXPECT_EQ(aor->value("contact"), "sip:" + ccsipAddress() + ":" + ccsipPort());

  // chan_pjsip takes the MWI mailbox from the Request-URI user: one AOR gvm-<box> per box.
  for (const std::string& box : mailboxes()) {
    const ConfSection* mwi = findSection(pjsip, "gvm-" + box, "aor");
    ASSERT_NE(mwi, nullptr) << "gvm-" << box;
    const auto [number, context] = splitBox(mwi->value("mailboxes"));
    EXPECT_EQ(number, box);
    EXPECT_TRUE(hasBox(voicemail, context, number)) << box << "@" << context;
  }

  for (const DnConfig* dn : dnsOfType(DnType::Extension)) {
    EXPECT_EQ(extenLine(dialplan, "agents", dn->dn + ",hint,"), dn->dn + ",hint,PJSIP/" + dn->dn);
    EXPECT_NE(findSection(pjsip, dn->dn, "endpoint"), nullptr) << dn->dn;
    EXPECT_EQ(extenLine(dialplan, "from-ccsip", dn->dn + ",1,"),
              dn->dn + ",1,Dial(PJSIP/" + dn->dn + ")");
  }
  for (const DnConfig* rp : dnsOfType(DnType::RoutingPoint)) {
    EXPECT_EQ(extenLine(dialplan, "agents", rp->dn + ",1,"),
              rp->dn + ",1,Dial(PJSIP/" + rp->dn + "@" + peerName() + ")");
  }
}

// Both drivers: each voicemail DN is a deposit extension for its box, reachable from ccsip.
TEST_F(AsteriskExample, VoicemailDepositsMatch) {
  for (const char* driver : {"chan_sip", "chan_pjsip"}) {
    SCOPED_TRACE(driver);
    const std::string dir = kDir + driver + "/";
    const auto dialplan = readConf(dir + "extensions.conf");
    const auto voicemail = readConf(dir + "voicemail.conf");
    EXPECT_TRUE(includes(dialplan, "from-ccsip", "voicemail-deposit"));
    for (const DnConfig* dn : dnsOfType(DnType::Voicemail)) {
      const std::string number =
          dn->voicemail.accessNumber.empty() ? dn->dn : dn->voicemail.accessNumber;
      const std::string line = extenLine(dialplan, "voicemail-deposit", number + ",1,");
      const std::string prefix = number + ",1,VoiceMail(" + dn->voicemail.mailbox + "@";
      ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
      const std::string context =
          line.substr(prefix.size(), line.find(',', prefix.size()) - prefix.size());
      EXPECT_TRUE(hasBox(voicemail, context, dn->voicemail.mailbox)) << line;
    }
  }
}

}  // namespace
}  // namespace ccsip::config
