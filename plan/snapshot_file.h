#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::plan {

// A snapshot on disk: a header line naming the format, a line with the SHA-256 of the payload,
// then the serialized Snapshot proto. The checksum makes a truncated or corrupted file fail to
// load as a whole instead of parsing into something half right.
//
//   GATEHOUSE-SNAPSHOT 1\n
//   sha256 <64 hex digits>\n
//   <payload>

std::string EncodeSnapshotFile(const snapshot::v1::Snapshot& snapshot);
// The same from a payload already serialized (a snapshot::v1::Snapshot's wire format).
std::string EncodeSnapshotFilePayload(std::string_view payload);
// Whether `contents` starts like a snapshot file (of any format version), e.g. to tell someone
// who pushes one as a zone config what it is.
bool LooksLikeSnapshotFile(std::string_view contents);
absl::StatusOr<snapshot::v1::Snapshot> DecodeSnapshotFile(std::string_view contents);

absl::StatusOr<snapshot::v1::Snapshot> ReadSnapshotFile(const std::string& path);

// Writes atomically: a temporary file in the same directory, fsync, rename over `path`, fsync
// of the directory. A crash leaves either the old file or the new one, never a mix.
absl::Status WriteSnapshotFileAtomic(const std::string& path,
                                     const snapshot::v1::Snapshot& snapshot);
// The same from a serialized payload.
absl::Status WriteSnapshotPayloadAtomic(const std::string& path, std::string_view payload);

}  // namespace gatehouse::plan
