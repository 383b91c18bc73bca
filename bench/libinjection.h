#ifndef GATEHOUSE_BENCH_LIBINJECTION_H_
#define GATEHOUSE_BENCH_LIBINJECTION_H_

#include <cstddef>

// libinjection's two entry points, as libmodsecurity 3 exports them from its shared library
// (`nm -D libmodsecurity.so.3 | grep libinjection`). These are declarations of public symbols,
// so a benchmark can time libinjection alone, without a transaction around it, on the same
// inputs as Gatehouse's detectors. Bench-only: link //bazel:modsecurity.
extern "C" {

// 1 when `input` reads as SQL injection. `fingerprint` (8 bytes) receives the NUL-terminated
// fingerprint that matched, which ModSecurity logs as the matched data.
int libinjection_sqli(const char* input, std::size_t length, char fingerprint[]);

// 1 when `input` could start script in an HTML page.
int libinjection_xss(const char* input, std::size_t length);

}  // extern "C"

namespace gatehouse::bench {

// The size libmodsecurity gives the fingerprint buffer it passes to libinjection_sqli.
inline constexpr std::size_t kLibinjectionFingerprintSize = 8;

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LIBINJECTION_H_
