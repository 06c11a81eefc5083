#include "kit/blob/local_blob_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace reel::blob {
namespace {

constexpr std::size_t kHashDigits = 64;
constexpr std::size_t kMaxExtension = 5;
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr mode_t kDirectoryMode = 0755;
constexpr mode_t kObjectMode = 0644;

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool IsLowerAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

Status KeyInvalid() {
  return InvalidArgument("BLOB_KEY_INVALID", "blob key must be <sha256 hex>.<extension>");
}

Status BlobNotFound(std::string_view key) {
  return NotFound("BLOB_NOT_FOUND", "no blob " + std::string(key));
}

// The message names the key, never the store's root: Internal messages reach clients.
Status IoFailure(std::string_view what, std::string_view key, int error) {
  return Internal("blob store: cannot " + std::string(what) + " " + std::string(key) + ": " +
                  std::generic_category().message(error));
}

Status HashFailure(std::string_view what, int error) {
  return Internal("cannot " + std::string(what) +
                  " a file to hash: " + std::generic_category().message(error));
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsRegularFile(const std::string& path, struct stat& st) {
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// mkdir -p. Components of `path` may be symlinks (an operator may point the root at
// another disk); EEXIST is fine as long as the whole path ends up a directory.
int MakeDirectories(const std::string& path) {
  for (std::size_t at = path.find('/', 1);; at = path.find('/', at + 1)) {
    const std::string prefix = path.substr(0, at);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), kDirectoryMode) != 0 && errno != EEXIST) {
      return errno;
    }
    if (at == std::string::npos) break;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno;
  return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

// The fan-out directory is ours, so unlike the root it must be a real directory: a symlink
// there would redirect every object below it.
int MakeFanOut(const std::string& dir) {
  if (::mkdir(dir.c_str(), kDirectoryMode) != 0 && errno != EEXIST) return errno;
  return IsDirectory(dir) ? 0 : ENOTDIR;
}

// Gives the file at `from` the name `to` and drops the name `from`. link() refuses to
// replace an existing name, which keeps the object a concurrent writer already published;
// rename() serves filesystems without hard links and replaces a planted symlink.
// Returns 0 or an errno (EXDEV when `from` is on another filesystem).
int Publish(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) == 0) {
    ::unlink(from.c_str());
    return 0;
  }
  const int link_error = errno;
  struct stat st {};
  if (link_error == EEXIST && IsRegularFile(to, st)) {
    ::unlink(from.c_str());
    return 0;
  }
  if (link_error != EEXIST && link_error != EPERM && link_error != EOPNOTSUPP &&
      link_error != EMLINK) {
    return link_error;
  }
  return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

// Writes all of `size` bytes; false with errno set on failure.
bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Copies `source_fd` into a new temp file in `dir` (same filesystem as the object, so the
// final naming is atomic), with the object's mode, fsynced. Returns 0 or an errno; on
// success `temp_path` names the copy.
int CopyToTemp(int source_fd, const std::string& dir, std::string& temp_path) {
  std::string name = dir + "/.put-XXXXXX";  // a leading dot never forms a valid key
  UniqueFd out(::mkostemp(name.data(), O_CLOEXEC));
  if (!out) return errno;
  std::array<char, kChunkBytes> buffer;
  int error = 0;
  while (error == 0) {
    const ssize_t n = ::read(source_fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    if (!WriteAll(out.get(), buffer.data(), static_cast<std::size_t>(n))) error = errno;
  }
  if (error == 0 && ::fchmod(out.get(), kObjectMode) != 0) error = errno;
  if (error == 0 && ::fsync(out.get()) != 0) error = errno;
  if (error != 0) {
    ::unlink(name.c_str());
    return error;
  }
  temp_path = std::move(name);
  return 0;
}

// Makes the new directory entry durable. Best effort: the object is already complete and
// named, and failing the put now would contradict what readers can already see.
void SyncDirectory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) ::fsync(fd.get());
}

}  // namespace

