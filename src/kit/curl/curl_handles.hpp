#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>

// libcurl's handles owned by unique_ptr, and its one-time global set-up: what every client
// built on libcurl here (etcd's gateway, S3) needs before its first request.
namespace reel::curl {

/// curl_global_init, once per process, before the first handle (it is not thread-safe
/// itself, so it must not be left to each handle's first use).
inline void EnsureInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using ListPtr = std::unique_ptr<curl_slist, ListDeleter>;
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;

}  // namespace reel::curl
