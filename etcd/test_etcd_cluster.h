#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/subprocess.h"

namespace gatehouse::etcd {

// A real etcd (/usr/bin/etcd) cluster on loopback for tests: `members` processes with ports
// picked at run time and data directories under the test's temporary directory. Members can be
// killed (-9) and restarted on their data. The destructor stops them.
class TestEtcdCluster {
 public:
  // Starts the members and waits until the cluster answers a read (health, not a sleep).
  absl::Status Start(int members, std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // "etcd://127.0.0.1:P,…" for `control --store`.
  std::string Url() const;
  // "127.0.0.1:P" of each member.
  const std::vector<std::string>& endpoints() const { return endpoints_; }

  void Kill9(int member);
  absl::Status Restart(int member);
  // Waits until a write through `members`' endpoints succeeds (quorum is back).
  absl::Status WaitWritable(std::chrono::milliseconds timeout) const;

 private:
  absl::Status Launch(int member, bool existing);

  std::string token_;
  std::vector<std::string> names_;
  std::vector<std::string> data_dirs_;
  std::vector<std::string> endpoints_;
  std::vector<std::string> peer_urls_;
  std::vector<std::unique_ptr<testing::Subprocess>> processes_;
};

}  // namespace gatehouse::etcd
