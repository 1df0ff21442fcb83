#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "sip/dialog/credential_store.h"

namespace ccsip::config {

// The registrar's CredentialStore built from the `extensions` section: an extension's DN is
// its digest username, its password the secret. Immutable once built; a reload builds a new one.
class ExtensionCredentialStore final : public sip::dialog::CredentialStore {
 public:
  explicit ExtensionCredentialStore(const std::vector<ExtensionConfig>& extensions);

  std::optional<sip::dialog::Credentials> find(std::string_view user) const override;
  std::size_t size() const { return users_.size(); }

 private:
  std::map<std::string, sip::dialog::Credentials, std::less<>> users_;
};

}  // namespace ccsip::config
