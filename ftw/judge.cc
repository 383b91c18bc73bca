#include "ftw/judge.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace gatehouse::ftw {
namespace {

// Whether any line holds a match of `pattern`; nullopt when RE2 cannot read the pattern.
std::optional<bool> AnyLineMatches(const std::string& pattern,
                                   const std::vector<std::string>& lines) {
  const RE2 regex(pattern, RE2::Quiet);
  if (!regex.ok()) return std::nullopt;
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return RE2::PartialMatch(line, regex); });
}

bool AnyLineHasId(const std::string& id, const std::vector<std::string>& lines) {
  const std::string needle = absl::StrCat("[id \"", id, "\"]");
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return absl::StrContains(line, needle); });
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kNeedsServer:
      return "needs-server";
    case Verdict::kDisabled:
      return "disabled";
  }
  return "?";
}

Verdict Judge(const Stage& stage, const std::vector<std::string>& log_lines, std::string* why) {
  if (!stage.enabled) return Verdict::kDisabled;
  const StageOutput& output = stage.output;
  if (!output.HasLogAssertion()) return Verdict::kNeedsServer;
  auto fail = [&](std::string reason) {
    if (why != nullptr) *why = std::move(reason);
    return Verdict::kFail;
  };
  // (pattern, must match) for every regular-expression assertion.
  const std::pair<const std::optional<std::string>*, bool> patterns[] = {
      {&output.log_contains, true},
      {&output.no_log_contains, false},
      {&output.match_regex, true},
      {&output.no_match_regex, false},
  };
  for (const auto& [pattern, must_match] : patterns) {
    if (!pattern->has_value()) continue;
    std::optional<bool> matched = AnyLineMatches(**pattern, log_lines);
    if (!matched.has_value()) return fail(absl::StrCat("cannot read pattern ", **pattern));
    if (*matched != must_match) {
      return fail(absl::StrCat(must_match ? "no log line matches " : "a log line matches ",
                               **pattern));
    }
  }
  for (const std::string& id : output.expect_ids) {
    if (!AnyLineHasId(id, log_lines)) return fail(absl::StrCat("rule ", id, " not logged"));
  }
  for (const std::string& id : output.no_expect_ids) {
    if (AnyLineHasId(id, log_lines)) return fail(absl::StrCat("rule ", id, " logged"));
  }
  return Verdict::kPass;
}

}  // namespace gatehouse::ftw
