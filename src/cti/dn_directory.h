#pragma once

#include <string_view>

namespace ccsip::cti {

// The model's list of DNs, as far as RegisterAddress needs it: the CTI layer keeps who
// registered what, the model owns which DNs exist.
class DnDirectory {
 public:
  virtual ~DnDirectory() = default;
  virtual bool hasDn(std::string_view dn) const = 0;
};

}  // namespace ccsip::cti
