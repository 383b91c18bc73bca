#include "common/tls_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "common/content_hash.h"

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
struct NamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, NamesFree>;

BioPtr ReadBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// What a memory BIO written to holds.
std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

// Never asks for a pass phrase: OpenSSL's default callback would prompt on the terminal of a
// service. An encrypted key is refused instead.
int NoPassphrase(char*, int, int, void*) { return 0; }

// The key in `key_pem`, or null (then no OpenSSL error is left queued).
KeyPtr ReadPrivateKey(std::string_view key_pem) {
  if (key_pem.size() > kMaxPrivateKeyBytes) return nullptr;
  BioPtr bio = ReadBio(key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  return key;
}

// Whether the last OpenSSL error says the input simply has no further PEM block.
bool EndOfPem() {
  const unsigned long error = ERR_peek_last_error();
  return error == 0 ||
         (ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE);
}

absl::StatusOr<int64_t> UnixTime(const ASN1_TIME* time, const char* which) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InvalidArgumentError(std::string("the certificate's ") + which +
                                      " date does not parse");
  }
  return static_cast<int64_t>(timegm(&tm));
}

absl::StatusOr<std::vector<std::string>> DnsNames(X509* leaf) {
  std::vector<std::string> out;
  NamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                     static_cast<size_t>(ASN1_STRING_length(dns)));
    if (text.empty() || text.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(
          "the certificate has an empty or malformed DNS name in its subjectAltName");
    }
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.push_back(std::move(text));
  }
  return out;
}

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

size_t CountPemCertificates(std::string_view pem) {
  BioPtr in = ReadBio(pem);
  size_t count = 0;
  while (X509Ptr(PEM_read_bio_X509(in.get(), nullptr, NoPassphrase, nullptr)) != nullptr) ++count;
  // The read that ends the loop leaves "no start line" (or a parse error) queued.
  ERR_clear_error();
  return count;
}

absl::StatusOr<CertificateChain> ParseCertificateChain(std::string_view pem) {
  if (pem.size() > kMaxCertificateChainBytes) {
    return absl::InvalidArgumentError("the certificate chain is " + std::to_string(pem.size()) +
                                      " bytes, over the limit of " +
                                      std::to_string(kMaxCertificateChainBytes));
  }
  ERR_clear_error();
  BioPtr in = ReadBio(pem);
  BioPtr out(BIO_new(BIO_s_mem()));
  X509Ptr leaf;
  CertificateChain chain;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(in.get(), nullptr, NoPassphrase, nullptr));
    if (cert == nullptr) break;
    if (++chain.length > kMaxCertificateChainLength) {
      ERR_clear_error();
      return absl::InvalidArgumentError("the certificate chain has more than " +
                                        std::to_string(kMaxCertificateChainLength) +
                                        " certificates");
    }
    PEM_write_bio_X509(out.get(), cert.get());
    if (leaf == nullptr) leaf = std::move(cert);
  }
  const bool clean_end = EndOfPem();
  ERR_clear_error();
  if (!clean_end) {
    return absl::InvalidArgumentError("certificate " + std::to_string(chain.length + 1) +
                                      " of the chain does not parse as a PEM X.509 certificate");
  }
  if (leaf == nullptr) {
    return absl::InvalidArgumentError(
        "the certificate chain holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  chain.pem = BioText(out.get());
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(leaf.get(), &der);
  if (der_length <= 0) return absl::InvalidArgumentError("the certificate cannot be encoded");
  chain.fingerprint = Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(der_length)));
  OPENSSL_free(der);
  auto names = DnsNames(leaf.get());
  if (!names.ok()) return names.status();
  chain.names = *std::move(names);
  auto not_before = UnixTime(X509_get0_notBefore(leaf.get()), "notBefore");
  if (!not_before.ok()) return not_before.status();
  auto not_after = UnixTime(X509_get0_notAfter(leaf.get()), "notAfter");
  if (!not_after.ok()) return not_after.status();
  chain.not_before_unix = *not_before;
  chain.not_after_unix = *not_after;
  return chain;
}

absl::StatusOr<std::string> NormalizePrivateKey(std::string_view key_pem) {
  if (key_pem.size() > kMaxPrivateKeyBytes) {
    return absl::InvalidArgumentError("the private key is " + std::to_string(key_pem.size()) +
                                      " bytes, over the limit of " +
                                      std::to_string(kMaxPrivateKeyBytes));
  }
  KeyPtr key = ReadPrivateKey(key_pem);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "the key is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("the private key cannot be encoded as PKCS#8");
  }
  return BioText(out.get());
}

bool PrivateKeyMatches(std::string_view chain_pem, std::string_view key_pem) {
  KeyPtr key = ReadPrivateKey(key_pem);
  BioPtr cert_bio = ReadBio(chain_pem);
  X509Ptr leaf(PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr));
  const bool matches =
      key != nullptr && leaf != nullptr && X509_check_private_key(leaf.get(), key.get()) == 1;
  ERR_clear_error();
  return matches;
}

absl::StatusOr<std::string> MatchPrivateKey(std::string_view chain_pem, std::string_view key_pem) {
  auto key = NormalizePrivateKey(key_pem);
  if (!key.ok()) return key.status();
  if (!PrivateKeyMatches(chain_pem, key_pem)) {
    return absl::InvalidArgumentError(
        "the private key is not the key of the chain's first certificate");
  }
  return key;
}

bool CertificateNameCovers(std::string_view name, std::string_view hostname) {
  if (EqualIgnoringCase(name, hostname)) return true;
  if (name.size() < 3 || name.substr(0, 2) != "*.") return false;
  // The wildcard stands for one whole, non-empty, leftmost label.
  const size_t dot = hostname.find('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  if (hostname.substr(0, dot).find('*') != std::string_view::npos) return false;
  return EqualIgnoringCase(name.substr(1), hostname.substr(dot));
}

std::vector<std::string> UncoveredHostnames(const CertificateChain& chain,
                                            const std::vector<std::string>& hostnames) {
  std::vector<std::string> out;
  for (const std::string& host : hostnames) {
    const bool covered = std::any_of(chain.names.begin(), chain.names.end(), [&](const auto& name) {
      return CertificateNameCovers(name, host);
    });
    if (!covered) out.push_back(host);
  }
  return out;
}

absl::Status CheckCertificateValidAt(const CertificateChain& chain, int64_t now_unix) {
  if (now_unix > chain.not_after_unix) {
    return absl::InvalidArgumentError("the certificate expired on " +
                                      FormatUnixTimeUtc(chain.not_after_unix));
  }
  if (now_unix < chain.not_before_unix) {
    return absl::InvalidArgumentError("the certificate is not valid before " +
                                      FormatUnixTimeUtc(chain.not_before_unix));
  }
  return absl::OkStatus();
}

bool ExpiresWithin(int64_t not_after_unix, int64_t now_unix, int64_t seconds) {
  return not_after_unix - now_unix <= seconds;
}

std::string FormatUnixTimeUtc(int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

}  // namespace gatehouse
