#include "kit/auth/token_signer.hpp"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "kit/json/json_writer.hpp"

namespace reel::auth {
namespace {

// The only header this signer writes; decoding still parses headers to refuse others.
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::int64_t kClockSkewSeconds = 60;

std::string Base64Url(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

bool FromBase64Url(std::string_view text, std::string& out) {
  out.resize(text.size());  // decoded data is always shorter
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  out.resize(len);
  return true;
}

std::string_view TypeName(TokenType type) {
  switch (type) {
    case TokenType::kAccess:
      return "access";
    case TokenType::kRefresh:
      return "refresh";
    case TokenType::kDevice:
      return "device";
  }
  return "";
}

Status Invalid(std::string message) {
  return Unauthenticated("TOKEN_INVALID", std::move(message));
}

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

// A file removed when the scope ends, whether it was linked elsewhere or not.
struct TempFile {
  std::string path;
  ~TempFile() { ::unlink(path.c_str()); }
};

// The secret in `path` (less a trailing newline), nullopt when there is no such file. Throws when
// the file cannot be read or holds less than 32 bytes.
std::optional<std::string> ReadSecret(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string secret;
  char buffer[4096];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    }
    secret.append(buffer, static_cast<std::size_t>(got));
    if (secret.size() > 64 * 1024) throw std::runtime_error(path + " is too large for a secret");
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < 32) throw std::runtime_error(path + " holds a secret shorter than 32 bytes");
  return secret;
}

// Makes the new directory entry durable (best effort: the secret is already on disk, and a
// lost entry only means a new secret after a power cut).
void SyncParentDirectory(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) ::fsync(fd.get());
}

}  // namespace

