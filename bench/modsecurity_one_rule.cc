#include "bench/modsecurity_one_rule.h"

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include "absl/status/status.h"

namespace gatehouse::bench {

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

ModSecurityOneRule::ModSecurityOneRule()
    : modsecurity_(std::make_unique<modsecurity::ModSecurity>()),
      rules_(std::make_unique<modsecurity::RulesSet>()) {}

ModSecurityOneRule::~ModSecurityOneRule() = default;

absl::StatusOr<std::unique_ptr<ModSecurityOneRule>> ModSecurityOneRule::Create(
    const std::string& configuration) {
  std::unique_ptr<ModSecurityOneRule> engine(new ModSecurityOneRule());
  if (engine->rules_->load(configuration.c_str()) < 0) {
    return absl::InvalidArgumentError("libmodsecurity rejected the configuration: " +
                                      engine->rules_->getParserError());
  }
  return engine;
}

bool ModSecurityOneRule::DeniesArgument(std::string_view value) {
  const std::string uri = "/?q=" + QueryEscape(value);
  modsecurity::Transaction transaction(modsecurity_.get(), rules_.get(), nullptr);
  transaction.processConnection("127.0.0.1", 40000, "127.0.0.1", 80);
  transaction.processURI(uri.c_str(), "GET", "1.1");
  transaction.addRequestHeader("Host", "localhost");
  transaction.processRequestHeaders();
  transaction.processRequestBody();
  modsecurity::ModSecurityIntervention intervention;
  modsecurity::intervention::clean(&intervention);
  const bool intervened = transaction.intervention(&intervention);
  const bool denied = intervened && intervention.disruptive != 0;
  modsecurity::intervention::free(&intervention);
  return denied;
}

}  // namespace gatehouse::bench
