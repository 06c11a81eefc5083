#include "apidocs/yaml_walk.hpp"

#include <algorithm>

namespace reel::apidocs {
namespace {

// "~1" and "~0" are the JSON Pointer escapes of '/' and '~'.
std::string UnescapePointerToken(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::string LineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? " (line " + std::to_string(mark.line + 1) + ")" : "";
}

}  // namespace

void Fail(const std::string& where, const std::string& what, const YAML::Node& node) {
  throw DocumentError(where + ": " + what + (node.IsDefined() ? LineOf(node) : ""));
}

YAML::Node Child(const YAML::Node& node, std::string_view key) {
  if (!node.IsDefined() || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& map = node;
  YAML::Node child = map[std::string(key)];
  if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  return child;
}

std::string Text(const YAML::Node& node, std::string_view key, const std::string& where) {
  const YAML::Node value = Child(node, key);
  if (!value.IsDefined() || value.IsNull()) return "";
  if (!value.IsScalar()) Fail(where + "." + std::string(key), "must be text", value);
  return value.Scalar();
}

bool Flag(const YAML::Node& node, std::string_view key, const std::string& where) {
  const std::string text = Text(node, key, where);
  if (text.empty() || text == "false") return false;
  if (text == "true") return true;
  Fail(where + "." + std::string(key), "must be true or false", Child(node, key));
}

void ExpectMap(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) Fail(where, "must be a map", node);
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

YAML::Node RefResolver::Lookup(const std::string& ref, const std::string& where,
                               const YAML::Node& at) const {
  if (!ref.starts_with("#/")) Fail(where, "$ref '" + ref + "' is not local (#/...)", at);
  YAML::Node current = root_;
  std::size_t start = 2;
  while (start <= ref.size()) {
    const std::size_t slash = std::min(ref.find('/', start), ref.size());
    const std::string token = UnescapePointerToken(ref.substr(start, slash - start));
    YAML::Node next = Child(current, token);
    if (!next.IsDefined()) Fail(where, "$ref '" + ref + "' does not resolve", at);
    current.reset(next);  // rebinds; `current = next` would overwrite the tree
    start = slash + 1;
  }
  return current;
}

YAML::Node RefResolver::Resolve(const YAML::Node& node, const std::string& where) const {
  YAML::Node current = node;
  for (int hops = 0; IsRef(current); ++hops) {
    if (hops == kMaxDepth) Fail(where, "$ref chain loops", node);
    const YAML::Node ref = Child(current, "$ref");
    if (!ref.IsScalar()) Fail(where + ".$ref", "must be text", ref);
    YAML::Node target = Lookup(ref.Scalar(), where, ref);
    current.reset(target);
  }
  return current;
}

std::string RefResolver::RefName(const YAML::Node& node) {
  const std::string ref = Child(node, "$ref").Scalar();
  return UnescapePointerToken(ref.substr(ref.rfind('/') + 1));
}

}  // namespace reel::apidocs
