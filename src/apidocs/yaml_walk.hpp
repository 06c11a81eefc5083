// Walking a YAML document safely (internal to the OpenAPI reader): lookups that neither
// insert nor throw, typed reads that name the place of a bad value, and local $ref
// resolution. Problems are thrown as DocumentError and become one Status at the top.
#pragma once

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reel::apidocs {

/// Deep enough for any real document; a chain or nesting deeper than this is a loop.
inline constexpr int kMaxDepth = 32;

/// A problem with the document: "<where>: <what> (line N)".
struct DocumentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws DocumentError naming `where` and, when `node` is defined, its line.
[[noreturn]] void Fail(const std::string& where, const std::string& what,
                       const YAML::Node& node = YAML::Node(YAML::NodeType::Undefined));

/// node[key] without yaml-cpp's surprises: no insertion, no throw on a non-map, and an
/// Undefined node (IsDefined() false) when absent.
YAML::Node Child(const YAML::Node& node, std::string_view key);

/// The text at `key`; "" when absent or null. Fails when it is not a scalar.
std::string Text(const YAML::Node& node, std::string_view key, const std::string& where);
/// true/false at `key`; false when absent. Fails on anything else.
bool Flag(const YAML::Node& node, std::string_view key, const std::string& where);
/// Fails unless `node` is a map.
void ExpectMap(const YAML::Node& node, const std::string& where);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);

/// Follows local references (`#/components/...`, JSON Pointer escapes included).
class RefResolver {
 public:
  explicit RefResolver(YAML::Node root) : root_(std::move(root)) {}

  static bool IsRef(const YAML::Node& node) { return Child(node, "$ref").IsDefined(); }
  /// The last segment of a $ref: "User" for "#/components/schemas/User".
  static std::string RefName(const YAML::Node& node);

  /// The node itself, or what its $ref chain ends at. Fails on a reference that is not
  /// local, does not resolve or loops.
  YAML::Node Resolve(const YAML::Node& node, const std::string& where) const;

  const YAML::Node& root() const { return root_; }

 private:
  YAML::Node Lookup(const std::string& ref, const std::string& where, const YAML::Node& at) const;

  YAML::Node root_;
};

}  // namespace reel::apidocs
