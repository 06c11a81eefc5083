#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace reel::layering {

/// One broken rule, said so that the fix is obvious: where, what, and which rule.
struct Violation {
  std::string where;  ///< "src/relation/api/x.cpp:6", or the domain target
  std::string what;   ///< the include, or the library reached and the chain to it
  std::string rule;   ///< why it is not allowed
};

/// Checks every C++ file under `src` (the repository's src/ directory) against the layering:
///
/// - `app/` wires everything and is not checked.
/// - `kit/` (shared infrastructure) includes no service, `views/` or `app/`.
/// - Nothing includes `app/`, except that a service's module file (`<svc>/<name>_module.*`,
///   directly in its directory) includes the module contract: `app/module.hpp` and
///   `app/app_config.hpp`. It is held to the other rules like the rest of its service.
/// - A service (any other top-level directory but `views/`) includes of another service
///   only its public pieces: `<svc>/api/<svc>_client.hpp`, the generated `<svc>/v1/*.pb.h`,
///   and, from tests (`*_test.cpp`, `testing/`), the test doubles in `<svc>/api/testing/`.
///   `views/` (what clients see, assembled across services) is held to the same rule.
/// - A service's `domain/` (tests aside) includes no protobuf, gRPC, SQL, curl, Boost or
///   HTTP header, nor its own service's `api/` or `store/`.
std::vector<Violation> CheckIncludes(const std::filesystem::path& src);

/// One line of the configure-time link closure (cmake/layering.cmake): `domain` reaches
/// `reached` through `chain` ("reel_user_domain > reel_kit_auth > ...").
struct LinkEdge {
  std::string domain;
  std::string reached;
  std::string chain;
};

/// Reads the closure file; throws std::runtime_error when it cannot.
std::vector<LinkEdge> ReadLinkClosure(const std::filesystem::path& file);

/// A domain target must not reach protobuf or generated proto targets, gRPC (or the RPC
/// kit), SQL drivers (or the db kit, a store), curl, Boost/Beast or the HTTP kit, nor an
/// api/grpc/http layer target.
std::vector<Violation> CheckDomainLinks(const std::vector<LinkEdge>& closure);

/// "where: what (rule)" per line, for a failure message.
std::string Describe(const std::vector<Violation>& violations);

}  // namespace reel::layering
