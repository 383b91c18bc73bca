// Certificates through the controller apart from gRPC: the checks of an upload, a certificate
// change as a zone version, what is published (keys only when proxies are served over TLS), and
// keys at rest.
#include <ctime>

#include "api/config_controller.h"
#include "api/memory_config_store.h"
#include "api/sqlite_config_store.h"
#include "gtest/gtest.h"
#include "plan/snapshot_hash.h"
#include "tests/support/site_certificate_fixture.h"
#include "tests/support/test_pki.h"

namespace gatehouse::api {
namespace {

using testing::MakeSiteCertificate;
using testing::PemBodyLines;
using testing::ReadTestFile;
using testing::SiteCertificate;
using testing::TestPki;

std::string ZoneJson(const std::string& zone, const std::string& hosts) {
  return R"({"zone": ")" + zone + R"(", "hostnames": [)" + hosts +
         R"(], "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}]})";
}

SecretsKey Key(char fill) { return *SecretsKey::FromFileContents(std::string(64, fill)); }

class CertificateControllerTest : public testing::SiteCertificateTest {
 protected:

  // A controller over `store` publishing keys or not.
  std::unique_ptr<ConfigController> Controller(ConfigStore& store, SnapshotPublisher& publisher,
                                               const SecretsKey* key, bool publish_keys) {
    CertificateSecrets secrets;
    secrets.secrets_key = key;
    secrets.publish_private_keys = publish_keys;
    return std::make_unique<ConfigController>(store, publisher, compiler::ZoneCompileOptions{},
                                              ControllerLimits{}, nullptr, secrets);
  }

  static void Put(ConfigController& controller, const std::string& json) {
    std::vector<compiler::ZoneDiagnostic> diagnostics;
    ASSERT_TRUE(controller.Put(json, 0, "test", nullptr, {}, &diagnostics).ok());
  }

  absl::StatusOr<ConfigController::CertificateResult> Upload(ConfigController& controller,
                                                             const SiteCertificate& site) {
    return controller.UploadCertificate("example.com", ReadTestFile(site.chain),
                                        ReadTestFile(site.key), "tok1");
  }

  const SecretsKey key_ = Key('a');
};

TEST_F(CertificateControllerTest, AnUploadIsANewZoneVersionThatCarriesTheCertificate) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  auto controller = Controller(store, publisher, &key_, /*publish_keys=*/true);
  Put(*controller, ZoneJson("example.com", R"("example.com", "www.example.com")"));
  const auto before = publisher.Current();
  auto uploaded = Upload(*controller, *site_);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  EXPECT_FALSE(uploaded->unchanged);
  EXPECT_EQ(uploaded->record.version, 2u);
  EXPECT_EQ(uploaded->record.config_hash, store.Version("example.com", 1)->config_hash);
  EXPECT_EQ(uploaded->certificate.author, "tok1");
  const auto after = publisher.Current();
  const auto& zone = *after->zones.at("example.com");
  EXPECT_EQ(zone.version(), 2u);
  ASSERT_EQ(zone.certificates_size(), 1);
  EXPECT_EQ(zone.certificates(0).fingerprint(), uploaded->certificate.fingerprint);
  EXPECT_EQ(zone.certificates(0).names(1), "*.example.com");
  EXPECT_NE(zone.certificates(0).key_pem().find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(after->content_hash, before->content_hash);
  EXPECT_EQ(zone.program().config_hash(), zone.config_hash());
  // The same certificate again stores nothing.
  auto again = Upload(*controller, *site_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(store.Latest("example.com")->version, 2u);

  // A config change keeps the certificate; deleting it is a version without it.
  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  EXPECT_EQ(publisher.Current()->zones.at("example.com")->certificates_size(), 1);
  auto deleted =
      controller->DeleteCertificate("example.com", uploaded->certificate.fingerprint, "tok2");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->version, 4u);
  EXPECT_EQ(publisher.Current()->zones.at("example.com")->certificates_size(), 0);
  EXPECT_EQ(controller->DeleteCertificate("example.com", uploaded->certificate.fingerprint, "t")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CertificateControllerTest, RefusesWhatAProxyCouldNotServe) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  auto controller = Controller(store, publisher, &key_, true);
  Put(*controller, ZoneJson("example.com", R"("example.com", "a.b.example.com", "example.org")"));
  auto uncovered = Upload(*controller, *site_);
  EXPECT_EQ(uncovered.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(uncovered.status().message(),
            "the certificate does not cover 2 of the 3 host name(s) of zone example.com: "
            "a.b.example.com, example.org (it names example.com, *.example.com)");

  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto expired =
      MakeSiteCertificate(*pki_, "expired", {"example.com"}, now - 90 * 86400, now - 86400);
  ASSERT_TRUE(expired.ok()) << expired.status();
  auto refused = Upload(*controller, *expired);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("the certificate expired on"), absl::string_view::npos);

  auto mismatch = controller->UploadCertificate("example.com", ReadTestFile(site_->chain),
                                                ReadTestFile(pki_->server_key), "tok1");
  EXPECT_EQ(mismatch.status().message(),
            "the private key is not the key of the chain's first certificate");
  auto garbage = controller->UploadCertificate("example.com", "not a certificate",
                                               ReadTestFile(site_->key), "tok1");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(controller
                ->UploadCertificate("nope.com", ReadTestFile(site_->chain),
                                    ReadTestFile(site_->key), "tok1")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Latest("example.com")->version, 2u);  // nothing stored
  EXPECT_TRUE(store.Certificates("example.com").empty());
}

