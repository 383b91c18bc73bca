#include "tests/support/test_pki.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <utility>
#include <vector>

#include "tests/support/subprocess.h"

namespace gatehouse::testing {
namespace {

// The openssl command from PATH (Subprocess does not search it); Debian's as a fallback.
std::string OpenSslPath() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/openssl";
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "/usr/bin/openssl";
}

// Runs openssl; a stall fails the test rather than hang it.
absl::Status OpenSsl(std::vector<std::string> args) {
  args.insert(args.begin(), OpenSslPath());
  const CommandResult result = RunCommand(args, std::chrono::seconds(20));
  if (result.exit_code != 0) {
    return absl::InternalError("openssl " + args[1] + " failed (" +
                               std::to_string(result.exit_code) + "): " + result.err);
  }
  return absl::OkStatus();
}

const std::vector<std::string> kNewEcKey = {"-newkey", "ec", "-pkeyopt",
                                            "ec_paramgen_curve:P-256", "-nodes"};

absl::Status MakeCa(const std::string& prefix, const std::string& name) {
  std::vector<std::string> args = {"req", "-x509", "-new"};
  args.insert(args.end(), kNewEcKey.begin(), kNewEcKey.end());
  args.insert(args.end(), {"-keyout", prefix + ".key", "-out", prefix + ".pem", "-days", "2",
                           "-subj", "/CN=" + name, "-addext",
                           "basicConstraints=critical,CA:TRUE", "-addext",
                           "keyUsage=critical,keyCertSign,cRLSign"});
  return OpenSsl(std::move(args));
}

// A leaf certificate `prefix`.pem / .key signed by the CA `ca`.pem / .key, valid for `days`.
absl::Status MakeLeaf(const std::string& prefix, const std::string& ca, const std::string& name,
                      const std::string& extensions, int days = 2) {
  static std::atomic<int> serial{100};
  std::vector<std::string> request = {"req", "-new"};
  request.insert(request.end(), kNewEcKey.begin(), kNewEcKey.end());
  request.insert(request.end(),
                 {"-keyout", prefix + ".key", "-out", prefix + ".csr", "-subj", "/CN=" + name});
  if (auto status = OpenSsl(std::move(request)); !status.ok()) return status;
  const std::string extfile = prefix + ".ext";
  WriteFile(extfile, extensions);
  return OpenSsl({"x509", "-req", "-in", prefix + ".csr", "-CA", ca + ".pem", "-CAkey",
                  ca + ".key", "-set_serial", std::to_string(serial++), "-days",
                  std::to_string(days), "-extfile", extfile, "-out", prefix + ".pem"});
}

constexpr char kServerExtensions[] =
    "basicConstraints=CA:FALSE\n"
    "keyUsage=critical,digitalSignature\n"
    "extendedKeyUsage=serverAuth\n"
    "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
constexpr char kClientExtensions[] =
    "basicConstraints=CA:FALSE\n"
    "keyUsage=critical,digitalSignature\n"
    "extendedKeyUsage=clientAuth\n";

}  // namespace

absl::StatusOr<TestPki> MakeTestPki() {
  static std::atomic<int> counter{0};
  const std::string dir = TempPath("pki-" + std::to_string(counter++) + "-");
  const std::string ca = dir + "ca";
  const std::string other_ca = dir + "other-ca";
  for (const auto& [prefix, name] : {std::pair{ca, "Gatehouse test CA"},
                                     std::pair{other_ca, "Unrelated test CA"}}) {
    if (auto status = MakeCa(prefix, name); !status.ok()) return status;
  }
  if (auto status = MakeLeaf(dir + "server", ca, "localhost", kServerExtensions); !status.ok()) {
    return status;
  }
  if (auto status = MakeLeaf(dir + "client", ca, "proxy", kClientExtensions); !status.ok()) {
    return status;
  }
  if (auto status = MakeLeaf(dir + "other-client", other_ca, "proxy", kClientExtensions);
      !status.ok()) {
    return status;
  }
  TestPki pki;
  pki.ca_cert = ca + ".pem";
  pki.ca_key = ca + ".key";
  pki.server_cert = dir + "server.pem";
  pki.server_key = dir + "server.key";
  pki.client_cert = dir + "client.pem";
  pki.client_key = dir + "client.key";
  pki.other_ca_cert = other_ca + ".pem";
  pki.other_client_cert = dir + "other-client.pem";
  pki.other_client_key = dir + "other-client.key";
  return pki;
}

absl::StatusOr<TestLeaf> MakeServerCertificate(const TestPki& pki,
                                               const std::vector<std::string>& names, int days) {
  static std::atomic<int> counter{0};
  const std::string prefix = TempPath("leaf-" + std::to_string(counter++) + "-");
  std::string alt_names;
  for (const std::string& name : names) {
    alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + name;
  }
  const std::string extensions =
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
      "extendedKeyUsage=serverAuth\nsubjectAltName=" + alt_names + "\n";
  const std::string ca = pki.ca_cert.substr(0, pki.ca_cert.size() - 4);  // without ".pem"
  const std::string subject = names.empty() ? "test" : names.front();
  if (auto status = MakeLeaf(prefix, ca, subject, extensions, days); !status.ok()) return status;
  return TestLeaf{prefix + ".pem", prefix + ".key"};
}

}  // namespace gatehouse::testing
