#include "tests/support/test_zones.h"

#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "plan/zone_linker.h"

namespace gatehouse::testing {

snapshot::v1::CompiledZone CompiledTestZone(const std::string& name, uint64_t version,
                                            const std::string& expression,
                                            std::shared_ptr<const rules::ListTable> lists) {
  auto config = compiler::ParseZoneConfigJson(
      "{\"zone\": \"" + name + "\", \"hostnames\": [\"" + name +
      "\"], \"origins\": [{\"name\": \"app\", \"servers\": [\"127.0.0.1:9\"]}], "
      "\"rulesets\": [{\"phase\": \"http_request_firewall_custom\", \"rules\": [{\"id\": \"r\", "
      "\"expression\": \"true\", \"action\": \"block\"}]}]}");
  config->mutable_rulesets(0)->mutable_rules(0)->set_expression(expression);
  snapshot::v1::CompiledZone zone;
  zone.set_zone(name);
  zone.set_version(version);
  zone.set_config_hash(name + "-" + std::to_string(version));
  *zone.mutable_config() = *config;
  compiler::ZoneCompileOptions options;
  options.account_lists = std::move(lists);
  compiler::ZoneCompileResult compiled = compiler::CompileZone(*config, options);
  if (compiled.ok()) {
    *zone.mutable_program() = std::move(compiled.program);
  } else {
    zone.mutable_program()->set_zone(name);
    zone.mutable_program()->set_program_version(plan::kProgramVersion + 1);
  }
  zone.mutable_program()->set_config_hash(zone.config_hash());
  return zone;
}

}  // namespace gatehouse::testing
