#include "compiler/zone_compiler.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/content_hash.h"
#include "common/http_syntax.h"
#include "common/host_ownership.h"
#include "compiler/rules/diagnostic.h"
#include "compiler/rules/expression_compiler.h"
#include "compiler/zone_config_json.h"
#include "google/protobuf/util/json_util.h"
#include "modules/sdk/registry.h"
#include "plan/zone_linker.h"
#include "rules/ir_version.h"
#include "rules/ir_writer.h"

namespace gatehouse::compiler {
namespace {

using config::v1::ZoneConfig;

using plan::Phase;
using plan::PhaseFromName;
using plan::PhaseIndex;
using plan::PhaseName;

// Walks one zone config, collecting every problem rather than stopping at the first.
class ZoneCompilation {
 public:
  ZoneCompilation(const ZoneConfig& config, const ZoneCompileOptions& options)
      : config_(config), options_(options) {}

  ZoneCompileResult Run() {
    program_.set_program_version(plan::kProgramVersion);
    program_.set_ir_version(rules::kIrVersion);
    program_.set_zone(config_.zone());
    program_.set_config_hash(ZoneConfigHash(config_));
    program_.set_max_request_body_bytes(config_.settings().max_request_body_bytes());
    program_.set_shadow(config_.settings().shadow());
    if (!config_.settings().fallback().empty()) {
      auto fallback = ParseHostPort(config_.settings().fallback(), /*allow_zero_port=*/false);
      if (fallback.ok()) {
        program_.set_fallback(config_.settings().fallback());
      } else {
        Error("", "settings.fallback", std::string(fallback.status().message()));
      }
    }
    CheckZoneAndHosts();
    CompileOrigins();
    if (CompileLists()) CompileRulesets();
    if (expressions_.has_value()) {
      for (std::string& name : expressions_->UsedAccountLists()) {
        program_.add_account_lists(std::move(name));
      }
    }
    program_.set_inspect_body_bytes(config_.settings().inspect_body_bytes() != 0
                                        ? config_.settings().inspect_body_bytes()
                                        : requested_inspect_body_bytes_);
    ZoneCompileResult result;
    if (diagnostics_.empty()) {
      // The control plane links what it compiled, exactly as a proxy will: a program that does
      // not link (a phase's rules that Hyperscan cannot take together) is refused here.
      plan::LinkOptions link;
      link.limits = options_.limits;
      link.products = &products_;
      link.prefilters = options_.precompiled;
      link.managed_rulesets = options_.managed_rulesets;
      link.account_lists = options_.account_lists.get();
      auto linked = plan::LinkZone(program_, link);
      if (linked.ok()) {
        result.plan = *std::move(linked);
        plan::AddPrefilters(*result.plan, &program_);
        result.program = std::move(program_);
      } else {
        Error("", "rulesets", std::string(linked.status().message()));
      }
    }
    result.diagnostics = std::move(diagnostics_);
    if (!result.diagnostics.empty()) result.plan.reset();
    return result;
  }

 private:
  void Error(std::string rule_id, std::string json_path, std::string message) {
    ZoneDiagnostic d;
    d.rule_id = std::move(rule_id);
    d.json_path = std::move(json_path);
    d.message = std::move(message);
    d.rendered = "zone " + ZoneLabel() + ": " + d.json_path + ": error: " + d.message + "\n";
    diagnostics_.push_back(std::move(d));
  }

  std::string ZoneLabel() const { return config_.zone().empty() ? "(unnamed)" : config_.zone(); }

  void CheckZoneAndHosts() {
    if (!IsValidHostname(config_.zone(), /*allow_wildcard=*/false)) {
      Error("", "zone", "the zone name must be a lower-case host name, got \"" + config_.zone() +
                            "\"");
    }
    if (config_.hostnames().empty()) Error("", "hostnames", "a zone needs at least one host name");
    std::set<std::string> seen;
    for (int i = 0; i < config_.hostnames_size(); ++i) {
      const std::string& host = config_.hostnames(i);
      const std::string path = "hostnames[" + std::to_string(i) + "]";
      if (!IsValidHostname(host, /*allow_wildcard=*/true)) {
        Error("", path, "\"" + host + "\" is not a lower-case host name (or *.suffix)");
      } else if (IsWildcardClaim(host) && host.find('.', 2) == std::string::npos) {
        // "*.com" would claim a whole top-level domain for one zone.
        Error("", path, "\"" + host + "\" is too wide: a wildcard needs at least two labels after "
                        "\"*.\" (\"*.example.com\")");
      } else if (!seen.insert(host).second) {
        Error("", path, "\"" + host + "\" is listed twice");
      }
      program_.add_hostnames(host);
    }
  }