TokenSigner::TokenSigner(TokenConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {
  if (config_.secret.size() < 32) {
    throw std::invalid_argument("token secret must be at least 32 bytes");
  }
}

std::string TokenSigner::Sign(std::string_view signing_input) const {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(config_.secret.data()),
                              config_.secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::chrono::seconds TokenSigner::TtlOf(TokenType type) const {
  const std::chrono::milliseconds ttl = type == TokenType::kAccess    ? config_.access_ttl
                                        : type == TokenType::kRefresh ? config_.refresh_ttl
                                                                      : config_.device_ttl;
  return std::chrono::duration_cast<std::chrono::seconds>(ttl);
}

std::string TokenSigner::IssueDevice(std::int64_t user_id) const {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return Issue(user_id, TokenType::kDevice, TokenBinding{.device_id = hex});
}

std::string TokenSigner::Issue(std::int64_t user_id, TokenType type,
                               const TokenBinding& binding) const {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  json::JsonWriter payload;
  payload.BeginObject()
      .Field("sub", std::to_string(user_id))
      .Field("iat", now)
      .Field("exp", now + TtlOf(type).count())
      .Field("typ", TypeName(type));
  if (binding.session_id > 0) payload.Field("sid", binding.session_id);
  if (binding.generation > 0) payload.Field("gen", binding.generation);
  if (!binding.device_id.empty()) payload.Field("jti", binding.device_id);
  payload.EndObject();
  std::string token = Base64Url(kHeader) + "." + Base64Url(payload.Take());
  const std::string mac = Sign(token);
  return token + "." + Base64Url(mac);
}

Result<TokenClaims> TokenSigner::Verify(std::string_view token, TokenType expected) const {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Invalid("token is malformed");
  }
  // Signature first, in constant time: nothing an attacker wrote is trusted before it.
  std::string signature;
  if (!FromBase64Url(token.substr(dot2 + 1), signature) ||
      signature.size() != crypto_auth_hmacsha256_BYTES) {
    return Invalid("token signature is malformed");
  }
  const std::string mac = Sign(token.substr(0, dot2));
  if (sodium_memcmp(mac.data(), signature.data(), mac.size()) != 0) {
    return Invalid("token signature does not match");
  }

  std::string header_json, payload_json;
  if (!FromBase64Url(token.substr(0, dot1), header_json) ||
      !FromBase64Url(token.substr(dot1 + 1, dot2 - dot1 - 1), payload_json)) {
    return Invalid("token is malformed");
  }
  // Iterative parses: a recursive one needs stack in proportion to the nesting.
  rapidjson::Document header;
  header.Parse<rapidjson::kParseIterativeFlag>(header_json.data(), header_json.size());
  if (header.HasParseError() || !header.IsObject() || !header.HasMember("alg") ||
      !header["alg"].IsString() || std::string_view(header["alg"].GetString()) != "HS256") {
    return Invalid("token algorithm is not HS256");
  }

  rapidjson::Document payload;
  payload.Parse<rapidjson::kParseIterativeFlag>(payload_json.data(), payload_json.size());
  if (payload.HasParseError() || !payload.IsObject()) return Invalid("token payload is malformed");
  const auto string_member = [&](const char* name) -> std::string_view {
    auto it = payload.FindMember(name);
    return it != payload.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  };
  const auto int_member = [&](const char* name) -> std::optional<std::int64_t> {
    auto it = payload.FindMember(name);
    if (it == payload.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
    return it->value.GetInt64();
  };

  if (string_member("typ") != TypeName(expected)) {
    return Invalid("not " + std::string(expected == TokenType::kAccess ? "an " : "a ") +
                   std::string(TypeName(expected)) + " token");
  }
  TokenClaims claims;
  claims.type = expected;
  const std::string sub(string_member("sub"));
  const auto iat = int_member("iat");
  const auto exp = int_member("exp");
  try {
    std::size_t used = 0;
    claims.user_id = std::stoll(sub, &used);
    if (used != sub.size() || claims.user_id <= 0) return Invalid("token subject is malformed");
  } catch (const std::exception&) {
    return Invalid("token subject is malformed");
  }
  if (!iat || !exp) return Invalid("token lacks iat or exp");
  claims.issued_at = *iat;
  claims.expires_at = *exp;
  // Binding claims are optional (tokens from before sessions have none), but when present
  // they must be what Issue writes.
  for (auto [name, out] : {std::pair{"sid", &claims.binding.session_id},
                           std::pair{"gen", &claims.binding.generation}}) {
    if (!payload.HasMember(name)) continue;
    const auto value = int_member(name);
    if (!value || *value <= 0) return Invalid(std::string("token claim ") + name + " is malformed");
    *out = *value;
  }
  claims.binding.device_id = std::string(string_member("jti"));

  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  if (claims.issued_at > now + kClockSkewSeconds) return Invalid("token is issued in the future");
  if (claims.expires_at <= now) {
    return Unauthenticated("TOKEN_EXPIRED", "token has expired; log in again");
  }
  return claims;
}

std::string LoadOrCreateSecret(const std::string& path) {
  if (std::optional<std::string> existing = ReadSecret(path)) return *existing;
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);

  // Written in full under a name of its own, then linked into place. link() never replaces
  // an existing file, so of processes starting at once exactly one secret wins and the rest
  // read it; and unlike creating `path` itself first (O_EXCL) and writing after, nobody can
  // open the file between the two and find it empty.
  // A random suffix of its own: part of the secret in a file name would be readable by
  // anyone who can list the directory.
  unsigned char nonce[8];
  randombytes_buf(nonce, sizeof nonce);
  char nonce_hex[sizeof nonce * 2 + 1];
  sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
  const TempFile temp{path + ".tmp." + std::to_string(::getpid()) + "." + nonce_hex};
  {
    UniqueFd fd(::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) throw std::runtime_error("cannot create " + temp.path + ": " + std::strerror(errno));
    const std::string text = std::string(hex) + "\n";
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
        ::fsync(fd.get()) != 0) {
      throw std::runtime_error("cannot write " + temp.path + ": " + std::strerror(errno));
    }
  }
  if (::link(temp.path.c_str(), path.c_str()) != 0) {
    const int error = errno;
    if (error == EEXIST) {
      if (std::optional<std::string> winner = ReadSecret(path)) return *winner;
    }
    throw std::runtime_error("cannot create " + path + ": " + std::strerror(error));
  }
  SyncParentDirectory(path);
  return hex;
}

}  // namespace reel::auth
