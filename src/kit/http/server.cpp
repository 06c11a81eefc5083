#include "kit/http/server.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <restinio/all.hpp>
#include <thread>

#include "kit/log/log.hpp"

namespace reel::http {
namespace {

using Traits = restinio::default_traits_t;
using RestinioServer = restinio::http_server_t<Traits>;

std::string ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status " + std::to_string(status);
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Request ToRequest(const restinio::request_handle_t& req) {
  Request r;
  const auto& header = req->header();
  r.method = std::string(header.method().c_str());
  r.path = std::string(header.path());
  r.query = std::string(header.query());
  header.for_each_field([&r](const restinio::http_header_field_t& field) {
    r.headers.emplace_back(Lower(field.name()), field.value());
  });
  r.body = req->body();
  r.remote_ip = req->remote_endpoint().address().to_string();
  return r;
}

void Send(const restinio::request_handle_t& req, Response&& response) {
  auto out = req->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
      ReasonPhrase(response.status)});
  for (auto& [name, value] : response.headers) out.append_header(name, std::move(value));
  out.set_body(std::move(response.body));
  out.done();
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServer& owner, std::vector<Middleware> middleware) : owner_(owner) {
    // Innermost: dispatch to the matched route and render its refusals.
    chain_ = [](Request& req) -> Response {
      if (req.method_not_allowed) {
        Response r = RenderApiError(
            InvalidArgument("METHOD_NOT_ALLOWED", req.method + " is not allowed on " + req.path));
        r.status = 405;
        return r;
      }
      if (!req.route)
        return RenderApiError(NotFound("ROUTE_NOT_FOUND", "no route for " + req.path));
      Result<Response> result = req.route->handler(req);
      return result.ok() ? std::move(result).value() : RenderError(req, result.status());
    };
    for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
      chain_ = [mw = std::move(*it), next = std::move(chain_)](Request& req) {
        return mw(req, next);
      };
    }
  }

  restinio::request_handling_status_t Handle(const restinio::request_handle_t& handle) {
    ++in_flight_;
    Request req = ToRequest(handle);
    auto match = owner_.router_.Find(req.method, req.path);
    req.route = match.route;
    req.path_params = std::move(match.params);
    req.method_not_allowed = !match.route && match.path_known;
    Send(handle, chain_(req));
    if (--in_flight_ == 0) {
      // Taking the lock orders this notify after a drainer's predicate check.
      { std::lock_guard lock(idle_mutex_); }
      idle_.notify_all();
    }
    return restinio::request_accepted();
  }

  void Start() {
    const HttpConfig& cfg = owner_.config_;
    auto settings =
        restinio::server_settings_t<Traits>{}
            .port(static_cast<std::uint16_t>(cfg.port))
            .address(cfg.host)
            .max_pipelined_requests(1)
            .incoming_http_msg_limits(
                restinio::incoming_http_msg_limits_t{}.max_body_size(cfg.max_body_bytes))
            .request_handler([this](auto handle) { return Handle(handle); });
    server_ =
        std::make_unique<RestinioServer>(restinio::external_io_context(io_), std::move(settings));
    server_->open_sync();  // throws when the port cannot be bound
    signals_.async_wait([this](const asio::error_code& ec, int) {
      if (!ec) BeginStop();
    });
    const int threads =
        cfg.threads > 0 ? cfg.threads
                        : std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) pool_.emplace_back([this] { io_.run(); });
  }

  void BeginStop() {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
    stop_requested_.notify_all();
  }

  void Run() {
    {
      std::unique_lock lock(stop_mutex_);
      stop_requested_.wait(lock, [this] { return stopping_; });
    }
    owner_.readiness_.SetDraining();
    log::Info("stopping: draining in-flight requests", {{"in_flight", in_flight_.load()}});
    asio::post(io_, [this] { server_->close_sync(); });
    {
      std::unique_lock lock(idle_mutex_);
      idle_.wait_for(lock, owner_.config_.drain_timeout, [this] { return in_flight_.load() == 0; });
    }
    // Responses are handed to asio when the handler returns; give the writes a moment.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    io_.stop();
    for (auto& t : pool_) t.join();
    pool_.clear();
    log::Info("stopped", {{"unfinished", in_flight_.load()}});
  }

  ~Impl() {
    if (!pool_.empty()) {
      io_.stop();
      for (auto& t : pool_) t.join();
    }
  }

 private:
  HttpServer& owner_;
  Next chain_;
  asio::io_context io_;
  asio::signal_set signals_{io_, SIGINT, SIGTERM};
  std::unique_ptr<RestinioServer> server_;
  std::vector<std::thread> pool_;
  std::atomic<int> in_flight_{0};
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  std::mutex stop_mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
};

HttpServer::HttpServer(HttpConfig config, Router router, std::vector<Middleware> middleware,
                       Readiness& readiness)
    : config_(std::move(config)), router_(std::move(router)), readiness_(readiness) {
  impl_ = std::make_unique<Impl>(*this, std::move(middleware));
}

HttpServer::~HttpServer() = default;

void HttpServer::Start() {
  try {
    impl_->Start();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + config_.host + ":" +
                             std::to_string(config_.port) + ": " + e.what());
  }
  log::Info("listening", {{"host", config_.host}, {"port", config_.port}});
}

void HttpServer::Run() {
  impl_->Run();
}
void HttpServer::Stop() {
  impl_->BeginStop();
}

}  // namespace reel::http
