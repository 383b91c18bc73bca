// The auth rules without a network: token parsing, hashing, the admin token, scoped tokens,
// revocation, and the permission matrix of Principal.
#include "api/authenticator_impl.h"

#include "api/sqlite_token_store.h"
#include "api/token_codec.h"
#include "api/token_service_impl.h"
#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

class AuthenticatorTest : public ::testing::Test {
 protected:
  // A token of `permission` on `zones`, stored; returns the bearer token.
  std::string AddToken(v1::Permission permission, std::vector<std::string> zones) {
    const NewToken token = GenerateToken();
    TokenRecord record;
    record.id = token.id;
    record.token_hash = token.hash;
    record.permission = permission;
    record.zones = std::move(zones);
    EXPECT_TRUE(store_->Create(record).ok());
    return token.token;
  }

  std::unique_ptr<SqliteTokenStore> store_ = *SqliteTokenStore::Open(":memory:");
  AuthenticatorImpl auth_{"admin-secret", *store_};
};

TEST(TokenCodecTest, TokensAreUniqueAndOnlyTheirHashIsKept) {
  const NewToken a = GenerateToken();
  const NewToken b = GenerateToken();
  EXPECT_NE(a.token, b.token);
  EXPECT_EQ(a.token.rfind("gh_" + a.id + "_", 0), 0u);
  EXPECT_EQ(a.hash.size(), 64u);
  EXPECT_EQ(a.hash, HashToken(a.token));
  EXPECT_EQ(a.token.find(a.hash), std::string::npos);
}

TEST(TokenCodecTest, BearerHeader) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc \r\n"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST_F(AuthenticatorTest, MissingWrongAndRevokedTokensAreUnauthenticated) {
  EXPECT_EQ(auth_.Authenticate("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_.Authenticate("Bearer nope").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_.Authenticate("admin-secret").status().code(),
            absl::StatusCode::kUnauthenticated);
  const std::string token = AddToken(v1::PERMISSION_READ, {"a.com"});
  auto principal = auth_.Authenticate("Bearer " + token);
  ASSERT_TRUE(principal.ok());
  ASSERT_TRUE(store_->Revoke(principal->id).ok());
  EXPECT_EQ(auth_.Authenticate("Bearer " + token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->Revoke("no-such-id").code(), absl::StatusCode::kNotFound);
}

TEST_F(AuthenticatorTest, AdminTokenIsAdmin) {
  auto admin = auth_.Authenticate("Bearer admin-secret");
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->admin);
  EXPECT_TRUE(admin->CanEdit("any.com"));
  EXPECT_TRUE(admin->CanWatch());
}

TEST_F(AuthenticatorTest, WithoutAdminTokenAuthIsDisabledAndEveryoneIsAdmin) {
  AuthenticatorImpl open("", *store_);
  EXPECT_FALSE(open.enabled());
  auto anyone = open.Authenticate("");
  ASSERT_TRUE(anyone.ok());
  EXPECT_TRUE(anyone->admin);
}

TEST_F(AuthenticatorTest, PermissionMatrix) {
  const auto read = *auth_.Authenticate("Bearer " + AddToken(v1::PERMISSION_READ, {"a.com"}));
  const auto edit =
      *auth_.Authenticate("Bearer " + AddToken(v1::PERMISSION_EDIT, {"a.com", "c.com"}));
  const auto watch_all = *auth_.Authenticate("Bearer " + AddToken(v1::PERMISSION_WATCH, {}));
  const auto watch_a = *auth_.Authenticate("Bearer " + AddToken(v1::PERMISSION_WATCH, {"a.com"}));

  EXPECT_TRUE(read.CanRead("a.com"));
  EXPECT_FALSE(read.CanEdit("a.com"));
  EXPECT_FALSE(read.CanRead("b.com"));
  EXPECT_FALSE(read.CanWatch());
  EXPECT_TRUE(read.CanUseConfigService());

  EXPECT_TRUE(edit.CanRead("a.com"));
  EXPECT_TRUE(edit.CanEdit("c.com"));
  EXPECT_FALSE(edit.CanEdit("b.com"));
  EXPECT_FALSE(edit.CanWatch());

  EXPECT_FALSE(watch_all.CanUseConfigService());
  EXPECT_FALSE(watch_all.CanRead("a.com"));
  EXPECT_TRUE(watch_all.CanWatch());
  EXPECT_TRUE(watch_all.CanWatchZone("b.com"));
  EXPECT_TRUE(watch_a.CanWatchZone("a.com"));
  EXPECT_FALSE(watch_a.CanWatchZone("b.com"));
}

TEST_F(AuthenticatorTest, DenialDoesNotDependOnWhetherTheZoneExists) {
  const auto read = *auth_.Authenticate("Bearer " + AddToken(v1::PERMISSION_READ, {"a.com"}));
  // The checks never consult the config store: the same answer for any zone outside the scope.
  const absl::Status x = read.CheckRead("exists.com");
  const absl::Status y = read.CheckRead("missing.com");
  EXPECT_EQ(x.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(y.code(), x.code());
  EXPECT_EQ(std::string(x.message()).size() - std::string("exists").size(),
            std::string(y.message()).size() - std::string("missing").size());
}

TEST(ValidateCreateTokenTest, Rules) {
  v1::CreateTokenRequest request;
  EXPECT_FALSE(ValidateCreateToken(request).ok());
  request.set_permission(v1::PERMISSION_EDIT);
  EXPECT_FALSE(ValidateCreateToken(request).ok());  // edit needs a zone
  request.add_zones("a.com");
  EXPECT_TRUE(ValidateCreateToken(request).ok());
  request.add_zones("Bad,Zone");
  EXPECT_FALSE(ValidateCreateToken(request).ok());
  v1::CreateTokenRequest node;
  node.set_permission(v1::PERMISSION_WATCH);
  EXPECT_TRUE(ValidateCreateToken(node).ok());
}

TEST(SqliteTokenStoreTest, StoresHashesAndSurvivesReopen) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/tokens.db";
  const NewToken token = GenerateToken();
  {
    auto store = SqliteTokenStore::Open(path);
    ASSERT_TRUE(store.ok());
    TokenRecord record;
    record.id = token.id;
    record.token_hash = token.hash;
    record.permission = v1::PERMISSION_EDIT;
    record.zones = {"a.com", "b.com"};
    ASSERT_TRUE((*store)->Create(record).ok());
    EXPECT_EQ((*store)->Create(record).code(), absl::StatusCode::kAlreadyExists);
  }
  auto store = SqliteTokenStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto found = (*store)->FindByHash(token.hash);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->zones, (std::vector<std::string>{"a.com", "b.com"}));
  // The secret itself is nowhere in the database file.
  std::string contents;
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), f)) > 0;) contents.append(buffer, n);
  std::fclose(f);
  EXPECT_EQ(contents.find(token.token), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::api
