#include "kit/http/multipart_stream.hpp"

#include <algorithm>
#include <cctype>

namespace reel::http {
namespace {

constexpr std::size_t kMaxHeaderBlock = 8 * 1024;
constexpr std::size_t kMaxPreamble = 64 * 1024;

Status Malformed(std::string message) {
  return InvalidArgument("MULTIPART_INVALID", "malformed multipart body: " + std::move(message));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of `param` in a header value like `form-data; name="data"; filename="a.mp4"`.
std::string ParamOf(std::string_view value, std::string_view param) {
  std::size_t at = 0;
  while ((at = value.find(';', at)) != std::string_view::npos) {
    std::string_view rest = Trim(value.substr(at + 1));
    at += 1;
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos || Lower(Trim(rest.substr(0, eq))) != param) continue;
    rest = Trim(rest.substr(eq + 1));
    if (!rest.empty() && rest.front() == '"') {
      std::string out;
      for (std::size_t i = 1; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        out += rest[i];
      }
      return out;
    }
    return std::string(rest.substr(0, rest.find(';')));
  }
  return {};
}

}  // namespace

std::string_view MultipartBoundary(std::string_view content_type) {
  const std::string lower = Lower(content_type);
  const auto at = lower.find("boundary=");
  if (at == std::string::npos) return {};
  std::string_view b = content_type.substr(at + 9);
  b = b.substr(0, b.find(';'));
  b = Trim(b);
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  return b;
}

MultipartStreamParser::MultipartStreamParser(std::string_view boundary, Callbacks callbacks)
    : dash_boundary_("--" + std::string(boundary)),
      delimiter_("\r\n--" + std::string(boundary)),
      callbacks_(std::move(callbacks)) {}

Status MultipartStreamParser::ParseHeaders(std::string_view block) {
  PartInfo part;
  bool has_disposition = false;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("part header without ':'");
    const std::string name = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      has_disposition = true;
      part.name = ParamOf(value, "name");
      part.filename = ParamOf(value, "filename");
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!has_disposition) return Malformed("part without Content-Disposition");
  return callbacks_.begin ? callbacks_.begin(part) : Status::Ok();
}

// Consumes what it can from pending_; sets `progressed` when the state or buffer moved.
Status MultipartStreamParser::Step(bool& progressed) {
  progressed = false;
  switch (state_) {
    case State::kPreamble: {
      const auto at = pending_.find(dash_boundary_);
      if (at == std::string::npos) {
        if (pending_.size() > kMaxPreamble) return Malformed("no opening boundary");
        return Status::Ok();
      }
      pending_.erase(0, at + dash_boundary_.size());
      state_ = State::kAfterDelimiter;
      progressed = true;
      return Status::Ok();
    }
    case State::kAfterDelimiter: {
      if (pending_.size() < 2) return Status::Ok();
      if (pending_.compare(0, 2, "--") == 0) {
        state_ = State::kDone;
        pending_.clear();  // the epilogue is ignored
      } else if (pending_.compare(0, 2, "\r\n") == 0) {
        pending_.erase(0, 2);
        state_ = State::kHeaders;
      } else {
        return Malformed("unexpected bytes after a boundary");
      }
      progressed = true;
      return Status::Ok();
    }
    case State::kHeaders: {
      // An empty header block (the blank line right away) cannot name a form field.
      if (pending_.compare(0, 2, "\r\n") == 0) return Malformed("part without Content-Disposition");
      const auto end = pending_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (pending_.size() > kMaxHeaderBlock) return Malformed("part headers too long");
        return Status::Ok();
      }
      if (Status s = ParseHeaders(std::string_view(pending_).substr(0, end)); !s.ok()) return s;
      pending_.erase(0, end + 4);
      state_ = State::kBody;
      progressed = true;
      return Status::Ok();
    }
    case State::kBody: {
      const auto at = pending_.find(delimiter_);
      if (at != std::string::npos) {
        if (at > 0 && callbacks_.data) {
          if (Status s = callbacks_.data(std::string_view(pending_).substr(0, at)); !s.ok())
            return s;
        }
        if (callbacks_.end) {
          if (Status s = callbacks_.end(); !s.ok()) return s;
        }
        pending_.erase(0, at + delimiter_.size());
        state_ = State::kAfterDelimiter;
        progressed = true;
        return Status::Ok();
      }
      // Everything but a tail that could be the start of the delimiter is part data.
      if (pending_.size() >= delimiter_.size()) {
        const std::size_t safe = pending_.size() - (delimiter_.size() - 1);
        if (callbacks_.data) {
          if (Status s = callbacks_.data(std::string_view(pending_).substr(0, safe)); !s.ok())
            return s;
        }
        pending_.erase(0, safe);
        progressed = true;
      }
      return Status::Ok();
    }
    case State::kDone:
      pending_.clear();
      return Status::Ok();
  }
  return Status::Ok();
}

Status MultipartStreamParser::Feed(std::string_view chunk) {
  pending_.append(chunk);
  bool progressed = true;
  while (progressed) {
    if (Status s = Step(progressed); !s.ok()) return s;
  }
  return Status::Ok();
}

Status MultipartStreamParser::Finish() const {
  if (state_ != State::kDone) return Malformed("the body ended before the closing boundary");
  return Status::Ok();
}

}  // namespace reel::http