  void CompileOrigins() {
    if (config_.origins().empty()) Error("", "origins", "a zone needs at least one origin");
    for (int i = 0; i < config_.origins_size(); ++i) {
      const auto& origin = config_.origins(i);
      const std::string path = "origins[" + std::to_string(i) + "]";
      if (origin.name().empty()) Error("", path + ".name", "an origin needs a name");
      for (const plan::v1::Origin& earlier : program_.origins()) {
        if (earlier.name() == origin.name()) {
          Error("", path + ".name", "origin \"" + origin.name() + "\" is defined twice");
        }
      }
      plan::v1::Origin* compiled = program_.add_origins();
      compiled->set_name(origin.name());
      if (origin.servers().empty()) Error("", path + ".servers", "an origin needs a server");
      for (int j = 0; j < origin.servers_size(); ++j) {
        auto server = ParseHostPort(origin.servers(j), /*allow_zero_port=*/false);
        if (!server.ok()) {
          Error("", path + ".servers[" + std::to_string(j) + "]",
                std::string(server.status().message()));
        } else {
          compiled->add_servers(origin.servers(j));
        }
      }
    }
  }

  bool CompileLists() {
    std::vector<rules::NamedListDefinition> lists;
    bool clash = false;
    for (int i = 0; i < config_.lists_size(); ++i) {
      const auto& list = config_.lists(i);
      if (options_.account_lists != nullptr && options_.account_lists->contains(list.name())) {
        // Either choice would change what `$name` means without the customer saying so.
        Error("", "lists[" + std::to_string(i) + "].name",
              "list $" + list.name() +
                  " is also an account-level list this zone may name "
                  "(gatectl lists); rename one of them");
        clash = true;
      }
      lists.push_back({list.name(), list.kind(), {list.items().begin(), list.items().end()}});
      *program_.add_lists() = rules::EncodeNamedList(lists.back());
    }
    std::vector<std::string> errors;
    auto compiler = rules::ExpressionCompiler::Create(std::move(lists), options_.limits, &errors,
                                                      options_.account_lists);
    for (std::string& error : errors) Error("", "lists", std::move(error));
    if (!compiler.ok()) {
      if (errors.empty()) Error("", "lists", std::string(compiler.status().message()));
      return false;
    }
    expressions_.emplace(*std::move(compiler));
    return errors.empty() && !clash;
  }

  void CompileRulesets() {
    std::set<std::string> rule_ids;
    std::set<Phase> seen_phases;
    for (int i = 0; i < config_.rulesets_size(); ++i) {
      const auto& ruleset = config_.rulesets(i);
      const std::string path = "rulesets[" + std::to_string(i) + "]";
      const auto phase = PhaseFromName(ruleset.phase());
      if (!phase.has_value()) {
        Error("", path + ".phase", "unknown phase \"" + ruleset.phase() + "\"");
        continue;
      }
      if (products_.PhaseOwner(*phase) == nullptr) {
        Error("", path + ".phase",
              "no product in this build runs phase \"" + ruleset.phase() + "\"");
        continue;
      }
      if (!seen_phases.insert(*phase).second) {
        Error("", path + ".phase", "a second ruleset for phase \"" + ruleset.phase() + "\"");
        continue;
      }
      if (static_cast<size_t>(ruleset.rules_size()) > options_.max_rules_per_phase) {
        Error("", path + ".rules",
              "phase \"" + ruleset.phase() + "\" has " + std::to_string(ruleset.rules_size()) +
                  " rules; the limit is " + std::to_string(options_.max_rules_per_phase));
        continue;
      }
      plan::v1::Ruleset* compiled_ruleset = program_.add_rulesets();
      compiled_ruleset->set_phase(ruleset.phase());
      for (int j = 0; j < ruleset.rules_size(); ++j) {
        const auto& rule = ruleset.rules(j);
        const std::string rule_path = path + ".rules[" + std::to_string(j) + "]";
        if (rule.id().empty()) {
          Error("", rule_path + ".id", "a rule needs an id");
        } else if (!rule_ids.insert(rule.id()).second) {
          Error(rule.id(), rule_path + ".id", "rule id \"" + rule.id() + "\" is used twice");
        }
        plan::v1::Rule compiled;
        if (CompileRule(rule, *phase, rule_path, &compiled) &&
            (!rule.has_enabled() || rule.enabled())) {
          *compiled_ruleset->add_rules() = std::move(compiled);
        }
      }
    }
  }

