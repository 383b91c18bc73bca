#pragma once

// What a TLS server certificate says, read with OpenSSL: the one place the control plane,
// gatectl and the start-up checks of PEM files (common/tls_files.h) parse certificate chains
// and match private keys to them. Inputs are untrusted text; every failure is a Status whose
// message says what is wrong in words a customer acts on.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse {

// Bounds on what is parsed: a chain of a few certificates is a few KB.
inline constexpr size_t kMaxCertificateChainBytes = 64 << 10;
inline constexpr size_t kMaxCertificateChainLength = 10;
inline constexpr size_t kMaxPrivateKeyBytes = 16 << 10;

// A certificate chain, leaf first, as TLS uses it.
struct CertificateChain {
  // Every certificate of the chain re-encoded as PEM, leaf first: only certificates, whatever
  // else (comments, other PEM blocks) the text held.
  std::string pem;
  size_t length = 0;
  // Lower-case hex SHA-256 of the leaf's DER.
  std::string fingerprint;
  // The leaf's subjectAltName DNS names, lower-cased, in certificate order. TLS clients ignore
  // the subject's common name, and so does this.
  std::vector<std::string> names;
  int64_t not_before_unix = 0;
  int64_t not_after_unix = 0;
};

// How many PEM certificates `pem` holds before its end or the first that does not parse (a
// CA bundle may hold many).
size_t CountPemCertificates(std::string_view pem);

// Parses one or more PEM certificates, leaf first. INVALID_ARGUMENT when there is none, one does
// not parse, or a bound is passed.
absl::StatusOr<CertificateChain> ParseCertificateChain(std::string_view pem);

// An unencrypted PEM private key re-encoded as PEM (PKCS#8), so nothing but the key is kept.
// INVALID_ARGUMENT otherwise (an encrypted key is refused: no pass phrase is ever asked for).
absl::StatusOr<std::string> NormalizePrivateKey(std::string_view key_pem);

// Whether `key_pem` is the private key of `chain_pem`'s first certificate.
bool PrivateKeyMatches(std::string_view chain_pem, std::string_view key_pem);

// Both: the normalised key when it is the key of the chain's first certificate, else
// INVALID_ARGUMENT saying which of the two is wrong.
absl::StatusOr<std::string> MatchPrivateKey(std::string_view chain_pem, std::string_view key_pem);

// Whether a certificate name ("example.com", "*.example.com") covers `hostname` as a TLS client
// checks it: equal (ignoring case), or a "*." wildcard standing for exactly one leftmost label.
// A zone's wildcard claim ("*.example.com") is covered only by the same wildcard name.
bool CertificateNameCovers(std::string_view name, std::string_view hostname);

// The hostnames no name of `chain` covers, in the order given.
std::vector<std::string> UncoveredHostnames(const CertificateChain& chain,
                                            const std::vector<std::string>& hostnames);

// OK when `now_unix` lies within the certificate's validity; else INVALID_ARGUMENT naming the
// date it expired on or becomes valid on.
absl::Status CheckCertificateValidAt(const CertificateChain& chain, int64_t now_unix);

// Whether a certificate valid until `not_after_unix` expires within `seconds` of `now_unix`
// (or has expired).
bool ExpiresWithin(int64_t not_after_unix, int64_t now_unix, int64_t seconds);

// When gatectl and the API warn: 14 days before a certificate expires.
inline constexpr int64_t kCertificateExpiryWarningSeconds = 14 * 24 * 3600;

// "2026-03-01 12:00:00 UTC".
std::string FormatUnixTimeUtc(int64_t unix_seconds);

}  // namespace gatehouse