// Once a zone has certificates, a config that names a host none of them covers is refused, as
// an upload that does not cover the zone's names is: TLS clients would get no certificate.
TEST_F(CertificateControllerTest, AHostNameNoCertificateCoversIsRefused) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  auto controller = Controller(store, publisher, &key_, true);
  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  ASSERT_TRUE(Upload(*controller, *site_).ok());
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  auto refused = controller->Put(
      ZoneJson("example.com", R"("example.com", "shop.example.net", "a.b.example.com")"), 0,
      "test", nullptr, {}, &diagnostics);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "zone example.com: no certificate of the zone covers shop.example.net, "
            "a.b.example.com (its certificates name example.com, *.example.com); upload a "
            "certificate that covers them first (gatectl certs upload)");
  EXPECT_EQ(store.Latest("example.com")->version, 2u);  // nothing stored
  // A name the wildcard covers is accepted; a zone without certificates is not checked.
  auto covered = controller->Put(ZoneJson("example.com", R"("example.com", "www.example.com")"),
                                 0, "test", nullptr, {}, &diagnostics);
  ASSERT_TRUE(covered.ok()) << covered.status();
  EXPECT_EQ(covered->record.version, 3u);
  Put(*controller, ZoneJson("other.net", R"("other.net")"));
}

TEST_F(CertificateControllerTest, WithoutASecretsKeyUploadsAreRefused) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  auto controller = Controller(store, publisher, nullptr, true);
  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  auto refused = Upload(*controller, *site_);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("no --secrets-key-file"), absl::string_view::npos);
}

