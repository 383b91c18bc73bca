#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/gatectl/command.h"

namespace gatehouse::gatectl {

// The rules-language commands, which need no server:
//   check EXPR | check FILE.json           compile; caret diagnostics on stderr
//   eval --expr EXPR --request FILE.json   print the value (true / false for filters)
//   eval --config FILE.json --request FILE.json   trace the request through every phase
//   eval ... --geoip-db FILE [--asn-db FILE]      with the client geolocated (ip.src.*)
// Returns the exit code, or nullopt when `args` names none of them.
struct RulesCommandOptions {
  std::string expr;
  std::string config;
  std::string request;
  std::string phase = "http_request_firewall_custom";
  std::string geoip_db;  // MaxMind DB files for ip.src.*; empty: those fields are empty
  std::string asn_db;
};
std::optional<int> RunRulesCommand(const std::vector<std::string>& args,
                                   const RulesCommandOptions& options);

}  // namespace gatehouse::gatectl
