#include "common/tls_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/tls_certificate.h"

namespace gatehouse {
namespace {

std::string Named(const std::string& flag, const std::string& path) {
  return "--" + flag + " " + path;
}

absl::StatusOr<std::string> ReadWhole(const std::string& flag, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::InvalidArgumentError("cannot read " + Named(flag, path) + ": " +
                                      std::strerror(errno));
  }
  std::string out;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return absl::InvalidArgumentError("cannot read " + Named(flag, path) + ": " +
                                      std::strerror(error));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> ReadPemCertificates(const std::string& flag,
                                                const std::string& path) {
  auto pem = ReadWhole(flag, path);
  if (!pem.ok()) return pem.status();
  if (CountPemCertificates(*pem) == 0) {
    return absl::InvalidArgumentError(Named(flag, path) +
                                      " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  return *std::move(pem);
}

absl::StatusOr<PemKeyPair> ReadPemKeyPair(const std::string& cert_flag,
                                          const std::string& cert_path,
                                          const std::string& key_flag,
                                          const std::string& key_path) {
  auto cert_pem = ReadPemCertificates(cert_flag, cert_path);
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadWhole(key_flag, key_path);
  if (!key_pem.ok()) return key_pem.status();
  if (!NormalizePrivateKey(*key_pem).ok()) {
    return absl::InvalidArgumentError(Named(key_flag, key_path) +
                                      " holds no unencrypted PEM private key");
  }
  if (!PrivateKeyMatches(*cert_pem, *key_pem)) {
    return absl::InvalidArgumentError(Named(key_flag, key_path) +
                                      " is not the private key of the certificate in " +
                                      Named(cert_flag, cert_path));
  }
  return PemKeyPair{*std::move(cert_pem), *std::move(key_pem)};
}

}  // namespace gatehouse
