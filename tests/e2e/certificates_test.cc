// Certificates through the real control plane and gatectl: upload, list and delete; what is
// refused at upload (a key of another certificate, an expired certificate, host names not
// covered, a token without edit on the zone, a control plane without --secrets-key-file); keys
// at rest only encrypted; keys to a watcher only over TLS; and `gatectl compile --cert` for
// file-only edges. Certificates are made at test time; every call has a deadline.
#include <ctime>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "plan/snapshot_file.h"
#include "schemas/api.grpc.pb.h"
#include "tests/support/control_plane.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

constexpr char kAdminToken[] = "certs-admin-token";

std::string ZoneJson(const std::string& hosts) {
  return R"({"zone": "example.com", "hostnames": [)" + hosts +
         R"(], "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}]})";
}

class CertificatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    auto site = MakeSiteCertificate(*pki_, "site", {"example.com", "*.example.com"});
    auto soon = MakeSiteCertificate(*pki_, "soon", {"example.com", "www.example.com"}, 5);
    auto expired =
        MakeSiteCertificate(*pki_, "expired", {"example.com"}, now - 30 * 86400, now - 86400);
    auto other = MakeSiteCertificate(*pki_, "other", {"other.org"});
    ASSERT_TRUE(site.ok() && soon.ok() && expired.ok() && other.ok());
    site_ = new SiteCertificate(*site);
    soon_ = new SiteCertificate(*soon);
    expired_ = new SiteCertificate(*expired);
    other_ = new SiteCertificate(*other);
    secrets_key_file_ = new std::string(WriteTempFile("secrets.key", std::string(64, 'c') + "\n"));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete site_;
    delete soon_;
    delete expired_;
    delete other_;
    delete secrets_key_file_;
  }

  std::vector<std::string> TlsFlags() const {
    return {"--tls-cert=" + pki_->server_cert, "--tls-key=" + pki_->server_key,
            "--secrets-key-file=" + *secrets_key_file_};
  }

  // gatectl over TLS with `token` and a 3 s deadline per call.
  CommandResult Gatectl(std::vector<std::string> args, const std::string& token = kAdminToken,
                        bool tls = true) const {
    args.insert(args.begin(), "--timeout-ms=3000");
    if (tls) args.insert(args.begin(), "--tls-ca=" + pki_->ca_cert);
    return control_.Gatectl(std::move(args), token);
  }

  CommandResult Upload(const SiteCertificate& site, const std::string& token = kAdminToken) const {
    return Gatectl({"certs", "upload", "example.com", "--cert", site.chain, "--key", site.key},
                   token);
  }

  // The first update of a Watch stream, over TLS or not; its example.com entry.
  api::v1::SnapshotUpdate FirstUpdate(bool tls) const {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadTestFile(pki_->ca_cert);
    auto stub = api::v1::SnapshotService::NewStub(grpc::CreateCustomChannel(
        control_.address(), tls ? grpc::SslCredentials(ssl) : grpc::InsecureChannelCredentials(),
        args));
    auto context = ControlPlane::Context(kAdminToken);
    api::v1::WatchRequest request;
    request.set_node_id("certs-test");
    auto reader = stub->Watch(context.get(), request);
    api::v1::SnapshotUpdate update;
    EXPECT_TRUE(reader->Read(&update));
    context->TryCancel();
    (void)reader->Finish();
    return update;
  }

  static const snapshot::v1::CompiledZone* Find(const snapshot::v1::Snapshot& snapshot) {
    for (const auto& zone : snapshot.zones()) {
      if (zone.zone() == "example.com") return &zone;
    }
    return nullptr;
  }

  static TestPki* pki_;
  static SiteCertificate* site_;
  static SiteCertificate* soon_;
  static SiteCertificate* expired_;
  static SiteCertificate* other_;
  static std::string* secrets_key_file_;
  ControlPlane control_;
};
TestPki* CertificatesTest::pki_ = nullptr;
SiteCertificate* CertificatesTest::site_ = nullptr;
SiteCertificate* CertificatesTest::soon_ = nullptr;
SiteCertificate* CertificatesTest::expired_ = nullptr;
SiteCertificate* CertificatesTest::other_ = nullptr;
std::string* CertificatesTest::secrets_key_file_ = nullptr;

