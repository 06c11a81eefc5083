#include "kit/rpc/etcd_http.hpp"

#include <curl/curl.h>

#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "kit/curl/curl_handles.hpp"

namespace reel::rpc {
namespace {

using curl::EasyPtr;
using curl::ListPtr;
using curl::MultiPtr;

// Write callbacks run inside libcurl, a C library: an exception unwinding through its frames
// is undefined behaviour and would leave the transfer half torn down. Each callback catches
// everything (keeping it with std::current_exception, which cannot throw), returns 0, which
// makes curl abort the transfer with CURLE_WRITE_ERROR, and the caller turns what was caught
// into a Status once curl has returned.
struct StringSink {
  std::string body;
  std::exception_ptr error;
};

size_t AppendToString(char* data, size_t size, size_t count, void* sink_ptr) {
  auto& sink = *static_cast<StringSink*>(sink_ptr);
  try {
    sink.body.append(data, size * count);
    return size * count;
  } catch (...) {
    sink.error = std::current_exception();
    return 0;
  }
}

// Cuts the incoming bytes into lines for the caller; remembers whether the caller asked to
// stop so the resulting CURLE_WRITE_ERROR reads as a clean end, and what the caller threw
// (see StringSink) so it reads as a failure.
struct LineSplitter {
  const std::function<bool(std::string_view)>* on_line;
  std::string pending;
  bool stopped = false;
  std::exception_ptr error;

  bool Emit(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return true;
    if (!(*on_line)(line)) stopped = true;
    return !stopped;
  }
  static size_t Write(char* data, size_t size, size_t count, void* self_ptr) {
    auto& self = *static_cast<LineSplitter*>(self_ptr);
    try {
      self.pending.append(data, size * count);
      size_t start = 0;
      for (size_t nl = self.pending.find('\n'); nl != std::string::npos;
           nl = self.pending.find('\n', start)) {
        if (!self.Emit(std::string_view(self.pending).substr(start, nl - start))) return 0;
        start = nl + 1;
      }
      self.pending.erase(0, start);
      return size * count;
    } catch (...) {
      self.error = std::current_exception();
      return 0;
    }
  }
};

// The options every etcd request shares. A proxy from the environment is never wanted for
// a cluster-internal store, so it is switched off.
EasyPtr NewPost(const std::string& url, const std::string& body, curl_slist* headers) {
  EasyPtr easy(curl_easy_init());
  if (!easy) return easy;
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  return easy;
}

ListPtr JsonHeaders() {
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");
  return ListPtr(list);
}

Status TransportError(const std::string& url, CURLcode code) {
  return Unavailable("ETCD_UNREACHABLE", url + ": " + curl_easy_strerror(code));
}

// Outside libcurl again: what a callback threw becomes an Internal status naming it.
Status CallbackError(const std::string& url, const std::exception_ptr& error) {
  std::string what = "an exception of unknown type";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  return Internal(url + ": handling etcd's answer failed: " + what);
}

}  // namespace

Result<HttpReply> PostJson(const std::string& url, const std::string& body,
                           std::chrono::milliseconds timeout) {
  curl::EnsureInitialised();
  ListPtr headers = JsonHeaders();
  EasyPtr easy = NewPost(url, body, headers.get());
  if (!easy) return Internal("curl_easy_init failed");
  StringSink sink;
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &AppendToString);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &sink);
  CURLcode code = curl_easy_perform(easy.get());
  if (sink.error) return CallbackError(url, sink.error);
  if (code != CURLE_OK) return TransportError(url, code);
  HttpReply reply;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(sink.body);
  return reply;
}

void HttpStreamCancel::Cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  if (multi_ != nullptr) curl_multi_wakeup(static_cast<CURLM*>(multi_));
}

bool HttpStreamCancel::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

// Publishes the running transfer's multi handle to Cancel() for as long as it lives.
class HttpStreamScope {
 public:
  HttpStreamScope(HttpStreamCancel& cancel, CURLM* multi) : cancel_(cancel) {
    std::lock_guard lock(cancel_.mu_);
    cancel_.multi_ = multi;
  }
  ~HttpStreamScope() {
    std::lock_guard lock(cancel_.mu_);
    cancel_.multi_ = nullptr;
  }
  HttpStreamScope(const HttpStreamScope&) = delete;
  HttpStreamScope& operator=(const HttpStreamScope&) = delete;

 private:
  HttpStreamCancel& cancel_;
};

Status PostJsonStream(const std::string& url, const std::string& body,
                      std::chrono::milliseconds connect_timeout,
                      const std::function<bool(std::string_view line)>& on_line,
                      HttpStreamCancel& cancel) {
  curl::EnsureInitialised();
  ListPtr headers = JsonHeaders();
  EasyPtr easy = NewPost(url, body, headers.get());
  MultiPtr multi(curl_multi_init());
  if (!easy || !multi) return Internal("curl init failed");
  LineSplitter splitter{&on_line, {}, false, {}};
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 10L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 5L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &LineSplitter::Write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &splitter);
  if (CURLMcode added = curl_multi_add_handle(multi.get(), h); added != CURLM_OK) {
    return Internal(std::string("curl_multi_add_handle failed: ") + curl_multi_strerror(added));
  }

  CURLcode result = CURLE_OK;
  {
    HttpStreamScope scope(cancel, multi.get());
    int running = 1;
    while (running > 0 && !cancel.cancelled()) {
      if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
    }
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
      if (msg->msg == CURLMSG_DONE) result = msg->data.result;
    }
  }
  curl_multi_remove_handle(multi.get(), h);

  // The caller's failure first: it is why curl stopped, even if a cancel came meanwhile.
  if (splitter.error) return CallbackError(url, splitter.error);
  if (cancel.cancelled() || splitter.stopped) return Status::Ok();
  if (result != CURLE_OK) return TransportError(url, result);
  if (!splitter.pending.empty()) {
    // The last line, without its newline: outside curl now, but it is still the caller's
    // code, so it fails the same way.
    try {
      splitter.Emit(splitter.pending);
    } catch (...) {
      return CallbackError(url, std::current_exception());
    }
  }
  return Status::Ok();
}

}  // namespace reel::rpc
