// Schemas as the docs page shows them (internal to the OpenAPI reader): a type line, limits,
// a description and, for objects, their fields with allOf merged.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "apidocs/openapi_model.hpp"
#include "apidocs/yaml_walk.hpp"

namespace reel::apidocs {

class SchemaReader {
 public:
  explicit SchemaReader(const RefResolver& refs) : refs_(refs) {}

  /// Has fields or alternatives (properties, allOf, oneOf, anyOf, or type object).
  static bool IsObjectLike(const YAML::Node& schema);

  /// "array of Video", "integer (int64)": object components stay names, primitive ones
  /// are shown by what they are.
  TypeLine TypeOf(const YAML::Node& schema, const std::string& where, int depth = 0) const;
  /// "one of: a, b; 1..100; length ≤ 32; default: 20; each: ...", "" when unlimited.
  std::string ConstraintsOf(const YAML::Node& schema, const std::string& where) const;
  /// The schema's own description, else that of what it refers to.
  std::string DescriptionOf(const YAML::Node& schema, const std::string& where) const;
  Field FieldOf(std::string name, const YAML::Node& schema, const std::string& where) const;
  /// A body or component schema in full: its fields (allOf merged) or its alternatives.
  SchemaView ViewOf(const YAML::Node& schema, const std::string& where, int depth = 0) const;

 private:
  static YAML::Node SoleAllOf(const YAML::Node& schema);
  static std::string Range(const YAML::Node& schema, const char* low_key, const char* high_key,
                           const std::string& unit);
  YAML::Node Effective(const YAML::Node& schema, const std::string& where) const;
  void CollectFields(const YAML::Node& schema, const std::string& where, std::vector<Field>& out,
                     std::set<std::string>& required, int depth = 0) const;

  const RefResolver& refs_;
};

}  // namespace reel::apidocs
