#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::http {

// Static files of the web desktop and wallboard (web/), served read-only.
//
// The request path is untrusted: it is percent-decoded, then every segment must be a plain
// name (no `.`/`..`, no hidden `.name`, no `\`, no control characters), and the resolved file
// must still lie under the root after symlinks are followed. Anything else is "not found", so
// a probe learns nothing about the file system.

// Percent-decodes a URL path (RFC 3986 2.1). nullopt for a bad escape or a decoded NUL.
std::optional<std::string> percentDecode(std::string_view path);

// The file under `root` that `path` (the request target without its query) names, or nullopt.
// `/` and paths ending in `/` name the folder's index.html.
std::optional<std::filesystem::path> resolveStaticPath(const std::filesystem::path& root,
                                                       std::string_view path);

// "text/html; charset=utf-8", "text/css; charset=utf-8", "text/javascript; charset=utf-8",
// "image/svg+xml", "image/png", ... by extension; "application/octet-stream" otherwise.
std::string_view contentTypeFor(const std::filesystem::path& file);

struct StaticFile {
  std::string body;
  std::string_view contentType;
};

// Resolves and reads a file of at most `maxBytes`; nullopt when not found, unsafe, unreadable
// or larger.
std::optional<StaticFile> loadStaticFile(const std::filesystem::path& root, std::string_view path,
                                         std::size_t maxBytes);

}  // namespace ccsip::http
