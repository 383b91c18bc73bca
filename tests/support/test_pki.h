#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::testing {

// Certificates made at test time with the `openssl` command (never checked in with their
// keys), as PEM files under the test's temporary directory: a CA, a server certificate for
// 127.0.0.1 and localhost, a client certificate, and the same from an unrelated CA. EC P-256
// keys, valid for two days.
struct TestPki {
  std::string dir;  // where the files are, ending in '-'
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
  // Another CA, and a client certificate it signed: what the first CA must not accept.
  std::string other_ca_cert;
  std::string other_client_cert;
  std::string other_client_key;
};

absl::StatusOr<TestPki> MakeTestPki();

// A site's server certificate, as a customer uploads it: `chain` is a PEM file holding the leaf
// then the CA that signed it, `key` the leaf's private key.
struct SiteCertificate {
  std::string chain;
  std::string key;
};

// A server certificate for `dns_names` (subjectAltName; "*.example.com" allowed) signed by
// `pki`'s CA, valid from `not_before_unix` to `not_after_unix` (a past interval makes an
// expired certificate), written under `pki.dir` with `name` in the file names.
absl::StatusOr<SiteCertificate> MakeSiteCertificate(const TestPki& pki, const std::string& name,
                                                    const std::vector<std::string>& dns_names,
                                                    int64_t not_before_unix,
                                                    int64_t not_after_unix);

// The same, valid from an hour ago for `days` days.
absl::StatusOr<SiteCertificate> MakeSiteCertificate(const TestPki& pki, const std::string& name,
                                                    const std::vector<std::string>& dns_names,
                                                    int days = 90);

// The text of a file (a certificate, a key); empty when it cannot be read.
std::string ReadTestFile(const std::string& path);

// The lines of PEM text's base64 bodies (not the BEGIN/END lines): none of a key's may appear
// where the key must not be, whole or in part.
std::vector<std::string> PemBodyLines(const std::string& pem);

}  // namespace gatehouse::testing