  bool CompileRule(const config::v1::Rule& rule, Phase phase, const std::string& path,
                   plan::v1::Rule* out) {
    const size_t errors_before = diagnostics_.size();
    out->set_id(rule.id());
    out->set_action(rule.action());
    if (rule.expression().empty()) {
      Error(rule.id(), path + ".expression", "a rule needs an expression (\"true\" matches all)");
    } else {
      CompileExpressionAt(rule.expression(), rules::ExpressionKind::kFilter, phase, rule.id(),
                          path + ".expression", out->mutable_filter());
    }
    CompileAction(rule, phase, path, out->mutable_parameters());
    return diagnostics_.size() == errors_before;
  }

  // Reads the rule's "action_parameters" as its action's parameters message and hands it to the
  // action's product to validate and compile.
  void CompileAction(const config::v1::Rule& rule, Phase phase, const std::string& path,
                     google::protobuf::Any* out) {
    const sdk::ProductRegistry::Action* action = products_.FindAction(rule.action());
    if (action == nullptr) {
      Error(rule.id(), path + ".action",
            "unknown action \"" + rule.action() + "\"; expected " + products_.ActionNames());
      return;
    }
    const auto& allowed = action->action->phases;
    if (std::find(allowed.begin(), allowed.end(), phase) == allowed.end()) {
      std::string where;
      for (size_t i = 0; i < allowed.size(); ++i) {
        if (i > 0) where += i + 1 == allowed.size() ? " or " : ", ";
        where += PhaseName(allowed[i]);
      }
      Error(rule.id(), path + ".action",
            "action \"" + rule.action() + "\" is not allowed in phase \"" +
                std::string(PhaseName(phase)) + "\"; it belongs in " + where);
      return;
    }
    const std::string params_path = path + ".action_parameters";
    std::unique_ptr<google::protobuf::Message> parameters(action->action->parameters->New());
    if (auto status = ReadParameters(rule.action_parameters(), parameters.get()); !status.ok()) {
      Error(rule.id(), params_path, std::string(status.message()));
      return;
    }
    ActionContext context(*this, rule.id(), params_path, phase);
    action->action->compile(*parameters, context, out);
  }

  // The rule's JSON object, read as the action's own message with unknown fields refused.
  static absl::Status ReadParameters(const google::protobuf::Struct& in,
                                     google::protobuf::Message* out) {
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(in, &json).ok()) {
      return absl::InvalidArgumentError("action_parameters is not an object");
    }
    return ReadJsonMessage(json, out);
  }

  // The ActionCompileContext of one rule: paths relative to its action_parameters.
  class ActionContext : public sdk::ActionCompileContext {
   public:
    ActionContext(ZoneCompilation& zone, std::string rule_id, std::string base, Phase phase)
        : zone_(zone), rule_id_(std::move(rule_id)), base_(std::move(base)), phase_(phase) {}

