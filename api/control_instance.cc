#include "api/control_instance.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "api/authenticator_impl.h"
#include "api/certificate_service_impl.h"
#include "api/compile_scheduler.h"
#include "api/config_controller.h"
#include "api/config_service_impl.h"
#include "api/etcd_config_store.h"
#include "api/etcd_token_store.h"
#include "api/list_controller.h"
#include "api/list_service_impl.h"
#include "api/malformed_request_interceptor.h"
#include "api/memory_config_store.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "api/snapshot_service_impl.h"
#include "api/sqlite_config_store.h"
#include "api/sqlite_token_store.h"
#include "api/store_follower.h"
#include "api/token_service_impl.h"
#include "common/listen_check.h"
#include "common/logging.h"
#include "etcd/leased_key.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"

namespace gatehouse::api {

// In construction order; destroyed in reverse (the server before what it serves).
struct ControlInstance::State {
  std::unique_ptr<etcd::Client> etcd;  // with --store etcd://…
  std::unique_ptr<ConfigStore> store;
  // Shared by every zone compile and every snapshot.
  compiler::LoadedManagedRulesets managed_rulesets;
  std::unique_ptr<TokenStore> tokens;
  std::unique_ptr<AuthenticatorImpl> authenticator;
  std::unique_ptr<SnapshotPublisher> publisher;
  std::unique_ptr<CompileScheduler> scheduler;
  AccountListCatalog lists;
  std::unique_ptr<ConfigController> controller;
  std::unique_ptr<ListController> list_controller;
  ProxyRegistry proxies;
  std::unique_ptr<ConfigServiceImpl> config_service;
  std::unique_ptr<CertificateServiceImpl> certificate_service;
  std::unique_ptr<SnapshotServiceImpl> snapshot_service;
  std::unique_ptr<TokenServiceImpl> token_service;
  std::unique_ptr<ListServiceImpl> list_service;
  std::unique_ptr<StoreFollower> follower;       // with etcd
  std::unique_ptr<etcd::LeasedKey> replica_key;  // with etcd: this replica is up
  EtcdTokenStore* etcd_tokens = nullptr;         // `tokens`, with etcd

  // The etcd watches call into the controller and the snapshot service: stopped first.
  ~State() { StopFollowing(); }
  void StopFollowing() {
    if (replica_key != nullptr) replica_key->Stop();
    if (follower != nullptr) follower->Stop();
    if (etcd_tokens != nullptr) etcd_tokens->StopFollowing();
  }
  std::unique_ptr<grpc::Server> server;
  HostPort bound;
  bool shut_down = false;
};

namespace {

// Why the etcd store did not open, with what to check when etcd was not reached: at start that
// is nearly always the connection's security, not the cluster.
absl::Status EtcdStartError(const absl::Status& status, const ControlOptions::EtcdStore& etcd) {
  std::string message = "cannot open the etcd store (" + absl::StrJoin(etcd.client.endpoints, ",") +
                        "): " + std::string(status.message());
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kUnknown) {
    message += etcd.client.credentials != nullptr
                   ? "; check that --etcd-ca is the CA that signed etcd's certificate and that "
                     "etcd accepts --etcd-cert (its --trusted-ca-file), or that etcd is up"
                   : "; check that etcd is up, and whether it serves TLS only (give --etcd-ca)";
  }
  return absl::Status(status.code(), message);
}

}  // namespace

