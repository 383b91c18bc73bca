// control: the Gatehouse control plane. Serves ConfigService and SnapshotService over gRPC.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/control_instance.h"
#include "api/secrets_key.h"
#include "common/file_util.h"
#include "common/flags.h"
#include "common/grpc_client_tls.h"
#include "common/host_port.h"
#include "common/listen_check.h"
#include "common/logging.h"
#include "common/tls_files.h"
#include "etcd/etcd_endpoints.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

// The admin token from --admin-token-file or GATEHOUSE_ADMIN_TOKEN; empty only with
// --insecure-no-auth, which is refused unless the control plane listens on loopback alone.
absl::StatusOr<std::string> AdminToken(const std::string& file, bool insecure_no_auth,
                                       const gatehouse::HostPort& listen) {
  const char* env = std::getenv("GATEHOUSE_ADMIN_TOKEN");
  if (insecure_no_auth) {
    if (!file.empty() || env != nullptr) {
      return absl::InvalidArgumentError(
          "--insecure-no-auth contradicts the admin token given (--admin-token-file or "
          "GATEHOUSE_ADMIN_TOKEN): drop one");
    }
    if (!gatehouse::IsLoopbackHost(listen.host)) {
      return absl::InvalidArgumentError("--insecure-no-auth is refused with --listen=" +
                                        listen.ToString() +
                                        ": without authentication listen on 127.0.0.1 only");
    }
    return std::string();
  }
  std::string token;
  if (!file.empty()) {
    if (!gatehouse::ReadFile(file, &token)) {
      return absl::InvalidArgumentError("cannot read --admin-token-file " + file);
    }
    token = gatehouse::TrimTrailingSpace(token);
    if (token.empty()) {
      return absl::InvalidArgumentError("--admin-token-file " + file +
                                        " is empty: put the admin token in it");
    }
    return token;
  }
  if (env != nullptr) {
    token = gatehouse::TrimTrailingSpace(env);
    if (token.empty()) {
      return absl::InvalidArgumentError(
          "GATEHOUSE_ADMIN_TOKEN is set but empty: set it to the admin token, or unset it and "
          "pass --insecure-no-auth for a loopback development control plane");
    }
    return token;
  }
  return absl::InvalidArgumentError(
      "no admin token: give --admin-token-file PATH (or env GATEHOUSE_ADMIN_TOKEN), or "
      "--insecure-no-auth for a loopback development control plane");
}

// The etcd flags, as given.
struct EtcdFlags {
  std::string store;  // --store
  std::string prefix = "/gatehouse/";
  std::string ca;
  std::string cert;
  std::string key;
  std::string user;
  std::string password_file;
  std::string replica_name;
  int64_t timeout_ms = 5000;
};