    Phase phase() const override { return phase_; }
    void Error(std::string_view path, std::string message) override {
      zone_.Error(rule_id_, Path(path), std::move(message));
    }
    bool CompileValue(const sdk::v1::ValueOrExpression& in, sdk::WireValue where,
                      std::string_view path, sdk::v1::CompiledValue* out) override {
      return zone_.CompileValueSource(in, where, phase_, rule_id_, Path(path), out);
    }
    bool CheckHeaderName(std::string_view name, std::string_view path) override {
      SyntaxViolation violation;
      if (!FindFieldNameViolation(name, &violation)) return true;
      zone_.AddValueDiagnostic(name, violation, rule_id_, Path(path));
      return false;
    }
    std::optional<size_t> FindOrigin(std::string_view name) const override {
      const auto& origins = zone_.program_.origins();
      for (int i = 0; i < origins.size(); ++i) {
        if (origins[i].name() == name) return static_cast<size_t>(i);
      }
      return std::nullopt;
    }
    size_t max_custom_content_bytes() const override {
      return zone_.options_.max_custom_content_bytes;
    }
    const sdk::ManagedRulesetSummary* FindManagedRuleset(std::string_view id) override {
      const sdk::ManagedRulesetSet* set = zone_.options_.managed_rulesets;
      const sdk::ManagedRulesetSet::Entry* entry = set == nullptr ? nullptr : set->Find(id);
      if (entry == nullptr || entry->summary == nullptr) return nullptr;
      auto* uses = zone_.program_.mutable_managed_rulesets();
      if (std::none_of(uses->begin(), uses->end(),
                       [&](const auto& use) { return use.id() == entry->id; })) {
        auto* use = uses->Add();
        use->set_id(entry->id);
        use->set_digest(entry->digest);
      }
      return entry->summary.get();
    }
    std::string ManagedRulesetIds() const override {
      const sdk::ManagedRulesetSet* set = zone_.options_.managed_rulesets;
      return set == nullptr ? "none" : set->Ids();
    }
    void InspectBodyBytes(uint64_t bytes) override {
      zone_.requested_inspect_body_bytes_ = std::max(zone_.requested_inspect_body_bytes_, bytes);
    }

   private:
    std::string Path(std::string_view relative) const {
      if (relative.empty()) return base_;
      return base_ + "." + std::string(relative);
    }

    ZoneCompilation& zone_;
    std::string rule_id_;
    std::string base_;
    Phase phase_;
  };

  // Diagnostics with a caret in `source`: an expression, or a static value shown escaped.
  void AddExpressionDiagnostics(std::string_view source, const std::string& rule_id,
                                const std::string& json_path,
                                const std::vector<rules::Diagnostic>& found) {
    for (const rules::Diagnostic& d : found) {
      ZoneDiagnostic out;
      out.rule_id = rule_id;
      out.json_path = json_path;
      out.line = d.line;
      out.column = d.column;
      out.length = d.length;
      out.message = d.message;
      out.rendered = rules::FormatDiagnostic(
          source, d, "zone " + ZoneLabel() + ", rule " + rule_id + " (" + json_path + ")");
      diagnostics_.push_back(std::move(out));
    }
  }

  // Type-checks an expression for `phase` and writes its IR; false after reporting.
  bool CompileExpressionAt(std::string_view source, rules::ExpressionKind kind, Phase phase,
                           const std::string& rule_id, const std::string& json_path,
                           rules::ir::v1::Expression* out) {
    std::vector<rules::Diagnostic> found;
    std::optional<rules::ir::v1::Expression> ir =
        expressions_->CompileIr(source, PhaseName(phase), kind, &found);
    AddExpressionDiagnostics(source, rule_id, json_path, found);
    if (!ir.has_value()) {
      if (found.empty()) Error(rule_id, json_path, "expression did not compile");
      return false;
    }
    *out = *std::move(ir);
    return true;
  }

  // A static value that would break the message it goes into (CR/LF injection, a space in a
  // request line) is an error here; computed values are checked per request by the phases.
  bool CheckStaticWireValue(std::string_view value, sdk::WireValue where, const std::string& rule_id,
                            const std::string& path) {
    SyntaxViolation violation;
    bool bad = false;
    switch (where) {
      case sdk::WireValue::kHeaderValue:
        bad = FindFieldValueViolation(value, &violation);
        break;
      case sdk::WireValue::kPath:
        bad = FindPathViolation(value, &violation);
        break;
      case sdk::WireValue::kQuery:
        bad = FindQueryViolation(value, &violation);
        break;
    }
    if (bad) AddValueDiagnostic(value, violation, rule_id, path);
    return !bad;
  }

