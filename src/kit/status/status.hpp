#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace reel {

/// Canonical outcome codes. One table (see status.cpp) maps each to an HTTP status, a gRPC
/// status and a Douyin status_code, so every transport reports the same outcome the same way.
enum class Code {
  kOk,
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kMethodNotAllowed,
  kAlreadyExists,
  kPayloadTooLarge,
  kResourceExhausted,
  kInternal,
  kUnavailable,
};

/// What happened, for the client: `code` is canonical, `reason` a stable UPPER_SNAKE string
/// clients may switch on (USERNAME_TAKEN), `message` a sentence for people.
/// `retry_after` is set when waiting will help (rate limits).
struct Status {
  Code code = Code::kOk;
  std::string reason;
  std::string message;
  std::chrono::seconds retry_after{0};

  bool ok() const { return code == Code::kOk; }
  static Status Ok() { return {}; }
};

Status InvalidArgument(std::string reason, std::string message);
Status Unauthenticated(std::string reason, std::string message);
Status PermissionDenied(std::string reason, std::string message);
Status NotFound(std::string reason, std::string message);
Status MethodNotAllowed(std::string reason, std::string message);
Status AlreadyExists(std::string reason, std::string message);
Status PayloadTooLarge(std::string reason, std::string message);
Status ResourceExhausted(std::string reason, std::string message, std::chrono::seconds retry_after);
Status Internal(std::string message);
Status Unavailable(std::string reason, std::string message);

/// HTTP status for a code (200 for kOk).
int HttpStatusOf(Code code);
/// gRPC status code number (grpc::StatusCode values) for a code.
int GrpcCodeOf(Code code);
/// Douyin `status_code`: 0 for kOk, otherwise the HTTP status, so the number reads the same
/// on both APIs.
int DouyinStatusCodeOf(Code code);
/// Lower-case canonical name ("not_found"), for logs.
std::string_view CodeName(Code code);

/// An exception that says which Status it should become where a request is answered (the
/// HTTP recover middleware, the gRPC service adapters): for failures deep under interfaces
/// that return plain values, such as a database that cannot be reached (db::Error's
/// kUnavailable becomes 503 STORE_UNAVAILABLE). Other exceptions stay a 500 without details.
class StatusError : public std::runtime_error {
 public:
  StatusError(Status status, const std::string& what)
      : std::runtime_error(what), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

/// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  /// The error; Status::Ok() when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace reel
