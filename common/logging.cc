#include "common/logging.h"

#include <errno.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>

namespace gatehouse::logging {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};

// The program name is set once at start; guarded all the same, as a test may set it late.
std::mutex& NameMutex() {
  static std::mutex mutex;
  return mutex;
}

std::string& ProgramName() {
  static std::string name = program_invocation_short_name;
  return name;
}

}  // namespace

void SetMinLevel(Level level) {
  g_min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

Level MinLevel() { return static_cast<Level>(g_min_level.load(std::memory_order_relaxed)); }

bool IsEnabled(Level level) {
  return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed);
}

bool ParseLevel(std::string_view text, Level* level) {
  if (text == "debug") {
    *level = Level::kDebug;
  } else if (text == "info") {
    *level = Level::kInfo;
  } else if (text == "warning" || text == "warn") {
    *level = Level::kWarning;
  } else if (text == "error") {
    *level = Level::kError;
  } else {
    return false;
  }
  return true;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "?";
}

void SetProgramName(std::string_view name) {
  std::lock_guard lock(NameMutex());
  ProgramName() = std::string(name);
}

void Write(Level level, std::string_view message) {
  std::string line;
  {
    std::lock_guard lock(NameMutex());
    line = ProgramName();
  }
  line.append(": ").append(LevelName(level)).append(": ").append(message);
  if (line.back() != '\n') line.push_back('\n');
  // One write(2) per line: lines from several threads (and processes sharing the descriptor)
  // do not interleave; stdio's buffering is bypassed, so nothing is lost at _exit.
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report a failure to log
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace gatehouse::logging
