#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/phase_engine.h"
#include "engine/request_state.h"
#include "modules/sdk/managed_ruleset.h"
#include "plan/zone_plan.h"
#include "rules/scratch.h"

namespace gatehouse::modules::testing {

// Runs a zone's phases over a request in memory, with every module registered: no network.
class ModuleHarness {
 public:
  // `rulesets` is the JSON of the zone's "rulesets" array items; origins are "app" and "api".
  // `managed`: the managed rulesets execute rules may name (null: none).
  explicit ModuleHarness(const std::string& rulesets,
                         const sdk::ManagedRulesetSet* managed = nullptr);

  // The diagnostics of compiling such a zone, rendered; empty when it compiles.
  static std::string CompileErrors(const std::string& rulesets,
                                   const sdk::ManagedRulesetSet* managed = nullptr);

  struct Request {
    std::string method = "GET";
    std::string target = "/";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };

  // Runs the request phases. The state stays available until the next Run.
  engine::RequestState& Run(const Request& request);
  // Then the response phases for a response with `status` and `headers`.
  void Respond(int status, std::vector<std::pair<std::string, std::string>> headers = {});

  const plan::ZonePlan& zone() const { return *zone_; }

 private:
  std::shared_ptr<const plan::ZonePlan> zone_;
  std::unique_ptr<const engine::PhaseEngine> engine_;
  // Storage the request data views point into.
  Request request_;
  rules::HeaderList request_headers_;
  std::vector<std::pair<std::string, std::string>> response_storage_;
  rules::HeaderList response_headers_;
  rules::RequestData data_;
  rules::Scratch scratch_;  // outlives state_
  std::unique_ptr<engine::RequestState> state_;
};

}  // namespace gatehouse::modules::testing