TEST_F(CertificateControllerTest, KeysArePublishedOnlyOverTlsAndNeverStoredInTheClear) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/certs-store";
  std::string fingerprint;
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    SnapshotPublisher publisher;
    auto controller = Controller(**store, publisher, &key_, /*publish_keys=*/false);
    Put(*controller, ZoneJson("example.com", R"("example.com")"));
    auto uploaded = Upload(*controller, *site_);
    ASSERT_TRUE(uploaded.ok()) << uploaded.status();
    fingerprint = uploaded->certificate.fingerprint;
    const auto& zone = *publisher.Current()->zones.at("example.com");
    ASSERT_EQ(zone.certificates_size(), 1);
    EXPECT_EQ(zone.certificates(0).key_pem(), "");  // a plaintext control plane
    EXPECT_FALSE(zone.certificates(0).chain_pem().empty());
  }
  // Neither the database nor its journal holds the key, whole or in part.
  const std::string key_pem = ReadTestFile(site_->key);
  for (const std::string file : {"/gatehouse.db", "/gatehouse.db-wal"}) {
    const std::string bytes = ReadTestFile(dir + file);
    EXPECT_EQ(bytes.find("PRIVATE KEY"), std::string::npos) << file;
    for (const std::string& line : PemBodyLines(key_pem)) {
      EXPECT_EQ(bytes.find(line), std::string::npos) << file << ": " << line;
    }
  }
  // The same store behind TLS: the key opens with the key that sealed it.
  {
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok());
    SnapshotPublisher publisher;
    auto controller = Controller(**store, publisher, &key_, /*publish_keys=*/true);
    ASSERT_TRUE(controller->LoadFromStore().ok());
    const auto& zone = *publisher.Current()->zones.at("example.com");
    ASSERT_EQ(zone.certificates_size(), 1);
    EXPECT_EQ(zone.certificates(0).fingerprint(), fingerprint);
    EXPECT_EQ(PemBodyLines(zone.certificates(0).key_pem()), PemBodyLines(key_pem));
    EXPECT_EQ(publisher.Current()->content_hash,
              plan::SnapshotContentHash(compiler::AssembleSnapshot(1, publisher.Current()->zones)));
  }
  // With another secrets key (or none) it fails cleanly, naming the cause.
  for (const SecretsKey* other : {static_cast<const SecretsKey*>(nullptr), &key_}) {
    const SecretsKey another = Key('b');
    auto store = SqliteConfigStore::Open(dir);
    ASSERT_TRUE(store.ok());
    SnapshotPublisher publisher;
    auto controller = Controller(**store, publisher, other == nullptr ? nullptr : &another, true);
    const absl::Status loaded = controller->LoadFromStore();
    EXPECT_FALSE(loaded.ok());
    EXPECT_NE(loaded.message().find("secrets-key"), absl::string_view::npos) << loaded;
  }
}

TEST_F(CertificateControllerTest, ARotatedSecretsKeySealsTheStoredKeysAgain) {
  MemoryConfigStore store;
  {
    SnapshotPublisher publisher;
    auto controller = Controller(store, publisher, &key_, true);
    Put(*controller, ZoneJson("example.com", R"("example.com")"));
    ASSERT_TRUE(Upload(*controller, *site_).ok());
  }
  const std::string key_pem = ReadTestFile(site_->key);
  const uint64_t version_before = store.Latest("example.com")->version;

  // The new key with the old one as previous: the zone is published, and its key sealed again.
  SecretsKey rotated = Key('b');
  rotated.AddPreviousKey(key_);
  {
    SnapshotPublisher publisher;
    auto controller = Controller(store, publisher, &rotated, true);
    ASSERT_TRUE(controller->LoadFromStore().ok());
    auto resealed = controller->ResealCertificates("secrets-key-rotation");
    ASSERT_TRUE(resealed.ok()) << resealed.status();
    EXPECT_EQ(*resealed, 1u);
    const auto latest = store.Latest("example.com");
    EXPECT_EQ(latest->version, version_before + 1);
    EXPECT_EQ(latest->author, "secrets-key-rotation");
    const auto& zone = *publisher.Current()->zones.at("example.com");
    ASSERT_EQ(zone.certificates_size(), 1);
    EXPECT_EQ(PemBodyLines(zone.certificates(0).key_pem()), PemBodyLines(key_pem));
    // Nothing is left to seal again: a second start changes nothing.
    EXPECT_EQ(*controller->ResealCertificates("secrets-key-rotation"), 0u);
    EXPECT_EQ(store.Latest("example.com")->version, version_before + 1);
  }

  // The new key alone now opens the store; the old one no longer does.
  const SecretsKey new_key = Key('b');
  for (const SecretsKey* key : {&new_key, &key_}) {
    SnapshotPublisher publisher;
    auto controller = Controller(store, publisher, key, true);
    EXPECT_EQ(controller->LoadFromStore().ok(), key == &new_key);
  }
}

TEST_F(CertificateControllerTest, ADeletedZoneTakesItsCertificatesWithIt) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  auto controller = Controller(store, publisher, &key_, true);
  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  ASSERT_TRUE(Upload(*controller, *site_).ok());
  ASSERT_TRUE(controller->Delete("example.com", 0, "test").ok());
  EXPECT_TRUE(store.Certificates("example.com").empty());
  Put(*controller, ZoneJson("example.com", R"("example.com")"));
  EXPECT_EQ(publisher.Current()->zones.at("example.com")->certificates_size(), 0);
}

}  // namespace
}  // namespace gatehouse::api
