// protoc-gen-reel: a protoc plugin that writes a reel service's transport glue from its .proto,
// so an RPC is one line in the proto plus its method on the hand-written *Rpc class.
//
// For a file <svc>/... of package `<ns>.<svc>.v<N>` (reel.user.v1) with one service
// `<Svc>Service`, it writes under <svc>/api/:
//   <svc>_client.hpp              <Svc>Client, the interface callers use: one pure virtual
//                                 `Result<Reply> Method(const Request&)` per rpc;
//   <svc>_grpc_service.{hpp,cpp}  <Svc>GrpcService, serving a <Svc>Client on gRPC;
//   <svc>_grpc_client.{hpp,cpp}   Grpc<Svc>Client, a <Svc>Client over rpc::RpcCaller.
// An rpc with `option idempotency_level = NO_SIDE_EFFECTS;` is a read (CallKind::kRead:
// retried once after a transport failure); any other is a write (kWrite: never retried).
// Leading comments of the service and its rpcs become `///` comments of the interface.
// What the glue cannot express (streaming, IDEMPOTENT, other names) is refused with a
// message, never generated half right. Run by reel_add_proto (cmake/proto.cmake).
#include <google/protobuf/compiler/code_generator.h>
#include <google/protobuf/compiler/plugin.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/printer.h>
#include <google/protobuf/io/zero_copy_stream.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace pb = google::protobuf;

constexpr std::size_t kWidth = 100;  // the repository's clang-format column limit

// What the names of one service's glue are made of, from its file, package and service.
struct Glue {
  const pb::FileDescriptor* file = nullptr;
  const pb::ServiceDescriptor* service = nullptr;
  std::string proto_stem;  // "user/v1/user"
  std::string ns;          // "reel::user"
  std::string version;     // "v1": messages are v1::Name inside ns
  std::string svc;         // "user": directory, file names, the dependency's name in errors
  std::string stem;        // "User": UserClient, UserGrpcService, GrpcUserClient, UserRpc
  std::string dir;         // "user/api/"
};

