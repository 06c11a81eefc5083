#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kit/http/router.hpp"

namespace reel::app {

/// Path prefixes that belong to the server, never to the web client: an unknown path under
/// one of them is a 404 in the /api error shape, not the client's index.html.
bool IsServerPath(std::string_view path);

/// The Content-Type of a web client file by extension (html, js, css, svg, images, fonts,
/// json, ...); application/octet-stream when unknown.
std::string_view WebContentType(std::string_view path);

struct WebClientOptions {
  std::string dist_dir;  // the Vite build: index.html and assets/
  /// Told to the client, so it refuses an oversize video before sending a byte.
  std::uint64_t max_upload_bytes = 0;
};

/// Makes the web client (the Vite build in `dist_dir`) the router's GET fallback, and adds
/// the route GET /api/docs, the build's api-docs.html (Swagger UI reading /api/openapi.yaml),
/// revalidated each time and held by a Content-Security-Policy to this origin:
/// - /web-config.json is the settings the client needs ({"max_upload_bytes": N}), built or not;
/// - a file under dist_dir answers itself (ETag, Range, 304), with a year of caching for the
///   content-hashed files under /assets/ and `no-cache` (revalidate each time) for the rest;
/// - a missing file under /assets/ is a 404 (a stale page asking for an old bundle must not
///   get HTML back);
/// - any other path is index.html, so client-side routes (/u/7, /upload) survive a reload;
/// - paths of the server (IsServerPath) answer 404 ROUTE_NOT_FOUND (in the /api shape, or the
///   Douyin shape under /douyin: see http::RenderError);
/// - a path with a segment starting with "." ("..", ".git"), a backslash, a NUL byte or a
///   malformed %-escape is a 404; symlinks are never followed out of dist_dir.
/// When dist_dir has no index.html, GETs answer a short HTML page saying how to build the
/// client, and so does /api/docs without api-docs.html; the APIs work either way. The
/// directory is checked per request, so building the client while the server runs needs no
/// restart.
void AddWebRoutes(http::Router& router, WebClientOptions options);

}  // namespace reel::app
