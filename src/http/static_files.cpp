#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace ccsip::http {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool safeSegment(std::string_view segment) {
  // Rejects `.`, `..` and hidden files alike.
  if (segment.empty() || segment.front() == '.') return false;
  return std::none_of(segment.begin(), segment.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\\' || u < 0x20 || u == 0x7f;
  });
}

// True when `path` is `root` or below it, comparing whole components.
bool isUnder(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator of root
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

struct TypeByExtension {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array kTypes{
    TypeByExtension{".html", "text/html; charset=utf-8"},
    TypeByExtension{".htm", "text/html; charset=utf-8"},
    TypeByExtension{".css", "text/css; charset=utf-8"},
    TypeByExtension{".js", "text/javascript; charset=utf-8"},
    TypeByExtension{".mjs", "text/javascript; charset=utf-8"},
    TypeByExtension{".json", "application/json"},
    TypeByExtension{".svg", "image/svg+xml"},
    TypeByExtension{".png", "image/png"},
    TypeByExtension{".ico", "image/x-icon"},
    TypeByExtension{".txt", "text/plain; charset=utf-8"},
    TypeByExtension{".wav", "audio/wav"},
};

}  // namespace

std::optional<std::string> percentDecode(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;  // a truncated escape
      const int high = hexValue(path[i + 1]);
      const int low = hexValue(path[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

std::optional<std::filesystem::path> resolveStaticPath(const std::filesystem::path& root,
                                                       std::string_view path) {
  if (root.empty() || path.empty() || path.front() != '/') return std::nullopt;
  auto decoded = percentDecode(path);
  if (!decoded) return std::nullopt;
  std::string relative = decoded->substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  std::filesystem::path candidate = root;
  std::string_view rest = relative;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    if (!safeSegment(segment)) return std::nullopt;
    candidate /= std::filesystem::path(std::string(segment));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) return std::nullopt;  // "a//"
  }

  // A symlink inside web/ must not lead out of it.
  std::error_code ec;
  const auto canonicalRoot = std::filesystem::canonical(root, ec);
  if (ec) return std::nullopt;
  const auto canonicalFile = std::filesystem::canonical(candidate, ec);
  if (ec || !isUnder(canonicalFile, canonicalRoot)) return std::nullopt;
  if (!std::filesystem::is_regular_file(canonicalFile, ec) || ec) return std::nullopt;
  return canonicalFile;
}

std::string_view contentTypeFor(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& entry : kTypes) {
    if (entry.extension == extension) return entry.type;
  }
  return "application/octet-stream";
}

std::optional<StaticFile> loadStaticFile(const std::filesystem::path& root, std::string_view path,
                                         std::size_t maxBytes) {
  const auto file = resolveStaticPath(root, path);
  if (!file) return std::nullopt;
  std::error_code ec;
  const auto size = std::filesystem::file_size(*file, ec);
  if (ec || size > maxBytes) return std::nullopt;
  std::ifstream in(*file, std::ios::binary);
  if (!in) return std::nullopt;
  StaticFile result;
  result.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  result.contentType = contentTypeFor(*file);
  return result;
}

}  // namespace ccsip::http
