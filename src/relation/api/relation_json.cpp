#include "relation/api/relation_json.hpp"

#include <string>

#include "views/user_json.hpp"

namespace reel::relation {

void WriteMessageJson(json::JsonWriter& w, const v1::Message& message) {
  w.BeginObject()
      .Field("id", message.id())
      .Field("from_user_id", message.from_user_id())
      .Field("to_user_id", message.to_user_id())
      .Field("content", message.content())
      .Field("created_at", message.created_at_ms())
      .EndObject();
}

void WriteUserJsonWith(json::JsonWriter& w, const user::v1::User& user,
                       const std::function<void(json::JsonWriter&)>& extra) {
  // Both parts are written as whole objects, then joined: the user's closing brace becomes
  // a comma and the extra object's opening brace goes.
  json::JsonWriter object;
  views::WriteUserJson(object, user);
  std::string joined = object.Take();
  json::JsonWriter more;
  more.BeginObject();
  extra(more);
  more.EndObject();
  const std::string tail = more.Take();
  if (tail.size() > 2) {
    joined.back() = ',';
    joined.append(tail, 1);
  }
  w.Raw(joined);
}

}  // namespace reel::relation
