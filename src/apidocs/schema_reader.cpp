#include "apidocs/schema_reader.hpp"

#include <algorithm>
#include <utility>

namespace reel::apidocs {

bool SchemaReader::IsObjectLike(const YAML::Node& schema) {
  return Child(schema, "properties").IsDefined() || Child(schema, "allOf").IsDefined() ||
         Child(schema, "oneOf").IsDefined() || Child(schema, "anyOf").IsDefined() ||
         Text(schema, "type", "") == "object";
}

// A schema's only member when it is `allOf: [one]` (the 3.0 way to add nullable or a
// description to a reference); undefined otherwise.
YAML::Node SchemaReader::SoleAllOf(const YAML::Node& schema) {
  const YAML::Node all = Child(schema, "allOf");
  if (all.IsSequence() && all.size() == 1 && !Child(schema, "properties").IsDefined()) {
    return all[0];
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

TypeLine SchemaReader::TypeOf(const YAML::Node& schema, const std::string& where, int depth) const {
  if (depth > kMaxDepth) Fail(where, "schema nests too deeply (a loop?)", schema);
  TypeLine line;
  line.nullable = Flag(schema, "nullable", where);
  if (RefResolver::IsRef(schema)) {
    const YAML::Node target = refs_.Resolve(schema, where);
    if (IsObjectLike(target)) {
      line.names.push_back({RefResolver::RefName(schema), RefResolver::RefName(schema)});
      return line;
    }
    TypeLine inlined = TypeOf(target, where, depth + 1);
    inlined.nullable = inlined.nullable || line.nullable;
    return inlined;
  }
  ExpectMap(schema, where);
  if (const YAML::Node sole = SoleAllOf(schema); sole.IsDefined()) {
    TypeLine inner = TypeOf(sole, where + ".allOf[0]", depth + 1);
    inner.nullable = inner.nullable || line.nullable;
    return inner;
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    const YAML::Node alternatives = Child(schema, key);
    if (!alternatives.IsDefined()) continue;
    if (!alternatives.IsSequence()) Fail(where + "." + key, "must be a list", alternatives);
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const TypeLine alt =
          TypeOf(alternatives[i], where + "." + key + "[" + std::to_string(i) + "]", depth + 1);
      for (const TypeName& name : alt.names) {
        line.names.push_back({alt.prefix + name.text, name.component});
      }
    }
    return line;
  }
  const std::string type = Text(schema, "type", where);
  if (type == "array") {
    const YAML::Node items = Child(schema, "items");
    if (!items.IsDefined()) Fail(where, "an array needs `items`", schema);
    TypeLine inner = TypeOf(items, where + ".items", depth + 1);
    inner.prefix = "array of " + inner.prefix;
    inner.nullable = line.nullable;
    return inner;
  }
  const std::string format = Text(schema, "format", where);
  std::string text = type.empty() ? (IsObjectLike(schema) ? "object" : "any") : type;
  if (!format.empty()) text += " (" + format + ")";
  line.names.push_back({text, ""});
  return line;
}

// The node that carries a value's limits and description: through $refs to primitive
// components and through `allOf: [one]`.
YAML::Node SchemaReader::Effective(const YAML::Node& schema, const std::string& where) const {
  YAML::Node current = refs_.Resolve(schema, where);
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    const YAML::Node sole = SoleAllOf(current);
    if (!sole.IsDefined()) break;
    YAML::Node next = refs_.Resolve(sole, where);
    current.reset(next);
  }
  return current;
}

std::string SchemaReader::Range(const YAML::Node& schema, const char* low_key, const char* high_key,
                                const std::string& unit) {
  const std::string low = Text(schema, low_key, "");
  const std::string high = Text(schema, high_key, "");
  if (low.empty() && high.empty()) return "";
  if (!low.empty() && !high.empty()) return unit + low + ".." + high;
  return unit + (low.empty() ? "≤ " + high : "≥ " + low);
}

std::string SchemaReader::ConstraintsOf(const YAML::Node& schema, const std::string& where) const {
  const YAML::Node value = Effective(schema, where);
  if (!value.IsMap()) return "";
  std::vector<std::string> parts;
  if (const YAML::Node values = Child(value, "enum"); values.IsSequence()) {
    std::vector<std::string> shown;
    for (const YAML::Node& v : values) shown.push_back(v.IsScalar() ? v.Scalar() : "…");
    parts.push_back("one of: " + Join(shown, ", "));
  }
  for (std::string range :
       {Range(value, "minimum", "maximum", ""), Range(value, "minLength", "maxLength", "length "),
        Range(value, "minItems", "maxItems", "items ")}) {
    if (!range.empty()) parts.push_back(std::move(range));
  }
  if (const std::string pattern = Text(value, "pattern", where); !pattern.empty()) {
    parts.push_back("pattern: " + pattern);
  }
  if (const YAML::Node fallback = Child(value, "default"); fallback.IsScalar()) {
    parts.push_back("default: " + (fallback.Scalar().empty() ? "\"\"" : fallback.Scalar()));
  }
  if (const YAML::Node items = Child(value, "items"); items.IsDefined()) {
    if (std::string each = ConstraintsOf(items, where + ".items"); !each.empty()) {
      parts.push_back("each: " + each);
    }
  }
  return Join(parts, "; ");
}

std::string SchemaReader::DescriptionOf(const YAML::Node& schema, const std::string& where) const {
  if (!RefResolver::IsRef(schema)) {
    if (std::string own = Text(schema, "description", where); !own.empty()) return own;
  }
  return Text(Effective(schema, where), "description", where);
}

Field SchemaReader::FieldOf(std::string name, const YAML::Node& schema,
                            const std::string& where) const {
  Field field;
  field.name = std::move(name);
  field.type = TypeOf(schema, where);
  field.description = DescriptionOf(schema, where);
  field.constraints = ConstraintsOf(schema, where);
  return field;
}

// The properties of an object schema with allOf members merged, in document order.
void SchemaReader::CollectFields(const YAML::Node& schema, const std::string& where,
                                 std::vector<Field>& out, std::set<std::string>& required,
                                 int depth) const {
  if (depth > kMaxDepth) Fail(where, "allOf nests too deeply (a loop?)", schema);
  const YAML::Node value = refs_.Resolve(schema, where);
  if (!value.IsMap()) return;
  if (const YAML::Node all = Child(value, "allOf"); all.IsDefined()) {
    if (!all.IsSequence()) Fail(where + ".allOf", "must be a list", all);
    for (std::size_t i = 0; i < all.size(); ++i) {
      CollectFields(all[i], where + ".allOf[" + std::to_string(i) + "]", out, required, depth + 1);
    }
  }
  if (const YAML::Node names = Child(value, "required"); names.IsSequence()) {
    for (const YAML::Node& name : names) required.insert(name.Scalar());
  }
  const YAML::Node properties = Child(value, "properties");
  if (!properties.IsDefined()) return;
  ExpectMap(properties, where + ".properties");
  for (const auto& entry : properties) {
    const std::string name = entry.first.Scalar();
    const bool seen =
        std::any_of(out.begin(), out.end(), [&name](const Field& f) { return f.name == name; });
    if (!seen) out.push_back(FieldOf(name, entry.second, where + ".properties." + name));
  }
}

SchemaView SchemaReader::ViewOf(const YAML::Node& schema, const std::string& where,
                                int depth) const {
  if (depth > kMaxDepth) Fail(where, "schema nests too deeply (a loop?)", schema);
  SchemaView view;
  view.type = TypeOf(schema, where);
  view.description = DescriptionOf(schema, where);
  const YAML::Node value = Effective(schema, where);
  for (const char* key : {"oneOf", "anyOf"}) {
    const YAML::Node alternatives = Child(value, key);
    if (!alternatives.IsSequence()) continue;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      view.alternatives.push_back(
          ViewOf(alternatives[i], where + "." + key + "[" + std::to_string(i) + "]", depth + 1));
    }
  }
  if (Text(value, "type", where) != "array" && IsObjectLike(value)) {
    std::set<std::string> required;
    CollectFields(value, where, view.fields, required);
    for (Field& field : view.fields) field.required = required.contains(field.name);
  } else {
    view.constraints = ConstraintsOf(schema, where);
  }
  return view;
}

}  // namespace reel::apidocs