bool IsVersion(std::string_view part) {
  if (part.size() < 2 || part[0] != 'v') return false;
  for (char c : part.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsLowerIdentifier(std::string_view part) {
  if (part.empty() || !std::islower(static_cast<unsigned char>(part[0]))) return false;
  for (char c : part) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  std::size_t end = text.find(separator);
  while (end != std::string::npos) {
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
    end = text.find(separator, start);
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Fills `glue` from `file`, or says why this file has no glue reel can generate (protoc puts
// the file's name before the message).
bool Describe(const pb::FileDescriptor* file, Glue* glue, std::string* error) {
  const std::vector<std::string> parts = Split(file->package(), '.');
  if (parts.size() < 3 || !IsVersion(parts.back()) || !IsLowerIdentifier(parts.end()[-2])) {
    *error =
        "package \"" + file->package() + "\" is not <namespace>.<service>.v<N> (e.g. reel.user.v1)";
    return false;
  }
  if (!file->name().starts_with(parts.end()[-2] + "/")) {
    *error = "a file of package " + file->package() + " belongs under " + parts.end()[-2] +
             "/ (its glue goes to " + parts.end()[-2] + "/api/)";
    return false;
  }
  if (file->service_count() != 1) {
    *error = "declares " + std::to_string(file->service_count()) +
             " services; the glue is generated for a file with exactly one";
    return false;
  }
  const pb::ServiceDescriptor* service = file->service(0);
  constexpr std::string_view kSuffix = "Service";
  const std::string& name = service->name();
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) {
    *error = "service " + name + " is not named <Name>Service";
    return false;
  }
  for (int i = 0; i < service->method_count(); ++i) {
    const pb::MethodDescriptor* method = service->method(i);
    if (method->client_streaming() || method->server_streaming()) {
      *error = "rpc " + method->name() + " streams; the glue makes unary calls only";
      return false;
    }
    if (method->options().idempotency_level() == pb::MethodOptions::IDEMPOTENT) {
      *error = "rpc " + method->name() +
               " is IDEMPOTENT; mark a read NO_SIDE_EFFECTS (retried) or leave a write unmarked "
               "(never retried)";
      return false;
    }
  }
  glue->file = file;
  glue->service = service;
  glue->proto_stem =
      file->name().substr(0, file->name().size() - std::string_view(".proto").size());
  glue->version = parts.back();
  glue->svc = parts.end()[-2];
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) glue->ns += (i ? "::" : "") + parts[i];
  glue->stem = name.substr(0, name.size() - kSuffix.size());
  glue->dir = glue->svc + "/api/";
  return true;
}

bool IsRead(const pb::MethodDescriptor* method) {
  return method->options().idempotency_level() == pb::MethodOptions::NO_SIDE_EFFECTS;
}

// The C++ name of a message as the glue's namespace sees it: v1::Name for the file's own
// package, fully qualified for another's; nested messages are Outer_Inner in C++.
std::string CppType(const Glue& glue, const pb::Descriptor* type) {
  const std::string& package = type->file()->package();
  std::string name = type->full_name().substr(package.empty() ? 0 : package.size() + 1);
  for (char& c : name) c = c == '.' ? '_' : c;
  if (package == glue.file->package()) return glue.version + "::" + name;
  std::string qualified = "::";
  for (const std::string& part : Split(package, '.')) qualified += part + "::";
  return qualified + name;
}

// `text` as `prefix` lines of at most kWidth columns, words kept whole.
std::string Wrap(std::string_view text, std::string_view prefix) {
  std::string out;
  std::string line(prefix);
  bool empty = true;
  for (const std::string& word : Split(std::string(text), ' ')) {
    if (word.empty()) continue;
    if (!empty && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = prefix;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  return out + line + "\n";
}

// A comment written in the proto (`// ...` above the element) as `///` lines.
std::string LeadingComment(const pb::SourceLocation& location, std::string_view indent) {
  std::string out;
  std::string text = location.leading_comments;
  if (text.empty()) return out;
  if (text.back() == '\n') text.pop_back();
  for (std::string_view line : Split(text, '\n')) {
    if (line.starts_with(' ')) line.remove_prefix(1);
    out += std::string(indent) + (line.empty() ? "///" : "/// " + std::string(line)) + "\n";
  }
  return out;
}

template <typename Element>
std::string DocComment(const Element* element, std::string_view indent) {
  pb::SourceLocation location;
  return element->GetSourceLocation(&location) ? LeadingComment(location, indent) : "";
}

// `head(params)tail` laid out as clang-format does: packed onto lines aligned after the
// parenthesis, or, when a parameter does not fit there, from a new line 4 columns in.
std::string Signature(const std::string& head, const std::vector<std::string>& params,
                      const std::string& tail) {
  // The parameters packed from `column`, starting on a new line if `break_first`; sets
  // `fits` to false if a line passes kWidth.
  auto layout = [&](std::size_t column, bool break_first, bool* fits) {
    std::string out = head + "(";
    std::size_t used = out.size();  // length of the current line
    *fits = true;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string piece = params[i] + (i + 1 < params.size() ? "," : ")" + tail);
      const std::size_t gap = i == 0 ? 0 : 1;
      if ((i == 0 && break_first) || (i > 0 && used + gap + piece.size() > kWidth)) {
        out += "\n" + std::string(column, ' ');
        used = column;
      } else {
        out += std::string(gap, ' ');
        used += gap;
      }
      out += piece;
      used += piece.size();
      *fits = *fits && used <= kWidth;
    }
    if (params.empty()) out += ")" + tail;
    return out + "\n";
  };
  bool fits = false;
  std::string aligned = layout(head.size() + 1, false, &fits);
  return fits ? aligned : layout(head.find_first_not_of(' ') + 4, true, &fits);
}

std::string Banner(const Glue& glue) {
  return "// Generated by protoc-gen-reel (tools/protoc-gen-reel) from " + glue.file->name() +
         ".\n// Do not edit: change the proto, or the generator.\n";
}

// #include lines for the project's own headers, sorted as clang-format sorts them.
std::string Includes(std::vector<std::string> headers) {
  std::sort(headers.begin(), headers.end());
  std::string out;
  for (const std::string& header : headers) out += "#include \"" + header + "\"\n";
  return out;
}

std::string Reply(const Glue& glue, const pb::MethodDescriptor* method) {
  return CppType(glue, method->output_type());
}
std::string Request(const Glue& glue, const pb::MethodDescriptor* method) {
  return CppType(glue, method->input_type());
}

std::string ClientHeader(const Glue& glue) {
  const std::string client = glue.stem + "Client";
  std::string out = Banner(glue) + "#pragma once\n\n";
  out += Includes({"kit/status/status.hpp", glue.proto_stem + ".pb.h"}) + "\n";
  out += "namespace " + glue.ns + " {\n\n";
  out += Wrap("How other modules call the " + glue.svc + " service: one method per rpc of " +
                  glue.service->name() + " in proto/" + glue.file->name() +
                  ", which states each call's contract and errors. " + glue.stem +
                  "Rpc is the in-process implementation, Grpc" + client +
                  " the same over gRPC. Implementations are thread-safe.",
              "/// ");
  const std::string service_doc = DocComment(glue.service, "");
  if (!service_doc.empty()) out += "///\n" + service_doc;
  out += "class " + client + " {\n public:\n";
  out += "  virtual ~" + client + "() = default;\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    out += DocComment(method, "  ");
    out += Signature("  virtual Result<" + Reply(glue, method) + "> " + method->name(),
                     {"const " + Request(glue, method) + "& request"}, " = 0;");
  }
  out += "};\n\n";
  // A base answering every call with an error, so a test double (or a partial
  // implementation) overrides only the calls it needs, and a new rpc breaks none of them.
  const std::string base = "Unimplemented" + client;
  out += Wrap("A " + client + " whose every call fails with INTERNAL (\"<Method> is not " +
                  "implemented here\"): the base for test doubles, which override the calls " +
                  "they need, so adding an rpc does not break them.",
              "/// ");
  out += "class " + base + " : public " + client + " {\n public:\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    out += Signature("  Result<" + Reply(glue, method) + "> " + method->name(),
                     {"const " + Request(glue, method) + "&"}, " override {");
    out += "    return Internal(\"" + method->name() + " is not implemented here\");\n  }\n";
  }
  out += "};\n\n}  // namespace " + glue.ns + "\n";
  return out;
}

std::vector<std::string> ServerParams(const Glue& glue, const pb::MethodDescriptor* method,
                                      bool named_context) {
  return {named_context ? "grpc::ServerContext* context" : "grpc::ServerContext*",
          "const " + Request(glue, method) + "* request", Reply(glue, method) + "* reply"};
}

std::string ServiceHeader(const Glue& glue) {
  const std::string name = glue.stem + "GrpcService";
  std::string out = Banner(glue) + "#pragma once\n\n#include <grpcpp/server_context.h>\n\n";
  out += "#include \"" + glue.dir + glue.svc + "_client.hpp\"\n";
  out += "#include \"" + glue.proto_stem + ".grpc.pb.h\"\n\n";
  out += "namespace " + glue.ns + " {\n\n";
  out += Wrap("The " + glue.svc +
                  " service on gRPC: each method hands the request to the one implementation "
                  "(the in-process " +
                  glue.stem +
                  "Rpc) and sends back its reply, or its Status with the exact code, reason and "
                  "message (kit/rpc/grpc_status.hpp), so a Grpc" +
                  glue.stem +
                  "Client sees what an in-process caller would. Thread-safe as `impl` is; "
                  "`impl` must outlive the server.",
              "/// ");
  out += "class " + name + " final : public " + glue.version + "::" + glue.service->name() +
         "::Service {\n public:\n";
  out += "  explicit " + name + "(" + glue.stem + "Client& impl) : impl_(impl) {}\n\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    out += Signature("  grpc::Status " + method->name(), ServerParams(glue, method, true),
                     " override;");
  }
  out += "\n private:\n  " + glue.stem + "Client& impl_;\n};\n\n";
  out += "}  // namespace " + glue.ns + "\n";
  return out;
}

