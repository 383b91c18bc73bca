#include "plan/snapshot_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/content_hash.h"

namespace gatehouse::plan {
namespace {

constexpr std::string_view kMagic = "GATEHOUSE-SNAPSHOT 1\n";
constexpr std::string_view kMagicAnyFormat = "GATEHOUSE-SNAPSHOT ";
constexpr std::string_view kHashPrefix = "sha256 ";
constexpr size_t kHashHexLength = 64;

absl::Status Errno(const std::string& what) {
  return absl::UnavailableError(what + ": " + std::strerror(errno));
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write " + path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

bool LooksLikeSnapshotFile(std::string_view contents) {
  return contents.substr(0, kMagicAnyFormat.size()) == kMagicAnyFormat;
}

std::string EncodeSnapshotFile(const snapshot::v1::Snapshot& snapshot) {
  std::string payload;
  snapshot.SerializeToString(&payload);
  return EncodeSnapshotFilePayload(payload);
}

std::string EncodeSnapshotFilePayload(std::string_view payload) {
  std::string out;
  out.reserve(kMagic.size() + kHashPrefix.size() + kHashHexLength + 1 + payload.size());
  out += kMagic;
  out += kHashPrefix;
  out += Sha256Hex(payload);
  out += '\n';
  out += payload;
  return out;
}

absl::StatusOr<snapshot::v1::Snapshot> DecodeSnapshotFile(std::string_view contents) {
  if (contents.substr(0, kMagic.size()) != kMagic) {
    return absl::InvalidArgumentError("not a Gatehouse snapshot file (bad header)");
  }
  contents.remove_prefix(kMagic.size());
  if (contents.size() < kHashPrefix.size() + kHashHexLength + 1 ||
      contents.substr(0, kHashPrefix.size()) != kHashPrefix ||
      contents[kHashPrefix.size() + kHashHexLength] != '\n') {
    return absl::InvalidArgumentError("snapshot file has no checksum line");
  }
  const std::string_view hash = contents.substr(kHashPrefix.size(), kHashHexLength);
  const std::string_view payload = contents.substr(kHashPrefix.size() + kHashHexLength + 1);
  if (Sha256Hex(payload) != hash) {
    return absl::DataLossError("snapshot file checksum mismatch (truncated or corrupt)");
  }
  snapshot::v1::Snapshot snapshot;
  if (!snapshot.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError("snapshot file payload does not parse");
  }
  return snapshot;
}

absl::StatusOr<snapshot::v1::Snapshot> ReadSnapshotFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  auto decoded = DecodeSnapshotFile(contents.str());
  if (!decoded.ok()) {
    return absl::Status(decoded.status().code(),
                        path + ": " + std::string(decoded.status().message()));
  }
  return decoded;
}

absl::Status WriteSnapshotFileAtomic(const std::string& path,
                                     const snapshot::v1::Snapshot& snapshot) {
  return WriteSnapshotPayloadAtomic(path, snapshot.SerializeAsString());
}

absl::Status WriteSnapshotPayloadAtomic(const std::string& path, std::string_view payload) {
  const std::string data = EncodeSnapshotFilePayload(payload);
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  // Owner-only: a snapshot may carry its zones' private keys (certificates).
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("create " + temp);
  absl::Status status = WriteAll(fd, data, temp);
  if (status.ok() && ::fsync(fd) != 0) status = Errno("fsync " + temp);
  if (::close(fd) != 0 && status.ok()) status = Errno("close " + temp);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = Errno("rename " + temp + " to " + path);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  // The rename is durable only once the directory is synced.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::plan
