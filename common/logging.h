#pragma once

#include <sstream>
#include <string_view>

// One small logging facility for library code: levels, one line per message, to stderr.
//
//   GH_LOG(WARNING) << "snapshot " << version << " refused: " << reason;
//
// writes "proxy: warning: snapshot 7 refused: ..." as one write, so lines from several threads
// never interleave. A message below the process-wide minimum level costs one relaxed atomic load:
// its operands are not evaluated. Text from the outside world still goes through ForLogLine
// (common/log_text.h) first. Command-line output (gatectl, `proxy upgrade`) is not logging and
// stays printf.

namespace gatehouse::logging {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// The least severe level written; kInfo until set (usually once, from main's --log-level).
void SetMinLevel(Level level);
Level MinLevel();
bool IsEnabled(Level level);

// "debug", "info", "warning" (or "warn"), "error"; false for anything else.
bool ParseLevel(std::string_view text, Level* level);
std::string_view LevelName(Level level);

// The prefix of every line; the program's own name (argv[0]'s last part) until set.
void SetProgramName(std::string_view name);

// Writes one line: "<program>: <level>: <message>\n". A newline inside `message` is kept (the
// caller escaped what is not its own).
void Write(Level level, std::string_view message);

// Collects one message and writes it when destroyed (at the end of the GH_LOG statement).
class LogMessage {
 public:
  explicit LogMessage(Level level) : level_(level) {}
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  ~LogMessage() { Write(level_, stream_.view()); }
  std::ostream& stream() { return stream_; }

 private:
  const Level level_;
  std::ostringstream stream_;
};

// The names GH_LOG takes.
namespace severity {
inline constexpr Level kDEBUG = Level::kDebug;
inline constexpr Level kINFO = Level::kInfo;
inline constexpr Level kWARNING = Level::kWarning;
inline constexpr Level kERROR = Level::kError;
}  // namespace severity

// Makes the conditional of GH_LOG a void expression on both branches.
struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace gatehouse::logging

// GH_LOG(DEBUG|INFO|WARNING|ERROR) << ...; nothing after the << is evaluated when disabled.
#define GH_LOG(level)                                                                  \
  !::gatehouse::logging::IsEnabled(::gatehouse::logging::severity::k##level)           \
      ? (void)0                                                                        \
      : ::gatehouse::logging::Voidify() &                                              \
            ::gatehouse::logging::LogMessage(::gatehouse::logging::severity::k##level) \
                .stream()