TEST_F(CertificatesTest, UploadListDeleteAndWhatIsRefused) {
  ASSERT_TRUE(control_.Start({kAdminToken, TlsFlags()}).ok());
  const std::string zone_file =
      WriteTempFile("zone.json", ZoneJson(R"("example.com", "www.example.com")"));
  ASSERT_EQ(Gatectl({"push", zone_file}).exit_code, 0);

  // Refused, each saying why; nothing is stored.
  CommandResult refused =
      Gatectl({"certs", "upload", "example.com", "--cert", site_->chain, "--key", other_->key});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("the private key is not the key of the chain's first certificate"),
            std::string::npos)
      << refused.err;
  refused = Upload(*expired_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the certificate expired on"), std::string::npos) << refused.err;
  refused = Upload(*other_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("does not cover 2 of the 2 host name(s) of zone example.com: "
                             "example.com, www.example.com (it names other.org)"),
            std::string::npos)
      << refused.err;
  refused = Gatectl({"certs", "upload", "nope.com", "--cert", site_->chain, "--key", site_->key});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("zone \"nope.com\" not found"), std::string::npos) << refused.err;

  // A token that may read the zone but not edit it, and one for another zone.
  const CommandResult reader =
      Gatectl({"tokens", "create", "--permission", "read", "--zone", "example.com"});
  const CommandResult elsewhere =
      Gatectl({"tokens", "create", "--permission", "edit", "--zone", "other.org"});
  ASSERT_EQ(reader.exit_code, 0) << reader.err;
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
  const std::string read_token = reader.out.substr(0, reader.out.find('\n'));
  const std::string other_token = elsewhere.out.substr(0, elsewhere.out.find('\n'));
  for (const std::string& token : {read_token, other_token}) {
    refused = Upload(*site_, token);
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("this token may not change zone \"example.com\""), std::string::npos)
        << refused.err;
  }
  EXPECT_EQ(Gatectl({"certs", "list"}).out, "ZONE\tFINGERPRINT\tNAMES\tNOT_AFTER\tSTATE\n");

  // Uploaded: a new zone version; listed (to a reader too), never with a key.
  const CommandResult uploaded = Upload(*site_);
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  EXPECT_NE(uploaded.out.find("zone example.com version 2: certificate "), std::string::npos)
      << uploaded.out;
  const CommandResult soon = Upload(*soon_);
  ASSERT_EQ(soon.exit_code, 0) << soon.err;
  EXPECT_NE(soon.err.find("warning: certificate "), std::string::npos) << soon.err;
  EXPECT_NE(soon.err.find("expires on"), std::string::npos) << soon.err;
  const CommandResult listed = Gatectl({"certs", "list", "example.com"}, read_token);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("example.com,*.example.com"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("expires soon"), std::string::npos) << listed.out;
  EXPECT_NE(listed.err.find("warning: certificate"), std::string::npos) << listed.err;
  const CommandResult json = Gatectl({"--json", "certs", "list"});
  EXPECT_EQ(json.out.find("PRIVATE"), std::string::npos);
  EXPECT_NE(json.out.find("\"expires_soon\":true"), std::string::npos) << json.out;

  // A TLS watcher gets the keys; the snapshot's zone is at version 3 with both certificates.
  api::v1::SnapshotUpdate update = FirstUpdate(/*tls=*/true);
  const snapshot::v1::CompiledZone* zone = Find(update.snapshot());
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->version(), 3u);
  ASSERT_EQ(zone->certificates_size(), 2);
  for (const auto& certificate : zone->certificates()) {
    EXPECT_NE(certificate.key_pem().find("BEGIN PRIVATE KEY"), std::string::npos);
  }
  EXPECT_LT(zone->certificates(0).fingerprint(), zone->certificates(1).fingerprint());

  // Deleted by fingerprint, by an edit token of the zone; deleting again is NOT_FOUND.
  const std::string fingerprint = zone->certificates(0).fingerprint();
  const CommandResult editor =
      Gatectl({"tokens", "create", "--permission", "edit", "--zone", "example.com"});
  const std::string edit_token = editor.out.substr(0, editor.out.find('\n'));
  EXPECT_EQ(Gatectl({"certs", "delete", "example.com", fingerprint}, read_token).exit_code, 1);
  const CommandResult deleted =
      Gatectl({"certs", "delete", "example.com", fingerprint}, edit_token);
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.out.find("version 4"), std::string::npos) << deleted.out;
  refused = Gatectl({"certs", "delete", "example.com", fingerprint});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("has no certificate"), std::string::npos) << refused.err;
  EXPECT_EQ(Gatectl({"certs", "list"}).out.find(fingerprint), std::string::npos);
}

