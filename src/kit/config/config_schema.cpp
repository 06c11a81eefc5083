#include "kit/config/config_schema.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>

extern char** environ;

namespace reel::config {

// One bound key: parses its textual form into the field it points to.
struct Schema::Entry {
  virtual ~Entry() = default;
  virtual Status Parse(std::string_view key, std::string_view text) = 0;
  virtual std::string Show() const = 0;
  // Only lists take a YAML sequence.
  virtual Status ParseSequence(std::string_view key, const std::vector<std::string>&) {
    return InvalidArgument("CONFIG_INVALID",
                           "config key " + std::string(key) + ": expected a single value");
  }
};

namespace {

Status Invalid(std::string_view key, std::string_view why) {
  return InvalidArgument("CONFIG_INVALID",
                         "config key " + std::string(key) + ": " + std::string(why));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  text = Trim(text);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

template <typename T>
class NumberEntry final : public Schema::Entry {
 public:
  NumberEntry(T* field, T min, T max) : field_(field), min_(min), max_(max) {}
  Status Parse(std::string_view key, std::string_view text) override {
    T value{};
    if (!ParseNumber(text, value) || (std::is_floating_point_v<T> && !std::isfinite(value))) {
      return Invalid(key, "'" + std::string(text) + "' is not a number");
    }
    if (value < min_ || value > max_) {
      return Invalid(key, std::to_string(value) + " is outside " + std::to_string(min_) + ".." +
                              std::to_string(max_));
    }
    *field_ = value;
    return Status::Ok();
  }
  std::string Show() const override { return std::to_string(*field_); }

 private:
  T* field_;
  T min_, max_;
};

class BoolEntry final : public Schema::Entry {
 public:
  explicit BoolEntry(bool* field) : field_(field) {}
  Status Parse(std::string_view key, std::string_view text) override {
    text = Trim(text);
    if (text == "true" || text == "1" || text == "yes" || text == "on") {
      *field_ = true;
    } else if (text == "false" || text == "0" || text == "no" || text == "off") {
      *field_ = false;
    } else {
      return Invalid(key, "'" + std::string(text) + "' is not true or false");
    }
    return Status::Ok();
  }
  std::string Show() const override { return *field_ ? "true" : "false"; }

 private:
  bool* field_;
};

class StringEntry final : public Schema::Entry {
 public:
  StringEntry(std::string* field, std::vector<std::string> choices)
      : field_(field), choices_(std::move(choices)) {}
  Status Parse(std::string_view key, std::string_view text) override {
    if (!choices_.empty()) {
      bool known = false;
      std::string list;
      for (const auto& c : choices_) {
        known = known || c == text;
        list += (list.empty() ? "" : ", ") + c;
      }
      if (!known) return Invalid(key, "'" + std::string(text) + "' is not one of " + list);
    }
    *field_ = std::string(text);
    return Status::Ok();
  }
  std::string Show() const override { return *field_; }

 private:
  std::string* field_;
  std::vector<std::string> choices_;
};

class DurationEntry final : public Schema::Entry {
 public:
  DurationEntry(std::chrono::milliseconds* field, std::chrono::milliseconds min)
      : field_(field), min_(min) {}
  Status Parse(std::string_view key, std::string_view text) override {
    auto parsed = ParseDuration(text);
    if (!parsed.ok()) return Invalid(key, parsed.status().message);
    if (*parsed < min_) {
      return Invalid(key, "must be at least " + std::to_string(min_.count()) + "ms");
    }
    *field_ = *parsed;
    return Status::Ok();
  }
  std::string Show() const override { return std::to_string(field_->count()) + "ms"; }

 private:
  std::chrono::milliseconds* field_;
  std::chrono::milliseconds min_;
};

class ListEntry final : public Schema::Entry {
 public:
  explicit ListEntry(std::vector<std::string>* field) : field_(field) {}
  Status Parse(std::string_view, std::string_view text) override {
    field_->clear();
    while (!text.empty()) {
      const auto comma = text.find(',');
      const auto item = Trim(text.substr(0, comma));
      if (!item.empty()) field_->emplace_back(item);
      text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return Status::Ok();
  }
  Status ParseSequence(std::string_view, const std::vector<std::string>& items) override {
    *field_ = items;
    return Status::Ok();
  }
  std::string Show() const override {
    std::string out;
    for (const auto& item : *field_) out += (out.empty() ? "" : ",") + item;
    return out;
  }

 private:
  std::vector<std::string>* field_;
};

// A list of ids: positive integers below 2^53, as a comma-separated string or a sequence.
class IdListEntry final : public Schema::Entry {
 public:
  explicit IdListEntry(std::vector<std::int64_t>* field) : field_(field) {}
  Status Parse(std::string_view key, std::string_view text) override {
    std::vector<std::string> items;
    if (Status s = ListEntry(&items).Parse(key, text); !s.ok()) return s;
    return ParseSequence(key, items);
  }
  Status ParseSequence(std::string_view key, const std::vector<std::string>& items) override {
    std::vector<std::int64_t> ids;
    for (const std::string& item : items) {
      const std::string_view trimmed = Trim(item);
      std::int64_t id = 0;
      auto [ptr, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), id);
      if (ec != std::errc() || ptr != trimmed.data() + trimmed.size() || id <= 0 ||
          id >= (std::int64_t{1} << 53)) {
        return Invalid(key, "'" + item + "' is not a user id (a positive integer)");
      }
      ids.push_back(id);
    }
    *field_ = std::move(ids);
    return Status::Ok();
  }
  std::string Show() const override {
    std::string out;
    for (std::int64_t id : *field_) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
  }

 private:
  std::vector<std::int64_t>* field_;
};

// Walks a YAML mapping, applying each scalar or sequence leaf under its dotted key.
Status ApplyNode(const YAML::Node& node, const std::string& prefix,
                 const std::function<Status(const std::string&, const YAML::Node&)>& apply) {
  const std::string where = prefix.empty() ? "(root)" : prefix;
  if (!node.IsMap()) return Invalid(where, "expected a mapping");
  for (const auto& item : node) {
    // as<std::string>() throws on anything but a scalar; `? [a, b]: 1` is valid YAML.
    if (!item.first.IsScalar()) return Invalid(where, "has a key that is not a plain name");
    const std::string key =
        prefix.empty() ? item.first.Scalar() : prefix + "." + item.first.Scalar();
    if (item.second.IsMap()) {
      if (Status s = ApplyNode(item.second, key, apply); !s.ok()) return s;
    } else if (Status s = apply(key, item.second); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace

Schema::Schema() = default;
Schema::~Schema() = default;

void Schema::Add(std::string key, std::unique_ptr<Entry> entry) {
  entries_[std::move(key)] = std::move(entry);
}

void Schema::Int(std::string key, std::int64_t* field, std::int64_t min, std::int64_t max) {
  Add(std::move(key), std::make_unique<NumberEntry<std::int64_t>>(field, min, max));
}
void Schema::Int(std::string key, int* field, int min, int max) {
  Add(std::move(key), std::make_unique<NumberEntry<int>>(field, min, max));
}
void Schema::Int(std::string key, std::uint64_t* field, std::uint64_t min, std::uint64_t max) {
  Add(std::move(key), std::make_unique<NumberEntry<std::uint64_t>>(field, min, max));
}
void Schema::Double(std::string key, double* field, double min, double max) {
  Add(std::move(key), std::make_unique<NumberEntry<double>>(field, min, max));
}
void Schema::Bool(std::string key, bool* field) {
  Add(std::move(key), std::make_unique<BoolEntry>(field));
}
void Schema::String(std::string key, std::string* field) {
  Add(std::move(key), std::make_unique<StringEntry>(field, std::vector<std::string>{}));
}
void Schema::Enum(std::string key, std::string* field, std::vector<std::string> choices) {
  Add(std::move(key), std::make_unique<StringEntry>(field, std::move(choices)));
}
void Schema::Duration(std::string key, std::chrono::milliseconds* field,
                      std::chrono::milliseconds min) {
  Add(std::move(key), std::make_unique<DurationEntry>(field, min));
}
void Schema::List(std::string key, std::vector<std::string>* field) {
  Add(std::move(key), std::make_unique<ListEntry>(field));
}
void Schema::IdList(std::string key, std::vector<std::int64_t>* field) {
  Add(std::move(key), std::make_unique<IdListEntry>(field));
}
void Schema::AllowEnv(std::string name) {
  allowed_env_.push_back(std::move(name));
}

Status Schema::Set(std::string_view key, std::string_view value) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Invalid(key, "unknown key");
  return it->second->Parse(key, value);
}

Status Schema::LoadFile(const std::string& path) {
  if (path.empty()) return Status::Ok();
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return InvalidArgument("CONFIG_INVALID", "config file " + path + ": " + e.what());
  }
  if (root.IsNull()) return Status::Ok();  // an empty file sets nothing
  return ApplyNode(root, "", [this](const std::string& key, const YAML::Node& leaf) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return Invalid(key, "unknown key");
    if (leaf.IsSequence()) {
      std::vector<std::string> items;
      for (const auto& item : leaf) {
        // A nested list or mapping has no textual form (as<std::string>() would throw).
        if (!item.IsScalar()) return Invalid(key, "list items must be plain values");
        items.push_back(item.Scalar());
      }
      return it->second->ParseSequence(key, items);
    }
    if (leaf.IsNull()) return Invalid(key, "has no value");
    return it->second->Parse(key, leaf.Scalar());
  });
}

Status Schema::LoadEnv(const std::map<std::string, std::string>& env) {
  std::map<std::string, const std::string*, std::less<>> by_env_name;
  for (const auto& [key, entry] : entries_) by_env_name[EnvNameOf(key)] = &key;
  for (const auto& [name, value] : env) {
    if (name.rfind("REEL_", 0) != 0) continue;
    auto it = by_env_name.find(name);
    if (it == by_env_name.end()) {
      bool allowed = false;
      for (const auto& a : allowed_env_) allowed = allowed || a == name;
      if (allowed) continue;
      return InvalidArgument("CONFIG_INVALID",
                             "environment variable " + name + " does not name a config key");
    }
    if (Status s = entries_.at(*it->second)->Parse(*it->second, value); !s.ok()) {
      s.message += " (from " + name + ")";
      return s;
    }
  }
  return Status::Ok();
}

std::string Schema::EnvNameOf(std::string_view key) {
  std::string name = "REEL_";
  for (char c : key) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

std::vector<std::pair<std::string, std::string>> Schema::Describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, entry] : entries_) out.emplace_back(key, entry->Show());
  return out;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  text = Trim(text);
  std::size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  double amount = 0;
  const std::string_view unit = text.substr(digits);
  if (digits == 0 || !ParseNumber(text.substr(0, digits), amount)) {
    return InvalidArgument("CONFIG_INVALID",
                           "'" + std::string(text) + "' is not a duration such as 10s or 24h");
  }
  double ms_per_unit = 0;
  if (unit == "ms") {
    ms_per_unit = 1;
  } else if (unit == "s" || unit.empty()) {
    ms_per_unit = 1000;
  } else if (unit == "m") {
    ms_per_unit = 60'000;
  } else if (unit == "h") {
    ms_per_unit = 3'600'000;
  } else if (unit == "d") {
    ms_per_unit = 86'400'000;
  } else {
    return InvalidArgument(
        "CONFIG_INVALID", "'" + std::string(text) + "' has an unknown unit (use ms, s, m, h or d)");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(amount * ms_per_unit)));
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

}  // namespace reel::config
