#include "etcd/test_etcd_cluster.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_join.h"
#include "common/grpc_client_tls.h"
#include "etcd/etcd_client.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::etcd {

absl::Status TestEtcdCluster::Start(int members, std::chrono::milliseconds timeout) {
  static int clusters = 0;
  token_ = "gh-test-" + std::to_string(getpid()) + "-" + std::to_string(clusters++);
  for (int i = 0; i < members; ++i) {
    names_.push_back(token_ + "-m" + std::to_string(i));
    data_dirs_.push_back(testing::TempPath(names_.back()));
    endpoints_.push_back("127.0.0.1:" + std::to_string(testing::UnusedPort()));
    peer_urls_.push_back("http://127.0.0.1:" + std::to_string(testing::UnusedPort()));
  }
  processes_.resize(static_cast<size_t>(members));
  for (int i = 0; i < members; ++i) {
    if (auto status = Launch(i, /*existing=*/false); !status.ok()) return status;
  }
  return WaitWritable(timeout);
}

absl::Status TestEtcdCluster::Launch(int member, bool existing) {
  const size_t m = static_cast<size_t>(member);
  std::vector<std::string> cluster;
  for (size_t i = 0; i < names_.size(); ++i) cluster.push_back(names_[i] + "=" + peer_urls_[i]);
  const bool tls = !security_.cert_file.empty();
  const std::string client_url = (tls ? "https://" : "http://") + endpoints_[m];
  std::vector<std::string> argv = {
      "/usr/bin/etcd",
      "--name=" + names_[m],
      "--data-dir=" + data_dirs_[m],
      "--listen-client-urls=" + client_url,
      "--advertise-client-urls=" + client_url,
      "--listen-peer-urls=" + peer_urls_[m],
      "--initial-advertise-peer-urls=" + peer_urls_[m],
      "--initial-cluster=" + absl::StrJoin(cluster, ","),
      "--initial-cluster-token=" + token_,
      std::string("--initial-cluster-state=") + (existing ? "existing" : "new"),
      // Zone versions with compiled programs exceed etcd's default 1.5 MiB request limit.
      "--max-request-bytes=33554432",
      // A loaded test machine: leaders elected quickly, but not on every scheduling hiccup.
      "--heartbeat-interval=100",
      "--election-timeout=1000",
      "--logger=zap",
      "--log-outputs=stderr",
      "--log-level=error",
  };
  if (tls) {
    argv.push_back("--cert-file=" + security_.cert_file);
    argv.push_back("--key-file=" + security_.key_file);
  }
  if (!security_.client_ca_file.empty()) {
    argv.push_back("--trusted-ca-file=" + security_.client_ca_file);
    argv.push_back("--client-cert-auth");
  }
  auto process = testing::Subprocess::Start(std::move(argv));
  if (!process.ok()) return process.status();
  processes_[m] = *std::move(process);
  return absl::OkStatus();
}

std::string TestEtcdCluster::Url() const { return "etcd://" + absl::StrJoin(endpoints_, ","); }

void TestEtcdCluster::Kill9(int member) {
  auto& process = processes_[static_cast<size_t>(member)];
  if (process == nullptr) return;
  process->Signal(SIGKILL);
  process->Wait();
  process.reset();
}

absl::Status TestEtcdCluster::Restart(int member) { return Launch(member, /*existing=*/true); }

absl::Status TestEtcdCluster::WaitWritable(std::chrono::milliseconds timeout) const {
  ClientOptions options;
  options.endpoints = endpoints_;
  options.request_timeout = std::chrono::milliseconds(2000);
  if (!security_.cert_file.empty()) {
    auto tls =
        ClientTls::Load({security_.ca_file, security_.client_cert_file, security_.client_key_file});
    if (!tls.ok()) return tls.status();
    options.credentials = tls->Credentials();
  }
  auto client = Client::Connect(options);
  if (!client.ok()) return client.status();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  absl::Status last;
  while (std::chrono::steady_clock::now() < deadline) {
    etcdserverpb::PutRequest put;
    put.set_key("/gh-test/health");
    put.set_value("ok");
    last = (*client)->Put(put).status();
    if (last.ok()) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::DeadlineExceededError("etcd cluster not writable: " + std::string(last.message()));
}

absl::Status TestEtcdCluster::Etcdctl(std::vector<std::string> args) const {
  const bool tls = !security_.cert_file.empty();
  std::vector<std::string> argv = {
      "/usr/bin/etcdctl", "--command-timeout=5s",
      std::string("--endpoints=") + (tls ? "https://" : "http://") + endpoints_.front()};
  if (tls) {
    argv.push_back("--cacert=" + security_.ca_file);
    if (!security_.client_cert_file.empty()) {
      argv.push_back("--cert=" + security_.client_cert_file);
      argv.push_back("--key=" + security_.client_key_file);
    }
  }
  argv.insert(argv.end(), args.begin(), args.end());
  const testing::CommandResult result = testing::RunCommand(argv, std::chrono::seconds(20));
  if (result.exit_code != 0) {
    return absl::InternalError("etcdctl " + absl::StrJoin(args, " ") + " failed: " + result.err);
  }
  return absl::OkStatus();
}

absl::Status TestEtcdCluster::EnableAuth(const std::string& root_password) const {
  if (auto status = Etcdctl({"user", "add", "root:" + root_password}); !status.ok()) {
    return status;
  }
  return Etcdctl({"auth", "enable"});
}

}  // namespace gatehouse::etcd