TEST_F(CertificatesTest, KeysAreEncryptedAtRestAndGoOnlyToTlsWatchers) {
  ASSERT_TRUE(control_.Start({kAdminToken, TlsFlags()}).ok());
  const std::string zone_file = WriteTempFile("zone.json", ZoneJson(R"("example.com")"));
  ASSERT_EQ(Gatectl({"push", zone_file}).exit_code, 0);
  ASSERT_EQ(Upload(*site_).exit_code, 0);

  // The database and its journal hold no part of the key.
  const std::string key_pem = ReadTestFile(site_->key);
  ASSERT_FALSE(PemBodyLines(key_pem).empty());
  for (const std::string file : {"/gatehouse.db", "/gatehouse.db-wal"}) {
    const std::string bytes = ReadTestFile(control_.data_dir() + file);
    EXPECT_EQ(bytes.find("PRIVATE KEY"), std::string::npos) << file;
    for (const std::string& line : PemBodyLines(key_pem)) {
      EXPECT_EQ(bytes.find(line), std::string::npos) << file;
    }
  }

  // The same store served in plaintext: the certificate travels without its key.
  ASSERT_TRUE(control_.RestartWith({"--secrets-key-file=" + *secrets_key_file_}).ok());
  api::v1::SnapshotUpdate update = FirstUpdate(/*tls=*/false);
  const snapshot::v1::CompiledZone* zone = Find(update.snapshot());
  ASSERT_NE(zone, nullptr);
  ASSERT_EQ(zone->certificates_size(), 1);
  EXPECT_EQ(zone->certificates(0).key_pem(), "");
  EXPECT_NE(zone->certificates(0).chain_pem().find("BEGIN CERTIFICATE"), std::string::npos);

  // Without --secrets-key-file, uploads are refused, saying why.
  ASSERT_TRUE(control_.RestartWith({}).ok());
  const CommandResult refused =
      Gatectl({"certs", "upload", "example.com", "--cert", soon_->chain, "--key", soon_->key},
              kAdminToken, /*tls=*/false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("no --secrets-key-file"), std::string::npos) << refused.err;

  // Behind TLS again with another secrets key, the control plane refuses to start.
  const std::string other_key = WriteTempFile("other.key", std::string(64, 'd'));
  std::vector<std::string> flags = TlsFlags();
  flags.back() = "--secrets-key-file=" + other_key;
  EXPECT_FALSE(control_.RestartWith(flags).ok());
}

