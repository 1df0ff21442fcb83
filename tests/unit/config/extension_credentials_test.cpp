#include "config/extension_credentials.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace ccsip::config {
namespace {

TEST(ExtensionCredentialStore, FindsEveryExtensionByDn) {
  ExtensionCredentialStore store({{"1000", "secret0", "Alice"}, {"1001", "secret1", ""}});
  EXPECT_EQ(store.size(), 2u);
  auto alice = store.find("1000");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->username, "1000");
  EXPECT_EQ(alice->password, "secret0");
  ASSERT_TRUE(store.find("1001"));
  EXPECT_EQ(store.find("1001")->password, "secret1");
}

TEST(ExtensionCredentialStore, UnknownUsersAreNotFound) {
  ExtensionCredentialStore store({{"1000", "secret0", ""}});
  EXPECT_FALSE(store.find("1001"));
  EXPECT_FALSE(store.find(""));
  EXPECT_FALSE(store.find("100"));
  EXPECT_FALSE(store.find("10000"));
}

TEST(ExtensionCredentialStore, FromTheEmbeddedDemoConfig) {
  auto result = loadEmbeddedConfig();
  ASSERT_TRUE(result.ok()) << toString(result.errors);
  ExtensionCredentialStore store(result.config.extensions);
  for (const char* dn : {"1000", "1001", "1002", "1003"}) {
    auto credentials = store.find(dn);
    ASSERT_TRUE(credentials) << dn;
    EXPECT_FALSE(credentials->password.empty());
  }
}

}  // namespace
}  // namespace ccsip::config
