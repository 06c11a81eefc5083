#include "kit/status/status.hpp"

namespace reel {
namespace {

struct CodeRow {
  Code code;
  std::string_view name;
  int http;
  int grpc;  // grpc::StatusCode numbering
};

constexpr CodeRow kCodeTable[] = {
    {Code::kOk, "ok", 200, 0},
    {Code::kInvalidArgument, "invalid_argument", 400, 3},
    {Code::kUnauthenticated, "unauthenticated", 401, 16},
    {Code::kPermissionDenied, "permission_denied", 403, 7},
    {Code::kNotFound, "not_found", 404, 5},
    {Code::kMethodNotAllowed, "method_not_allowed", 405, 12},
    {Code::kAlreadyExists, "already_exists", 409, 6},
    {Code::kPayloadTooLarge, "payload_too_large", 413, 8},
    {Code::kResourceExhausted, "resource_exhausted", 429, 8},
    {Code::kInternal, "internal", 500, 13},
    {Code::kUnavailable, "unavailable", 503, 14},
};

const CodeRow& RowOf(Code code) {
  for (const auto& row : kCodeTable) {
    if (row.code == code) return row;
  }
  return kCodeTable[9];  // kInternal: unreachable while the table covers the enum
}

Status Make(Code code, std::string reason, std::string message) {
  return Status{code, std::move(reason), std::move(message), std::chrono::seconds{0}};
}

}  // namespace

Status InvalidArgument(std::string reason, std::string message) {
  return Make(Code::kInvalidArgument, std::move(reason), std::move(message));
}
Status Unauthenticated(std::string reason, std::string message) {
  return Make(Code::kUnauthenticated, std::move(reason), std::move(message));
}
Status PermissionDenied(std::string reason, std::string message) {
  return Make(Code::kPermissionDenied, std::move(reason), std::move(message));
}
Status NotFound(std::string reason, std::string message) {
  return Make(Code::kNotFound, std::move(reason), std::move(message));
}
Status MethodNotAllowed(std::string reason, std::string message) {
  return Make(Code::kMethodNotAllowed, std::move(reason), std::move(message));
}
Status AlreadyExists(std::string reason, std::string message) {
  return Make(Code::kAlreadyExists, std::move(reason), std::move(message));
}
Status PayloadTooLarge(std::string reason, std::string message) {
  return Make(Code::kPayloadTooLarge, std::move(reason), std::move(message));
}
Status ResourceExhausted(std::string reason, std::string message,
                         std::chrono::seconds retry_after) {
  Status status = Make(Code::kResourceExhausted, std::move(reason), std::move(message));
  status.retry_after = retry_after;
  return status;
}
Status Internal(std::string message) {
  return Make(Code::kInternal, "INTERNAL", std::move(message));
}
Status Unavailable(std::string reason, std::string message) {
  return Make(Code::kUnavailable, std::move(reason), std::move(message));
}

int HttpStatusOf(Code code) {
  return RowOf(code).http;
}
int GrpcCodeOf(Code code) {
  return RowOf(code).grpc;
}
int DouyinStatusCodeOf(Code code) {
  return code == Code::kOk ? 0 : RowOf(code).http;
}
std::string_view CodeName(Code code) {
  return RowOf(code).name;
}

}  // namespace reel
