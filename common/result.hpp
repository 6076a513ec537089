#pragma once
// Errors are values in the core: a result holds either a value or an error (kind + message).
// Boost 1.74 has no system::result and C++20 no std::expected, so this is ours.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace zkagent {

enum class error_kind {
  usage,     // bad command line
  config,    // bad setting value or combination
  identity,  // myid cannot be determined or does not match
  io,        // a file or system call failed
  not_found, // a program or installation was not found
  launch,    // a program was found but could not be started
};

struct error {
  error_kind kind;
  std::string message;
};

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::move(value)) {}                 // NOLINT(google-explicit-constructor)
  result(error err) : state_(std::move(err)) {}                 // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const T& value() const& { return std::get<T>(state_); }
  [[nodiscard]] T& value() & { return std::get<T>(state_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(state_)); }
  [[nodiscard]] const error& err() const { return std::get<error>(state_); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, error> state_;
};

// For operations that produce nothing but can fail.
struct done {};
using status = result<done>;
inline status ok() { return done{}; }

// Validation gathers every problem before failing, so users fix them in one go.
struct diagnostics {
  std::vector<error> errors;
  std::vector<std::string> warnings;

  void fail(error_kind kind, std::string message) { errors.push_back({kind, std::move(message)}); }
  void warn(std::string message) { warnings.push_back(std::move(message)); }
  [[nodiscard]] bool ok() const { return errors.empty(); }
  void merge(diagnostics other) {
    for (auto& e : other.errors) errors.push_back(std::move(e));
    for (auto& w : other.warnings) warnings.push_back(std::move(w));
  }
};

}  // namespace zkagent
