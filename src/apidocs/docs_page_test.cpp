#include "apidocs/docs_page.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "apidocs/apidocs_routes.hpp"
#include "apidocs/html_text.hpp"
#include "apidocs/openapi_reader.hpp"

namespace reel::apidocs {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Render(std::string_view yaml) {
  auto api = ReadOpenApi(yaml);
  EXPECT_TRUE(api.ok()) << api.status().message;
  return api.ok() ? RenderDocsPage(*api) : "";
}

TEST(DocsPage, ShowsEveryOperationOfTheCompiledDocumentInTheContentsAndTheBody) {
  auto api = ReadOpenApi(OpenApiYaml());
  ASSERT_TRUE(api.ok()) << api.status().message;
  const std::string page = RenderDocsPage(*api);
  ASSERT_FALSE(api->operations.empty());
  for (const Operation& op : api->operations) {
    const std::string anchor = "op-" + AnchorId(op.method + " " + op.path);
    EXPECT_THAT(page, HasSubstr("<a href=\"#" + anchor + "\">")) << op.method << " " << op.path;
    EXPECT_THAT(page, HasSubstr("<article id=\"" + anchor + "\">")) << op.method << " " << op.path;
    EXPECT_THAT(page, HasSubstr("<code>" + HtmlEscape(op.path) + "</code>"));
    EXPECT_THAT(page, HasSubstr(HtmlEscape(op.summary)));
  }
  for (const NamedSchema& schema : api->schemas) {
    EXPECT_THAT(page, HasSubstr("<article id=\"schema-" + AnchorId(schema.name) + "\">"));
  }
}

TEST(DocsPage, IsSelfContained) {
  auto api = ReadOpenApi(OpenApiYaml());
  ASSERT_TRUE(api.ok()) << api.status().message;
  const std::string page = RenderDocsPage(*api);
  EXPECT_THAT(page, HasSubstr("<meta name=\"viewport\""));
  EXPECT_THAT(page, HasSubstr("<style>"));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_THAT(page, Not(HasSubstr("url(")));
  EXPECT_THAT(page, Not(HasSubstr("@import")));
}

constexpr std::string_view kHostile = R"yaml(
openapi: 3.0.3
info:
  title: "<script>alert('t')</script>"
  version: "1 & 2"
  description: "a \"quoted\" <b>bold</b> claim & `<code>`"
tags: [{name: "<Tag>", description: "x < y"}]
paths:
  /search/{q<>}:
    get:
      tags: ["<Tag>"]
      summary: "Find <things> & 'stuff'"
      description: "He said \"hi\""
      parameters:
        - name: "q<>"
          in: path
          required: true
          description: "<img src=x onerror=alert(1)>"
          schema: {type: string, pattern: "^<[a-z]+>$", enum: ["<a>", "b&c"]}
      responses:
        "200":
          description: "<ok>"
          content:
            "text/html<x>": {schema: {$ref: '#/components/schemas/Odd'}}
components:
  schemas:
    Odd:
      type: object
      description: "'single' & \"double\""
      properties:
        "<field>": {type: string, description: "</td></tr></table><script>"}
)yaml";

TEST(DocsPage, EscapesEveryTextFromTheDocument) {
  const std::string page = Render(kHostile);
  ASSERT_FALSE(page.empty());
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<img")));
  EXPECT_THAT(page, Not(HasSubstr("<b>")));
  EXPECT_THAT(page, Not(HasSubstr("<things>")));
  EXPECT_THAT(page, Not(HasSubstr("<field>")));
  EXPECT_THAT(page, Not(HasSubstr("<Tag>")));
  EXPECT_THAT(page, Not(HasSubstr("</td></tr></table><")));
  EXPECT_THAT(page, HasSubstr("<title>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</title>"));
  EXPECT_THAT(page, HasSubstr("1 &amp; 2"));
  EXPECT_THAT(page, HasSubstr("a &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt; claim &amp; "
                              "<code>&lt;code&gt;</code>"));
  EXPECT_THAT(page, HasSubstr("Find &lt;things&gt; &amp; &#39;stuff&#39;"));
  EXPECT_THAT(page, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(page, HasSubstr("one of: &lt;a&gt;, b&amp;c"));
  EXPECT_THAT(page, HasSubstr("<code>text/html&lt;x&gt;</code>"));
  EXPECT_THAT(page, HasSubstr("&#39;single&#39; &amp; &quot;double&quot;"));
  EXPECT_THAT(page, HasSubstr("<code>/search/{q&lt;&gt;}</code>"));
}

TEST(DocsPage, LinksObjectSchemasToTheirComponentAndShowsTheirFields) {
  const std::string page = Render(R"yaml(
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /users:
    get:
      summary: List
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  users: {type: array, items: {$ref: '#/components/schemas/User'}}
                  next: {$ref: '#/components/schemas/Cursor'}
components:
  schemas:
    Cursor: {type: string, maxLength: 40, description: opaque}
    User:
      type: object
      required: [name]
      properties:
        name: {type: string, description: the name}
)yaml");
  // The response names the component and links to it; the primitive is shown inline.
  EXPECT_THAT(page, HasSubstr("array of <a href=\"#schema-user\">User</a>"));
  EXPECT_THAT(page, HasSubstr("<td><code>next</code></td><td>string</td>"));
  EXPECT_THAT(page, HasSubstr("opaque"));
  EXPECT_THAT(page, HasSubstr("length ≤ 40"));
  // The component's own section lists its fields.
  EXPECT_THAT(page, HasSubstr("<article id=\"schema-user\"><h3>User</h3>"));
  EXPECT_THAT(page, HasSubstr("<code>name</code> <span class=\"req\">required</span>"));
}

TEST(DocsPage, SaysWhoMayCall) {
  const std::string page = Render(R"yaml(
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /open: {get: {summary: a, responses: {'200': {description: ok}}}}
  /mine: {get: {summary: b, security: [{bearer: []}], responses: {'200': {description: ok}}}}
  /either: {get: {summary: c, security: [{}, {bearer: []}], responses: {'200': {description: ok}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
)yaml");
  EXPECT_THAT(page, HasSubstr("<strong>Auth:</strong> none"));
  EXPECT_THAT(page,
              HasSubstr("<strong>Auth:</strong> required: <a href=\"#auth-bearer\">bearer</a>"));
  EXPECT_THAT(page,
              HasSubstr("<strong>Auth:</strong> optional: <a href=\"#auth-bearer\">bearer</a>"));
  EXPECT_THAT(page, HasSubstr("<article id=\"auth-bearer\">"));
}

TEST(DocsPage, GivesClashingAnchorsDistinctIds) {
  const std::string page = Render(R"yaml(
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a/{b}: {get: {summary: x, responses: {'200': {description: ok}}}}
  /a/b: {get: {summary: y, responses: {'200': {description: ok}}}}
)yaml");
  EXPECT_THAT(page, HasSubstr("<article id=\"op-get-a-b\">"));
  EXPECT_THAT(page, HasSubstr("<article id=\"op-get-a-b-2\">"));
}

}  // namespace
}  // namespace reel::apidocs
