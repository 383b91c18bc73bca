#include "tests/fuzz/certificate_pem_fuzz.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "common/tls_certificate.h"

namespace gatehouse::testing {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void CheckChain(std::string_view input) {
  const auto chain = ParseCertificateChain(input);
  if (!chain.ok()) {
    RequireInvariant(!chain.status().message().empty(), "a refusal without a reason", input);
    return;
  }
  RequireInvariant(chain->length >= 1 && chain->length <= kMaxCertificateChainLength,
                   "chain length out of bounds", input);
  RequireInvariant(chain->fingerprint.size() == 64 && IsLowerHex(chain->fingerprint),
                   "fingerprint is not 64 lower-case hex digits", input);
  RequireInvariant(chain->pem.find("PRIVATE KEY") == std::string::npos,
                   "the kept chain holds something else than certificates", input);
  RequireInvariant(CountPemCertificates(chain->pem) == chain->length,
                   "the kept chain does not count as many certificates", input);
  for (const std::string& name : chain->names) {
    RequireInvariant(std::none_of(name.begin(), name.end(),
                                  [](unsigned char c) { return std::isupper(c) || c == 0; }),
                     "a name is not lower-case text", input);
  }
  const auto again = ParseCertificateChain(chain->pem);
  RequireInvariant(again.ok() && again->pem == chain->pem &&
                       again->fingerprint == chain->fingerprint && again->names == chain->names &&
                       again->not_before_unix == chain->not_before_unix &&
                       again->not_after_unix == chain->not_after_unix,
                   "the kept chain parses differently", input);
  // A key check never crashes, whatever it is given.
  (void)PrivateKeyMatches(chain->pem, input);
}

void CheckKey(std::string_view input) {
  const auto key = NormalizePrivateKey(input);
  if (!key.ok()) {
    RequireInvariant(!key.status().message().empty(), "a refusal without a reason", input);
    return;
  }
  const auto again = NormalizePrivateKey(*key);
  RequireInvariant(again.ok() && *again == *key, "a normalised key is not a fixed point", input);
}

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void CheckNameMatch(std::string_view input) {
  const size_t newline = input.find('\n');
  const std::string_view name = input.substr(0, newline);
  const std::string_view host =
      newline == std::string_view::npos ? name : input.substr(newline + 1);
  RequireInvariant(CertificateNameCovers(name, name), "a name does not cover itself", input);
  if (!CertificateNameCovers(name, host) || EqualIgnoringCase(name, host)) return;
  const size_t dot = host.find('.');
  RequireInvariant(name.substr(0, 2) == "*." && dot != std::string_view::npos && dot > 0 &&
                       host.substr(0, dot).find('*') == std::string_view::npos &&
                       EqualIgnoringCase(host.substr(dot), name.substr(1)),
                   "a wildcard covers more than one label", input);
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  gatehouse::testing::CheckChain(input);
  gatehouse::testing::CheckKey(input);
  gatehouse::testing::CheckNameMatch(input);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget CertificatePemFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      "-----BEGIN CERTIFICATE-----\n",
      "-----END CERTIFICATE-----\n",
      "-----BEGIN PRIVATE KEY-----\n",
      "-----END PRIVATE KEY-----\n",
      "-----BEGIN EC PRIVATE KEY-----\n",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
      "-----BEGIN X509 CRL-----\n",
      "Proc-Type: 4,ENCRYPTED\n",
      "MII",
      "MIIB",
      "AAAA",
      "====",
      "=\n",
      "\n",
      "*.",
      ".example.com",
      "\r\n",
      std::string_view("\0", 1),
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing
