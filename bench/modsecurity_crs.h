#ifndef GATEHOUSE_BENCH_MODSECURITY_CRS_H_
#define GATEHOUSE_BENCH_MODSECURITY_CRS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ftw/request_builder.h"

namespace modsecurity {
class ModSecurity;
class RulesSet;
}  // namespace modsecurity

namespace gatehouse::bench {

// libmodsecurity 3 running Debian's CRS the way nginx's connector deploys it: Debian's
// /etc/nginx/modsecurity.conf (the recommended engine set-up) with SecRuleEngine On and the
// audit log off, then CRS's crs-setup.conf, the paranoia level and the inbound anomaly threshold
// (CRS's 900000 and 900110), then the rules.
class ModSecurityCrs {
 public:
  struct Verdict {
    bool blocked = false;
    // The rules that logged, in order, once each (the [id "…"] of the lines it wrote).
    std::vector<std::string> rule_ids;
  };

  // Aborts with libmodsecurity's parser error when the rules do not load.
  ModSecurityCrs(int paranoia_level, int64_t score_threshold);
  ~ModSecurityCrs();
  ModSecurityCrs(const ModSecurityCrs&) = delete;
  ModSecurityCrs& operator=(const ModSecurityCrs&) = delete;

  // One transaction as the connector drives it: connection, URI, headers (stopping there on an
  // intervention), body, intervention. With `rule_ids` false no log line is kept.
  Verdict Check(const ftw::Request& request, bool rule_ids = true) const;

  // The SecLang the engine loads.
  static std::string Configuration(int paranoia_level, int64_t score_threshold);

 private:
  std::unique_ptr<modsecurity::ModSecurity> engine_;
  std::unique_ptr<modsecurity::RulesSet> rules_;
};

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_MODSECURITY_CRS_H_
