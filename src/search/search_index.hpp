#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reel::search {

/// One searchable thing: a video (title, description) or a user (name, signature).
struct Document {
  std::int64_t id = 0;
  std::string kind;  ///< "video" or "user"; any short word without ':' works.
  std::string title;
  std::string body;  ///< description or signature
  std::vector<std::string> tags;
  std::int64_t popularity = 0;
  std::int64_t created_at_ms = 0;
};

struct Hit {
  std::int64_t id = 0;
  double score = 0;  ///< BM25 weight; higher is better.
};

/// A Xapian full-text index in a local directory.
///
/// English text matches by stem ("running" finds "run"); Chinese, Japanese and Korean text
/// is indexed as character bigrams, so any contained word of two or more characters is
/// found ("视频" finds "一个短视频平台"). Titles weigh three times as much as bodies and tags.
///
/// Thread-safe: writes are serialised and committed one by one, so a search sees every
/// write that returned before it started; searches open their own reader and run
/// concurrently with each other and with writes (a search overtaken by several commits in a
/// row waits for the current write, then reads). Only one SearchIndex (in any process) may
/// hold a directory. Storage failures throw std::runtime_error.
class SearchIndex {
 public:
  static constexpr std::size_t kMaxLimit = 1000;

  /// Opens the index in `directory`, creating it (and the directory) when absent.
  explicit SearchIndex(std::string directory);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  /// Adds `doc`, replacing any document with the same (kind, id).
  void Put(const Document& doc);
  /// Puts `puts` and removes the documents (`remove_kind`, id) of `remove_ids`, in one
  /// commit: a search sees all of it or none of it.
  void Apply(std::span<const Document> puts, std::string_view remove_kind,
             std::span<const std::int64_t> remove_ids);
  /// Removes the document (kind, id); absent documents are ignored.
  void Remove(std::string_view kind, std::int64_t id);

  /// Documents of `kind` matching every word of `query`, best first: relevance (BM25)
  /// first, then higher popularity, then newer created_at_ms. Skips `offset` hits and
  /// returns at most `limit` (clamped to 1..kMaxLimit). Empty, blank or term-less queries return
  /// no hits.
  std::vector<Hit> Search(std::string_view kind, std::string_view query, std::size_t offset,
                          std::size_t limit) const;

  /// Number of documents of `kind`.
  std::size_t Count(std::string_view kind) const;

 private:
  struct Writer;  // keeps Xapian out of this header

  std::string directory_;
  // Also taken by a search that keeps losing its revision to commits (see Search).
  mutable std::mutex write_mutex_;
  std::unique_ptr<Writer> writer_;  // guarded by write_mutex_
};

}  // namespace reel::search