bool IsValidKey(std::string_view key) {
  if (key.size() < kHashDigits + 2 || key.size() > kHashDigits + 1 + kMaxExtension) return false;
  for (std::size_t i = 0; i < kHashDigits; ++i) {
    if (!IsLowerHex(key[i])) return false;
  }
  if (key[kHashDigits] != '.') return false;
  for (std::size_t i = kHashDigits + 1; i < key.size(); ++i) {
    if (!IsLowerAlnum(key[i])) return false;
  }
  return true;
}

Result<std::string> Sha256OfFile(const std::string& path) {
  // Idempotent and cheap after the first call; the hash itself needs no initialisation,
  // but libsodium asks for it before any use.
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return HashFailure("open", errno);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::array<unsigned char, kChunkBytes> buffer;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return HashFailure("read", errno);
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buffer.data(), static_cast<unsigned long long>(n));
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&state, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

LocalBlobStore::LocalBlobStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string LocalBlobStore::DirectoryOf(std::string_view key) const {
  return root_ + "/" + std::string(key.substr(0, 2));
}

std::string LocalBlobStore::PathOf(std::string_view key) const {
  return DirectoryOf(key) + "/" + std::string(key);
}

Status LocalBlobStore::PutFile(std::string_view key, const std::string& source_path) {
  if (!IsValidKey(key)) return KeyInvalid();
  const std::string dir = DirectoryOf(key);
  const std::string path = PathOf(key);
  if (const int error = MakeDirectories(root_); error != 0) {
    return IoFailure("create the store root for", key, error);
  }
  if (const int error = MakeFanOut(dir); error != 0) {
    return IoFailure("create the directory for", key, error);
  }
  struct stat st {};
  if (IsRegularFile(path, st)) {  // already stored: same key, same bytes
    ::unlink(source_path.c_str());
    return Status::Ok();
  }

  UniqueFd source(::open(source_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!source) return IoFailure("open the source of", key, errno);
  if (::fstat(source.get(), &st) != 0) return IoFailure("stat the source of", key, errno);
  if (!S_ISREG(st.st_mode)) return IoFailure("store a non-regular file as", key, EINVAL);
  // The uploader's mode (often 0600) is not the object's; and the bytes must be on disk
  // before a name promises them.
  if (::fchmod(source.get(), kObjectMode) != 0) return IoFailure("chmod", key, errno);
  if (::fsync(source.get()) != 0) return IoFailure("fsync", key, errno);

  int error = Publish(source_path, path);
  if (error == EXDEV) {
    std::string temp_path;
    error = CopyToTemp(source.get(), dir, temp_path);
    if (error == 0) {
      error = Publish(temp_path, path);
      if (error != 0) ::unlink(temp_path.c_str());
    }
    if (error == 0) ::unlink(source_path.c_str());
  }
  if (error != 0) return IoFailure("store", key, error);
  SyncDirectory(dir);
  return Status::Ok();
}

bool LocalBlobStore::Exists(std::string_view key) {
  struct stat st {};
  return IsValidKey(key) && IsDirectory(DirectoryOf(key)) && IsRegularFile(PathOf(key), st);
}

Result<std::uint64_t> LocalBlobStore::Size(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  struct stat st {};
  if (!IsDirectory(DirectoryOf(key)) || !IsRegularFile(PathOf(key), st)) {
    return BlobNotFound(key);
  }
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::string> LocalBlobStore::LocalPath(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  std::string path = PathOf(key);
  struct stat st {};
  if (!IsDirectory(DirectoryOf(key)) || !IsRegularFile(path, st)) return BlobNotFound(key);
  return path;
}

Status LocalBlobStore::Delete(std::string_view key) {
  if (!IsValidKey(key)) return KeyInvalid();
  // Through a linked fan-out directory, unlink would delete a file somewhere else.
  if (!IsDirectory(DirectoryOf(key))) return Status::Ok();
  if (::unlink(PathOf(key).c_str()) != 0 && errno != ENOENT) {
    return IoFailure("delete", key, errno);
  }
  return Status::Ok();
}

}  // namespace reel::blob
