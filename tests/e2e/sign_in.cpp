#include "sign_in.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "json_helpers.hpp"

namespace reel::e2e {

namespace {

DouyinSession DouyinAuth(HttpClient& client, std::string_view route, std::string_view name,
                         std::string_view password) {
  const HttpResponse response = client.PostForm(
      route, {{"username", std::string(name)}, {"password", std::string(password)}});
  const rapidjson::Document doc = response.Json();
  if (response.status != 200 || JsonInt(doc, "status_code") != 0) {
    ADD_FAILURE() << route << " as '" << name << "' failed: " << response.Describe();
    return {};
  }
  return {JsonInt(doc, "user_id").value_or(0), JsonString(doc, "token").value_or("")};
}

ApiSession ApiAuth(HttpClient& client, std::string_view route, std::string_view name,
                   std::string_view password) {
  const HttpResponse response = client.PostJson(
      route, ToJson({{"username", std::string(name)}, {"password", std::string(password)}}));
  const rapidjson::Document doc = response.Json();
  if (response.status != 200) {
    ADD_FAILURE() << route << " as '" << name << "' failed: " << response.Describe();
    return {};
  }
  return {JsonInt(doc, "user_id").value_or(0), JsonString(doc, "access_token").value_or(""),
          JsonString(doc, "refresh_token").value_or("")};
}

}  // namespace

DouyinSession RegisterDouyin(HttpClient& client, std::string_view name, std::string_view password) {
  return DouyinAuth(client, "/douyin/user/register/", name, password);
}

DouyinSession LoginDouyin(HttpClient& client, std::string_view name, std::string_view password) {
  return DouyinAuth(client, "/douyin/user/login/", name, password);
}

ApiSession RegisterApi(HttpClient& client, std::string_view name, std::string_view password) {
  return ApiAuth(client, "/api/user/register", name, password);
}

ApiSession LoginApi(HttpClient& client, std::string_view name, std::string_view password) {
  return ApiAuth(client, "/api/user/login", name, password);
}

}  // namespace reel::e2e
