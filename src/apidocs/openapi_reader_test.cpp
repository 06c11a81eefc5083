#include "apidocs/openapi_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <string>

#include "apidocs/apidocs_routes.hpp"

namespace reel::apidocs {
namespace {

using ::testing::HasSubstr;

// A small document exercising references of every kind: a path-level parameter overridden by
// an operation, parameter / request body / response / schema $refs, a $ref chain, allOf,
// a primitive component (inlined) and an object component (named).
constexpr std::string_view kDocument = R"yaml(
openapi: 3.0.3
info: {title: Demo, version: "1.2"}
security: []
tags:
  - {name: Things, description: All the things.}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, description: path level, schema: {type: string}}
      - {$ref: '#/components/parameters/Verbose'}
    get:
      tags: [Things]
      summary: One thing
      security: [{}, {bearer: []}]
      parameters:
        - {name: id, in: path, required: true, description: the id, schema: {$ref: '#/components/schemas/Id'}}
      responses:
        '200': {$ref: '#/components/responses/ThingAnswer'}
        '404':
          description: gone
          headers:
            Retry-After: {description: seconds, schema: {type: integer}}
          content:
            application/json: {schema: {$ref: '#/components/schemas/Error'}}
    delete:
      tags: [Extra]
      security: [{bearer: []}]
      requestBody: {$ref: '#/components/requestBodies/Why'}
      responses:
        '204': {description: deleted}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT, description: the token}
  parameters:
    Verbose: {name: verbose, in: query, schema: {type: boolean, default: false}}
  requestBodies:
    Why:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [reason]
            properties:
              reason: {type: string, minLength: 1, maxLength: 20}
              tags: {type: array, maxItems: 3, items: {type: string, maxLength: 8}}
  responses:
    ThingAnswer:
      description: the thing
      content:
        application/json: {schema: {$ref: '#/components/schemas/AliasOfThingPage'}}
  schemas:
    Id: {type: integer, format: int64, minimum: 1, description: an id}
    Error:
      type: object
      properties:
        reason: {type: string, enum: [A, B]}
    Thing:
      type: object
      required: [id]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        owner:
          allOf: [{$ref: '#/components/schemas/Error'}]
          nullable: true
          description: who
        parts: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    ThingPage:
      allOf:
        - {$ref: '#/components/schemas/Thing'}
        - type: object
          required: [more]
          properties:
            more: {type: boolean}
    AliasOfThingPage: {$ref: '#/components/schemas/ThingPage'}
)yaml";

const Operation& FindOperation(const ApiModel& api, std::string_view method,
                               std::string_view path) {
  auto it = std::find_if(api.operations.begin(), api.operations.end(), [&](const Operation& op) {
    return op.method == method && op.path == path;
  });
  if (it == api.operations.end()) throw std::runtime_error("no operation");
  return *it;
}

const Field& FindField(const std::vector<Field>& fields, std::string_view name) {
  auto it =
      std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
  if (it == fields.end()) throw std::runtime_error("no field " + std::string(name));
  return *it;
}

std::string ErrorOf(std::string_view text) {
  auto model = ReadOpenApi(text);
  EXPECT_FALSE(model.ok());
  if (model.ok()) return "";
  EXPECT_EQ(model.status().code, Code::kInvalidArgument);
  EXPECT_EQ(model.status().reason, "OPENAPI_INVALID");
  return model.status().message;
}

TEST(ReadOpenApi, ReadsInfoTagsAndOperationsInDocumentOrder) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  EXPECT_EQ(api->title, "Demo");
  EXPECT_EQ(api->version, "1.2");
  ASSERT_EQ(api->operations.size(), 2u);
  EXPECT_EQ(api->operations[0].method, "GET");
  EXPECT_EQ(api->operations[1].method, "DELETE");
  EXPECT_EQ(api->operations[0].path, "/things/{id}");
  // Declared tags first, then the undeclared one an operation uses.
  ASSERT_EQ(api->tags.size(), 2u);
  EXPECT_EQ(api->tags[0].name, "Things");
  EXPECT_EQ(api->tags[0].description, "All the things.");
  EXPECT_EQ(api->tags[1].name, "Extra");
}

