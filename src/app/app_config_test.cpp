#include "app/app_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>

namespace reel::app {
namespace {

TEST(AppConfigTest, DefaultsAreUsable) {
  auto config = LoadAppConfig({}, {});
  ASSERT_TRUE(config.ok()) << config.status().message;
  EXPECT_EQ(config->data_dir, "data");
  EXPECT_EQ(config->http.port, 0);
  EXPECT_TRUE(config->rate_limit.enabled);
  EXPECT_GE(config->auth.argon2.memory_kib, 19u * 1024);
}

TEST(AppConfigTest, EnvironmentThenFlags) {
  CliOverrides cli;
  cli.port = 9999;
  auto config = LoadAppConfig(cli, {{"REEL_HTTP_PORT", "7000"},
                                    {"REEL_DATA_DIR", "/tmp/x"},
                                    {"REEL_RATE_LIMIT_DEFAULT_IP_BURST", "3"},
                                    {"REEL_AUTH_ACCESS_TTL", "15m"}});
  ASSERT_TRUE(config.ok()) << config.status().message;
  EXPECT_EQ(config->http.port, 9999);
  EXPECT_EQ(config->data_dir, "/tmp/x");
  EXPECT_EQ(config->rate_limit.default_group.ip.burst, 3);
  EXPECT_EQ(config->auth.access_ttl, std::chrono::minutes(15));
}

TEST(AppConfigTest, TransportSettingsHaveSafeDefaultsAndComeFromTheEnvironment) {
  auto defaults = LoadAppConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->http.trusted_proxies.empty());
  EXPECT_EQ(defaults->http.max_connections_per_client, 256);
  EXPECT_EQ(defaults->http.cors_origins, std::vector<std::string>{"*"});
  auto set = LoadAppConfig({}, {{"REEL_HTTP_TRUSTED_PROXIES", "127.0.0.0/8,::1/128"},
                                {"REEL_HTTP_MAX_CONNECTIONS_PER_CLIENT", "0"}});
  ASSERT_TRUE(set.ok()) << set.status().message;
  EXPECT_EQ(set->http.trusted_proxies, (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
  EXPECT_EQ(set->http.max_connections_per_client, 0);
  auto bad = LoadAppConfig({}, {{"REEL_HTTP_TRUSTED_PROXIES", "127.0.0.0/8,fe80::/200"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason, "CONFIG_INVALID");
  EXPECT_NE(bad.status().message.find("http.trusted_proxies"), std::string::npos)
      << bad.status().message;
  EXPECT_NE(bad.status().message.find("fe80::/200"), std::string::npos) << bad.status().message;
}

TEST(AppConfigTest, WebDistDirDefaultsToTheRepositoryBuildAndCanBeMoved) {
  auto defaults = LoadAppConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->web.dist_dir, "web/dist");
  auto moved = LoadAppConfig({}, {{"REEL_WEB_DIST_DIR", "/srv/reel-web"}});
  ASSERT_TRUE(moved.ok()) << moved.status().message;
  EXPECT_EQ(moved->web.dist_dir, "/srv/reel-web");
}

TEST(AppConfigTest, ClusterSettingsComeFromTheEnvironment) {
  auto config = LoadAppConfig({}, {{"REEL_RPC_PORT", "19081"},
                                   {"REEL_RPC_DEADLINE", "250ms"},
                                   {"REEL_RPC_BREAKER_WINDOW", "2s"},
                                   {"REEL_RPC_VIDEO_TARGET", "dns:///video.reel:9082"},
                                   {"REEL_RPC_ETCD_ENDPOINTS", "http://127.0.0.1:2379"},
                                   {"REEL_MEDIA_DIR", "/srv/media"}});
  ASSERT_TRUE(config.ok()) << config.status().message;
  EXPECT_EQ(config->rpc.port, 19081);
  EXPECT_EQ(config->rpc.deadline, std::chrono::milliseconds(250));
  EXPECT_EQ(config->rpc.breaker_window, std::chrono::seconds(2));
  EXPECT_EQ(config->rpc.video_target, "dns:///video.reel:9082");
  EXPECT_EQ(config->rpc.user_target, "127.0.0.1:9081");  // default
  EXPECT_EQ(config->rpc.etcd_endpoints, "http://127.0.0.1:2379");
  EXPECT_EQ(config->media.dir, "/srv/media");
  // K below 1 would throttle a healthy dependency; a zero deadline would fail every call.
  for (const auto& [var, value, key] : {std::tuple{"REEL_RPC_BREAKER_K", "0.5", "rpc.breaker_k"},
                                        std::tuple{"REEL_RPC_DEADLINE", "0ms", "rpc.deadline"}}) {
    auto refused = LoadAppConfig({}, {{var, value}});
    EXPECT_EQ(refused.status().reason, "CONFIG_INVALID") << var;
    EXPECT_NE(refused.status().message.find(key), std::string::npos) << refused.status().message;
  }
}

TEST(AppConfigTest, BadValuesNameTheKey) {
  auto short_secret = LoadAppConfig({}, {{"REEL_AUTH_JWT_SECRET", "short"}});
  ASSERT_FALSE(short_secret.ok());
  EXPECT_EQ(short_secret.status().reason, "CONFIG_INVALID");
  EXPECT_NE(short_secret.status().message.find("auth.jwt_secret"), std::string::npos);
  auto unknown = LoadAppConfig({}, {{"REEL_NOPE", "1"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().reason, "CONFIG_INVALID");
  EXPECT_NE(unknown.status().message.find("REEL_NOPE"), std::string::npos);
  auto negative = LoadAppConfig({}, {{"REEL_AUTH_ARGON2_OPS", "-1"}});
  EXPECT_EQ(negative.status().reason, "CONFIG_INVALID");
  EXPECT_NE(negative.status().message.find("auth.argon2_ops"), std::string::npos)
      << negative.status().message;
}

TEST(AppConfigTest, DescribeListsEveryKeyWithItsVariableAndHidesTheSecret) {
  auto config = LoadAppConfig({}, {{"REEL_AUTH_JWT_SECRET", std::string(40, 's')}});
  ASSERT_TRUE(config.ok());
  const std::string text = DescribeAppConfig(*config);
  EXPECT_NE(text.find("http.port = 0  (REEL_HTTP_PORT)"), std::string::npos) << text;
  EXPECT_NE(text.find("auth.jwt_secret = (set)"), std::string::npos);
  EXPECT_EQ(text.find(std::string(40, 's')), std::string::npos);
}

TEST(AppConfigTest, ModeratorsAreUserIdsAndTheThresholdIsBounded) {
  auto defaults = LoadAppConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->moderation.moderators.empty());
  EXPECT_EQ(defaults->moderation.report_hide_threshold, 3);
  auto set = LoadAppConfig({}, {{"REEL_MODERATION_MODERATORS", "1, 42"},
                                {"REEL_MODERATION_REPORT_HIDE_THRESHOLD", "5"}});
  ASSERT_TRUE(set.ok()) << set.status().message;
  EXPECT_EQ(set->moderation.moderators, (std::vector<std::int64_t>{1, 42}));
  EXPECT_EQ(set->moderation.report_hide_threshold, 5);
  for (const char* bad : {"alice", "0", "-3", "1.5", "9007199254740992"}) {
    auto refused = LoadAppConfig({}, {{"REEL_MODERATION_MODERATORS", bad}});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().reason, "CONFIG_INVALID");
    EXPECT_NE(refused.status().message.find("moderation.moderators"), std::string::npos);
  }
  EXPECT_FALSE(LoadAppConfig({}, {{"REEL_MODERATION_REPORT_HIDE_THRESHOLD", "0"}}).ok());
}

TEST(AppConfigTest, MediaStoreIsLocalUnlessAnS3BucketIsNamed) {
  auto defaults = LoadAppConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->media.store, "local");
  EXPECT_TRUE(defaults->media.s3.path_style);

  auto s3 = LoadAppConfig({}, {{"REEL_MEDIA_STORE", "s3"},
                               {"REEL_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000"},
                               {"REEL_MEDIA_S3_BUCKET", "media"},
                               {"REEL_MEDIA_S3_SECRET_KEY", "secret"},
                               {"REEL_MEDIA_S3_PATH_STYLE", "false"},
                               {"REEL_MEDIA_S3_PART_SIZE", "6291456"}});
  ASSERT_TRUE(s3.ok()) << s3.status().message;
  EXPECT_EQ(s3->media.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(s3->media.s3.bucket, "media");
  EXPECT_EQ(s3->media.s3.secret_key, "secret");
  EXPECT_FALSE(s3->media.s3.path_style);
  EXPECT_EQ(s3->media.s3.part_size, 6291456u);

  auto no_bucket = LoadAppConfig(
      {}, {{"REEL_MEDIA_STORE", "s3"}, {"REEL_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000"}});
  EXPECT_EQ(no_bucket.status().reason, "CONFIG_INVALID");
  EXPECT_EQ(LoadAppConfig({}, {{"REEL_MEDIA_STORE", "minio"}}).status().reason, "CONFIG_INVALID");
  // Parts under S3's 5 MiB minimum would be refused at CompleteMultipartUpload.
  EXPECT_EQ(LoadAppConfig({}, {{"REEL_MEDIA_S3_PART_SIZE", "1048576"}}).status().reason,
            "CONFIG_INVALID");
}

TEST(AppConfigTest, MediaUrlsOfAnS3Store) {
  auto defaults = LoadAppConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->media.s3.urls, "proxy");
  EXPECT_EQ(defaults->media.s3.presign_expiry, std::chrono::hours(6));
  EXPECT_EQ(defaults->media.s3.cache_max_bytes, 1ull << 30);

  auto presigned = LoadAppConfig({}, {{"REEL_MEDIA_S3_URLS", "presigned"},
                                      {"REEL_MEDIA_S3_PRESIGN_EXPIRY", "30m"},
                                      {"REEL_MEDIA_S3_CACHE_MAX_BYTES", "0"}});
  ASSERT_TRUE(presigned.ok()) << presigned.status().message;
  EXPECT_EQ(presigned->media.s3.presign_expiry, std::chrono::minutes(30));
  EXPECT_EQ(presigned->media.s3.cache_max_bytes, 0u);
  // S3 refuses presigned URLs that last longer than 7 days.
  EXPECT_EQ(LoadAppConfig({}, {{"REEL_MEDIA_S3_PRESIGN_EXPIRY", "8d"}}).status().reason,
            "CONFIG_INVALID");
  EXPECT_EQ(LoadAppConfig({}, {{"REEL_MEDIA_S3_URLS", "public"}}).status().reason, "CONFIG_INVALID")
      << "public URLs need media.s3.public_url";
  EXPECT_TRUE(LoadAppConfig({}, {{"REEL_MEDIA_S3_URLS", "public"},
                                 {"REEL_MEDIA_S3_PUBLIC_URL", "https://cdn.example.com"}})
                  .ok());
  EXPECT_EQ(LoadAppConfig({}, {{"REEL_MEDIA_S3_URLS", "cdn"}}).status().reason, "CONFIG_INVALID");
}

}  // namespace
}  // namespace reel::app
