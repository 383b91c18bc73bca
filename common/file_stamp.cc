#include "common/file_stamp.h"

#include <sys/stat.h>

namespace gatehouse {

FileStamp StampOf(const std::string& path) {
  FileStamp stamp;
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return stamp;
  stamp.exists = true;
  stamp.mtime_sec = info.st_mtim.tv_sec;
  stamp.mtime_nsec = info.st_mtim.tv_nsec;
  stamp.size = info.st_size;
  stamp.inode = info.st_ino;
  return stamp;
}

}  // namespace gatehouse
