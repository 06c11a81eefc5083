#include "search/search_index.hpp"

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "search/cjk_tokens.hpp"

namespace reel::search {
namespace {

// Term prefixes, Xapian-style: boolean K (kind) and Q (unique id), XC for CJK n-grams so
// they never meet a stemmed English term.
constexpr std::string_view kKindPrefix = "K";
constexpr std::string_view kIdPrefix = "Q";
constexpr std::string_view kCjkPrefix = "XC";

constexpr Xapian::valueno kPopularitySlot = 0;
constexpr Xapian::valueno kCreatedAtSlot = 1;

// Titles outweigh bodies and tags, so a query word in a title ranks that document first.
constexpr Xapian::termcount kTitleWdf = 3;
constexpr Xapian::termcount kBodyWdf = 1;

// Lock-free reads tried before a search waits for the writer (see WithReader).
constexpr int kReadAttempts = 5;

std::string KindTerm(std::string_view kind) {
  return std::string(kKindPrefix) + std::string(kind);
}

std::string IdTerm(std::string_view kind, std::int64_t id) {
  return std::string(kIdPrefix) + std::string(kind) + ":" + std::to_string(id);
}

std::string CjkTerm(std::string_view gram) {
  return std::string(kCjkPrefix) + std::string(gram);
}

Xapian::Stem EnglishStemmer() {
  return Xapian::Stem("en");
}

// Indexes one field: latin words through the stemmer, CJK bigrams as plain terms.
void IndexField(Xapian::TermGenerator& generator, Xapian::Document& doc, std::string_view text,
                Xapian::termcount wdf) {
  const SplitText split = SplitCjk(text);
  generator.index_text(split.latin, wdf);
  for (const std::string& gram : split.cjk_bigrams) doc.add_term(CjkTerm(gram), wdf);
  // Keeps phrase queries from matching across the end of one field and the start of the next.
  generator.increase_termpos();
}

Xapian::Query LatinQuery(const std::string& latin) {
  Xapian::QueryParser parser;
  parser.set_stemmer(EnglishStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // AND: every word must appear, which is what people typing several words expect.
  parser.set_default_op(Xapian::Query::OP_AND);
  try {
    return parser.parse_query(latin, Xapian::QueryParser::FLAG_DEFAULT);
  } catch (const Xapian::QueryParserError&) {
    // Stray syntax ("AND", unbalanced quotes) should not cost the user the search: treat
    // the input as plain words.
    return parser.parse_query(latin, 0);
  }
}

// All words of the query ANDed; empty when the query holds no terms.
Xapian::Query BuildQuery(std::string_view query) {
  const SplitText split = SplitCjk(query);
  std::vector<Xapian::Query> parts;
  if (Xapian::Query latin = LatinQuery(split.latin); !latin.empty()) {
    parts.push_back(std::move(latin));
  }
  for (const std::string& gram : split.cjk_bigrams) parts.emplace_back(CjkTerm(gram));
  if (parts.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// Runs `read` on a fresh reader. Each commit may discard the revision a reader is on, so
// under a stream of writes a read can fail with DatabaseModifiedError; it retries on the
// newest revision, and after kReadAttempts it reads while holding the write lock, when no
// commit can overtake it, so a search always completes.
template <typename Read>
auto WithReader(const std::string& directory, std::mutex& write_mutex, Read read) {
  try {
    for (int attempt = 1; attempt < kReadAttempts; ++attempt) {
      try {
        Xapian::Database db(directory);
        return read(db);
      } catch (const Xapian::DatabaseModifiedError&) {
      }
    }
    const std::scoped_lock lock(write_mutex);
    Xapian::Database db(directory);
    return read(db);
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("search index " + directory + ": " + e.get_description());
  }
}

}  // namespace

struct SearchIndex::Writer {
  explicit Writer(const std::string& directory) : db(directory, Xapian::DB_CREATE_OR_OPEN) {
    generator.set_stemmer(EnglishStemmer());
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  }

  Xapian::WritableDatabase db;
  Xapian::TermGenerator generator;
};

SearchIndex::SearchIndex(std::string directory) : directory_(std::move(directory)) {
  try {
    std::filesystem::create_directories(directory_);
    writer_ = std::make_unique<Writer>(directory_);
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("search index " + directory_ + ": " + e.get_description());
  }
}

SearchIndex::~SearchIndex() = default;

namespace {

Xapian::Document MakeDocument(const Document& doc) {
  Xapian::Document xdoc;
  xdoc.set_data(std::to_string(doc.id));
  xdoc.add_boolean_term(KindTerm(doc.kind));
  xdoc.add_boolean_term(IdTerm(doc.kind, doc.id));
  xdoc.add_value(kPopularitySlot, Xapian::sortable_serialise(static_cast<double>(doc.popularity)));
  xdoc.add_value(kCreatedAtSlot,
                 Xapian::sortable_serialise(static_cast<double>(doc.created_at_ms)));
  return xdoc;
}

void IndexText(Xapian::TermGenerator& generator, Xapian::Document& xdoc, const Document& doc) {
  generator.set_document(xdoc);
  IndexField(generator, xdoc, doc.title, kTitleWdf);
  IndexField(generator, xdoc, doc.body, kBodyWdf);
  for (const std::string& tag : doc.tags) IndexField(generator, xdoc, tag, kBodyWdf);
}

}  // namespace

void SearchIndex::Put(const Document& doc) {
  Apply(std::span(&doc, 1), doc.kind, {});
}

void SearchIndex::Apply(std::span<const Document> puts, std::string_view remove_kind,
                        std::span<const std::int64_t> remove_ids) {
  const std::scoped_lock lock(write_mutex_);
  try {
    for (const Document& doc : puts) {
      Xapian::Document xdoc = MakeDocument(doc);
      IndexText(writer_->generator, xdoc, doc);
      writer_->db.replace_document(IdTerm(doc.kind, doc.id), xdoc);
    }
    for (std::int64_t id : remove_ids) writer_->db.delete_document(IdTerm(remove_kind, id));
    // One commit per call: searches open their own readers, which see only committed data.
    writer_->db.commit();
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("search index " + directory_ + ": " + e.get_description());
  }
}

void SearchIndex::Remove(std::string_view kind, std::int64_t id) {
  Apply({}, kind, std::span(&id, 1));
}

std::vector<Hit> SearchIndex::Search(std::string_view kind, std::string_view query,
                                     std::size_t offset, std::size_t limit) const {
  const Xapian::Query words = BuildQuery(query);
  if (words.empty()) return {};
  if (offset >= std::numeric_limits<Xapian::doccount>::max()) return {};
  const Xapian::Query filtered(Xapian::Query::OP_FILTER, words, Xapian::Query(KindTerm(kind)));
  const auto count = static_cast<Xapian::doccount>(std::clamp<std::size_t>(limit, 1, kMaxLimit));
  const auto first = static_cast<Xapian::doccount>(offset);

  return WithReader(directory_, write_mutex_, [&](Xapian::Database& db) {
    Xapian::Enquire enquire(db);
    enquire.set_query(filtered);
    // Ties in relevance go to the more popular, then the newer document.
    Xapian::MultiValueKeyMaker tie_breaker;
    tie_breaker.add_value(kPopularitySlot, true);
    tie_breaker.add_value(kCreatedAtSlot, true);
    enquire.set_sort_by_relevance_then_key(&tie_breaker, false);
    const Xapian::MSet mset = enquire.get_mset(first, count);
    std::vector<Hit> hits;
    hits.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      hits.push_back({std::stoll(it.get_document().get_data()), it.get_weight()});
    }
    return hits;
  });
}

std::size_t SearchIndex::Count(std::string_view kind) const {
  return WithReader(directory_, write_mutex_, [&](Xapian::Database& db) {
    return static_cast<std::size_t>(db.get_termfreq(KindTerm(kind)));
  });
}

}  // namespace reel::search
