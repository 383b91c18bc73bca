#pragma once

#include <sys/types.h>

#include <ctime>
#include <string>

namespace gatehouse {

// What tells a file's new version from its last: modification time, size and inode (a file
// renamed into place has a new inode even within the same second). Watchers that poll a file
// (snapshot files, geolocation databases) reload when its stamp changes.
struct FileStamp {
  bool exists = false;
  std::time_t mtime_sec = 0;
  long mtime_nsec = 0;
  off_t size = 0;
  ino_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

// The file's stamp now; `exists` false if it cannot be stat()ed.
FileStamp StampOf(const std::string& path);

}  // namespace gatehouse
