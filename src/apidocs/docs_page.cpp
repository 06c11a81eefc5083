#include "apidocs/docs_page.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "apidocs/html_text.hpp"

namespace reel::apidocs {
namespace {

// Light and dark by the reader's setting; tables scroll sideways on narrow screens instead
// of squeezing the text.
constexpr std::string_view kStyle = R"css(
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--line:#dcdcdf;
--code:#f2f2f5;--link:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e9;--bg:#16161a;--muted:#a3a3ab;
--line:#34343b;--code:#25252b;--link:#8ab4f8}}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
header,nav,main{max-width:62rem;margin:0 auto;padding:0 1rem}
a{color:var(--link)}
code{font:.88em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);
padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
h1{margin:1.5rem 0 .25rem}h2{margin-top:2rem;border-bottom:2px solid var(--line)}
h3{margin:.25rem 0;font-size:1.05rem;overflow-wrap:anywhere}h3 code{background:none;padding:0}
h4{margin:1rem 0 .25rem;font-size:.95rem}
article{border-top:1px solid var(--line);padding:.75rem 0 1rem}
.m{display:inline-block;min-width:4.3em;text-align:center;color:#fff;background:#59636e;
font:600 .78rem/1.6 ui-monospace,monospace;border-radius:4px;margin-right:.4rem}
.m-get{background:#1a7f37}.m-post{background:#0b57d0}.m-put{background:#9a6700}
.m-patch{background:#8250df}.m-delete{background:#cf222e}
.muted{color:var(--muted)}.summary{font-weight:600;margin:.25rem 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
th{font-weight:600}td p{margin:0 0 .3rem}td:first-child code{white-space:nowrap}
nav ul{list-style:none;margin:.25rem 0 1rem;padding:0}nav li{margin:.15rem 0}
nav h3{margin-top:.75rem}
.req{color:#cf222e;font-size:.8rem}
)css";

// Anchors by operation; "/a/{b}" and "/a/b" would read alike, so a clash gets a number.
class OperationAnchors {
 public:
  explicit OperationAnchors(const std::vector<Operation>& operations) {
    std::set<std::string> used;
    for (const Operation& op : operations) {
      const std::string base = "op-" + AnchorId(op.method + " " + op.path);
      std::string anchor = base;
      for (int n = 2; !used.insert(anchor).second; ++n) anchor = base + "-" + std::to_string(n);
      anchors_.emplace(&op, std::move(anchor));
    }
  }
  const std::string& Of(const Operation& op) const { return anchors_.at(&op); }

 private:
  std::unordered_map<const Operation*, std::string> anchors_;
};

std::string SchemaAnchor(std::string_view name) {
  return "schema-" + AnchorId(name);
}

std::string MethodBadge(const std::string& method) {
  return "<span class=\"m m-" + AnchorId(method) + "\">" + HtmlEscape(method) + "</span>";
}

std::string TypeHtml(const TypeLine& type) {
  std::string out = type.names.size() > 1 ? "one of " : "";
  out += HtmlEscape(type.prefix);
  for (std::size_t i = 0; i < type.names.size(); ++i) {
    if (i > 0) out += " | ";
    const TypeName& name = type.names[i];
    out += name.component.empty() ? HtmlEscape(name.text)
                                  : "<a href=\"#" + SchemaAnchor(name.component) + "\">" +
                                        HtmlEscape(name.text) + "</a>";
  }
  if (type.nullable) out += " or null";
  return out;
}

std::string NotesHtml(const Field& field) {
  std::string notes = DescriptionHtml(field.description);
  if (!field.constraints.empty()) {
    notes += "<div class=\"muted\">" + HtmlEscape(field.constraints) + "</div>";
  }
  return notes;
}

std::string FieldTable(const std::vector<Field>& fields) {
  std::string out =
      "<div class=\"scroll\"><table><thead><tr><th>field</th><th>type</th><th>notes</th>"
      "</tr></thead><tbody>";
  for (const Field& f : fields) {
    out += "<tr><td><code>" + HtmlEscape(f.name) + "</code>" +
           (f.required ? " <span class=\"req\">required</span>" : "") + "</td><td>" +
           TypeHtml(f.type) + "</td><td>" + NotesHtml(f) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

// A schema's type line, description and fields. With `brief`, a schema that is a component
// stays a link to it: refusals all share the Error schema, and its table once per status
// would bury the answers that differ.
std::string SchemaHtml(const SchemaView& schema, bool brief = false) {
  const bool named = schema.type.names.size() == 1 && !schema.type.names[0].component.empty();
  std::string out;
  if (!schema.type.names.empty()) out += "<p>" + TypeHtml(schema.type) + "</p>";
  out += DescriptionHtml(schema.description);
  if (!schema.constraints.empty()) {
    out += "<p class=\"muted\">" + HtmlEscape(schema.constraints) + "</p>";
  }
  if (brief && named) return out;
  if (!schema.fields.empty()) out += FieldTable(schema.fields);
  for (const SchemaView& alternative : schema.alternatives) {
    out += "<h4>" + TypeHtml(alternative.type) + "</h4>" + SchemaHtml(alternative);
  }
  return out;
}

// Media types with the same schema (an image served as JPEG or PNG) share one entry.
std::string ContentsHtml(const std::vector<Body>& bodies, bool brief = false) {
  std::vector<std::pair<std::vector<std::string>, std::string>> groups;
  for (const Body& body : bodies) {
    std::string schema = SchemaHtml(body.schema, brief);
    if (!groups.empty() && groups.back().second == schema) {
      groups.back().first.push_back(body.media_type);
    } else {
      groups.push_back({{body.media_type}, std::move(schema)});
    }
  }
  std::string out;
  for (const auto& [types, schema] : groups) {
    out += "<div class=\"muted\">";
    for (std::size_t i = 0; i < types.size(); ++i) {
      out += (i > 0 ? ", <code>" : "<code>") + HtmlEscape(types[i]) + "</code>";
    }
    out += "</div>" + schema;
  }
  return out;
}

std::string AuthHtml(const Auth& auth) {
  if (auth.kind == Auth::Kind::kNone) return "none";
  std::string schemes;
  for (const std::string& scheme : auth.schemes) {
    if (!schemes.empty()) schemes += " or ";
    schemes += "<a href=\"#auth-" + AnchorId(scheme) + "\">" + HtmlEscape(scheme) + "</a>";
  }
  return auth.kind == Auth::Kind::kRequired ? "required: " + schemes
                                            : "optional: " + schemes + " (refused when invalid)";
}

std::string ParametersHtml(const std::vector<Parameter>& parameters) {
  std::string out =
      "<h4>Parameters</h4><div class=\"scroll\"><table><thead><tr><th>name</th><th>in</th>"
      "<th>type</th><th>notes</th></tr></thead><tbody>";
  for (const Parameter& p : parameters) {
    out += "<tr><td><code>" + HtmlEscape(p.field.name) + "</code>" +
           (p.field.required ? " <span class=\"req\">required</span>" : "") + "</td><td>" +
           HtmlEscape(p.in) + "</td><td>" + TypeHtml(p.field.type) + "</td><td>" +
           NotesHtml(p.field) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string ResponsesHtml(const std::vector<Response>& responses) {
  std::string out =
      "<h4>Responses</h4><div class=\"scroll\"><table><thead><tr><th>status</th>"
      "<th>meaning and body</th></tr></thead><tbody>";
  for (const Response& r : responses) {
    out += "<tr><td><strong>" + HtmlEscape(r.status) + "</strong></td><td>" +
           DescriptionHtml(r.description);
    if (!r.headers.empty()) {
      out += "<div class=\"muted\">headers: ";
      for (std::size_t i = 0; i < r.headers.size(); ++i) {
        out += (i > 0 ? ", <code>" : "<code>") + HtmlEscape(r.headers[i].name) + "</code>";
        if (!r.headers[i].description.empty()) {
          out += " (" + InlineHtml(r.headers[i].description) + ")";
        }
      }
      out += "</div>";
    }
    // Successful answers in full; the rest name their (shared) schema.
    out += ContentsHtml(r.contents, !r.status.starts_with('2')) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string OperationHtml(const Operation& op, const std::string& anchor) {
  std::string out = "<article id=\"" + anchor + "\"><h3>" + MethodBadge(op.method) + "<code>" +
                    HtmlEscape(op.path) + "</code></h3>";
  if (!op.summary.empty()) out += "<p class=\"summary\">" + HtmlEscape(op.summary) + "</p>";
  out += DescriptionHtml(op.description);
  out += "<p><strong>Auth:</strong> " + AuthHtml(op.auth) + "</p>";
  if (!op.parameters.empty()) out += ParametersHtml(op.parameters);
  if (op.request_body) {
    out += "<h4>Request body" +
           std::string(op.request_body->required ? " <span class=\"req\">required</span>" : "") +
           "</h4>" + DescriptionHtml(op.request_body->description) +
           ContentsHtml(op.request_body->contents);
  }
  return out + ResponsesHtml(op.responses) + "</article>";
}

// Operations under their first tag, tags in the model's order; untagged ones last.
std::vector<std::pair<Tag, std::vector<const Operation*>>> GroupByTag(const ApiModel& api) {
  std::vector<std::pair<Tag, std::vector<const Operation*>>> groups;
  for (const Tag& tag : api.tags) groups.push_back({tag, {}});
  groups.push_back({Tag{"Other", ""}, {}});
  for (const Operation& op : api.operations) {
    auto group = groups.end() - 1;
    if (!op.tags.empty()) {
      group = std::find_if(groups.begin(), groups.end() - 1,
                           [&op](const auto& g) { return g.first.name == op.tags.front(); });
    }
    group->second.push_back(&op);
  }
  std::erase_if(groups, [](const auto& g) { return g.second.empty(); });
  return groups;
}

}  // namespace

std::string RenderDocsPage(const ApiModel& api) {
  const auto groups = GroupByTag(api);
  const OperationAnchors anchors(api.operations);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
      HtmlEscape(api.title) + "</title><style>" + std::string(kStyle) + "</style></head><body>";
  out += "<header><h1>" + HtmlEscape(api.title) + " <small class=\"muted\">" +
         HtmlEscape(api.version) + "</small></h1>" + DescriptionHtml(api.description) +
         "<p>Machine-readable: <a href=\"/api/openapi.yaml\">/api/openapi.yaml</a> "
         "(OpenAPI 3.0).</p></header>";

  out += "<nav><h2>Contents</h2>";
  for (const auto& [tag, ops] : groups) {
    out +=
        "<h3><a href=\"#tag-" + AnchorId(tag.name) + "\">" + HtmlEscape(tag.name) + "</a></h3><ul>";
    for (const Operation* op : ops) {
      out += "<li><a href=\"#" + anchors.Of(*op) + "\">" + MethodBadge(op->method) + "<code>" +
             HtmlEscape(op->path) + "</code></a> <span class=\"muted\">" + HtmlEscape(op->summary) +
             "</span></li>";
    }
    out += "</ul>";
  }
  out += "<h3><a href=\"#auth\">Authentication</a> · <a href=\"#schemas\">Schemas</a></h3></nav>";

  out += "<main>";
  for (const auto& [tag, ops] : groups) {
    out += "<section id=\"tag-" + AnchorId(tag.name) + "\"><h2>" + HtmlEscape(tag.name) + "</h2>" +
           DescriptionHtml(tag.description);
    for (const Operation* op : ops) out += OperationHtml(*op, anchors.Of(*op));
    out += "</section>";
  }
  out += "<section id=\"auth\"><h2>Authentication</h2>";
  for (const SecurityScheme& scheme : api.security_schemes) {
    out += "<article id=\"auth-" + AnchorId(scheme.name) + "\"><h3>" + HtmlEscape(scheme.name) +
           "</h3><p class=\"muted\">" + HtmlEscape(scheme.kind) + "</p>" +
           DescriptionHtml(scheme.description) + "</article>";
  }
  out += "</section><section id=\"schemas\"><h2>Schemas</h2>";
  for (const NamedSchema& schema : api.schemas) {
    out += "<article id=\"" + SchemaAnchor(schema.name) + "\"><h3>" + HtmlEscape(schema.name) +
           "</h3>" + SchemaHtml(schema.schema) + "</article>";
  }
  return out + "</section></main></body></html>\n";
}

}  // namespace reel::apidocs