absl::Status ControlInstance::OpenStores(const ControlOptions& options, State* state) {
  if (options.etcd.has_value()) {
    auto client = etcd::Client::Connect(options.etcd->client);
    if (!client.ok()) return EtcdStartError(client.status(), *options.etcd);
    state->etcd = *std::move(client);
    auto store = EtcdConfigStore::Open(*state->etcd, options.etcd->prefix);
    if (!store.ok()) return EtcdStartError(store.status(), *options.etcd);
    state->store = *std::move(store);
    auto tokens = EtcdTokenStore::Open(*state->etcd, options.etcd->prefix);
    if (!tokens.ok()) return tokens.status();
    state->etcd_tokens = tokens->get();
    state->tokens = *std::move(tokens);
    return absl::OkStatus();
  }
  if (options.data_dir.empty()) {
    state->store = std::make_unique<MemoryConfigStore>();
  } else {
    auto opened = SqliteConfigStore::Open(options.data_dir);
    if (!opened.ok()) return opened.status();
    state->store = *std::move(opened);
  }
  auto tokens = SqliteTokenStore::Open(options.data_dir.empty()
                                           ? ":memory:"
                                           : options.data_dir + "/gatehouse.db");
  if (!tokens.ok()) return tokens.status();
  state->tokens = *std::move(tokens);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ControlInstance>> ControlInstance::Start(
    const ControlOptions& options) {
  auto state = std::make_unique<State>();
  if (auto status = OpenStores(options, state.get()); !status.ok()) return status;
  state->authenticator = std::make_unique<AuthenticatorImpl>(options.admin_token, *state->tokens);
  if (!state->authenticator->enabled()) {
    GH_LOG(WARNING) << "--insecure-no-auth: authentication is DISABLED and every caller is the "
                       "admin (loopback development only)";
  }

  {
    compiler::ManagedRulesetOptions managed = options.managed_rulesets;
    ConfigStore* store = state->store.get();
    managed.load = [store](const std::string& source_key) {
      return store->CompiledManagedRuleset(source_key);
    };
    managed.save = [store](const std::string& id, const std::string& source_key,
                           const std::string& compiled) {
      if (auto status = store->StoreCompiledManagedRuleset(id, source_key, compiled);
          !status.ok()) {
        // The next start compiles it again; nothing else is lost.
        GH_LOG(WARNING) << "cannot store managed ruleset " << id << ": " << status.message();
      }
    };
    auto loaded = compiler::LoadManagedRulesets(managed);
    if (!loaded.ok()) {
      return absl::Status(loaded.status().code(),
                          std::string(loaded.status().message()) +
                              " (--crs-dir and --crs-setup say where the CRS is; "
                              "--no-managed-rulesets runs without managed rulesets)");
    }
    state->managed_rulesets = *std::move(loaded);
    for (const std::string& note : state->managed_rulesets.notes) {
      GH_LOG(INFO) << "managed ruleset " << note;
    }
  }
  const auto load_started = std::chrono::steady_clock::now();
  state->publisher = std::make_unique<SnapshotPublisher>(state->store->Lineage(),
                                                         state->managed_rulesets.compiled);
  compiler::ZoneCompileOptions compile_options;
  compile_options.managed_rulesets = state->managed_rulesets.set.get();
  ControllerLimits limits;
  limits.max_config_bytes = options.max_config_bytes;
  limits.max_zones = options.max_zones;
  state->scheduler = std::make_unique<CompileScheduler>(
      CompileScheduler::Options{options.compile_threads, options.max_queued_compiles});
  // Keys travel to proxies only over TLS: a plaintext control plane publishes certificates
  // without them (docs/security.md).
  CertificateSecrets secrets;
  secrets.secrets_key = options.secrets_key.get();
  secrets.publish_private_keys = !options.tls_cert_pem.empty();
  state->controller = std::make_unique<ConfigController>(
      *state->store, *state->publisher, compile_options, limits, state->scheduler.get(), secrets,
      state->etcd != nullptr ? PublishMode::kFromStore : PublishMode::kDirect, &state->lists);
  if (auto status = state->controller->LoadFromStore(); !status.ok()) return status;
  state->list_controller = std::make_unique<ListController>(
      *state->store, *state->publisher, state->lists, compile_options.limits,
      state->etcd != nullptr ? PublishMode::kFromStore : PublishMode::kDirect);
  const auto load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - load_started)
                           .count();
  GH_LOG(INFO) << "loaded " << state->publisher->Current()->zones.size()
               << " zones at snapshot " << state->publisher->Current()->version << " in "
               << load_ms << " ms";
  // Stores written before host names were checked may hold overlapping claims: say so, rather
  // than let the proxies' order decide (they serve a name claimed twice by neither zone).
  for (const auto& overlap : state->controller->HostOverlaps()) {
    GH_LOG(WARNING) << "host name claims overlap: zone " << overlap.zone << " claims \""
                    << overlap.conflict.claim << "\", zone " << overlap.conflict.other_zone
                    << " claims \"" << overlap.conflict.other_claim
                    << "\"; fix with `gatectl push --transfer-hostnames` (admin) or by editing "
                       "one zone";
  }
  size_t certificates = 0;
  for (const auto& [name, zone] : state->publisher->Current()->zones) {
    certificates += static_cast<size_t>(zone->certificates_size());
  }
  if (certificates > 0 && !secrets.publish_private_keys) {
    GH_LOG(WARNING) << certificates
                    << " certificate(s) go to proxies WITHOUT their private keys: gRPC is served "
                       "in plaintext (no --tls-cert) and keys travel only over TLS, so proxies "
                       "cannot serve them";
  }
  if (options.secrets_key == nullptr) {
    GH_LOG(INFO) << "no --secrets-key-file: certificate uploads are refused";
  }
  state->certificate_service = std::make_unique<CertificateServiceImpl>(
      *state->controller, *state->store, *state->authenticator);
  state->config_service = std::make_unique<ConfigServiceImpl>(
      *state->controller, *state->store, *state->authenticator, state->proxies,
      state->managed_rulesets.set);
  // Replicas publish a moment apart: a proxy failing over may be a moment ahead of this one.
  state->snapshot_service = std::make_unique<SnapshotServiceImpl>(
      *state->publisher, *state->authenticator, state->proxies,
      state->etcd != nullptr ? std::chrono::milliseconds(2000) : std::chrono::milliseconds(0));
  state->list_service =
      std::make_unique<ListServiceImpl>(*state->list_controller, *state->authenticator);
  state->token_service = std::make_unique<TokenServiceImpl>(
      *state->tokens, *state->authenticator,
      [service = state->snapshot_service.get()] { service->TokensRevoked(); });
  if (state->etcd != nullptr) {
    // From the snapshot just loaded on, what any replica stores is published here too.
    state->follower = std::make_unique<StoreFollower>(
        static_cast<const EtcdConfigStore&>(*state->store), *state->controller,
        *state->list_controller, state->publisher->Current()->version);
    state->follower->Start();
    state->etcd_tokens->FollowRevocations(
        [service = state->snapshot_service.get()] { service->TokensRevoked(); });
  }
  if (options.secrets_key != nullptr && options.secrets_key->previous_key_count() > 0) {
    // After the follower starts: with replicas, what is sealed again is published from etcd.
    auto resealed = state->controller->ResealCertificates("secrets-key-rotation");
    if (!resealed.ok()) return resealed.status();
    GH_LOG(INFO) << "sealed " << *resealed
                 << " certificate key(s) again with the current --secrets-key-file; once every "
                    "replica has started with it, the --previous-secrets-key-file keys can go";
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_pem.empty()) {
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
    if (!options.client_ca_pem.empty()) {
      ssl.pem_root_certs = options.client_ca_pem;
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  }
  // Whether keys may travel to proxies depends on it (docs/security.md): say it at start.
  GH_LOG(INFO) << "gRPC "
               << (options.tls_cert_pem.empty()       ? "in plaintext (no --tls-cert)"
                   : options.client_ca_pem.empty()    ? "over TLS"
                                                      : "over mutual TLS (--client-ca)");
  const std::string listen = options.listen.ToString();
  builder.AddListeningPort(listen, credentials, &port);
  // gRPC binds with SO_REUSEPORT by default, so a second control plane on a busy port would
  // start and take a share of the connections with its own stale state. Fail instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A config at the limit still fits, with room for the rest of the request; so does a list of
  // 100,000 IPv6 CIDRs (about 4 MB).
  constexpr size_t kMaxListRequestBytes = 8 << 20;
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::max(options.max_config_bytes + (64 << 10), kMaxListRequestBytes)));
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<MalformedRequestInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(state->config_service.get());
  builder.RegisterService(state->certificate_service.get());
  builder.RegisterService(state->snapshot_service.get());
  builder.RegisterService(state->token_service.get());
  builder.RegisterService(state->list_service.get());
  state->server = builder.BuildAndStart();
  if (state->server == nullptr || port == 0) {
    return absl::UnavailableError("cannot listen on " + listen + ": " +
                                  BindProblem(options.listen));
  }
  state->bound = options.listen;
  state->bound.port = static_cast<uint16_t>(port);
  if (state->etcd != nullptr) {
    std::string name = options.etcd->replica_name;
    if (name.empty()) {
      char host[256] = {};
      gethostname(host, sizeof(host) - 1);
      name = std::string(host) + ":" + std::to_string(port);
    }
    state->replica_key = std::make_unique<etcd::LeasedKey>(
        *state->etcd, EtcdKeyspace(options.etcd->prefix).Replicas() + name,
        state->bound.ToString());
    if (auto status = state->replica_key->Start(); !status.ok()) return status;
    GH_LOG(INFO) << "replica " << name << " of the etcd store " << options.etcd->prefix
                 << " at snapshot " << state->publisher->Current()->version;
  }
  return std::unique_ptr<ControlInstance>(new ControlInstance(std::move(state)));
}

ControlInstance::ControlInstance(std::unique_ptr<State> state) : state_(std::move(state)) {}

ControlInstance::~ControlInstance() { Shutdown(); }

const HostPort& ControlInstance::bound() const { return state_->bound; }

void ControlInstance::Shutdown() {
  if (state_->shut_down) return;
  state_->shut_down = true;
  // Its key goes at once: the replica is no longer up.
  state_->StopFollowing();
  // Streams end first (they finish when the publisher shuts down), then the server.
  state_->publisher->Shutdown();
  state_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

}  // namespace gatehouse::api
