#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace reel::e2e {
namespace {

using std::chrono::milliseconds;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

struct HeaderList {
  curl_slist* head = nullptr;
  ~HeaderList() { curl_slist_free_all(head); }
  void Append(const std::string& line) {
    if (curl_slist* next = curl_slist_append(head, line.c_str())) head = next;
  }
};

struct MimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  // Each status line starts a new response (after "100 Continue"); keep only the last one's.
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string name = Lower(Trim(line.substr(0, colon)));
  const std::string value(Trim(line.substr(colon + 1)));
  if (auto [it, inserted] = headers.emplace(name, value); !inserted) it->second += ", " + value;
  return size * count;
}

struct RequestSpec {
  std::string_view method{};
  std::string_view path{};
  std::optional<std::string_view> body{};
  std::string_view content_type{};
  const Pairs* headers = nullptr;
  curl_mime* mime = nullptr;
};

HttpResponse Perform(CURL* curl, int port, milliseconds timeout, const RequestSpec& spec) {
  HttpResponse response;
  if (!spec.path.starts_with('/')) {
    response.error = "path must start with '/': " + std::string(spec.path);
    return response;
  }
  // Reset keeps the connection cache, so keep-alive still works across requests.
  curl_easy_reset(curl);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + std::string(spec.path);
  const std::string method(spec.method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  // Tests talk to their own server only: no proxy from the environment, no redirects.
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // Send "/media/../x" as written: path-traversal tests must reach the server unsquashed.
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(timeout.count(), 2000)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  HeaderList headers;
  // The server need not implement "Expect: 100-continue"; without this curl would stall on
  // large bodies waiting for it.
  headers.Append("Expect:");
  if (!spec.content_type.empty()) {
    headers.Append("Content-Type: " + std::string(spec.content_type));
  } else if (spec.body && !spec.mime) {
    headers.Append("Content-Type:");  // curl would otherwise claim a urlencoded form
  }
  if (spec.headers != nullptr) {
    for (const auto& [name, value] : *spec.headers) {
      // "Name:" would tell curl to drop the header; "Name;" sends it with an empty value.
      headers.Append(value.empty() ? name + ";" : name + ": " + value);
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.head);

  if (spec.mime != nullptr) {
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, spec.mime);
  } else if (spec.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, spec.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body->size()));
  }
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" && method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method == "GET" && (spec.body || spec.mime)) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
  }

  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    response.status = 0;
    response.error = curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string FormEncode(const Pairs& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(name) + "=" + UrlEncode(value);
  }
  return out;
}

}  // namespace

void HttpClient::CurlCleanup::operator()(void* handle) const {
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

HttpClient::HttpClient(int port) : port_(port) {
  // curl_global_init is not thread-safe; the first client is made before any worker thread.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_.reset(curl_easy_init());
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::Get(std::string_view path, const Pairs& headers) {
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "GET", .path = path, .headers = &headers});
}

HttpResponse HttpClient::PostForm(std::string_view path, const Pairs& fields,
                                  const Pairs& headers) {
  const std::string body = FormEncode(fields);
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST",
                  .path = path,
                  .body = body,
                  .content_type = "application/x-www-form-urlencoded",
                  .headers = &headers});
}

HttpResponse HttpClient::PostJson(std::string_view path, std::string_view json,
                                  const Pairs& headers) {
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST",
                  .path = path,
                  .body = json,
                  .content_type = "application/json",
                  .headers = &headers});
}

HttpResponse HttpClient::PostMultipart(std::string_view path, const Pairs& fields,
                                       const Pairs& headers) {
  const std::unique_ptr<curl_mime, MimeFree> mime(curl_mime_init(curl_.get()));
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST", .path = path, .headers = &headers, .mime = mime.get()});
}

HttpResponse HttpClient::PostMultipartFiles(std::string_view path, const Pairs& fields,
                                            const std::vector<MultipartFile>& files,
                                            const Pairs& headers) {
  const std::unique_ptr<curl_mime, MimeFree> mime(curl_mime_init(curl_.get()));
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  for (const MultipartFile& file : files) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, file.field.c_str());
    // filedata streams the file from disk during the transfer (and names the part after it).
    if (curl_mime_filedata(part, file.path.c_str()) != CURLE_OK) {
      HttpResponse response;
      response.error = "cannot attach " + file.path.string();
      return response;
    }
    if (!file.filename.empty()) curl_mime_filename(part, file.filename.c_str());
    curl_mime_type(
        part, file.content_type.empty() ? "application/octet-stream" : file.content_type.c_str());
  }
  return Perform(curl_.get(), port_, timeout_,
                 {.method = "POST", .path = path, .headers = &headers, .mime = mime.get()});
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view path,
                                 std::string_view body, std::string_view content_type,
                                 const Pairs& headers) {
  std::optional<std::string_view> sent_body;
  if (!body.empty() || method == "POST") sent_body = body;
  return Perform(curl_.get(), port_, timeout_,
                 {.method = method,
                  .path = path,
                  .body = sent_body,
                  .content_type = content_type,
                  .headers = &headers});
}

rapidjson::Document HttpResponse::Json() const {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) doc.SetNull();
  return doc;
}

std::string HttpResponse::Header(std::string_view name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResponse::Describe() const {
  constexpr std::size_t kMaxBody = 600;
  std::string out = "HTTP " + std::to_string(status);
  if (!error.empty()) out += " (" + error + ")";
  out += ", body: " + body.substr(0, kMaxBody);
  if (body.size() > kMaxBody) out += "...";
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string WithQuery(std::string_view path, const Pairs& params) {
  std::string out(path);
  if (!params.empty()) out += (out.find('?') == std::string::npos ? "?" : "&") + FormEncode(params);
  return out;
}

}  // namespace reel::e2e