TEST_F(CertificatesTest, ARotatedSecretsKeyTakesOverFromThePreviousOne) {
  ASSERT_TRUE(control_.Start({kAdminToken, TlsFlags()}).ok());
  const std::string zone_file = WriteTempFile("zone.json", ZoneJson(R"("example.com")"));
  ASSERT_EQ(Gatectl({"push", zone_file}).exit_code, 0);
  ASSERT_EQ(Upload(*site_).exit_code, 0);
  const std::string key_pem = ReadTestFile(site_->key);
  auto served_key = [&] {
    const api::v1::SnapshotUpdate update = FirstUpdate(/*tls=*/true);
    const snapshot::v1::CompiledZone* zone = Find(update.snapshot());
    return zone != nullptr && zone->certificates_size() == 1
               ? PemBodyLines(zone->certificates(0).key_pem())
               : std::vector<std::string>{};
  };

  // The new key alone does not open what the old one sealed: the start is refused.
  const std::string new_key = WriteTempFile("rotated.key", std::string(64, 'e') + "\n");
  std::vector<std::string> flags = TlsFlags();
  flags.back() = "--secrets-key-file=" + new_key;
  EXPECT_FALSE(control_.RestartWith(flags).ok());

  // With the old key as previous, the keys are served and sealed again with the new key...
  flags.push_back("--previous-secrets-key-file=" + *secrets_key_file_);
  ASSERT_TRUE(control_.RestartWith(flags).ok());
  EXPECT_EQ(served_key(), PemBodyLines(key_pem));
  const CommandResult versions = Gatectl({"versions", "example.com"});
  EXPECT_NE(versions.out.find("secrets-key-rotation"), std::string::npos) << versions.out;

  // ...so the new key alone now suffices, and the old one no longer opens the store.
  flags.pop_back();
  ASSERT_TRUE(control_.RestartWith(flags).ok());
  EXPECT_EQ(served_key(), PemBodyLines(key_pem));
  EXPECT_FALSE(control_.RestartWith(TlsFlags()).ok());
}

TEST_F(CertificatesTest, ABadSecretsKeyFileStopsTheStart) {
  const std::string bad = WriteTempFile("bad.key", "too short\n");
  ControlPlane control;
  EXPECT_FALSE(control.Start({kAdminToken, {"--secrets-key-file=" + bad}}).ok());
}

TEST_F(CertificatesTest, CompileCarriesCheckedCertificatesIntoTheSnapshotFile) {
  const std::string zone_file =
      WriteTempFile("zone.json", ZoneJson(R"("example.com", "www.example.com")"));
  const std::string output = WriteTempFile("snapshot.bin", "");
  const CommandResult compiled =
      control_.Gatectl({"compile", zone_file, "-o", output, "--cert",
                        "example.com=" + site_->chain + "," + site_->key, "--cert",
                        "example.com=" + soon_->chain + "," + soon_->key});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_NE(compiled.out.find("2 certificate(s)"), std::string::npos) << compiled.out;
  EXPECT_NE(compiled.err.find("warning: certificate"), std::string::npos) << compiled.err;
  auto snapshot = plan::ReadSnapshotFile(output);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const snapshot::v1::CompiledZone* zone = Find(*snapshot);
  ASSERT_NE(zone, nullptr);
  ASSERT_EQ(zone->certificates_size(), 2);
  EXPECT_EQ(PemBodyLines(zone->certificates(1).key_pem()).empty(), false);

  const CommandResult uncovered =
      control_.Gatectl({"compile", zone_file, "-o", output, "--cert",
                        "example.com=" + other_->chain + "," + other_->key});
  EXPECT_EQ(uncovered.exit_code, 1);
  EXPECT_NE(uncovered.err.find("does not cover 2 of the 2 host name(s)"), std::string::npos)
      << uncovered.err;
  const CommandResult expired =
      control_.Gatectl({"compile", zone_file, "-o", output, "--cert",
                        "example.com=" + expired_->chain + "," + expired_->key});
  EXPECT_EQ(expired.exit_code, 1);
  EXPECT_NE(expired.err.find("expired on"), std::string::npos) << expired.err;
  const CommandResult unknown = control_.Gatectl({"compile", zone_file, "-o", output, "--cert",
                                                  "nope.com=" + site_->chain + "," + site_->key});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("--cert names zone nope.com"), std::string::npos) << unknown.err;
  EXPECT_EQ(
      control_.Gatectl({"compile", zone_file, "-o", output, "--cert", "example.com"}).exit_code, 2);
}

}  // namespace
}  // namespace gatehouse::testing
