#include "api/gatectl/config_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/file_util.h"
#include "common/log_text.h"
#include "plan/snapshot_file.h"

namespace gatehouse::gatectl {

bool ReadZoneConfigFile(const std::string& path, std::string* json) {
  errno = 0;
  if (!ReadFile(path, json)) {
    std::fprintf(stderr, "gatectl: cannot read %s: %s\n", path.c_str(),
                 errno != 0 ? std::strerror(errno) : "unreadable");
    return false;
  }
  if (plan::LooksLikeSnapshotFile(*json)) {
    std::fprintf(stderr,
                 "gatectl: %s is a snapshot file (from gatectl compile), not a zone config: "
                 "serve it with proxy --snapshot-file, or give the zone's JSON config\n",
                 path.c_str());
    return false;
  }
  size_t bad = 0;
  if (!IsValidUtf8(*json, &bad)) {
    std::fprintf(stderr,
                 "gatectl: %s is not a JSON zone config: byte %zu is not UTF-8 text\n",
                 path.c_str(), bad);
    return false;
  }
  return true;
}

}  // namespace gatehouse::gatectl
