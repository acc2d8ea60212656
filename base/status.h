#pragma once
// Errors by value below the server (STYLE.md rule 7). The server maps codes to HTTP.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace fenrir {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // bad input from a client: HTTP 400
  kNotFound,           // HTTP 404
  kResourceExhausted,  // rate or size limits: HTTP 429 (push) / 400 (query limits, see server)
  kUnauthenticated,    // HTTP 401
  kDeadlineExceeded,   // HTTP 504
  kCancelled,          // HTTP 499
  kCorruption,         // checksum or format failure in stored data: HTTP 500
  kIOError,            // disk or RocksDB failure: HTTP 500
  kInternal,           // a broken invariant: HTTP 500
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const { return ok() ? "OK" : message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains its absence.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

#define FENRIR_RETURN_IF_ERROR(expr)    \
  do {                                  \
    ::fenrir::Status _st = (expr);      \
    if (!_st.ok()) return _st;          \
  } while (0)

}  // namespace fenrir
