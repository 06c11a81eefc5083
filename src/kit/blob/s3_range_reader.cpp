#include "kit/blob/s3_range_reader.hpp"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

namespace reel::blob {

struct S3RangeReader::State {
  std::string key;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::atomic<bool> stop{false};

  std::mutex mutex;
  std::condition_variable changed;
  std::string buffered;  // received, not yet read: buffered[read_from..]
  std::size_t read_from = 0;
  bool answered = false;  // bytes arrived, or the transfer ended
  bool done = false;      // the transfer ended
  Status outcome;         // why it ended, once done

  // The transfer thread's alone.
  bool positioned = false;
  std::uint64_t skip = 0;  // bytes of the answer before `offset`
  std::uint64_t left = 0;  // bytes of the range still to receive
  Status refusal;          // the answer could not be used
};

namespace {

Status Unavailable503(std::string_view why) {
  return Unavailable("BLOB_STORE_UNAVAILABLE",
                     "the media store is unavailable: " + std::string(why));
}

// The first byte position of a Content-Range ("bytes 100-199/1000"), or nullopt.
std::optional<std::uint64_t> FirstByte(const std::string& range) {
  const auto digits = range.find_first_of("0123456789");
  if (digits == std::string::npos) return std::nullopt;
  std::uint64_t first = 0;
  const auto [end, error] =
      std::from_chars(range.data() + digits, range.data() + range.size(), first);
  if (error != std::errc()) return std::nullopt;
  return first;
}

}  // namespace

// On the transfer thread, inside curl's write callback: must not throw.
bool S3RangeReader::Take(State& state, const S3Response& head, std::string_view bytes) try {
  if (!state.positioned) {
    const std::optional<std::uint64_t> first =
        head.status == 206 ? FirstByte(head.content_range) : std::optional<std::uint64_t>(0);
    if (!first || *first > state.offset) {
      state.refusal = Internal("blob store: GET " + state.key + " answered Content-Range '" +
                               head.content_range + "'");
      return false;
    }
    state.skip = state.offset - *first;
    state.left = state.length;
    state.positioned = true;
  }
  const auto skipped = static_cast<std::size_t>(std::min<std::uint64_t>(state.skip, bytes.size()));
  state.skip -= skipped;
  bytes.remove_prefix(skipped);
  const auto kept = static_cast<std::size_t>(std::min<std::uint64_t>(state.left, bytes.size()));
  if (kept > 0) {
    std::unique_lock lock(state.mutex);
    state.changed.wait(lock, [&] {
      return state.buffered.size() - state.read_from < kAheadBytes || state.stop.load();
    });
    if (state.stop.load()) return false;
    if (state.read_from > 0) {  // compact what was read, then append
      state.buffered.erase(0, state.read_from);
      state.read_from = 0;
    }
    state.buffered.append(bytes.substr(0, kept));
    state.left -= kept;
    state.answered = true;
    state.changed.notify_all();
  }
  // The range is complete: a server that sends more is cut off here.
  return state.left > 0;
} catch (...) {
  state.refusal = Internal("blob store: out of memory while reading " + state.key);
  return false;
}

void S3RangeReader::Transfer(const std::shared_ptr<State>& state, const S3Credentials& credentials,
                             const S3Request& request) {
  auto response = PerformS3Request(credentials, request);
  Status outcome = Status::Ok();
  if (!state->refusal.ok()) {
    outcome = state->refusal;
  } else if (state->positioned && state->left == 0) {
    outcome = Status::Ok();  // every byte of the range arrived (the rest was cut off)
  } else if (!response.ok()) {
    outcome = response.status();
  } else if (response->status == 416) {
    outcome = InvalidArgument("BLOB_RANGE_INVALID", "range starts past the end of the blob");
  } else if (response->status != 200 && response->status != 206) {
    outcome = S3Failure(*response, "GET", state->key);
  } else if (!state->stop.load()) {
    // The connection closed cleanly with bytes missing: the object shrank or the server
    // gave up. Either way the client cannot get what was promised.
    outcome = Unavailable503("the object ended early");
  }
  std::lock_guard lock(state->mutex);
  state->outcome = std::move(outcome);
  state->done = true;
  state->answered = true;
  state->changed.notify_all();
}

Result<std::unique_ptr<BlobReader>> S3RangeReader::Open(const S3Credentials& credentials,
                                                        S3Request request, std::string key,
                                                        std::uint64_t offset,
                                                        std::uint64_t length) {
  if (length == 0) {
    return InvalidArgument("BLOB_RANGE_INVALID", "an empty range has nothing to read");
  }
  std::unique_ptr<S3RangeReader> reader(new S3RangeReader());
  auto state = std::make_shared<State>();
  state->key = std::move(key);
  state->offset = offset;
  state->length = length;
  reader->state_ = state;
  State* raw = state.get();
  request.stop = &raw->stop;
  request.on_body = [raw](const S3Response& head, std::string_view bytes) {
    return Take(*raw, head, bytes);
  };
  try {
    reader->transfer_ = std::thread(
        [state, credentials, get = std::move(request)] { Transfer(state, credentials, get); });
  } catch (const std::system_error&) {
    return Unavailable503("no thread for the transfer");
  }
  std::unique_lock lock(state->mutex);
  // Bounded by the transfer's own timeouts (connect, stall).
  state->changed.wait(lock, [&] { return state->answered; });
  if (state->done && !state->outcome.ok()) {
    Status failure = state->outcome;
    lock.unlock();
    return failure;  // the reader's destructor joins the finished thread
  }
  lock.unlock();
  return std::unique_ptr<BlobReader>(std::move(reader));
}

S3RangeReader::~S3RangeReader() {
  if (state_) {
    std::lock_guard lock(state_->mutex);
    state_->stop = true;
    state_->changed.notify_all();
  }
  if (transfer_.joinable()) transfer_.join();
}

Result<std::size_t> S3RangeReader::Read(char* buffer, std::size_t capacity) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock,
                       [&] { return state_->buffered.size() > state_->read_from || state_->done; });
  const std::size_t available = state_->buffered.size() - state_->read_from;
  if (available == 0) {
    if (!state_->outcome.ok()) return state_->outcome;
    return std::size_t{0};
  }
  const std::size_t n = std::min(available, capacity);
  std::copy_n(state_->buffered.data() + state_->read_from, n, buffer);
  state_->read_from += n;
  state_->changed.notify_all();  // room for the transfer again
  return n;
}

}  // namespace reel::blob
