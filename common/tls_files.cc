#include "common/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace gatehouse {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

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

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// The first certificate of `pem`, or null.
X509Ptr FirstCertificate(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return cert;
}

// Never asks for a pass phrase: OpenSSL's default callback would prompt on the terminal of a
// service. An encrypted key is refused instead.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

absl::StatusOr<std::string> ReadPemCertificates(const std::string& flag,
                                                const std::string& path) {
  auto pem = ReadWhole(flag, path);
  if (!pem.ok()) return pem.status();
  BioPtr bio = MemoryBio(*pem);
  int count = 0;
  while (X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) != nullptr) ++count;
  // The read that ends the loop leaves "no start line" (or a parse error) queued.
  ERR_clear_error();
  if (count == 0) {
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
  BioPtr bio = MemoryBio(*key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(Named(key_flag, key_path) +
                                      " holds no unencrypted PEM private key");
  }
  X509Ptr cert = FirstCertificate(*cert_pem);
  if (cert == nullptr || X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(Named(key_flag, key_path) +
                                      " is not the private key of the certificate in " +
                                      Named(cert_flag, cert_path));
  }
  return PemKeyPair{*std::move(cert_pem), *std::move(key_pem)};
}

}  // namespace gatehouse
