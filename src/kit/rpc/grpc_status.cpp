#include "kit/rpc/grpc_status.hpp"

#include <charconv>
#include <optional>
#include <string>

namespace reel::rpc {
namespace {

// error_details of a status sent by ToGrpcStatus: "<tag> <code name> <retry_after s>
// <reason>". The reason comes last so it may hold any bytes; the tag tells our details
// apart from whatever another gRPC peer might put there.
constexpr std::string_view kDetailsTag = "reel.status.v1";

constexpr Code kAllCodes[] = {
    Code::kOk,
    Code::kInvalidArgument,
    Code::kUnauthenticated,
    Code::kPermissionDenied,
    Code::kNotFound,
    Code::kMethodNotAllowed,
    Code::kAlreadyExists,
    Code::kPayloadTooLarge,
    Code::kResourceExhausted,
    Code::kInternal,
    Code::kUnavailable,
};

std::optional<Code> CodeNamed(std::string_view name) {
  for (Code code : kAllCodes) {
    if (CodeName(code) == name) return code;
  }
  return std::nullopt;
}

// Cuts the text up to the next space off the front of `rest`.
std::optional<std::string_view> NextWord(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view word = rest.substr(0, space);
  rest.remove_prefix(space + 1);
  return word;
}

std::optional<Status> ParseDetails(std::string_view details, std::string_view message) {
  std::string_view rest = details;
  const auto tag = NextWord(rest);
  if (!tag || *tag != kDetailsTag) return std::nullopt;
  const auto code_name = NextWord(rest);
  const auto retry_text = NextWord(rest);
  if (!code_name || !retry_text) return std::nullopt;
  const std::optional<Code> code = CodeNamed(*code_name);
  long long retry_seconds = 0;
  const auto [end, error] =
      std::from_chars(retry_text->data(), retry_text->data() + retry_text->size(), retry_seconds);
  if (!code || *code == Code::kOk || error != std::errc() ||
      end != retry_text->data() + retry_text->size() || retry_seconds < 0) {
    return std::nullopt;
  }
  return Status{*code, std::string(rest), std::string(message),
                std::chrono::seconds(retry_seconds)};
}

std::string GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "code " + std::to_string(static_cast<int>(code));
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string details(kDetailsTag);
  details += ' ';
  details += CodeName(status.code);
  details += ' ';
  details += std::to_string(status.retry_after.count());
  details += ' ';
  details += status.reason;
  return grpc::Status(static_cast<grpc::StatusCode>(GrpcCodeOf(status.code)), status.message,
                      std::move(details));
}

Status FromGrpcStatus(const grpc::Status& status, std::string_view what) {
  if (status.ok()) return Status::Ok();
  if (std::optional<Status> sent = ParseDetails(status.error_details(), status.error_message())) {
    return *std::move(sent);
  }
  std::string message(what);
  message += ": ";
  // Transport messages name internal addresses; clients get a sentence, the caller's log
  // keeps the detail.
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return Unavailable("DEPENDENCY_UNAVAILABLE", message + "the service is not reachable");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Unavailable("DEPENDENCY_TIMEOUT", message + "the service did not answer in time");
    default:
      return Internal(message + "gRPC " + GrpcCodeName(status.error_code()) + ": " +
                      status.error_message());
  }
}

bool IsTransportFailure(const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
      status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
    return false;
  }
  return !ParseDetails(status.error_details(), status.error_message()).has_value();
}

}  // namespace reel::rpc
