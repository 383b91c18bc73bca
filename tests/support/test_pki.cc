#include "tests/support/test_pki.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <utility>
#include <vector>

#include "common/file_util.h"
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

// A new key `prefix`.key and a signing request for it, `prefix`.csr.
absl::Status MakeKeyAndRequest(const std::string& prefix, const std::string& name) {
  std::vector<std::string> request = {"req", "-new"};
  request.insert(request.end(), kNewEcKey.begin(), kNewEcKey.end());
  request.insert(request.end(),
                 {"-keyout", prefix + ".key", "-out", prefix + ".csr", "-subj", "/CN=" + name});
  return OpenSsl(std::move(request));
}

// A leaf certificate `prefix`.pem / .key signed by the CA `ca`.pem / .key.
absl::Status MakeLeaf(const std::string& prefix, const std::string& ca, const std::string& name,
                      const std::string& extensions) {
  static std::atomic<int> serial{100};
  if (auto status = MakeKeyAndRequest(prefix, name); !status.ok()) return status;
  const std::string extfile = prefix + ".ext";
  WriteFile(extfile, extensions);
  return OpenSsl({"x509", "-req", "-in", prefix + ".csr", "-CA", ca + ".pem", "-CAkey",
                  ca + ".key", "-set_serial", std::to_string(serial++), "-days", "2",
                  "-extfile", extfile, "-out", prefix + ".pem"});
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

// YYYYMMDDHHMMSSZ, as `openssl ca -startdate/-enddate` take it.
std::string AsnTime(int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[20];
  std::strftime(text, sizeof(text), "%Y%m%d%H%M%SZ", &tm);
  return text;
}

}  // namespace

absl::StatusOr<SiteCertificate> MakeSiteCertificate(const TestPki& pki, const std::string& name,
                                                    const std::vector<std::string>& dns_names,
                                                    int64_t not_before_unix,
                                                    int64_t not_after_unix) {
  const std::string prefix = pki.dir + "site-" + name;
  if (auto status = MakeKeyAndRequest(prefix, name); !status.ok()) return status;
  std::string names;
  for (const std::string& dns : dns_names) names += (names.empty() ? "DNS:" : ",DNS:") + dns;
  WriteFile(prefix + ".ext",
            "basicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=serverAuth\n" +
                (names.empty() ? "" : "subjectAltName=" + names + "\n"));
  // `openssl ca`, unlike `x509 -req`, sets any validity, past ones included; it wants a
  // database and a serial file of its own.
  WriteFile(prefix + ".index", "");
  static std::atomic<int> serial{0x1000};
  WriteFile(prefix + ".serial", std::to_string(serial++) + "\n");
  WriteFile(prefix + ".cnf", "[ca]\ndefault_ca = test\n[test]\ndatabase = " + prefix +
                                 ".index\nnew_certs_dir = " +
                                 pki.dir.substr(0, pki.dir.rfind('/')) + "\nserial = " + prefix +
                                 ".serial\ndefault_md = sha256\npolicy = any\n"
                                 "unique_subject = no\n[any]\ncommonName = supplied\n");
  if (auto status = OpenSsl({"ca", "-batch", "-notext", "-config", prefix + ".cnf", "-cert",
                             pki.ca_cert, "-keyfile", pki.ca_key, "-in", prefix + ".csr", "-out",
                             prefix + ".leaf.pem", "-extfile", prefix + ".ext", "-startdate",
                             AsnTime(not_before_unix), "-enddate", AsnTime(not_after_unix)});
      !status.ok()) {
    return status;
  }
  WriteFile(prefix + ".pem", ReadTestFile(prefix + ".leaf.pem") + ReadTestFile(pki.ca_cert));
  return SiteCertificate{prefix + ".pem", prefix + ".key"};
}

absl::StatusOr<SiteCertificate> MakeSiteCertificate(const TestPki& pki, const std::string& name,
                                                    const std::vector<std::string>& dns_names,
                                                    int days) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  return MakeSiteCertificate(pki, name, dns_names, now - 3600,
                             now + static_cast<int64_t>(days) * 24 * 3600);
}

std::string ReadTestFile(const std::string& path) {
  std::string text;
  return ReadFile(path, &text) ? text : std::string();
}

std::vector<std::string> PemBodyLines(const std::string& pem) {
  std::vector<std::string> lines;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.find("-----") == std::string::npos) lines.push_back(line);
  }
  return lines;
}

absl::StatusOr<TestPki> MakeTestPki() {
  static std::atomic<int> counter{0};
  const std::string dir = TempPath("pki-" + std::to_string(counter++) + "-");
  const std::string ca = dir + "ca";
  const std::string other_ca = dir + "other-ca";
  for (const auto& [prefix, name] :
       {std::pair{ca, "Gatehouse test CA"}, std::pair{other_ca, "Unrelated test CA"}}) {
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
  pki.dir = dir;
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

}  // namespace gatehouse::testing
