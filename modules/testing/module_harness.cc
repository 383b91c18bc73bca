#include "modules/testing/module_harness.h"

#include <stdexcept>

#include "compiler/zone_compiler.h"
#include "modules/sdk/registry.h"

namespace gatehouse::modules::testing {

namespace {

compiler::ZoneCompileResult CompileTestZone(const std::string& rulesets,
                                            const sdk::ManagedRulesetSet* managed) {
  compiler::ZoneCompileOptions options;
  options.managed_rulesets = managed;
  return compiler::CompileZoneJson(
      R"({"zone": "example.com", "hostnames": ["example.com"],
          "origins": [{"name": "app", "servers": ["127.0.0.1:1"]},
                      {"name": "api", "servers": ["127.0.0.1:2", "127.0.0.1:3"]}],
          "lists": [{"name": "office", "kind": "ip", "items": ["10.0.0.0/8"]}],
          "rulesets": [)" +
          rulesets + "]}",
      options);
}

}  // namespace

std::string ModuleHarness::CompileErrors(const std::string& rulesets,
                                         const sdk::ManagedRulesetSet* managed) {
  return CompileTestZone(rulesets, managed).RenderedDiagnostics();
}

ModuleHarness::ModuleHarness(const std::string& rulesets, const sdk::ManagedRulesetSet* managed) {
  auto compiled = CompileTestZone(rulesets, managed);
  if (!compiled.ok()) throw std::runtime_error(compiled.RenderedDiagnostics());
  zone_ = compiled.plan;
  engine_ = std::make_unique<const engine::PhaseEngine>(sdk::ProductRegistry::Linked());
}

engine::RequestState& ModuleHarness::Run(const Request& request) {
  state_.reset();
  request_ = request;
  request_headers_.clear();
  for (const auto& [name, value] : request_.headers) request_headers_.emplace_back(name, value);
  data_ = rules::RequestData();
  data_.method = request_.method;
  data_.host = "example.com";
  data_.raw_target = request_.target;
  data_.headers = &request_headers_;
  data_.body = request_.body;
  data_.body_size = request_.body.size();
  data_.client_ip.is_v4 = true;
  data_.client_ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
  state_ = std::make_unique<engine::RequestState>(*zone_, data_, "0123456789abcdef",
                                                   "192.0.2.1", scratch_);
  engine_->RunRequestPhases(*state_);
  return *state_;
}

void ModuleHarness::Respond(int status, std::vector<std::pair<std::string, std::string>> headers) {
  response_storage_ = std::move(headers);
  response_headers_.clear();
  for (const auto& [name, value] : response_storage_) response_headers_.emplace_back(name, value);
  state_->BeginResponse(status, response_headers_);
  engine_->RunResponsePhases(*state_);
}

}  // namespace gatehouse::modules::testing