TEST(ReadOpenApi, MergesPathParametersAndLetsTheOperationOverrideThem) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  const Operation& get = FindOperation(*api, "GET", "/things/{id}");
  ASSERT_EQ(get.parameters.size(), 2u);
  EXPECT_EQ(get.parameters[0].field.description, "the id");
  EXPECT_TRUE(get.parameters[0].field.required);
  // A primitive component is shown by what it is, with its limits.
  ASSERT_EQ(get.parameters[0].field.type.names.size(), 1u);
  EXPECT_EQ(get.parameters[0].field.type.names[0].text, "integer (int64)");
  EXPECT_EQ(get.parameters[0].field.type.names[0].component, "");
  EXPECT_EQ(get.parameters[0].field.constraints, "≥ 1");
  // The $ref'd parameter of the path applies too.
  EXPECT_EQ(get.parameters[1].field.name, "verbose");
  EXPECT_EQ(get.parameters[1].in, "query");
  EXPECT_EQ(get.parameters[1].field.constraints, "default: false");
  const Operation& del = FindOperation(*api, "DELETE", "/things/{id}");
  EXPECT_EQ(del.parameters[0].field.description, "path level");
}

TEST(ReadOpenApi, FollowsResponseAndSchemaRefChainsAndMergesAllOf) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  const Operation& get = FindOperation(*api, "GET", "/things/{id}");
  ASSERT_EQ(get.responses.size(), 2u);
  const Response& ok = get.responses[0];
  EXPECT_EQ(ok.status, "200");
  EXPECT_EQ(ok.description, "the thing");
  ASSERT_EQ(ok.contents.size(), 1u);
  EXPECT_EQ(ok.contents[0].media_type, "application/json");
  const SchemaView& page = ok.contents[0].schema;
  ASSERT_EQ(page.type.names.size(), 1u);
  EXPECT_EQ(page.type.names[0].component, "AliasOfThingPage");
  // Fields of Thing and of the allOf's own object, through AliasOfThingPage → ThingPage.
  ASSERT_EQ(page.fields.size(), 4u);
  EXPECT_EQ(page.fields[0].name, "id");
  EXPECT_TRUE(page.fields[0].required);
  EXPECT_EQ(page.fields[0].description, "an id");
  const Field& owner = FindField(page.fields, "owner");
  EXPECT_FALSE(owner.required);
  EXPECT_EQ(owner.type.names[0].component, "Error");
  EXPECT_TRUE(owner.type.nullable);
  EXPECT_EQ(owner.description, "who");
  const Field& parts = FindField(page.fields, "parts");
  EXPECT_EQ(parts.type.prefix, "array of ");
  EXPECT_EQ(parts.type.names[0].component, "Thing");
  EXPECT_TRUE(FindField(page.fields, "more").required);

  const Response& gone = get.responses[1];
  ASSERT_EQ(gone.headers.size(), 1u);
  EXPECT_EQ(gone.headers[0].name, "Retry-After");
  EXPECT_EQ(gone.contents[0].schema.fields[0].constraints, "one of: A, B");
}

TEST(ReadOpenApi, ReadsRequestBodiesThroughRefs) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  const Operation& del = FindOperation(*api, "DELETE", "/things/{id}");
  ASSERT_TRUE(del.request_body.has_value());
  EXPECT_TRUE(del.request_body->required);
  const SchemaView& body = del.request_body->contents.at(0).schema;
  EXPECT_EQ(FindField(body.fields, "reason").constraints, "length 1..20");
  EXPECT_TRUE(FindField(body.fields, "reason").required);
  EXPECT_EQ(FindField(body.fields, "tags").constraints, "items ≤ 3; each: length ≤ 8");
}

TEST(ReadOpenApi, TellsWhoMayCall) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  const Auth& get = FindOperation(*api, "GET", "/things/{id}").auth;
  EXPECT_EQ(get.kind, Auth::Kind::kOptional);
  EXPECT_THAT(get.schemes, ::testing::ElementsAre("bearer"));
  EXPECT_EQ(FindOperation(*api, "DELETE", "/things/{id}").auth.kind, Auth::Kind::kRequired);
  ASSERT_EQ(api->security_schemes.size(), 1u);
  EXPECT_EQ(api->security_schemes[0].kind, "HTTP bearer (JWT)");
}

