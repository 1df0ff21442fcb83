#include "app/port_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ccsip::app {

std::string formatPortFile(const std::vector<BoundPort>& ports) {
  std::string out;
  for (const auto& port : ports) {
    if (!port.service.empty()) {
      out += port.service + ' ';
    } else {
      out += port.kind == sip::transport::TransportKind::Udp ? "udp " : "tcp ";
    }
    out += port.address.ip.to_string();
    out += ' ';
    out += std::to_string(port.address.port);
    out += '\n';
  }
  return out;
}

util::Result<bool> writePortFile(const std::string& path, const std::vector<BoundPort>& ports) {
  std::string temporary = path + ".tmp." + std::to_string(::getpid());
  std::string text = formatPortFile(ports);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    return util::makeError(0, "cannot write " + temporary + ": " + std::strerror(errno));
  }
  bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  written = (std::fclose(file) == 0) && written;
  if (!written) {
    std::remove(temporary.c_str());
    return util::makeError(0, "cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    std::remove(temporary.c_str());
    return util::makeError(
        0, "cannot rename " + temporary + " to " + path + ": " + std::strerror(error));
  }
  return true;
}

}  // namespace ccsip::app
