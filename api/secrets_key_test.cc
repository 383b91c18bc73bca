#include "api/secrets_key.h"

#include <fstream>

#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

constexpr char kHexKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

SecretsKey Key(std::string_view contents) {
  auto key = SecretsKey::FromFileContents(contents);
  EXPECT_TRUE(key.ok()) << key.status();
  return *std::move(key);
}

TEST(SecretsKeyTest, SealsAndOpensWithTheSameKeyAndBinding) {
  const SecretsKey key = Key(kHexKey);
  const std::string sealed = key.Seal("-----BEGIN PRIVATE KEY-----", "zone\0fp");
  EXPECT_EQ(sealed.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(sealed.size(), 1 + 12 + 27 + 16u);
  EXPECT_EQ(*key.Open(sealed, "zone\0fp"), "-----BEGIN PRIVATE KEY-----");
  // A fresh nonce each time.
  EXPECT_NE(key.Seal("same", "ad"), key.Seal("same", "ad"));
}

TEST(SecretsKeyTest, AnotherKeyABindingOrAByteChangedFailsCleanly) {
  const SecretsKey key = Key(kHexKey);
  const std::string sealed = key.Seal("secret", "a.com");
  std::string other_hex = kHexKey;
  other_hex[0] = '1';
  const auto other = Key(other_hex).Open(sealed, "a.com");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(other.status().message().find("does not open with this secrets key"),
            absl::string_view::npos);
  EXPECT_EQ(key.Open(sealed, "b.com").status().code(), absl::StatusCode::kDataLoss);
  std::string altered = sealed;
  altered[15] ^= 1;
  EXPECT_EQ(key.Open(altered, "a.com").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(key.Open(sealed.substr(0, 20), "a.com").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(key.Open("", "a.com").status().code(), absl::StatusCode::kDataLoss);
}

TEST(SecretsKeyTest, TheThreeFileFormatsAreTheSameKey) {
  const std::string raw(
      "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15"
      "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
      32);
  const std::string sealed = Key(raw).Seal("x", "");
  EXPECT_EQ(*Key(std::string(kHexKey) + "\n").Open(sealed, ""), "x");
  EXPECT_EQ(*Key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").Open(sealed, ""), "x");
}

TEST(SecretsKeyTest, RefusesWhatIsNotA256BitKey) {
  for (const std::string& bad :
       std::vector<std::string>{"", "short", std::string(31, 'k'), std::string(64, 'z'),
                                std::string("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=")}) {
    const auto key = SecretsKey::FromFileContents(bad);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_NE(key.status().message().find("not a 256-bit key"), absl::string_view::npos);
  }
  const auto missing = SecretsKey::ReadFile("/nonexistent/secrets.key");
  EXPECT_EQ(missing.status().message(), "cannot read --secrets-key-file /nonexistent/secrets.key");
}

TEST(SecretsKeyTest, APreviousKeyOpensWhatItSealedAndTheCurrentKeySeals) {
  const SecretsKey old_key = Key(std::string(64, 'a'));
  SecretsKey key = Key(std::string(64, 'b'));
  const std::string sealed_before = old_key.Seal("old secret", "zone");
  EXPECT_EQ(key.Open(sealed_before, "zone").status().code(), absl::StatusCode::kDataLoss);

  key.AddPreviousKey(old_key);
  EXPECT_EQ(key.previous_key_count(), 1u);
  EXPECT_EQ(*key.Open(sealed_before, "zone"), "old secret");
  EXPECT_FALSE(key.SealedWithCurrentKey(sealed_before, "zone"));
  // The binding still holds for a previous key.
  EXPECT_EQ(key.Open(sealed_before, "other zone").status().code(), absl::StatusCode::kDataLoss);

  const std::string sealed_now = key.Seal("new secret", "zone");
  EXPECT_TRUE(key.SealedWithCurrentKey(sealed_now, "zone"));
  EXPECT_FALSE(old_key.Open(sealed_now, "zone").ok());
  EXPECT_EQ(*Key(std::string(64, 'b')).Open(sealed_now, "zone"), "new secret");
  EXPECT_FALSE(key.SealedWithCurrentKey("", "zone"));
}

std::string WriteKeyFile(const std::string& name, const std::string& contents) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(SecretsKeyTest, ReadFilesNamesTheFlagOfAFileItCannotUse) {
  const auto missing = SecretsKey::ReadFiles("/nonexistent/new.key", {});
  EXPECT_EQ(missing.status().message(), "cannot read --secrets-key-file /nonexistent/new.key");
  const std::string current = WriteKeyFile("current.key", std::string(64, 'c'));
  const auto previous_missing = SecretsKey::ReadFiles(current, {"/nonexistent/old.key"});
  EXPECT_EQ(previous_missing.status().message(),
            "cannot read --previous-secrets-key-file /nonexistent/old.key");
  const std::string previous = WriteKeyFile("previous.key", std::string(64, 'd'));
  const auto both = SecretsKey::ReadFiles(current, {previous});
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->previous_key_count(), 1u);
  EXPECT_EQ(*both->Open(Key(std::string(64, 'd')).Seal("s", ""), ""), "s");
}

}  // namespace
}  // namespace gatehouse::api
