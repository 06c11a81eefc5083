// S3BlobStore's local cache (LocalPath): bounded by cache_max_bytes, least recently used
// first out. Use is the file's mtime, which LocalPath renews on every hit.
#include <algorithm>
#include <filesystem>
#include <vector>

#include "kit/blob/s3_blob_store.hpp"
#include "kit/log/log.hpp"

namespace reel::blob {

namespace fs = std::filesystem;

void S3BlobStore::TrimCache(const std::string& keep) {
  struct Cached {
    fs::path path;
    std::uint64_t size;
    fs::file_time_type used;
  };
  std::lock_guard lock(cache_mutex_);
  std::vector<Cached> files;
  std::uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(options_.cache_dir, error)) {
    // Dot files are downloads in progress (LocalPath's temp files): not ours to remove.
    if (entry.path().filename().string().starts_with(".")) continue;
    if (!entry.is_regular_file(error) || entry.is_symlink(error)) continue;
    const std::uint64_t size = entry.file_size(error);
    if (error) continue;
    files.push_back({entry.path(), size, entry.last_write_time(error)});
    total += size;
  }
  if (total <= options_.cache_max_bytes) return;
  std::sort(files.begin(), files.end(),
            [](const Cached& a, const Cached& b) { return a.used < b.used; });
  std::size_t removed = 0;
  for (const Cached& file : files) {
    if (total <= options_.cache_max_bytes) break;
    // The file just handed out stays: its caller is about to read it.
    if (file.path == fs::path(keep)) continue;
    // A reader that opened it keeps its bytes (unlink removes only the name).
    if (fs::remove(file.path, error)) {
      total -= file.size;
      ++removed;
    }
  }
  log::Info("S3 cache trimmed", {{"dir", options_.cache_dir},
                                 {"removed", static_cast<std::int64_t>(removed)},
                                 {"bytes", static_cast<std::int64_t>(total)}});
}

}  // namespace reel::blob
