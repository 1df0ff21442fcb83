#include "config/name_index.h"

#include <gtest/gtest.h>

#include <chrono>

#include "config_test_support.h"

namespace ccsip::config::test {
namespace {

TEST(NameIndex, FindsByNameAndFollowsTheVector) {
  std::vector<DnConfig> dns(3);
  dns[0].dn = "1000";
  dns[1].dn = "1001";
  dns[2].dn = "1000";  // a duplicate: the first is found, as a linear search would
  const NameIndex<DnConfig, &DnConfig::dn> index;
  EXPECT_EQ(index.find(dns, "1000"), &dns[0]);
  EXPECT_EQ(index.find(dns, "1001"), &dns[1]);
  EXPECT_EQ(index.find(dns, "9999"), nullptr);
  EXPECT_EQ(index.find(dns, ""), nullptr);

  DnConfig more;
  more.dn = "1002";
  dns.push_back(more);  // a new size (and buffer): rebuilt
  EXPECT_EQ(index.find(dns, "1002"), &dns[3]);
  EXPECT_EQ(index.find(dns, "1001"), &dns[1]);

  dns[1].dn = "2001";  // renamed in place: never found under the old name
  EXPECT_EQ(index.find(dns, "1001"), nullptr);
  EXPECT_EQ(index.find(dns, "2001"), &dns[1]);  // rebuilt on the mismatch above

  dns.erase(dns.begin());
  EXPECT_EQ(index.find(dns, "1000"), &dns[1]);  // the former duplicate is now the first
  EXPECT_EQ(index.find(dns, "2001"), &dns[0]);
}

TEST(NameIndex, AnotherVectorOrACopyIsNotConfused) {
  Config a;
  a.dns.resize(1);
  a.dns[0].dn = "1000";
  ASSERT_NE(a.findDn("1000"), nullptr);
  Config b = a;  // the copy's lookups point into its own vector
  b.dns[0].dn = "3000";
  EXPECT_EQ(b.findDn("1000"), nullptr);
  EXPECT_EQ(b.findDn("3000"), &b.dns[0]);
  EXPECT_EQ(a.findDn("1000"), &a.dns[0]);
  EXPECT_EQ(a.findDn("3000"), nullptr);
}

TEST(NameIndex, LookupsAfterAReloadSeeTheNewConfiguration) {
  auto first = load(R"(dns:
  - {dn: "1000", password: a}
  - {dn: "1001", password: b}
agents:
  - {id: "5001", password: pw, default-dn: "1000"}
groups:
  - {name: sales, members: ["5001"]}
)");
  ASSERT_TRUE(first.ok()) << errorsOf(first);
  EXPECT_NE(first.config.findDn("1001"), nullptr);
  EXPECT_NE(first.config.findAgent("5001"), nullptr);
  EXPECT_NE(first.config.findGroup("sales"), nullptr);

  auto second = load(R"(dns:
  - {dn: "1000", password: a}
  - {dn: "1002", password: c}
agents:
  - {id: "5002", password: pw, default-dn: "1002"}
groups:
  - {name: support, members: ["5002"]}
)");
  ASSERT_TRUE(second.ok()) << errorsOf(second);
  first.config = std::move(second.config);  // what a reload does with the running one
  EXPECT_EQ(first.config.findDn("1001"), nullptr);
  ASSERT_NE(first.config.findDn("1002"), nullptr);
  EXPECT_EQ(first.config.findDn("1002")->password, "c");
  EXPECT_EQ(first.config.findAgent("5001"), nullptr);
  ASSERT_NE(first.config.findAgent("5002"), nullptr);
  EXPECT_EQ(first.config.findAgent("5002")->defaultDn, "1002");
  EXPECT_EQ(first.config.findGroup("sales"), nullptr);
  EXPECT_NE(first.config.findGroup("support"), nullptr);
}

TEST(NameIndex, ALargeConfigurationLoads) {
  // Every agent's default DN is looked up in the cross-checks: with a linear search 50,000 DNs
  // and agents took about 10 s to load in a release build.
  constexpr int kCount = 20'000;
  std::string text = "switch: {address: 127.0.0.1}\ndns:\n";
  for (int i = 0; i < kCount; ++i) text += "  - {dn: \"" + std::to_string(100000 + i) + "\"}\n";
  text += "agents:\n";
  for (int i = 0; i < kCount; ++i) {
    text += "  - {id: \"a" + std::to_string(i) + "\", password: pw, default-dn: \"" +
            std::to_string(100000 + i) + "\"}\n";
  }
  const auto started = std::chrono::steady_clock::now();
  auto result = load(text);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.ok()) << errorsOf(result);
  EXPECT_EQ(result.config.findDn("119999"), &result.config.dns.back());
  EXPECT_EQ(result.config.findAgent("a0"), &result.config.agents.front());
  // Generous for sanitizer builds on a busy machine (about 4 s there).
  EXPECT_LT(took, std::chrono::seconds(20));
}

}  // namespace
}  // namespace ccsip::config::test
