#pragma once

#include <cstdint>

#include "absl/status/status.h"

namespace gatehouse::rules {

// The version of the rules IR (rules/ir.proto) this build writes and reads. A snapshot records
// the version its expressions were written with; a proxy links them only when it equals its
// own, and otherwise keeps its current snapshot. Raised whenever a reader of the previous version
// could misread the IR (a new node kind, function or field does not need it: the linker rejects
// what it does not know).
inline constexpr uint32_t kIrVersion = 1;

// OK when `version` is kIrVersion; FailedPrecondition naming both versions otherwise.
absl::Status CheckIrVersion(uint32_t version);

}  // namespace gatehouse::rules
