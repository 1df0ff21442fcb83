#pragma once

// Where the registrar finds the secret of a user (the config layer implements it from the
// YAML extensions; StaticCredentialStore serves tests and fixed set-ups).

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ccsip::sip::dialog {

struct Credentials {
  std::string username;
  std::string password;  // plain text; may be empty when only HA1 hashes are kept
  // RFC 7616 3.4.2 H(username:realm:password), for stores that keep no plain passwords; used
  // when password is empty. One per hash function, since the realm is hashed in.
  std::string ha1Md5;
  std::string ha1Sha256;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // The credentials of a user (the user part of an AOR, as the phone's username); nullopt when
  // the user is unknown.
  virtual std::optional<Credentials> find(std::string_view user) const = 0;
};

class StaticCredentialStore final : public CredentialStore {
 public:
  void add(Credentials credentials) {
    std::string key = credentials.username;
    users_[std::move(key)] = std::move(credentials);
  }
  void add(std::string_view username, std::string_view password) {
    Credentials credentials;
    credentials.username = std::string(username);
    credentials.password = std::string(password);
    add(std::move(credentials));
  }
  std::optional<Credentials> find(std::string_view user) const override {
    auto it = users_.find(user);
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Credentials, std::less<>> users_;
};

}  // namespace ccsip::sip::dialog
