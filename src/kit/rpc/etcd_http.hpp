#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "kit/status/status.hpp"

namespace reel::rpc {

/// libcurl POSTs of JSON bodies, for the etcd client. Internal to kit/rpc.

struct HttpReply {
  long status = 0;
  std::string body;
};

/// POSTs `body` as application/json; a transport failure (refused, timed out) is an
/// Unavailable status, any HTTP answer is a reply. Internal when the answer cannot be held
/// (out of memory).
Result<HttpReply> PostJson(const std::string& url, const std::string& body,
                           std::chrono::milliseconds timeout);

/// Lets another thread end a PostJsonStream at once (it wakes the transfer's poll).
/// Once cancelled it stays cancelled. Thread-safe.
class HttpStreamCancel {
 public:
  void Cancel();
  bool cancelled() const;

 private:
  friend class HttpStreamScope;
  mutable std::mutex mu_;
  void* multi_ = nullptr;  // the CURLM* of the running transfer, if any
  bool cancelled_ = false;
};

/// POSTs `body` and calls `on_line` with each newline-terminated line of the answer as it
/// arrives, until the server ends the answer (Ok), `on_line` returns false (Ok), `cancel`
/// fires (Ok) or the transfer fails (Unavailable). Only connecting is bounded by
/// `connect_timeout`; an idle stream stays open (TCP keep-alive notices dead peers).
/// A non-2xx answer is passed to `on_line` like a stream line. When `on_line` throws, the
/// exception never crosses libcurl: the transfer is aborted and the result is Internal,
/// its message carrying the exception's what().
Status PostJsonStream(const std::string& url, const std::string& body,
                      std::chrono::milliseconds connect_timeout,
                      const std::function<bool(std::string_view line)>& on_line,
                      HttpStreamCancel& cancel);

}  // namespace reel::rpc
