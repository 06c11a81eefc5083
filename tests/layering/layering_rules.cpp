#include "layering_rules.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace reel::layering {
namespace {

namespace fs = std::filesystem;

// Directories under src/ that are not services.
constexpr std::string_view kWiring = "app";  // may include anything
constexpr std::string_view kKit = "kit";
constexpr std::string_view kViews = "views";

bool IsSource(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc";
}

bool IsTest(const fs::path& relative) {
  const std::string name = relative.filename().string();
  if (name.ends_with("_test.cpp")) return true;
  return std::ranges::any_of(relative, [](const fs::path& part) { return part == "testing"; });
}

std::string FirstComponent(std::string_view include) {
  const auto slash = include.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(include.substr(0, slash));
}

// What another service `svc` offers to everyone: its client interface and generated
// messages (and its test doubles, to tests).
bool IsPublicPiece(std::string_view include, const std::string& svc, bool from_test) {
  const std::string prefix = svc + "/";
  if (include == prefix + "api/" + svc + "_client.hpp") return true;
  if (include.starts_with(prefix + "v1/") && include.ends_with(".pb.h")) return true;
  return from_test && include.starts_with(prefix + "api/testing/");
}

// Why a domain file may not include `include`, or nothing when it may.
std::optional<std::string> DomainRefusal(std::string_view include, const std::string& svc) {
  static const std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"google/protobuf/", "protobuf"},
      {"grpcpp/", "gRPC"},
      {"grpc/", "gRPC"},
      {"sqlite3.h", "SQL"},
      {"mysql", "SQL"},
      {"mariadb", "SQL"},
      {"hiredis", "Redis"},
      {"curl/", "curl"},
      {"boost/", "Boost/Beast"},
      {"kit/http/", "the HTTP kit"},
      {"kit/db/", "the SQL kit"},
      {"kit/rpc/", "the RPC kit"},
  };
  for (const auto& [prefix, what] : kPrefixes) {
    if (include.starts_with(prefix)) return std::string(what);
  }
  if (include.ends_with(".pb.h")) return "generated protobuf code";
  if (include.starts_with(svc + "/api/")) return "its service's api layer";
  if (include.starts_with(svc + "/store/")) return "its service's store";
  return std::nullopt;
}

// A module file (`src/<dir>/<name>_module.hpp|cpp`, directly in a service's directory): it
// builds its service from the process's parts, so it may include the module contract.
bool IsModuleFile(const fs::path& relative) {
  const std::string name = relative.filename().string();
  return std::distance(relative.begin(), relative.end()) == 2 &&
         (name.ends_with("_module.hpp") || name.ends_with("_module.cpp"));
}

// What of the wiring a module file may include: the contract and the config it builds from.
bool IsModuleContract(std::string_view include) {
  return include == "app/module.hpp" || include == "app/app_config.hpp";
}

struct Include {
  int line = 0;
  std::string path;
};

std::vector<Include> IncludesOf(const fs::path& file) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Include> out;
  std::ifstream in(file);
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    std::smatch m;
    if (std::regex_search(text, m, kInclude)) out.push_back({line, m[1].str()});
  }
  return out;
}

std::set<std::string> TopLevelDirectories(const fs::path& src) {
  std::set<std::string> dirs;
  for (const auto& entry : fs::directory_iterator(src)) {
    if (entry.is_directory()) dirs.insert(entry.path().filename().string());
  }
  return dirs;
}

}  // namespace

std::vector<Violation> CheckIncludes(const fs::path& src) {
  const std::set<std::string> top = TopLevelDirectories(src);
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (entry.is_regular_file() && IsSource(entry.path())) files.push_back(entry.path());
  }
  std::ranges::sort(files);  // a stable report

  std::vector<Violation> out;
  for (const fs::path& file : files) {
    const fs::path relative = fs::relative(file, src);
    const std::string owner = relative.begin()->string();
    if (owner == kWiring) continue;
    const bool test = IsTest(relative);
    const bool in_domain = std::next(relative.begin()) != relative.end() &&
                           *std::next(relative.begin()) == "domain" && owner != kKit;
    for (const Include& include : IncludesOf(file)) {
      const std::string where =
          "src/" + relative.generic_string() + ":" + std::to_string(include.line);
      const std::string target = FirstComponent(include.path);
      const bool names_module = top.contains(target) && target != owner;
      if (owner == kKit && names_module && target != kKit) {
        out.push_back(
            {where, include.path, "kit/ is shared infrastructure: it includes no module"});
        continue;
      }
      if (owner != kKit && names_module && target != kKit && target != kViews &&
          target != kWiring && !IsPublicPiece(include.path, target, test)) {
        out.push_back({where, include.path,
                       target + "'s internals: other modules include only " + target + "/api/" +
                           target + "_client.hpp and " + target + "/v1/*.pb.h"});
        continue;
      }
      if (owner != kKit && target == kWiring &&
          !(IsModuleFile(relative) && IsModuleContract(include.path))) {
        out.push_back({where, include.path,
                       "app/ is the wiring: nothing includes it but a service's "
                       "<name>_module file, which includes app/module.hpp and app_config.hpp"});
        continue;
      }
      if (in_domain && !test) {
        if (auto why = DomainRefusal(include.path, owner)) {
          out.push_back({where, include.path, "a domain includes no I/O or transport: " + *why});
        }
      }
    }
  }
  return out;
}

std::vector<LinkEdge> ReadLinkClosure(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<LinkEdge> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto first = line.find('\t');
    const auto second = line.find('\t', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      throw std::runtime_error("malformed line in " + file.string() + ": " + line);
    }
    out.push_back({line.substr(0, first), line.substr(first + 1, second - first - 1),
                   line.substr(second + 1)});
  }
  return out;
}

std::vector<Violation> CheckDomainLinks(const std::vector<LinkEdge>& closure) {
  struct Rule {
    std::regex pattern;
    std::string_view what;
  };
  static const std::vector<Rule> kRules = [] {
    const auto icase = std::regex::ECMAScript | std::regex::icase;
    return std::vector<Rule>{
        {std::regex("protobuf|^reel_proto_", icase), "protobuf"},
        {std::regex("grpc|^reel_kit_rpc$", icase), "gRPC"},
        {std::regex("sqlite|mysql|mariadb|^reel_kit_db$|_store$", icase), "SQL"},
        {std::regex("curl", icase), "curl"},
        {std::regex("boost|beast|^reel_kit_http$|^reel_kit_auth_http$|_http$", icase), "HTTP"},
        {std::regex("^reel_[a-z]+_api$"), "an api layer"},
    };
  }();
  std::vector<Violation> out;
  for (const LinkEdge& edge : closure) {
    for (const Rule& rule : kRules) {
      if (std::regex_search(edge.reached, rule.pattern)) {
        out.push_back({edge.domain, edge.reached + " via " + edge.chain,
                       "a domain links no " + std::string(rule.what) + " library"});
        break;
      }
    }
  }
  return out;
}

std::string Describe(const std::vector<Violation>& violations) {
  std::ostringstream out;
  for (const Violation& v : violations) out << v.where << ": " << v.what << " (" << v.rule << ")\n";
  return out.str();
}

}  // namespace reel::layering
