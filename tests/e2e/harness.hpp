// End-to-end test harness: runs the real `reel` binary as a child process on a free port with
// a temp data dir, and talks to it over HTTP on 127.0.0.1 only.
#pragma once

#include "http_client.hpp"   // IWYU pragma: export
#include "json_helpers.hpp"  // IWYU pragma: export
#include "jwt_helpers.hpp"   // IWYU pragma: export
#include "reel_server.hpp"   // IWYU pragma: export
#include "sign_in.hpp"       // IWYU pragma: export