std::string ServiceSource(const Glue& glue) {
  const std::string name = glue.stem + "GrpcService";
  std::string out = Banner(glue) + "#include \"" + glue.dir + glue.svc + "_grpc_service.hpp\"\n\n";
  out += "#include \"kit/rpc/rpc_trace.hpp\"\n\n";
  out += "namespace " + glue.ns + " {\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    // The server span is named by the full method, as gRPC names it on the wire.
    const std::string full = "/" + glue.service->full_name() + "/" + method->name();
    out += "\n" + Signature("grpc::Status " + name + "::" + method->name(),
                            ServerParams(glue, method, true), " {");
    out += "  return rpc::AnswerTraced(\n      context, \"" + full + "\", [&] { return impl_." +
           method->name() + "(*request); }, reply);\n}\n";
  }
  out += "\n}  // namespace " + glue.ns + "\n";
  return out;
}

std::string ClientAdapterHeader(const Glue& glue) {
  const std::string name = "Grpc" + glue.stem + "Client";
  std::string out = Banner(glue) + "#pragma once\n\n#include <memory>\n\n";
  out += Includes({"kit/clock/clock.hpp", "kit/rpc/adaptive_throttle.hpp",
                   "kit/rpc/channel_set.hpp", "kit/rpc/rpc_caller.hpp", "kit/rpc/rpc_config.hpp",
                   glue.dir + glue.svc + "_client.hpp", glue.proto_stem + ".grpc.pb.h"});
  out += "\nnamespace " + glue.ns + " {\n\n";
  out +=
      Wrap("The " + glue.svc + " service reached over gRPC (a " + glue.stem +
               "GrpcService in another process): the same contract as the in-process " + glue.stem +
               "Rpc, with the service's own errors passed through unchanged. Every call has "
               "the configured deadline and goes through the breaker; reads are retried once "
               "after a transport failure, writes never (a write may have happened).",
           "/// ");
  std::string reads;
  for (int i = 0; i < glue.service->method_count(); ++i) {
    if (!IsRead(glue.service->method(i))) continue;
    reads += (reads.empty() ? "" : ", ") + glue.service->method(i)->name();
  }
  out += Wrap("Reads (NO_SIDE_EFFECTS in the proto): " + (reads.empty() ? "none" : reads) + ".",
              "/// ");
  out += Wrap(
      "Transport errors: kUnavailable DEPENDENCY_UNAVAILABLE, DEPENDENCY_TIMEOUT or "
      "DEPENDENCY_THROTTLED. Thread-safe.",
      "/// ");
  out += "class " + name + " final : public " + glue.stem + "Client {\n public:\n";
  out += Signature("  " + name,
                   {"std::unique_ptr<rpc::ChannelSet> channels", "const rpc::RpcConfig& config",
                    "const Clock& clock"},
                   ";");
  out += "\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    out += Signature("  Result<" + Reply(glue, method) + "> " + method->name(),
                     {"const " + Request(glue, method) + "& request"}, " override;");
  }
  out += "\n  /// The client's circuit breaker (for tests and metrics).\n";
  out += "  rpc::AdaptiveThrottle& breaker() { return caller_.breaker(); }\n\n";
  out += " private:\n  rpc::RpcCaller<" + glue.version + "::" + glue.service->name() +
         "> caller_;\n};\n\n";
  out += "}  // namespace " + glue.ns + "\n";
  return out;
}

