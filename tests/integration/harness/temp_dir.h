#pragma once

#include <string>

namespace ccsip::itest {

// A fresh directory per test for configs, port files and logs. Removed when the test passed;
// kept (and its path printed) when it failed, for the logs inside.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// The whole file, or "" when it cannot be read.
std::string readFile(const std::string& path);
// The last `maxBytes` of a file, for failure messages.
std::string tailOfFile(const std::string& path, std::size_t maxBytes = 4000);

}  // namespace ccsip::itest
