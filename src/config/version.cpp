#include "config/version.h"

namespace ccsip::config {

std::string_view version() {
  return CCSIP_VERSION;
}

}  // namespace ccsip::config
