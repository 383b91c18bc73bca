#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::testing {

// Certificates made at test time with the `openssl` command (never checked in with their
// keys), as PEM files under the test's temporary directory: a CA, a server certificate for
// 127.0.0.1 and localhost, a client certificate, and the same from an unrelated CA. EC P-256
// keys, valid for two days.
struct TestPki {
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

// A server certificate and its key (PEM files) for the DNS names `names` ("*.example.com" for
// a wildcard), signed by `pki`'s CA, valid for `days` days from now.
struct TestLeaf {
  std::string cert;
  std::string key;
};
absl::StatusOr<TestLeaf> MakeServerCertificate(const TestPki& pki,
                                               const std::vector<std::string>& names,
                                               int days = 2);

}  // namespace gatehouse::testing
