#include "apidocs/openapi_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "apidocs/schema_reader.hpp"
#include "apidocs/yaml_walk.hpp"

namespace reel::apidocs {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

class Reader {
 public:
  explicit Reader(YAML::Node root) : refs_(std::move(root)), schemas_(refs_), root_(refs_.root()) {}

  ApiModel Read() {
    ExpectMap(root_, "document");
    const std::string version = Text(root_, "openapi", "document");
    if (!version.starts_with("3.")) {
      Fail("openapi", "not an OpenAPI 3 document (`openapi: 3.x` is missing)");
    }
    ApiModel api;
    const YAML::Node info = Child(root_, "info");
    ExpectMap(info, "info");
    api.title = Text(info, "title", "info");
    if (api.title.empty()) Fail("info.title", "is missing", info);
    api.version = Text(info, "version", "info");
    api.description = Text(info, "description", "info");
    ReadSecuritySchemes(api);
    ReadTags(api);
    ReadPaths(api);
    AddUndeclaredTags(api);
    ReadSchemas(api);
    return api;
  }

 private:
  std::vector<Body> BodiesOf(const YAML::Node& owner, const std::string& where) const {
    std::vector<Body> bodies;
    const YAML::Node content = Child(owner, "content");
    if (!content.IsDefined()) return bodies;
    ExpectMap(content, where + ".content");
    for (const auto& entry : content) {
      const std::string media_type = entry.first.Scalar();
      const std::string at = where + ".content." + media_type;
      ExpectMap(entry.second, at);
      Body body{media_type, {}};
      if (const YAML::Node schema = Child(entry.second, "schema"); schema.IsDefined()) {
        body.schema = schemas_.ViewOf(schema, at + ".schema");
      }
      bodies.push_back(std::move(body));
    }
    return bodies;
  }

  // ---- operations

  Parameter ParameterOf(const YAML::Node& node, const std::string& where) const {
    const YAML::Node param = refs_.Resolve(node, where);
    ExpectMap(param, where);
    Parameter p;
    p.in = Text(param, "in", where);
    const std::string name = Text(param, "name", where);
    if (name.empty() || p.in.empty()) Fail(where, "a parameter needs `name` and `in`", param);
    const YAML::Node schema = Child(param, "schema");
    p.field = schema.IsDefined() ? schemas_.FieldOf(name, schema, where + ".schema") : Field{name};
    p.field.required = Flag(param, "required", where);
    if (std::string own = Text(param, "description", where); !own.empty()) {
      p.field.description = std::move(own);
    }
    return p;
  }

  void AddParameters(const YAML::Node& owner, const std::string& where,
                     std::vector<Parameter>& out) const {
    const YAML::Node list = Child(owner, "parameters");
    if (!list.IsDefined()) return;
    if (!list.IsSequence()) Fail(where + ".parameters", "must be a list", list);
    for (std::size_t i = 0; i < list.size(); ++i) {
      Parameter p = ParameterOf(list[i], where + ".parameters[" + std::to_string(i) + "]");
      // An operation's parameter replaces the path's one of the same name and place.
      auto same = std::find_if(out.begin(), out.end(), [&p](const Parameter& q) {
        return q.field.name == p.field.name && q.in == p.in;
      });
      if (same != out.end()) {
        *same = std::move(p);
      } else {
        out.push_back(std::move(p));
      }
    }
  }

  Auth AuthOf(const YAML::Node& operation, const std::string& where) const {
    YAML::Node requirements = Child(operation, "security");
    std::string at = where + ".security";
    if (!requirements.IsDefined()) {
      requirements.reset(Child(root_, "security"));
      at = "security";
    }
    Auth auth;
    if (!requirements.IsDefined()) return auth;
    if (!requirements.IsSequence()) Fail(at, "must be a list", requirements);
    bool anonymous = false;
    for (const YAML::Node& requirement : requirements) {
      ExpectMap(requirement, at);
      if (requirement.size() == 0) anonymous = true;
      for (const auto& entry : requirement) {
        const std::string scheme = entry.first.Scalar();
        if (!Child(Child(Child(root_, "components"), "securitySchemes"), scheme).IsDefined()) {
          Fail(at, "security scheme '" + scheme + "' is not declared", requirement);
        }
        if (std::find(auth.schemes.begin(), auth.schemes.end(), scheme) == auth.schemes.end()) {
          auth.schemes.push_back(scheme);
        }
      }
    }
    if (!auth.schemes.empty())
      auth.kind = anonymous ? Auth::Kind::kOptional : Auth::Kind::kRequired;
    return auth;
  }

