#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/subprocess.h"

namespace gatehouse::etcd {

// A real etcd (/usr/bin/etcd) cluster on loopback for tests: `members` processes with ports
// picked at run time and data directories under the test's temporary directory. Members can be
// killed (-9) and restarted on their data. The destructor stops them.
class TestEtcdCluster {
 public:
  // The members' client security (etcd's --cert-file, --key-file, --trusted-ca-file): with a
  // certificate, clients speak TLS; with a CA too, they must show a certificate it signed.
  struct Security {
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;
    // What the cluster's own clients (WaitWritable, etcdctl) verify and show.
    std::string ca_file;
    std::string client_cert_file;
    std::string client_key_file;
  };
  // Before Start.
  void set_security(Security security) { security_ = std::move(security); }

  // Starts the members and waits until the cluster answers a read (health, not a sleep).
  absl::Status Start(int members, std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // "etcd://127.0.0.1:P,…" for `control --store`.
  std::string Url() const;
  // "127.0.0.1:P" of each member.
  const std::vector<std::string>& endpoints() const { return endpoints_; }

  // Adds the user root with `root_password` and turns etcd's authentication on (etcdctl).
  absl::Status EnableAuth(const std::string& root_password) const;

  void Kill9(int member);
  absl::Status Restart(int member);
  // Waits until a write through `members`' endpoints succeeds (quorum is back).
  absl::Status WaitWritable(std::chrono::milliseconds timeout) const;

 private:
  absl::Status Launch(int member, bool existing);
  // etcdctl against the first member, with the cluster's client security.
  absl::Status Etcdctl(std::vector<std::string> args) const;

  Security security_;

  std::string token_;
  std::vector<std::string> names_;
  std::vector<std::string> data_dirs_;
  std::vector<std::string> endpoints_;
  std::vector<std::string> peer_urls_;
  std::vector<std::unique_ptr<testing::Subprocess>> processes_;
};

}  // namespace gatehouse::etcd
