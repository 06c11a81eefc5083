#pragma once

#include <optional>
#include <string>
#include <vector>

namespace reel::apidocs {

/// What an OpenAPI document says, in the shape the docs page shows it: every `$ref` already
/// followed, `allOf` merged, and schemas reduced to a type line plus, for objects, their
/// fields. Component schemas that are objects stay names (linked on the page); primitive
/// components (an id, a title) are shown inline, since their name tells a reader less than
/// "integer (int64)" does.

/// One name in a type line; `component` is set when it names a component schema.
struct TypeName {
  std::string text;       // "integer (int64)", "Video"
  std::string component;  // "Video", or empty
};

/// A type line: "array of Video", "one of VideoPage | UserPage", "string".
struct TypeLine {
  std::string prefix;           // "array of ", "array of array of ", ""
  std::vector<TypeName> names;  // several for oneOf/anyOf
  bool nullable = false;
};

/// A property of an object schema, or a parameter.
struct Field {
  std::string name;
  TypeLine type;
  bool required = false;
  std::string description;
  std::string constraints;  // "1..100", "one of: like, unlike", "default: 20", ...
};

/// A schema as shown under a request or response body or in the schema list.
struct SchemaView {
  TypeLine type;
  std::string description;
  std::string constraints;
  std::vector<Field> fields;             // for objects (allOf merged), in document order
  std::vector<SchemaView> alternatives;  // for oneOf/anyOf at the top
};

struct Parameter {
  Field field;
  std::string in;  // path, query, header, cookie
};

struct Body {
  std::string media_type;
  SchemaView schema;
};

struct RequestBody {
  bool required = false;
  std::string description;
  std::vector<Body> contents;
};

struct ResponseHeader {
  std::string name;
  std::string description;
};

struct Response {
  std::string status;  // "200", "4XX", "default"
  std::string description;
  std::vector<ResponseHeader> headers;
  std::vector<Body> contents;
};

/// Who may call an operation.
struct Auth {
  enum class Kind { kNone, kRequired, kOptional };
  Kind kind = Kind::kNone;
  std::vector<std::string> schemes;  // security scheme names
};

struct Operation {
  std::string method;  // upper case: "GET"
  std::string path;    // "/api/video/{id}"
  std::string operation_id;
  std::string summary;
  std::string description;
  std::vector<std::string> tags;
  Auth auth;
  std::vector<Parameter> parameters;  // path-level ones merged in
  std::optional<RequestBody> request_body;
  std::vector<Response> responses;
};

struct Tag {
  std::string name;
  std::string description;
};

struct SecurityScheme {
  std::string name;
  std::string kind;  // "HTTP bearer (JWT)", "API key in query parameter token"
  std::string description;
};

struct NamedSchema {
  std::string name;
  SchemaView schema;
};

struct ApiModel {
  std::string title;
  std::string version;
  std::string description;
  std::vector<Tag> tags;              // declared tags first, then any others used
  std::vector<Operation> operations;  // document order
  std::vector<NamedSchema> schemas;   // components.schemas, document order
  std::vector<SecurityScheme> security_schemes;
};

}  // namespace reel::apidocs
