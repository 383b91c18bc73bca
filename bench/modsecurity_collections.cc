#include "bench/modsecurity_collections.h"

#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include "absl/status/status.h"

namespace gatehouse::bench {
namespace {

constexpr int kFirstDumpId = 1000000;
constexpr int kFirstLogId = 2000000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1])));
  }
  return out;
}

// "ARGS:x" -> ("ARGS", "x"); "XML:/*" stays keyed by its XPath; a scalar has no key.
std::pair<std::string, std::string> SplitVariableName(const std::string& name) {
  const std::size_t colon = name.find(':');
  if (colon == std::string::npos) return {name, ""};
  return {name.substr(0, colon), name.substr(colon + 1)};
}

}  // namespace

ModSecurityCollections::ModSecurityCollections()
    : modsecurity_(std::make_unique<modsecurity::ModSecurity>()),
      rules_(std::make_unique<modsecurity::RulesSet>()) {}

ModSecurityCollections::~ModSecurityCollections() = default;

void ModSecurityCollections::OnLog(void* self, const void* rule_message) {
  const auto* message = static_cast<const modsecurity::RuleMessage*>(rule_message);
  static_cast<ModSecurityCollections*>(self)->logged_[message->m_ruleId] = message->m_data;
}

absl::StatusOr<std::unique_ptr<ModSecurityCollections>> ModSecurityCollections::Create(
    std::vector<std::string> variables) {
  std::unique_ptr<ModSecurityCollections> engine(new ModSecurityCollections());
  engine->modsecurity_->setServerLogCb(&ModSecurityCollections::OnLog,
                                       modsecurity::RuleMessageLogProperty);
  std::string configuration =
      "Include /etc/nginx/modsecurity.conf\n"
      "SecAuditEngine Off\n"
      "SecResponseBodyAccess Off\n"
      "SecStatusEngine Off\n";
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const std::string tx = "tx.dump" + std::to_string(i);
    configuration += "SecRule " + variables[i] + " \"@rx ^\" \"id:" +
                     std::to_string(kFirstDumpId + i) +
                     ",phase:2,pass,nolog,t:none,t:hexEncode,setvar:'" + tx + "=%{" + tx +
                     "}\x1e%{MATCHED_VAR_NAME}\x1f%{MATCHED_VAR}'\"\n";
    configuration += "SecRule TX:dump" + std::to_string(i) + " \"@rx ^\" \"id:" +
                     std::to_string(kFirstLogId + i) + ",phase:2,pass,log,logdata:'%{" + tx +
                     "}'\"\n";
  }
  if (engine->rules_->load(configuration.c_str()) < 0) {
    return absl::InvalidArgumentError("libmodsecurity rejected the configuration: " +
                                      engine->rules_->getParserError());
  }
  engine->variables_ = std::move(variables);
  return engine;
}

DumpedCollections ModSecurityCollections::Dump(const ProbeRequest& request) {
  logged_.clear();
  {
    modsecurity::Transaction transaction(modsecurity_.get(), rules_.get(), this);
    transaction.processConnection("127.0.0.1", 40000, "127.0.0.1", 80);
    transaction.processURI(request.uri.c_str(), request.method.c_str(), request.version.c_str());
    for (const auto& [name, value] : request.headers) {
      transaction.addRequestHeader(reinterpret_cast<const unsigned char*>(name.data()),
                                   name.size(),
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   value.size());
    }
    transaction.processRequestHeaders();
    if (!request.body.empty()) {
      transaction.appendRequestBody(reinterpret_cast<const unsigned char*>(request.body.data()),
                                    request.body.size());
    }
    transaction.processRequestBody();
  }
  DumpedCollections dumped;
  for (const auto& [id, data] : logged_) {
    if (id < kFirstLogId) continue;
    // Records: \x1e name \x1f hex. A name may hold \x1f (the hex never does), not \x1e.
    std::size_t start = 0;
    while (start < data.size()) {
      std::size_t end = data.find('\x1e', start + 1);
      if (end == std::string::npos) end = data.size();
      const std::string record = data.substr(start + 1, end - start - 1);
      const std::size_t separator = record.rfind('\x1f');
      if (separator != std::string::npos) {
        auto [collection, key] = SplitVariableName(record.substr(0, separator));
        dumped[collection].emplace_back(std::move(key), Unhex(record.substr(separator + 1)));
      }
      start = end;
    }
  }
  return dumped;
}

}  // namespace gatehouse::bench
