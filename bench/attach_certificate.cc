// Gives a zone of a snapshot file a certificate, as a control plane with certificates would:
// for bench/tls_compare.sh until `gatectl compile --cert` exists.
//
//   attach_certificate SNAPSHOT ZONE CHAIN.pem KEY.pem
#include <cstdio>

#include "tests/support/test_certificates.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SNAPSHOT ZONE CHAIN.pem KEY.pem\n", argv[0]);
    return 2;
  }
  auto certificate = gatehouse::testing::ZoneCertificateOf(argv[3], argv[4]);
  if (!certificate.ok()) {
    std::fprintf(stderr, "%s\n", std::string(certificate.status().message()).c_str());
    return 1;
  }
  const absl::Status set =
      gatehouse::testing::SetZoneCertificates(argv[1], argv[2], {*std::move(certificate)});
  if (!set.ok()) {
    std::fprintf(stderr, "%s\n", std::string(set.message()).c_str());
    return 1;
  }
  return 0;
}
