#include "http/static_files.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace ccsip::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("ccsip-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "web";
    fs::create_directories(root_ / "css");
    fs::create_directories(root_ / "sub");
    write(root_ / "index.html", "<html>home</html>");
    write(root_ / "css" / "app.css", "body{}");
    write(root_ / "sub" / "index.html", "sub");
    write(root_ / "app.js", "export {}");
    write(root_ / ".secret", "hidden");
    write(base_ / "outside.txt", "outside");
    fs::create_symlink(base_ / "outside.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& path, std::string_view text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string load(std::string_view path) {
    auto file = loadStaticFile(root_, path, 1024);
    return file ? file->body : "<none>";
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesAndIndexes) {
  EXPECT_EQ(load("/"), "<html>home</html>");
  EXPECT_EQ(load("/index.html"), "<html>home</html>");
  EXPECT_EQ(load("/css/app.css"), "body{}");
  EXPECT_EQ(load("/sub/"), "sub");
  EXPECT_EQ(load("/%63ss/app.css"), "body{}");  // percent-decoded
  EXPECT_EQ(loadStaticFile(root_, "/app.js", 1024)->contentType, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, RefusesTraversalHiddenFilesAndEscapes) {
  for (const char* path :
       {"/../outside.txt", "/css/../../outside.txt", "/%2e%2e/outside.txt", "/%2E%2E/outside.txt",
        "/css/%2e%2e/index.html", "/./index.html", "/.secret", "/link.txt", "/css\\..\\index.html",
        "/index.html%00.png", "/%zz", "/%2", "index.html", "", "/css//app.css", "/css",
        "/missing.html", "/sub/..%2f..%2foutside.txt"}) {
    EXPECT_EQ(load(path), "<none>") << path;
  }
}

TEST_F(StaticFilesTest, RefusesFilesOverTheLimit) {
  EXPECT_FALSE(loadStaticFile(root_, "/index.html", 4));
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(contentTypeFor("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(contentTypeFor("a.png"), "image/png");
  EXPECT_EQ(contentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(contentTypeFor("Makefile"), "application/octet-stream");
}

TEST(StaticFiles, PercentDecode) {
  EXPECT_EQ(percentDecode("/a%20b"), "/a b");
  EXPECT_EQ(percentDecode("/%41%6a"), "/Aj");
  EXPECT_FALSE(percentDecode("/%4"));
  EXPECT_FALSE(percentDecode("/%g0"));
  EXPECT_FALSE(percentDecode("/%00"));
}

}  // namespace
}  // namespace ccsip::http
