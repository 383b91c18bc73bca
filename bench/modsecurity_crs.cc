#include "bench/modsecurity_crs.h"

// clang-format off
#include <cstdlib>  // libmodsecurity's headers use free and NULL without including it
// clang-format on

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace gatehouse::bench {
namespace {

// The log callback's data: where a transaction's rule ids go, or null to keep none.
void CollectRuleIds(void* data, const void* message) {
  if (data == nullptr || message == nullptr) return;
  auto* ids = static_cast<std::vector<std::string>*>(data);
  const std::string_view line(static_cast<const char*>(message));
  constexpr std::string_view kId = "[id \"";
  for (size_t at = line.find(kId); at != std::string_view::npos; at = line.find(kId, at + 1)) {
    const size_t start = at + kId.size();
    const size_t end = line.find('"', start);
    if (end == std::string_view::npos) break;
    std::string id(line.substr(start, end - start));
    if (std::find(ids->begin(), ids->end(), id) == ids->end()) ids->push_back(std::move(id));
  }
}

bool Disrupted(modsecurity::Transaction& transaction) {
  modsecurity::ModSecurityIntervention intervention;
  modsecurity::intervention::clean(&intervention);
  const bool disrupted = transaction.intervention(&intervention) && intervention.disruptive != 0;
  modsecurity::intervention::free(&intervention);
  return disrupted;
}

}  // namespace

std::string ModSecurityCrs::Configuration(int paranoia_level, int64_t score_threshold) {
  return "Include /etc/nginx/modsecurity.conf\n"
         "SecRuleEngine On\nSecAuditEngine Off\nSecResponseBodyAccess Off\nSecStatusEngine Off\n"
         "Include /etc/modsecurity/crs/crs-setup.conf\n"
         "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" +
         std::to_string(paranoia_level) +
         "\"\n"
         "SecAction \"id:900110,phase:1,nolog,pass,t:none,"
         "setvar:tx.inbound_anomaly_score_threshold=" +
         std::to_string(score_threshold) +
         ",setvar:tx.outbound_anomaly_score_threshold=4\"\n"
         "Include /usr/share/modsecurity-crs/rules/*.conf\n";
}

ModSecurityCrs::ModSecurityCrs(int paranoia_level, int64_t score_threshold)
    : engine_(std::make_unique<modsecurity::ModSecurity>()),
      rules_(std::make_unique<modsecurity::RulesSet>()) {
  engine_->setServerLogCb(&CollectRuleIds);
  const std::string configuration = Configuration(paranoia_level, score_threshold);
  if (rules_->load(configuration.c_str()) < 0) {
    std::fprintf(stderr, "libmodsecurity: %s\n", rules_->getParserError().c_str());
    std::abort();
  }
}

ModSecurityCrs::~ModSecurityCrs() = default;

ModSecurityCrs::Verdict ModSecurityCrs::Check(const ftw::Request& request, bool rule_ids) const {
  Verdict verdict;
  modsecurity::Transaction transaction(engine_.get(), rules_.get(),
                                       rule_ids ? &verdict.rule_ids : nullptr);
  transaction.processConnection("127.0.0.1", 40000, "127.0.0.1", 80);
  std::string_view version = request.version;
  if (version.starts_with("HTTP/")) version.remove_prefix(5);
  const std::string version_text(version);
  transaction.processURI(request.uri.c_str(), request.method.c_str(), version_text.c_str());
  for (const auto& [name, value] : request.headers) transaction.addRequestHeader(name, value);
  transaction.processRequestHeaders();
  verdict.blocked = Disrupted(transaction);
  if (!verdict.blocked) {
    if (!request.body.empty()) {
      transaction.appendRequestBody(reinterpret_cast<const unsigned char*>(request.body.data()),
                                    request.body.size());
    }
    transaction.processRequestBody();
    verdict.blocked = Disrupted(transaction);
  }
  return verdict;
}

}  // namespace gatehouse::bench