  Operation OperationOf(const std::string& path, const std::string& method, const YAML::Node& item,
                        const YAML::Node& node) const {
    const std::string where = "paths." + path + "." + method;
    ExpectMap(node, where);
    Operation op;
    op.method = method;
    std::transform(op.method.begin(), op.method.end(), op.method.begin(),
                   [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    op.path = path;
    op.operation_id = Text(node, "operationId", where);
    op.summary = Text(node, "summary", where);
    op.description = Text(node, "description", where);
    if (const YAML::Node tags = Child(node, "tags"); tags.IsSequence()) {
      for (const YAML::Node& tag : tags) op.tags.push_back(tag.Scalar());
    }
    op.auth = AuthOf(node, where);
    AddParameters(item, "paths." + path, op.parameters);
    AddParameters(node, where, op.parameters);
    if (const YAML::Node body = Child(node, "requestBody"); body.IsDefined()) {
      const YAML::Node resolved = refs_.Resolve(body, where + ".requestBody");
      ExpectMap(resolved, where + ".requestBody");
      op.request_body =
          RequestBody{Flag(resolved, "required", where), Text(resolved, "description", where),
                      BodiesOf(resolved, where + ".requestBody")};
    }
    const YAML::Node responses = Child(node, "responses");
    if (!responses.IsMap() || responses.size() == 0) Fail(where, "has no responses", node);
    for (const auto& entry : responses) {
      const std::string status = entry.first.Scalar();
      const std::string at = where + ".responses." + status;
      const YAML::Node response = refs_.Resolve(entry.second, at);
      ExpectMap(response, at);
      Response r;
      r.status = status;
      r.description = Text(response, "description", at);
      if (const YAML::Node headers = Child(response, "headers"); headers.IsDefined()) {
        ExpectMap(headers, at + ".headers");
        for (const auto& header : headers) {
          const std::string name = header.first.Scalar();
          const YAML::Node resolved = refs_.Resolve(header.second, at + ".headers." + name);
          r.headers.push_back({name, Text(resolved, "description", at + ".headers." + name)});
        }
      }
      r.contents = BodiesOf(response, at);
      op.responses.push_back(std::move(r));
    }
    return op;
  }

  void ReadPaths(ApiModel& api) const {
    const YAML::Node paths = Child(root_, "paths");
    if (!paths.IsDefined()) Fail("paths", "is missing");
    ExpectMap(paths, "paths");
    for (const auto& entry : paths) {
      const std::string path = entry.first.Scalar();
      if (!path.starts_with("/")) Fail("paths." + path, "a path must start with '/'", entry.first);
      const YAML::Node item = refs_.Resolve(entry.second, "paths." + path);
      ExpectMap(item, "paths." + path);
      for (const auto& field : item) {
        const std::string key = field.first.Scalar();
        if (std::find(kMethods.begin(), kMethods.end(), key) == kMethods.end()) continue;
        api.operations.push_back(OperationOf(path, key, item, field.second));
      }
    }
  }

  // ---- the rest

  void ReadTags(ApiModel& api) const {
    const YAML::Node tags = Child(root_, "tags");
    if (!tags.IsDefined()) return;
    if (!tags.IsSequence()) Fail("tags", "must be a list", tags);
    for (std::size_t i = 0; i < tags.size(); ++i) {
      const std::string where = "tags[" + std::to_string(i) + "]";
      api.tags.push_back({Text(tags[i], "name", where), Text(tags[i], "description", where)});
    }
  }

  static void AddUndeclaredTags(ApiModel& api) {
    for (const Operation& op : api.operations) {
      for (const std::string& tag : op.tags) {
        const bool known = std::any_of(api.tags.begin(), api.tags.end(),
                                       [&tag](const Tag& t) { return t.name == tag; });
        if (!known) api.tags.push_back({tag, ""});
      }
    }
  }

  void ReadSecuritySchemes(ApiModel& api) const {
    const YAML::Node schemes = Child(Child(root_, "components"), "securitySchemes");
    if (!schemes.IsDefined()) return;
    ExpectMap(schemes, "components.securitySchemes");
    for (const auto& entry : schemes) {
      const std::string name = entry.first.Scalar();
      const std::string where = "components.securitySchemes." + name;
      const YAML::Node scheme = refs_.Resolve(entry.second, where);
      const std::string type = Text(scheme, "type", where);
      std::string kind = type;
      if (type == "http") {
        kind = "HTTP " + Text(scheme, "scheme", where);
        if (std::string format = Text(scheme, "bearerFormat", where); !format.empty()) {
          kind += " (" + format + ")";
        }
      } else if (type == "apiKey") {
        kind = "API key: " + Text(scheme, "in", where) + " `" + Text(scheme, "name", where) + "`";
      }
      api.security_schemes.push_back({name, kind, Text(scheme, "description", where)});
    }
  }

  void ReadSchemas(ApiModel& api) const {
    const YAML::Node schemas = Child(Child(root_, "components"), "schemas");
    if (!schemas.IsDefined()) return;
    ExpectMap(schemas, "components.schemas");
    for (const auto& entry : schemas) {
      const std::string name = entry.first.Scalar();
      SchemaView view = schemas_.ViewOf(entry.second, "components.schemas." + name);
      // Listed by their own structure: an object component's type line would only name
      // itself.
      if (SchemaReader::IsObjectLike(refs_.Resolve(entry.second, "components.schemas." + name))) {
        view.type = TypeLine{"", {{"object", ""}}, view.type.nullable};
      }
      api.schemas.push_back({name, std::move(view)});
    }
  }

  RefResolver refs_;
  SchemaReader schemas_;
  const YAML::Node& root_;
};

}  // namespace

Result<ApiModel> ReadOpenApi(std::string_view text) {
  auto invalid = [](const std::string& message) {
    return InvalidArgument("OPENAPI_INVALID", "invalid OpenAPI document: " + message);
  };
  auto at_line = [](const YAML::Mark& mark) {
    return mark.line >= 0 ? " (line " + std::to_string(mark.line + 1) + ")" : std::string();
  };
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return Reader(root).Read();
  } catch (const YAML::ParserException& e) {
    return invalid("not YAML: " + e.msg + at_line(e.mark));
  } catch (const DocumentError& e) {
    return invalid(e.what());
  } catch (const YAML::Exception& e) {
    return invalid(e.msg + at_line(e.mark));
  }
}

}  // namespace reel::apidocs
