#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ccsip::util {

// An error for untrusted input: never thrown (house style: parsers return expected-or-error).
struct Error {
  int code = 0;  // a SIP status, a CTI errorCode, or 0 where none applies
  std::string message;
};

// A value or an Error: the C++23 std::expected shape, for C++20.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error makeError(int code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace ccsip::util
