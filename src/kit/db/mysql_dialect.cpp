#include "kit/db/mysql_dialect.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>

namespace reel::db {
namespace {

struct Token {
  enum class Kind { kWord, kQuoted, kPunct };
  Kind kind;
  std::size_t begin;
  std::size_t end;
};

// The end of the comment or quoted item starting at `i`, or `i` when there is none there.
std::size_t SkipCommentOrQuote(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
    const auto end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
    const auto end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  if (c == '\'' || c == '"' || c == '`') {
    // A doubled quote inside is the quote itself; backslashes are not escapes
    // (NO_BACKSLASH_ESCAPES, as in SQLite).
    std::size_t j = i + 1;
    while (j < sql.size()) {
      if (sql[j] == c) {
        if (j + 1 < sql.size() && sql[j + 1] == c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return sql.size();
  }
  return i;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::vector<Token> Tokenize(std::string_view sql) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (const std::size_t end = SkipCommentOrQuote(sql, i); end != i) {
      if (c == '\'' || c == '"' || c == '`') out.push_back({Token::Kind::kQuoted, i, end});
      i = end;
      continue;
    }
    if (IsWordChar(c)) {
      std::size_t j = i;
      while (j < sql.size() && IsWordChar(sql[j])) ++j;
      out.push_back({Token::Kind::kWord, i, j});
      i = j;
      continue;
    }
    out.push_back({Token::Kind::kPunct, i, i + 1});
    ++i;
  }
  return out;
}

struct Edit {
  std::size_t begin;
  std::size_t end;
  std::string text;
};

class Rewriter {
 public:
  explicit Rewriter(std::string_view sql) : sql_(sql), tokens_(Tokenize(sql)) {}

  std::string Run() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (IsWord(i, "INSERT")) {
        last_insert_ = i;
        if (IsWord(i + 1, "OR") && IsWord(i + 2, "IGNORE")) {
          edits_.push_back({tokens_[i].begin, tokens_[i + 2].end, "INSERT IGNORE"});
          insert_has_ignore_ = true;
          i += 2;
        } else if (IsWord(i + 1, "OR") && IsWord(i + 2, "REPLACE")) {
          edits_.push_back({tokens_[i].begin, tokens_[i + 2].end, "REPLACE"});
          insert_has_ignore_ = true;
          i += 2;
        } else {
          insert_has_ignore_ = IsWord(i + 1, "IGNORE");
        }
      } else if (IsWord(i, "ON") && IsWord(i + 1, "CONFLICT")) {
        i = OnConflict(i);
      } else if (IsWord(i, "CROSS") && IsWord(i + 1, "JOIN")) {
        // SQLite never reorders the tables of a CROSS JOIN; STRAIGHT_JOIN is MySQL's way to
        // say the same, for a query whose order the optimizer can misjudge.
        edits_.push_back({tokens_[i].begin, tokens_[i + 1].end, "STRAIGHT_JOIN"});
        ++i;
      }
    }
    std::sort(edits_.begin(), edits_.end(),
              [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(sql_.size() + 16);
    std::size_t at = 0;
    for (const Edit& e : edits_) {
      out.append(sql_.substr(at, e.begin - at));
      out.append(e.text);
      at = e.end;
    }
    out.append(sql_.substr(at));
    return out;
  }

 private:
  bool IsWord(std::size_t i, std::string_view word) const {
    if (i >= tokens_.size() || tokens_[i].kind != Token::Kind::kWord) return false;
    const std::string_view text = Text(i);
    if (text.size() != word.size()) return false;
    for (std::size_t k = 0; k < text.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(text[k])) != word[k]) return false;
    }
    return true;
  }
  bool IsPunct(std::size_t i, char c) const {
    return i < tokens_.size() && tokens_[i].kind == Token::Kind::kPunct &&
           sql_[tokens_[i].begin] == c;
  }
  std::string_view Text(std::size_t i) const {
    return sql_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }

  // `ON CONFLICT` at token `on`; returns the last token it consumed.
  std::size_t OnConflict(std::size_t on) {
    std::size_t i = on + 2;
    if (IsPunct(i, '(')) {
      int depth = 0;
      for (; i < tokens_.size(); ++i) {
        if (IsPunct(i, '(')) ++depth;
        if (IsPunct(i, ')') && --depth == 0) break;
      }
      ++i;
    }
    if (!IsWord(i, "DO")) return on + 1;  // not the subset's form: left for MySQL to refuse
    if (IsWord(i + 1, "NOTHING")) {
      // Trailing whitespace before the clause stays; the clause itself goes.
      edits_.push_back({tokens_[on].begin, tokens_[i + 1].end, ""});
      if (last_insert_ && !insert_has_ignore_) {
        const Token& insert = tokens_[*last_insert_];
        edits_.push_back({insert.begin, insert.end, "INSERT IGNORE"});
        insert_has_ignore_ = true;
      }
      return i + 1;
    }
    if (IsWord(i + 1, "UPDATE") && IsWord(i + 2, "SET")) {
      edits_.push_back({tokens_[on].begin, tokens_[i + 2].end, "ON DUPLICATE KEY UPDATE"});
      std::size_t j = i + 3;
      int depth = 0;
      for (; j < tokens_.size(); ++j) {
        if (IsPunct(j, '(')) ++depth;
        if (IsPunct(j, ')')) --depth;
        if (depth == 0 && (IsWord(j, "RETURNING") || IsPunct(j, ';'))) break;
        if (IsWord(j, "EXCLUDED") && IsPunct(j + 1, '.') && j + 2 < tokens_.size() &&
            tokens_[j + 2].kind != Token::Kind::kPunct) {
          edits_.push_back(
              {tokens_[j].begin, tokens_[j + 2].end, "VALUES(" + std::string(Text(j + 2)) + ")"});
          j += 2;
        }
      }
      return j - 1;
    }
    return on + 1;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<Edit> edits_;
  std::optional<std::size_t> last_insert_;
  bool insert_has_ignore_ = false;
};

}  // namespace

std::string ToMysql(std::string_view sql) {
  return Rewriter(sql).Run();
}

std::vector<std::string> SplitStatements(std::string_view script) {
  std::vector<std::string> out;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    std::string_view part = script.substr(start, end - start);
    // Blank or comment-only parts are dropped.
    for (const Token& t : Tokenize(part)) {
      (void)t;
      out.emplace_back(part);
      break;
    }
  };
  std::size_t i = 0;
  while (i < script.size()) {
    if (const std::size_t end = SkipCommentOrQuote(script, i); end != i) {
      i = end;
      continue;
    }
    if (script[i] == ';') {
      flush(i);
      start = i + 1;
    }
    ++i;
  }
  flush(script.size());
  return out;
}

}  // namespace reel::db