std::string ClientAdapterSource(const Glue& glue) {
  const std::string name = "Grpc" + glue.stem + "Client";
  std::string out = Banner(glue) + "#include \"" + glue.dir + glue.svc + "_grpc_client.hpp\"\n\n";
  out += "#include <utility>\n\n";
  out += "namespace " + glue.ns + " {\nnamespace {\n\n";
  out += "using rpc::CallKind;\n";
  out += "using Stub = " + glue.version + "::" + glue.service->name() + "::Stub;\n\n";
  out += "}  // namespace\n\n";
  out += Signature(name + "::" + name,
                   {"std::unique_ptr<rpc::ChannelSet> channels", "const rpc::RpcConfig& config",
                    "const Clock& clock"},
                   "");
  out += "    : caller_(\"" + glue.svc + "\", std::move(channels), config, clock) {}\n";
  for (int i = 0; i < glue.service->method_count(); ++i) {
    const pb::MethodDescriptor* method = glue.service->method(i);
    out += "\n" + Signature("Result<" + Reply(glue, method) + "> " + name + "::" + method->name(),
                            {"const " + Request(glue, method) + "& request"}, " {");
    out += Signature(
        "  return caller_.Call",
        {"\"" + method->name() + "\"", IsRead(method) ? "CallKind::kRead" : "CallKind::kWrite",
         "request", "&Stub::" + method->name()},
        ";");
    out += "}\n";
  }
  out += "\n}  // namespace " + glue.ns + "\n";
  return out;
}

void Write(pb::compiler::GeneratorContext* context, const std::string& name,
           const std::string& text) {
  std::unique_ptr<pb::io::ZeroCopyOutputStream> stream(context->Open(name));
  pb::io::Printer printer(stream.get(), '$');
  printer.PrintRaw(text);
}

class ReelGlueGenerator final : public pb::compiler::CodeGenerator {
 public:
  bool Generate(const pb::FileDescriptor* file, const std::string& parameter,
                pb::compiler::GeneratorContext* context, std::string* error) const override {
    if (!parameter.empty()) {
      *error = "protoc-gen-reel takes no parameters (got \"" + parameter + "\")";
      return false;
    }
    Glue glue;
    if (!Describe(file, &glue, error)) return false;
    const std::string base = glue.dir + glue.svc;
    Write(context, base + "_client.hpp", ClientHeader(glue));
    Write(context, base + "_grpc_service.hpp", ServiceHeader(glue));
    Write(context, base + "_grpc_service.cpp", ServiceSource(glue));
    Write(context, base + "_grpc_client.hpp", ClientAdapterHeader(glue));
    Write(context, base + "_grpc_client.cpp", ClientAdapterSource(glue));
    return true;
  }

  // The messages' proto3 `optional` fields are no concern of the glue's.
  std::uint64_t GetSupportedFeatures() const override { return FEATURE_PROTO3_OPTIONAL; }
};

}  // namespace

int main(int argc, char* argv[]) {
  ReelGlueGenerator generator;
  return pb::compiler::PluginMain(argc, argv, &generator);
}
