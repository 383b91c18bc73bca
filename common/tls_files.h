#pragma once

// PEM files named on a command line (certificates, a private key), read and checked when a
// binary starts: a missing or broken file, or a key that is not the certificate's, is an error
// naming the flag and the file, not a TLS handshake that fails later with a vaguer message.

#include <string>

#include "absl/status/statusor.h"

namespace gatehouse {

// A certificate chain and the private key of its first certificate, as PEM text.
struct PemKeyPair {
  std::string cert_pem;
  std::string key_pem;
};

// Reads `path` (given as `--flag`) and checks it holds one or more PEM certificates. Errors are
// InvalidArgument.
absl::StatusOr<std::string> ReadPemCertificates(const std::string& flag, const std::string& path);

// Reads a certificate chain and its private key and checks that the key belongs to the chain's
// first certificate. Errors are InvalidArgument.
absl::StatusOr<PemKeyPair> ReadPemKeyPair(const std::string& cert_flag,
                                          const std::string& cert_path,
                                          const std::string& key_flag,
                                          const std::string& key_path);

}  // namespace gatehouse
