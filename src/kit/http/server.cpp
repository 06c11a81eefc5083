#include "kit/http/server.hpp"

#include <fcntl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "kit/http/file_slice_body.hpp"
#include "kit/http/trusted_proxies.hpp"
#include "kit/http/upload_spool.hpp"
#include "kit/log/log.hpp"

namespace reel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(75);
constexpr auto kReadTimeout = std::chrono::seconds(60);
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
// A longer request target is answered 414 (it sits inside the header limit otherwise).
constexpr std::size_t kMaxTargetBytes = 8 * 1024;
constexpr std::size_t kBodyReadBytes = 64 * 1024;
constexpr std::size_t kStreamChunkBytes = 64 * 1024;
// After refusing a body it did not read, the server keeps reading (and dropping) for this
// long before it closes, so the client or a proxy gets the refusal instead of a reset.
constexpr auto kLingerTimeout = std::chrono::seconds(3);
// Out of descriptors (or memory), accept fails at once for as long as the condition lasts, so
// retrying at once spins a core; the accept loop waits instead, doubling up to the maximum.
constexpr auto kAcceptBackoffMin = std::chrono::milliseconds(10);
constexpr auto kAcceptBackoffMax = std::chrono::milliseconds(1000);
// Warnings about refused accepts and connections are at most this frequent (an attacker
// controls how often they happen).
constexpr auto kWarnInterval = std::chrono::seconds(10);

auto Awaitable(beast::error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

// Beast 1.74 speaks boost::string_view.
std::string_view View(beast::string_view s) {
  return {s.data(), s.size()};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Request ToRequest(const bhttp::request_header<>& header, const std::string& peer_ip,
                  const TrustedProxies& proxies) {
  Request r;
  r.method = std::string(View(header.method_string()));
  const std::string_view target = View(header.target());
  const auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
  for (const auto& field : header) {
    r.headers.emplace_back(Lower(View(field.name_string())), std::string(View(field.value())));
  }
  r.peer_ip = peer_ip;
  if (proxies.empty()) {
    r.remote_ip = peer_ip;
  } else {
    std::string forwarded;  // every X-Forwarded-For line, in order, as one list
    for (const auto& [name, value] : r.headers) {
      if (name != "x-forwarded-for") continue;
      if (!forwarded.empty()) forwarded += ',';
      forwarded += value;
    }
    r.remote_ip = proxies.ClientAddress(peer_ip, forwarded);
  }
  return r;
}

// Failures to accept that last while the process is short of something (descriptors,
// memory); other failures concern one connection and the next accept may succeed.
bool OutOfResources(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory ||
         (ec.category() == asio::error::get_system_category() && ec.value() == ENFILE);
}

// Why a header could not be read, when that deserves an answer: the status, a reason and a
// sentence. Nothing when the client went away or stayed silent (timeout), or sent nothing.
struct Refusal {
  int status = 400;
  std::string reason;
  std::string message;
  std::string path;  // the request's path when readable, for the answer's shape
};

// The path of a request line at the start of `raw` ("GET /x?y HTTP/1.1"), or empty.
std::string PathOfRequestLine(std::string_view raw) {
  const auto space = raw.find(' ');
  if (space == std::string_view::npos) return {};
  raw.remove_prefix(space + 1);
  const auto end = raw.find_first_of(" ?\r\n");
  raw = raw.substr(0, end);
  return raw.starts_with('/') ? std::string(raw) : std::string();
}

std::optional<Refusal> RefusalFor(const beast::error_code& ec,
                                  const bhttp::request_parser<bhttp::empty_body>& head,
                                  const beast::flat_buffer& buffer) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category() ||
      ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return std::nullopt;
  }
  // Once its request line is parsed, the parser holds the target and the buffer no longer
  // has it; before that, the buffer starts with the line.
  const std::string_view target = View(head.get().target());
  const std::string_view raw(static_cast<const char*>(buffer.data().data()), buffer.data().size());
  Refusal r;
  r.path = target.empty() ? PathOfRequestLine(raw.substr(0, kMaxTargetBytes))
                          : std::string(target.substr(0, target.find('?')));
  if (ec == bhttp::error::header_limit && target.empty()) {
    // The request line alone filled the header limit.
    r.status = 414;
    r.reason = "URI_TOO_LONG";
    r.message = "the request target is longer than " + std::to_string(kMaxTargetBytes) + " bytes";
  } else if (ec == bhttp::error::header_limit) {
    r.status = 431;
    r.reason = "HEADER_TOO_LARGE";
    r.message = "the request header is larger than " + std::to_string(kMaxHeaderBytes) + " bytes";
  } else {
    r.reason = "BAD_REQUEST";
    r.message = "the request is not valid HTTP: " + ec.message();
  }
  return r;
}

