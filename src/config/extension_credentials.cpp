#include "config/extension_credentials.h"

namespace ccsip::config {

ExtensionCredentialStore::ExtensionCredentialStore(const std::vector<ExtensionConfig>& extensions) {
  for (const auto& extension : extensions) {
    sip::dialog::Credentials credentials;
    credentials.username = extension.dn;
    credentials.password = extension.password;
    // The loader rejects duplicate DNs; should one slip through, the first definition wins,
    // as the error message of the loader says.
    users_.emplace(extension.dn, std::move(credentials));
  }
}

std::optional<sip::dialog::Credentials> ExtensionCredentialStore::find(
    std::string_view user) const {
  auto it = users_.find(user);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

}  // namespace ccsip::config