absl::StatusOr<gatehouse::api::ControlOptions::EtcdStore> EtcdStoreFromFlags(
    const EtcdFlags& flags) {
  gatehouse::api::ControlOptions::EtcdStore out;
  auto endpoints = gatehouse::etcd::ParseEtcdUrl(flags.store);
  if (!endpoints.ok()) {
    return absl::InvalidArgumentError("--store: " + std::string(endpoints.status().message()));
  }
  out.client.endpoints = *std::move(endpoints);
  auto tls = gatehouse::ClientTls::Load(
      {flags.ca, flags.cert, flags.key, "etcd-ca", "etcd-cert", "etcd-key"});
  if (!tls.ok()) return tls.status();
  out.client.credentials = tls->Credentials();
  if (flags.user.empty() != flags.password_file.empty()) {
    return absl::InvalidArgumentError("--etcd-user and --etcd-password-file go together");
  }
  out.client.user = flags.user;
  if (!flags.password_file.empty()) {
    if (!gatehouse::ReadFile(flags.password_file, &out.client.password)) {
      return absl::InvalidArgumentError("cannot read --etcd-password-file " + flags.password_file);
    }
    out.client.password = gatehouse::TrimTrailingSpace(out.client.password);
  }
  if (flags.prefix.empty() || flags.prefix.front() != '/' || flags.prefix.back() != '/') {
    return absl::InvalidArgumentError("--etcd-prefix must start and end with /, got \"" +
                                      flags.prefix + "\"");
  }
  if (flags.timeout_ms < 100) {
    return absl::InvalidArgumentError("--etcd-timeout-ms must be at least 100");
  }
  out.client.request_timeout = std::chrono::milliseconds(flags.timeout_ms);
  out.prefix = flags.prefix;
  out.replica_name = flags.replica_name;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:50051";
  const char* home = std::getenv("HOME");
  std::string data_dir = std::string(home != nullptr ? home : ".") + "/.local/state/gatehouse/control";
  gatehouse::FlagSet flags("control", "control [flags]",
                           "The Gatehouse control plane: accepts zone configs over gRPC, compiles "
                           "them, stores every version and streams snapshots to proxies.");
  flags.AddString("listen", &listen, "gRPC address to listen on, HOST:PORT (port 0 picks one).");
  EtcdFlags etcd;
  flags.AddString("store", &etcd.store,
                  "etcd://HOST:PORT,HOST:PORT,...: keep configs and tokens in this etcd cluster, "
                  "shared by every control replica given the same --store (--data-dir is then "
                  "not used). Empty: SQLite in --data-dir.");
  flags.AddString("etcd-prefix", &etcd.prefix,
                  "Key prefix of this deployment in etcd (several may share a cluster).");
  flags.AddString("etcd-ca", &etcd.ca,
                  "PEM CA certificate(s) etcd's certificate must chain to: reach etcd over TLS.");
  flags.AddString("etcd-cert", &etcd.cert,
                  "PEM client certificate for etcd's --client-cert-auth. With --etcd-key.");
  flags.AddString("etcd-key", &etcd.key, "PEM private key of --etcd-cert.");
  flags.AddString("etcd-user", &etcd.user, "etcd user (etcd's auth enabled); with a password.");
  flags.AddString("etcd-password-file", &etcd.password_file,
                  "File holding --etcd-user's password.");
  flags.AddString("replica-name", &etcd.replica_name,
                  "This replica's name under <prefix>replicas/ in etcd; empty: HOST:PORT.");
  flags.AddInt("etcd-timeout-ms", &etcd.timeout_ms,
               "A store call etcd does not answer within this fails UNAVAILABLE (no quorum).");
  flags.AddString("data-dir", &data_dir,
                  "Directory of the durable config store (SQLite); empty keeps configs in memory only.");
  std::string admin_token_file;
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;
  std::string secrets_key_file;
  std::vector<std::string> previous_secrets_key_files;
  int64_t max_config_bytes = 1 << 20;
  int64_t max_zones = 100000;
  bool insecure_no_auth = false;
  flags.AddString("admin-token-file", &admin_token_file,
                  "File holding the admin token (else env GATEHOUSE_ADMIN_TOKEN). One of the two, "
                  "or --insecure-no-auth, is required.");
  flags.AddBool("insecure-no-auth", &insecure_no_auth,
                "Run WITHOUT authentication: every caller is the admin. Only with a loopback "
                "--listen; for development and demos.");
  flags.AddString("tls-cert", &tls_cert, "PEM certificate chain: serve gRPC over TLS.");
  flags.AddString("tls-key", &tls_key, "PEM private key of --tls-cert.");
  flags.AddString("client-ca", &client_ca,
                  "PEM CA certificate(s): with --tls-cert, mutual TLS; every client (proxies, "
                  "gatectl) must present a certificate this CA signed.");
  flags.AddString("secrets-key-file", &secrets_key_file,
                  "File holding the 256-bit key that encrypts certificates' private keys in the "
                  "store (AES-256-GCM): 32 random bytes, 64 hex digits or their base64. Without "
                  "it, certificate uploads are refused.");
  flags.AddRepeated("previous-secrets-key-file", &previous_secrets_key_files,
                    "A secrets key that --secrets-key-file replaces (repeatable): what it sealed "
                    "still opens, and is sealed again with the current key at start "
                    "(docs/operations.md, rotating the secrets key).");
  flags.AddInt("max-config-bytes", &max_config_bytes,
               "Largest zone config accepted; larger is RESOURCE_EXHAUSTED.");
  flags.AddInt("max-zones", &max_zones, "Most zones the deployment may hold.");
  int64_t compile_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  int64_t max_queued_compiles = 8;
  flags.AddInt("compile-threads", &compile_threads,
               "Threads that compile pushed configs (off the request threads, taking turns "
               "between tokens).");
  flags.AddInt("max-queued-compiles", &max_queued_compiles,
               "Compiles one token may have waiting; more is RESOURCE_EXHAUSTED.");
  bool no_managed_rulesets = false;
  std::string crs_dir = gatehouse::seclang_import::kDefaultCrsRulesDir;
  std::string crs_setup = gatehouse::seclang_import::kDefaultCrsSetupFile;
  flags.AddString("crs-dir", &crs_dir,
                  "The OWASP Core Rule Set's rules folder, imported at start as the managed "
                  "ruleset owasp-crs (Debian's modsecurity-crs package by default).");
  flags.AddString("crs-setup", &crs_setup, "The CRS set-up file read before the rules.");
  flags.AddBool("no-managed-rulesets", &no_managed_rulesets,
                "Import no managed ruleset: zones cannot execute owasp-crs.");
  std::string log_level = "info";
  flags.AddString("log-level", &log_level,
                  "Least severe log lines written to stderr: debug, info, warning or error.");
  if (!flags.ParseOrExit(argc, argv).empty()) {
    std::fprintf(stderr, "control: takes no positional arguments\n");
    return 2;
  }
  if (gatehouse::logging::Level level; gatehouse::logging::ParseLevel(log_level, &level)) {
    gatehouse::logging::SetMinLevel(level);
  } else {
    std::fprintf(stderr, "control: --log-level must be debug, info, warning or error\n");
    return 2;
  }
  const auto address = gatehouse::ParseHostPort(listen);
  if (!address.ok()) {
    std::fprintf(stderr, "control: --listen: %s\n", std::string(address.status().message()).c_str());
    return 2;
  }

  auto admin_token = AdminToken(admin_token_file, insecure_no_auth, *address);
  if (!admin_token.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(admin_token.status().message()).c_str());
    return 2;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::fprintf(stderr, "control: --tls-cert and --tls-key go together\n");
    return 2;
  }
  if (!client_ca.empty() && tls_cert.empty()) {
    std::fprintf(stderr, "control: --client-ca needs --tls-cert and --tls-key: client "
                         "certificates are asked for only over TLS\n");
    return 2;
  }
  // Read and checked now, so a bad file stops the start naming it rather than failing every
  // handshake later.
  gatehouse::PemKeyPair tls;
  if (!tls_cert.empty()) {
    auto pair = gatehouse::ReadPemKeyPair("tls-cert", tls_cert, "tls-key", tls_key);
    if (!pair.ok()) {
      std::fprintf(stderr, "control: %s\n", std::string(pair.status().message()).c_str());
      return 2;
    }
    tls = *std::move(pair);
  }
  std::string client_ca_pem;
  if (!client_ca.empty()) {
    auto pem = gatehouse::ReadPemCertificates("client-ca", client_ca);
    if (!pem.ok()) {
      std::fprintf(stderr, "control: %s\n", std::string(pem.status().message()).c_str());
      return 2;
    }
    client_ca_pem = *std::move(pem);
  }

  std::shared_ptr<const gatehouse::api::SecretsKey> secrets_key;
  if (secrets_key_file.empty() && !previous_secrets_key_files.empty()) {
    std::fprintf(stderr, "control: --previous-secrets-key-file needs a --secrets-key-file\n");
    return 2;
  }
  if (!secrets_key_file.empty()) {
    auto key = gatehouse::api::SecretsKey::ReadFiles(secrets_key_file, previous_secrets_key_files);
    if (!key.ok()) {
      std::fprintf(stderr, "control: %s\n", std::string(key.status().message()).c_str());
      return 2;
    }
    secrets_key = std::make_shared<const gatehouse::api::SecretsKey>(*std::move(key));
  }

  if (compile_threads < 1 || max_queued_compiles < 1) {
    std::fprintf(stderr,
                 "control: --compile-threads and --max-queued-compiles must be at least 1\n");
    return 2;
  }

  gatehouse::api::ControlOptions options;
  options.listen = *address;
  options.data_dir = data_dir;
  if (!etcd.store.empty()) {
    auto store = EtcdStoreFromFlags(etcd);
    if (!store.ok()) {
      std::fprintf(stderr, "control: %s\n", std::string(store.status().message()).c_str());
      return 2;
    }
    options.etcd = *std::move(store);
  }
  options.admin_token = *admin_token;
  options.tls_cert_pem = std::move(tls.cert_pem);
  options.tls_key_pem = std::move(tls.key_pem);
  options.client_ca_pem = std::move(client_ca_pem);
  options.secrets_key = std::move(secrets_key);
  options.max_config_bytes = static_cast<size_t>(max_config_bytes);
  options.max_zones = static_cast<size_t>(max_zones);
  options.compile_threads = static_cast<int>(compile_threads);
  options.max_queued_compiles = static_cast<size_t>(max_queued_compiles);
  options.managed_rulesets.enabled = !no_managed_rulesets;
  options.managed_rulesets.crs_dir = crs_dir;
  options.managed_rulesets.crs_setup = crs_setup;
  auto instance = gatehouse::api::ControlInstance::Start(options);
  if (!instance.ok()) {
    std::fprintf(stderr, "control: %s\n", std::string(instance.status().message()).c_str());
    return 1;
  }
  std::printf("ready grpc=%s\n", (*instance)->bound().ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  (*instance)->Shutdown();
  return 0;
}