template <typename Body>
void CopyHeaders(bhttp::response<Body>& out, const Response& in, bool keep_alive) {
  for (const auto& [name, value] : in.headers) {
    if (name != "content-length") out.set(name, value);
  }
  out.set(bhttp::field::server, "reel");
  out.keep_alive(keep_alive);
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServer& owner, std::vector<Middleware> middleware, TrustedProxies proxies)
      : owner_(owner), proxies_(std::move(proxies)) {
    // Innermost: the matched route, or why there is none (in the path's API shape).
    chain_ = [](Request& req) -> Response {
      if (!req.body_error.ok()) return RenderError(req, req.body_error);
      if (req.method_not_allowed) {
        return RenderError(req, MethodNotAllowed("METHOD_NOT_ALLOWED",
                                                 req.method + " is not allowed on " + req.path));
      }
      if (!req.route)
        return RenderError(req, NotFound("ROUTE_NOT_FOUND", "no route for " + req.path));
      Result<Response> result = req.route->handler(req);
      return result.ok() ? std::move(result).value() : RenderError(req, result.status());
    };
    for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
      chain_ = [mw = std::move(*it), next = std::move(chain_)](Request& req) {
        return mw(req, next);
      };
    }
  }

  void Start() {
    const HttpConfig& cfg = owner_.config_;
    spool_dir_ =
        cfg.spool_dir.empty() ? std::filesystem::temp_directory_path().string() : cfg.spool_dir;
    std::filesystem::create_directories(spool_dir_);
    // What a crash mid-upload left behind (files of processes that no longer run).
    if (const std::size_t removed = RemoveStaleUploads(spool_dir_); removed > 0) {
      log::Info("removed stale upload spool files",
                {{"dir", spool_dir_}, {"files", static_cast<std::int64_t>(removed)}});
    }
    // The pools first: a request may arrive as soon as the I/O threads run.
    const int blocking = cfg.blocking_threads > 0
                             ? cfg.blocking_threads
                             : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    blocking_.emplace(static_cast<std::size_t>(blocking));
    writes_.emplace(static_cast<std::size_t>(cfg.write_threads > 0 ? cfg.write_threads : 32));
    const tcp::endpoint endpoint(asio::ip::make_address(cfg.host),
                                 static_cast<unsigned short>(cfg.port));
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);  // throws when the port is taken
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(accept_strand_, Accept(), asio::detached);
    signals_.async_wait([this](const beast::error_code& ec, int) {
      if (!ec) BeginStop();
    });
    const int threads =
        cfg.threads > 0 ? cfg.threads
                        : std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) pool_.emplace_back([this] { io_.run(); });
  }

  int port() const { return port_; }
  std::uint64_t accept_errors() const { return accept_errors_.load(std::memory_order_relaxed); }
  std::uint64_t refused_connections() const {
    return refused_connections_.load(std::memory_order_relaxed);
  }

  void BeginStop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }

  void Run() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return Stopping(); });
    owner_.readiness_.SetDraining();
    log::Info("stopping: draining in-flight requests", {{"in_flight", in_flight_.load()}});
    // On the accept loop's strand: closing the acceptor while another thread starts the
    // next accept on it crashes (a connection accepted just as the stop began).
    asio::post(accept_strand_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    // A request counts as in flight until its response is written, so this wait is the drain.
    changed_.wait_for(lock, owner_.config_.drain_timeout,
                      [this] { return in_flight_.load() == 0; });
    const int unfinished = in_flight_.load();
    lock.unlock();
    io_.stop();
    for (auto& t : pool_) t.join();
    pool_.clear();
    StopPools();
    log::Info("stopped", {{"unfinished", unfinished}});
  }

  ~Impl() {
    io_.stop();
    for (auto& t : pool_) t.join();
    StopPools();
  }

 private:
  // Runs on accept_strand_ alone, so its own state (backoff, warning times) needs no lock.
  asio::awaitable<void> Accept() {
    auto backoff = kAcceptBackoffMin;
    asio::steady_timer timer(accept_strand_);
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(Awaitable(ec));
      if (ec) {
        if (!acceptor_.is_open()) co_return;
        if (!OutOfResources(ec)) continue;  // that connection failed; the next may not
        // Keep serving the connections we have, and try again once some may have closed.
        const std::uint64_t total = accept_errors_.fetch_add(1, std::memory_order_relaxed) + 1;
        WarnAtMostEvery(last_accept_warning_, "cannot accept connections; retrying",
                        {{"error", ec.message()},
                         {"accept_errors", static_cast<std::int64_t>(total)},
                         {"retry_ms", static_cast<std::int64_t>(backoff.count())}});
        timer.expires_after(backoff);
        co_await timer.async_wait(Awaitable(ec));
        backoff = std::min(backoff * 2, kAcceptBackoffMax);
        continue;
      }
      backoff = kAcceptBackoffMin;
      const auto peer = socket.remote_endpoint(ec);
      if (ec) continue;  // gone already
      std::string peer_ip = peer.address().to_string();
      if (!Admit(peer_ip)) {
        const std::uint64_t total =
            refused_connections_.fetch_add(1, std::memory_order_relaxed) + 1;
        WarnAtMostEvery(last_refusal_warning_, "too many connections from one address; closing",
                        {{"ip", peer_ip},
                         {"limit", owner_.config_.max_connections_per_client},
                         {"refused_connections", static_cast<std::int64_t>(total)}});
        socket.close(ec);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(io_, Session(std::move(socket), std::move(peer_ip)), asio::detached);
    }
  }

  void WarnAtMostEvery(std::optional<std::chrono::steady_clock::time_point>& last,
                       std::string_view message, log::Fields fields) {
    const auto now = std::chrono::steady_clock::now();
    if (last && now - *last < kWarnInterval) return;
    last = now;
    log::Warn(message, fields);
  }

  // The per-address connection count: Admit when a connection is accepted, Release when it
  // ends. Trusted proxies are not counted: one proxy connection carries many clients.
  bool Admit(const std::string& peer_ip) {
    const int limit = owner_.config_.max_connections_per_client;
    if (limit <= 0 || proxies_.Contains(peer_ip)) return true;
    std::lock_guard lock(connections_mutex_);
    int& open = connections_[peer_ip];
    if (open >= limit) return false;
    ++open;
    return true;
  }
  void Release(const std::string& peer_ip) {
    const int limit = owner_.config_.max_connections_per_client;
    if (limit <= 0 || proxies_.Contains(peer_ip)) return;
    std::lock_guard lock(connections_mutex_);
    if (auto it = connections_.find(peer_ip); it != connections_.end() && --it->second <= 0) {
      connections_.erase(it);  // the map holds only addresses with connections open
    }
  }
  // Releases a connection's place however its session ends (also when the io_context is
  // destroyed with the session suspended, which is why the map outlives io_).
  struct Admitted {
    Impl& impl;
    std::string ip;
    ~Admitted() { impl.Release(ip); }
  };

  // Counted with atomics on the hot path; the mutex is only for waking the drainer.
  void Enter() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void Leave() {
    if (in_flight_.fetch_sub(1, std::memory_order_acq_rel) == 1 && Stopping()) {
      std::lock_guard lock(mutex_);
      changed_.notify_all();
    }
  }
  bool Stopping() const { return stopping_.load(std::memory_order_acquire); }

  // One connection: requests are read and answered in order (keep-alive, pipelining).
  asio::awaitable<void> Session(tcp::socket socket, std::string peer_ip) {
    const Admitted admitted{*this, peer_ip};
    const std::string& remote_ip = admitted.ip;
    beast::error_code ec;
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool body_unread = false;  // the last request's body was refused without being read
    for (bool keep_alive = true; keep_alive && !Stopping();) {
      bhttp::request_parser<bhttp::empty_body> head;
      head.header_limit(kMaxHeaderBytes);
      // The route decides the limit once it is known. (Not boost::none: Beast 1.74 compares
      // the length against an empty optional and refuses every body.)
      head.body_limit(std::numeric_limits<std::uint64_t>::max());
      stream.expires_after(kIdleTimeout);
      co_await bhttp::async_read_header(stream, buffer, head, Awaitable(ec));
      std::optional<Refusal> refusal;
      if (ec) {
        refusal = RefusalFor(ec, head, buffer);
      } else if (head.get().target().size() > kMaxTargetBytes) {
        refusal = Refusal{
            414,
            "URI_TOO_LONG",
            "the request target is longer than " + std::to_string(kMaxTargetBytes) + " bytes",
            {}};
        const std::string_view target = View(head.get().target());
        refusal->path = std::string(target.substr(0, std::min(target.find('?'), kMaxTargetBytes)));
      }
      if (refusal) {
        // Answered before any route or middleware (there is no request to give them), then
        // closed: what follows in the stream cannot be trusted to start a request.
        log::Info("request refused",
                  {{"status", refusal->status}, {"reason", refusal->reason}, {"ip", remote_ip}});
        Request req;
        req.method = "GET";  // so the answer carries its body
        const Response response =
            RenderProtocolError(refusal->path, refusal->status, refusal->reason, refusal->message);
        stream.expires_after(kReadTimeout);
        co_await Write(stream, req, response, false, 11);
        body_unread = true;  // the rest of the header, perhaps a body
        break;
      }
      if (ec) break;  // closed, idle too long
      Enter();
      try {
        keep_alive = co_await Exchange(stream, buffer, head, remote_ip, body_unread);
      } catch (const std::exception& e) {
        // Middleware turns handler failures into 500s; this is the transport failing.
        log::Error("connection failed", {{"error", e.what()}, {"ip", remote_ip}});
        keep_alive = false;
      }
      Leave();
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (body_unread) co_await DropUntilClosed(stream);
  }

  // Lingering close: closing a socket with unread data makes the kernel send a reset,
  // which can reach the client before the refusal it was sent (nginx then reports the
  // upstream as failed, 502, instead of passing our 413 on). So after the refusal is sent
  // and our side is shut, the rest of the body is read and dropped until the client closes,
  // for at most kLingerTimeout.
  static asio::awaitable<void> DropUntilClosed(beast::tcp_stream& stream) {
    beast::error_code ec;
    std::vector<char> scratch(kBodyReadBytes);
    stream.expires_after(kLingerTimeout);
    while (!ec) {
      co_await stream.async_read_some(asio::buffer(scratch), Awaitable(ec));
    }
  }

  // Reads one request's body as its route wants, answers it; false when the connection must
  // close (body left unread, client asked, or the write failed).
  asio::awaitable<bool> Exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 bhttp::request_parser<bhttp::empty_body>& head,
                                 const std::string& ip, bool& body_unread) {
    Request req = ToRequest(head.get(), ip, proxies_);
    auto match = owner_.router_.Find(req.method == "HEAD" ? "GET" : req.method, req.path);
    req.route = match.route;
    req.path_params = std::move(match.params);
    req.method_not_allowed = !match.route && match.path_known;
    bool keep_alive = head.get().keep_alive();
    const std::uint64_t limit = req.route && req.route->max_body_bytes > 0
                                    ? req.route->max_body_bytes
                                    : owner_.config_.max_body_bytes;
    std::optional<UploadSpool> spool;  // only upload routes need one
    beast::error_code ec;
    const bool has_body = head.chunked() || head.content_length().value_or(0) > 0;
    if (has_body && head.content_length() && *head.content_length() > limit) {
      // Refused from the header alone; the unread body rules out reusing the connection.
      req.body_error = TooLarge(limit);
      keep_alive = false;
      body_unread = true;
    } else if (has_body) {
      if (head.get()[bhttp::field::expect] == "100-continue") {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, head.get().version()};
        co_await bhttp::async_write(stream, go_on, Awaitable(ec));
        if (ec) co_return false;
      }
      stream.expires_after(kReadTimeout);
      // Beast reads as much as the buffer has room for; after a header that is a few hundred
      // bytes, which turns a large body into tens of thousands of reads.
      buffer.reserve(kBodyReadBytes);
      const bool spooled =
          req.route && req.route->upload && !MultipartBoundary(req.Header("content-type")).empty();
      if (spooled) {
        spool.emplace(spool_dir_);
        req.body_error = co_await ReadSpooled(stream, buffer, head, req, *spool, limit);
      } else {
        bhttp::request_parser<bhttp::string_body> full(std::move(head));
        full.body_limit(limit);
        co_await bhttp::async_read(stream, buffer, full, Awaitable(ec));
        if (ec == bhttp::error::body_limit) {
          req.body_error = TooLarge(limit);
        } else if (ec) {
          log::Warn("request body unreadable", {{"error", ec.message()}});
          co_return false;
        } else {
          req.body = std::move(full.get().body());
        }
      }
      if (!req.body_error.ok()) {
        keep_alive = false;
        body_unread = true;  // reading stopped at the limit
      }
    }
    // (Not a ?: around co_await: GCC 12 miscompiles that.)
    Response response;
    if (asio::thread_pool* pool = PoolFor(req)) {
      response = co_await RunOn(*pool, req);
    } else {
      response = chain_(req);
    }
    keep_alive = keep_alive && !Stopping();
    const bool ok =
        co_await Write(stream, req, std::move(response), keep_alive, head.get().version());
    co_return ok&& keep_alive;
  }

  // Where a request's handler runs: CPU-heavy routes on the blocking pool (one thread per
  // core); requests that change something on the write pool, since a durable write mostly
  // waits for its group commit and the more wait together the more each commit carries
  // (favorite actions at 1M videos: 3,357/s with 4 writers, 5,625/s with 16); reads inline
  // on the I/O thread. Null: inline.
  asio::thread_pool* PoolFor(const Request& req) {
    if (!req.route || !req.body_error.ok()) return nullptr;
    if (req.route->blocking) return &*blocking_;
    if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") return &*writes_;
    return nullptr;
  }

  // Runs the request on `pool`, which takes requests in the order they were read; this
  // coroutine resumes on its I/O thread when the response is ready.
  asio::awaitable<Response> RunOn(asio::thread_pool& pool, Request& req) {
    co_return co_await asio::co_spawn(
        pool, [this, &req]() -> asio::awaitable<Response> { co_return chain_(req); },
        asio::use_awaitable);
  }

  void StopPools() {
    for (auto* pool : {&blocking_, &writes_}) {
      if (!*pool) continue;
      (*pool)->stop();
      (*pool)->join();
      pool->reset();
    }
  }

  static Status TooLarge(std::uint64_t limit) {
    const std::string shown = limit >= (1u << 20) ? std::to_string(limit >> 20) + " MiB"
                                                  : std::to_string(limit) + " bytes";
    return PayloadTooLarge("BODY_TOO_LARGE",
                           "the request body is larger than the limit of " + shown);
  }

  // Streams a multipart body through the spool: files to disk, text fields to the request.
  asio::awaitable<Status> ReadSpooled(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                      bhttp::request_parser<bhttp::empty_body>& head, Request& req,
                                      UploadSpool& spool, std::uint64_t limit) {
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(head));
    parser.body_limit(limit);
    spool.Begin(MultipartBoundary(req.Header("content-type")));
    std::vector<char> chunk(kBodyReadBytes);
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      beast::error_code ec;
      stream.expires_after(kReadTimeout);
      co_await bhttp::async_read_some(stream, buffer, parser, Awaitable(ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == bhttp::error::body_limit) co_return TooLarge(limit);
      if (ec)
        co_return InvalidArgument("BODY_INCOMPLETE", "the upload was cut off: " + ec.message());
      const std::size_t got = chunk.size() - parser.get().body().size;
      if (Status s = spool.Feed({chunk.data(), got}); !s.ok()) co_return s;
    }
    if (Status s = spool.Finish(); !s.ok()) co_return s;
    spool.MoveInto(req);
    co_return Status::Ok();
  }

  asio::awaitable<bool> Write(beast::tcp_stream& stream, const Request& req, Response response,
                              bool keep_alive, unsigned version) {
    beast::error_code ec;
    const auto status = static_cast<bhttp::status>(response.status);
    if (response.file && req.method != "HEAD") {
      // Owned from the moment it is opened: copying the headers can throw (Beast refuses a
      // value over 64 KiB), and the descriptor must not outlive that.
      auto file = std::make_shared<detail::OwnedFd>(
          ::open(response.file->path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (file->fd < 0) {
        response = RenderError(req, Internal("cannot open a stored file"));
      } else {
        bhttp::response<detail::FileSliceBody> out{status, version};
        CopyHeaders(out, response, keep_alive);
        out.body() = {std::move(file), response.file->offset, response.file->length};
        out.prepare_payload();
        co_await bhttp::async_write(stream, out, Awaitable(ec));
        co_return !ec;
      }
    }
    if (response.stream && req.method != "HEAD") {
      co_return co_await WriteStreamed(stream, std::move(response), keep_alive, version);
    }
    if (req.method == "HEAD") {
      bhttp::response<bhttp::empty_body> out{status, version};
      CopyHeaders(out, response, keep_alive);
      const std::string_view declared = response.Header("content-length");
      out.set(bhttp::field::content_length,
              declared.empty() ? std::to_string(response.body.size()) : std::string(declared));
      bhttp::response_serializer<bhttp::empty_body> serializer(out);
      serializer.split(true);
      co_await bhttp::async_write_header(stream, serializer, Awaitable(ec));
      co_return !ec;
    }
    bhttp::response<bhttp::string_body> out{status, version};
    CopyHeaders(out, response, keep_alive);
    out.body() = std::move(response.body);
    out.prepare_payload();
    co_await bhttp::async_write(stream, out, Awaitable(ec));
    co_return !ec;
  }

  // A BodySource's bytes, one chunk at a time: each read on the write pool (it may wait for
  // a remote store; the I/O threads serve everyone else meanwhile), each write from here.
  // Any failure after the head closes the connection: the client must not take a short
  // body for the whole.
  asio::awaitable<bool> WriteStreamed(beast::tcp_stream& stream, Response response, bool keep_alive,
                                      unsigned version) {
    beast::error_code ec;
    bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(response.status), version};
    CopyHeaders(out, response, keep_alive);
    const StreamedBody body = *response.stream;
    out.content_length(body.length);
    out.body().data = nullptr;
    out.body().more = true;
    bhttp::response_serializer<bhttp::buffer_body> serializer(out);
    stream.expires_after(kReadTimeout);
    co_await bhttp::async_write_header(stream, serializer, Awaitable(ec));
    if (ec) co_return false;
    std::vector<char> chunk(kStreamChunkBytes);
    for (std::uint64_t left = body.length; left > 0;) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
      Status failure;
      const std::size_t got = co_await asio::co_spawn(
          *writes_,
          [&]() -> asio::awaitable<std::size_t> {
            Result<std::size_t> piece = body.source->Read(chunk.data(), want);
            if (!piece.ok()) failure = piece.status();
            co_return piece.ok() ? *piece : 0;
          },
          asio::use_awaitable);
      if (got == 0 || got > want) {
        log::Warn("streamed response cut short",
                  {{"missing_bytes", static_cast<std::int64_t>(left)},
                   {"error", failure.ok() ? std::string("early end") : failure.message}});
        co_return false;
      }
      left -= got;
      out.body().data = chunk.data();
      out.body().size = got;
      out.body().more = left > 0;
      stream.expires_after(kReadTimeout);
      co_await bhttp::async_write(stream, serializer, Awaitable(ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
    }
    if (!serializer.is_done()) {
      out.body().data = nullptr;
      out.body().more = false;
      co_await bhttp::async_write(stream, serializer, Awaitable(ec));
      if (ec == bhttp::error::need_buffer) ec = {};
    }
    co_return !ec;
  }

  HttpServer& owner_;
  const TrustedProxies proxies_;
  Next chain_;
  std::string spool_dir_;
  int port_ = 0;
  // Before io_, so they outlive the sessions io_ destroys.
  std::mutex connections_mutex_;
  std::unordered_map<std::string, int> connections_;  // open connections per peer address
  std::atomic<std::uint64_t> accept_errors_{0};
  std::atomic<std::uint64_t> refused_connections_{0};
  std::optional<std::chrono::steady_clock::time_point> last_accept_warning_;
  std::optional<std::chrono::steady_clock::time_point> last_refusal_warning_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  asio::strand<asio::io_context::executor_type> accept_strand_ = asio::make_strand(io_);
  asio::signal_set signals_{io_, SIGINT, SIGTERM};
  std::vector<std::thread> pool_;
  std::optional<asio::thread_pool> blocking_;  // for Route::blocking; made in Start
  std::optional<asio::thread_pool> writes_;    // for requests that change something
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
};

HttpServer::HttpServer(HttpConfig config, Router router, std::vector<Middleware> middleware,
                       Readiness& readiness)
    : config_(std::move(config)), router_(std::move(router)), readiness_(readiness) {
  auto proxies = TrustedProxies::Parse(config_.trusted_proxies);
  if (!proxies.ok()) {
    throw std::invalid_argument("config key http.trusted_proxies: " + proxies.status().message);
  }
  impl_ = std::make_unique<Impl>(*this, std::move(middleware), std::move(proxies).value());
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

int HttpServer::port() const {
  return impl_->port();
}

std::uint64_t HttpServer::accept_errors() const {
  return impl_->accept_errors();
}

std::uint64_t HttpServer::refused_connections() const {
  return impl_->refused_connections();
}

void HttpServer::Run() {
  impl_->Run();
}
void HttpServer::Stop() {
  impl_->BeginStop();
}

}  // namespace reel::http
