#ifndef GATEHOUSE_BENCH_MODSECURITY_ONE_RULE_H_
#define GATEHOUSE_BENCH_MODSECURITY_ONE_RULE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace modsecurity {
class ModSecurity;
class RulesSet;
}  // namespace modsecurity

namespace gatehouse::bench {

// libmodsecurity 3 with a small configuration (typically `SecRuleEngine On` and one SecRule over
// ARGS), driven only through its public API the way a connector (nginx's) drives it: one
// transaction per request, connection, URI, headers, body, then the intervention. Bench-only:
// it measures libinjection as deployed, with ModSecurity's own argument parsing and
// transformations in front of it. Not thread-safe.
class ModSecurityOneRule {
 public:
  // InvalidArgument with the parser's message when `configuration` does not load.
  static absl::StatusOr<std::unique_ptr<ModSecurityOneRule>> Create(
      const std::string& configuration);
  ~ModSecurityOneRule();

  // True when a GET whose only query argument q carries `value` (each byte %-encoded as
  // needed, so ModSecurity's ARGS hold `value` exactly) ends in a disruptive intervention.
  bool DeniesArgument(std::string_view value);

 private:
  ModSecurityOneRule();

  std::unique_ptr<modsecurity::ModSecurity> modsecurity_;
  std::unique_ptr<modsecurity::RulesSet> rules_;
};

// `value` as a query-string value: unreserved bytes (RFC 3986) as they are, every other byte as
// %HH.
std::string QueryEscape(std::string_view value);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_MODSECURITY_ONE_RULE_H_
