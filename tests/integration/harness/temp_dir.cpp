#include "harness/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include <gtest/gtest.h>

namespace ccsip::itest {

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "ccsip-itest-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (test != nullptr && test->result()->Failed()) {
    std::cerr << "test files kept in " << path_ << "\n";
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  std::string path = file(name);
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string tailOfFile(const std::string& path, std::size_t maxBytes) {
  std::string text = readFile(path);
  if (text.size() <= maxBytes) return text;
  return "...\n" + text.substr(text.size() - maxBytes);
}

}  // namespace ccsip::itest
