#ifndef GATEHOUSE_BENCH_MODSECURITY_COLLECTIONS_H_
#define GATEHOUSE_BENCH_MODSECURITY_COLLECTIONS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace modsecurity {
class ModSecurity;
class RulesSet;
}  // namespace modsecurity

namespace gatehouse::bench {

// A request as a connector hands it to libmodsecurity (modsec_ftw.cc's fields).
struct ProbeRequest {
  std::string method;
  std::string uri;
  std::string version;  // "1.1": libmodsecurity writes "HTTP/" before it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Collection name ("ARGS", "XML", ...) -> its (key, value) entries as libmodsecurity holds them
// (its order is a hash order, so compare as multisets). A scalar's key is empty; XML's keys are
// "/*" and "//@*".
using DumpedCollections = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

// libmodsecurity 3 with CRS's recommended engine set-up (`Include /etc/nginx/modsecurity.conf`:
// body access, processor rules 200000/200001, argument limit, JSON depth) and, per dumped
// variable, one phase-2 rule that matches every value and appends
//   \x1e MATCHED_VAR_NAME \x1f hex(MATCHED_VAR)
// to a TX variable (t:hexEncode makes MATCHED_VAR the value's hex), then one rule logging that TX
// variable as logdata, read back as a RuleMessage through the public log callback. A rule logs
// once however many values it matched; setvar runs for each. Bench-only. Not thread-safe.
class ModSecurityCollections {
 public:
  // `variables`: the SecLang targets to dump ("ARGS", "XML:/*", ...).
  static absl::StatusOr<std::unique_ptr<ModSecurityCollections>> Create(
      std::vector<std::string> variables);
  ~ModSecurityCollections();

  DumpedCollections Dump(const ProbeRequest& request);

 private:
  ModSecurityCollections();
  static void OnLog(void* self, const void* rule_message);

  std::unique_ptr<modsecurity::ModSecurity> modsecurity_;
  std::unique_ptr<modsecurity::RulesSet> rules_;
  std::vector<std::string> variables_;
  std::map<int, std::string> logged_;  // rule id -> logdata
};

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_MODSECURITY_COLLECTIONS_H_