  // A diagnostic with a caret under the offending byte of a static value, shown escaped (as in
  // JSON) so that a CR or LF is visible.
  void AddValueDiagnostic(std::string_view value, const SyntaxViolation& violation,
                          const std::string& rule_id, const std::string& path) {
    std::string shown = "\"";
    size_t caret = 1;
    for (size_t i = 0; i < value.size(); ++i) {
      if (i == violation.offset) caret = shown.size();
      const auto c = static_cast<unsigned char>(value[i]);
      static constexpr char kHex[] = "0123456789abcdef";
      if (c == '\r') {
        shown += "\\r";
      } else if (c == '\n') {
        shown += "\\n";
      } else if (c == '\t') {
        shown += "\\t";
      } else if (c == '"' || c == '\\') {
        shown += '\\';
        shown += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        shown += "\\u00";
        shown += kHex[c >> 4];
        shown += kHex[c & 15];
      } else {
        shown += static_cast<char>(c);
      }
    }
    if (violation.offset >= value.size()) caret = shown.size();
    shown += '"';
    AddExpressionDiagnostics(
        shown, rule_id, path,
        {rules::MakeDiagnostic(shown, rules::Span{caret, 1}, std::string(violation.reason))});
  }

  // Exactly one of `value` / `expression`.
  bool CompileValueSource(const sdk::v1::ValueOrExpression& in, sdk::WireValue where,
                          Phase phase, const std::string& rule_id, const std::string& path,
                          sdk::v1::CompiledValue* out) {
    const bool has_value = !in.value().empty();
    const bool has_expression = !in.expression().empty();
    if (has_value == has_expression) {
      Error(rule_id, path, "give exactly one of \"value\" and \"expression\"");
      return false;
    }
    if (has_value) {
      // A rewritten path is given a leading '/' when it has none (RequestState::RewritePath).
      std::string checked = in.value();
      if (where == sdk::WireValue::kPath && checked.front() != '/') checked.insert(0, "/");
      // The query's leading '?' is optional.
      if (where == sdk::WireValue::kQuery && checked.front() == '?') checked.erase(0, 1);
      if (!CheckStaticWireValue(checked, where, rule_id, path + ".value")) return false;
      out->set_text(in.value());
      return true;
    }
    return CompileExpressionAt(in.expression(), rules::ExpressionKind::kValue, phase, rule_id,
                               path + ".expression", out->mutable_expression());
  }

  const ZoneConfig& config_;
  const ZoneCompileOptions& options_;
  const sdk::ProductRegistry& products_ = options_.products != nullptr
                                              ? *options_.products
                                              : sdk::ProductRegistry::Linked();
  plan::v1::ZoneProgram program_;
  // The most body any action's phase asked to inspect (ActionCompileContext::InspectBodyBytes).
  uint64_t requested_inspect_body_bytes_ = 0;
  std::optional<rules::ExpressionCompiler> expressions_;
  std::vector<ZoneDiagnostic> diagnostics_;
};

}  // namespace

std::string ZoneCompileResult::RenderedDiagnostics() const {
  std::string out;
  for (const ZoneDiagnostic& d : diagnostics) out += d.rendered;
  return out;
}

ZoneCompileResult CompileZone(const ZoneConfig& config, const ZoneCompileOptions& options) {
  return ZoneCompilation(config, options).Run();
}

ZoneCompileResult CompileZoneJson(std::string_view json, const ZoneCompileOptions& options) {
  auto config = ParseZoneConfigJson(json);
  if (!config.ok()) {
    ZoneCompileResult result;
    ZoneDiagnostic d;
    d.message = std::string(config.status().message());
    d.rendered = "error: " + d.message + "\n";
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  return CompileZone(*config, options);
}

std::string ZoneConfigHash(const ZoneConfig& config) {
  return Sha256Hex(DeterministicBytes(config));
}

}  // namespace gatehouse::compiler