TEST(ReadOpenApi, ListsComponentSchemas) {
  auto api = ReadOpenApi(kDocument);
  ASSERT_TRUE(api.ok()) << api.status().message;
  ASSERT_EQ(api->schemas.size(), 5u);
  EXPECT_EQ(api->schemas[0].name, "Id");
  EXPECT_EQ(api->schemas[0].schema.type.names[0].text, "integer (int64)");
  EXPECT_EQ(api->schemas[2].name, "Thing");
  EXPECT_EQ(api->schemas[2].schema.type.names[0].text, "object");
  EXPECT_EQ(api->schemas[2].schema.fields.size(), 3u);
}

TEST(ReadOpenApi, RefusesTextThatIsNotYaml) {
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\npaths: {\n  /x: [\n"), HasSubstr("not YAML"));
  EXPECT_THAT(ErrorOf("a: b\n c: d\n"), HasSubstr("line 2"));
}

TEST(ReadOpenApi, RefusesDocumentsThatAreNotOpenApi3) {
  EXPECT_THAT(ErrorOf("- just\n- a list\n"), HasSubstr("must be a map"));
  EXPECT_THAT(ErrorOf("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n"),
              HasSubstr("not an OpenAPI 3 document"));
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n"),
              HasSubstr("info.title: is missing"));
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\n"),
              HasSubstr("paths: is missing"));
}

TEST(ReadOpenApi, RefusesAnOperationWithoutResponses) {
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\n"
                      "paths:\n  /a:\n    get: {summary: s}\n"),
              HasSubstr("paths./a.get: has no responses (line 5)"));
}

TEST(ReadOpenApi, RefusesBrokenReferencesNamingWhere) {
  const std::string head =
      "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n";
  EXPECT_THAT(
      ErrorOf(head + "      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n"),
      HasSubstr("paths./a.get.responses.200: $ref '#/components/responses/Nope' does not "
                "resolve (line 7)"));
  EXPECT_THAT(ErrorOf(head + "      responses:\n        '200': {$ref: 'other.yaml#/x'}\n"),
              HasSubstr("is not local"));
  EXPECT_THAT(ErrorOf(head + "      responses:\n        '200': {$ref: '#/components/responses/A'}\n"
                             "components:\n  responses:\n"
                             "    A: {$ref: '#/components/responses/B'}\n"
                             "    B: {$ref: '#/components/responses/A'}\n"),
              HasSubstr("$ref chain loops"));
}

TEST(ReadOpenApi, RefusesAnUndeclaredSecurityScheme) {
  EXPECT_THAT(
      ErrorOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
              "      security: [{apiKey: []}]\n      responses: {'200': {description: ok}}\n"),
      HasSubstr("security scheme 'apiKey' is not declared"));
}

TEST(ReadOpenApi, RefusesValuesOfTheWrongKind) {
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
                      "      summary: [not, text]\n      responses: {'200': {description: ok}}\n"),
              HasSubstr("paths./a.get.summary: must be text"));
  EXPECT_THAT(ErrorOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
                      "      parameters: {a: b}\n      responses: {'200': {description: ok}}\n"),
              HasSubstr("paths./a.get.parameters: must be a list"));
}

// The document compiled into the binary reads, and the model holds each of its operations
// exactly once: counted here straight from the YAML, independently of the reader.
TEST(CompiledOpenApi, ReadsAndHoldsEveryOperation) {
  auto api = ReadOpenApi(OpenApiYaml());
  ASSERT_TRUE(api.ok()) << api.status().message;
  std::set<std::string> in_yaml;
  const YAML::Node root = YAML::Load(std::string(OpenApiYaml()));
  for (const auto& path : root["paths"]) {
    for (const auto& field : path.second) {
      std::string method = field.first.Scalar();
      if (method == "parameters") continue;
      std::transform(method.begin(), method.end(), method.begin(),
                     [](char c) { return static_cast<char>(c - 'a' + 'A'); });
      in_yaml.insert(method + " " + path.first.Scalar());
    }
  }
  std::set<std::string> in_model;
  for (const Operation& op : api->operations) {
    EXPECT_TRUE(in_model.insert(op.method + " " + op.path).second) << op.path;
    EXPECT_FALSE(op.summary.empty()) << op.method << " " << op.path;
    EXPECT_FALSE(op.responses.empty()) << op.method << " " << op.path;
    EXPECT_FALSE(op.tags.empty()) << op.method << " " << op.path;
  }
  EXPECT_EQ(in_model, in_yaml);
  EXPECT_GE(in_model.size(), 40u);
}

}  // namespace
}  // namespace reel::apidocs
