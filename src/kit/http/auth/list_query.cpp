#include "kit/http/auth/list_query.hpp"

#include <algorithm>

namespace reel::auth {

Result<ListQuery> ReadListQuery(const http::Request& request, const http::Params& params,
                                const RequestAuthenticator& auth) {
  auto viewer = auth.Optional(request, &params);
  if (!viewer.ok()) return viewer.status();
  auto user_id = params.OptionalId("user_id");
  if (!user_id.ok()) return user_id.status();
  if (!*user_id && !*viewer) return Unauthenticated("TOKEN_MISSING", "give a user_id or sign in");
  auto cursor = params.OptionalInt("cursor");
  if (!cursor.ok()) return cursor.status();
  auto limit = params.OptionalInt("limit");
  if (!limit.ok()) return limit.status();

  ListQuery query;
  query.viewer = viewer->value_or(0);
  query.owner = user_id->value_or(query.viewer);
  query.cursor = std::max<std::int64_t>(cursor->value_or(0), 0);
  query.limit = std::clamp<std::int64_t>(limit->value_or(0), 0, ListQuery::kMaxLimit);
  return query;
}

}  // namespace reel::auth
