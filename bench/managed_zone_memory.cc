// Heap bytes a proxy holds for a snapshot once it has linked it, apart from what reading the file
// took: each SNAPSHOT file (from `gatectl compile`) is read and parsed, linked as the proxy's
// loader links it, and the parsed snapshot dropped; tcmalloc's allocated-bytes counter is read
// at each step. bench/managed_memory.sh runs it next to the proxies' RSS.
//   bazel run -c opt //bench:managed_zone_memory -- SNAPSHOT...
#if GATEHOUSE_TCMALLOC
#include <gperftools/malloc_extension.h>
#else
#include <malloc.h>
#endif

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "plan/snapshot_file.h"
#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::bench {
namespace {

// Sanitizer builds (--define=allocator=system) run without tcmalloc; glibc's counter then.
size_t AllocatedBytes() {
#if GATEHOUSE_TCMALLOC
  size_t bytes = 0;
  MallocExtension::instance()->GetNumericProperty("generic.current_allocated_bytes", &bytes);
  return bytes;
#else
  return mallinfo2().uordblks;
#endif
}

double KiB(size_t after, size_t before) {
  return (static_cast<double>(after) - static_cast<double>(before)) / 1024.0;
}

int Measure(const std::string& path) {
  const size_t start = AllocatedBytes();
  auto snapshot = std::make_optional(plan::ReadSnapshotFile(path));
  if (!snapshot->ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(),
                 std::string(snapshot->status().message()).c_str());
    return 1;
  }
  const int zones = (*snapshot)->zones_size();
  const size_t parsed = AllocatedBytes();
  auto linked = runtime::LinkedSnapshot::Link(**snapshot, nullptr);
  if (!linked.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), std::string(linked.status().message()).c_str());
    return 1;
  }
  snapshot.reset();
  const size_t held = AllocatedBytes();
  std::printf("%-16s %6d zones  parsed snapshot %9.0f KiB  linked snapshot %9.0f KiB\n",
              std::filesystem::path(path).stem().c_str(), zones, KiB(parsed, start),
              KiB(held, start));
  return 0;
}

}  // namespace
}  // namespace gatehouse::bench

int main(int argc, char** argv) {
  int failures = 0;
  for (int i = 1; i < argc; ++i) failures += gatehouse::bench::Measure(argv[i]);
  return failures == 0 ? 0 : 1;
}
