#include "compiler/zone_compiler.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/content_hash.h"
#include "common/http_syntax.h"
#include "compiler/host_ownership.h"
#include "compiler/rules/diagnostic.h"
#include "compiler/rules/expression_compiler.h"
#include "compiler/zone_config_json.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace gatehouse::compiler {
namespace {

using config::v1::ZoneConfig;

constexpr std::string_view kContentTypes[] = {"text/html", "text/plain", "application/json",
                                              "text/xml"};

bool IsValidHostname(std::string_view host, bool allow_wildcard) {
  if (allow_wildcard && host.size() > 2 && host.substr(0, 2) == "*.") host.remove_prefix(2);
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '.';
  });
}

// Walks one zone config, collecting every problem rather than stopping at the first.
class ZoneCompilation {
 public:
  ZoneCompilation(const ZoneConfig& config, const ZoneCompileOptions& options)
      : config_(config), options_(options) {}

  ZoneCompileResult Run() {
    plan_ = std::make_shared<ZonePlan>();
    plan_->zone = config_.zone();
    plan_->config_hash = ZoneConfigHash(config_);
    plan_->max_request_body_bytes = config_.settings().max_request_body_bytes();
    plan_->shadow = config_.settings().shadow();
    if (!config_.settings().fallback().empty()) {
      auto fallback = ParseHostPort(config_.settings().fallback(), /*allow_zero_port=*/false);
      if (fallback.ok()) {
        plan_->fallback = *std::move(fallback);
      } else {
        Error("", "settings.fallback", std::string(fallback.status().message()));
      }
    }
    CheckZoneAndHosts();
    CompileOrigins();
    if (CompileLists()) CompileRulesets();
    ZoneCompileResult result;
    result.diagnostics = std::move(diagnostics_);
    if (result.diagnostics.empty()) result.plan = std::move(plan_);
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
      plan_->hostnames.push_back(host);
    }
  }

  void CompileOrigins() {
    if (config_.origins().empty()) Error("", "origins", "a zone needs at least one origin");
    for (int i = 0; i < config_.origins_size(); ++i) {
      const auto& origin = config_.origins(i);
      const std::string path = "origins[" + std::to_string(i) + "]";
      if (origin.name().empty()) Error("", path + ".name", "an origin needs a name");
      for (const CompiledOrigin& earlier : plan_->origins) {
        if (earlier.name == origin.name()) {
          Error("", path + ".name", "origin \"" + origin.name() + "\" is defined twice");
        }
      }
      CompiledOrigin compiled;
      compiled.name = origin.name();
      if (origin.servers().empty()) Error("", path + ".servers", "an origin needs a server");
      for (int j = 0; j < origin.servers_size(); ++j) {
        auto server = ParseHostPort(origin.servers(j), /*allow_zero_port=*/false);
        if (!server.ok()) {
          Error("", path + ".servers[" + std::to_string(j) + "]",
                std::string(server.status().message()));
        } else {
          compiled.servers.push_back(*std::move(server));
        }
      }
      plan_->origins.push_back(std::move(compiled));
    }
  }

  bool CompileLists() {
    std::vector<rules::NamedListDefinition> lists;
    for (const auto& list : config_.lists()) {
      lists.push_back({list.name(), list.kind(), {list.items().begin(), list.items().end()}});
    }
    std::vector<std::string> errors;
    auto compiler = rules::ExpressionCompiler::Create(std::move(lists), options_.limits, &errors);
    for (std::string& error : errors) Error("", "lists", std::move(error));
    if (!compiler.ok()) {
      if (errors.empty()) Error("", "lists", std::string(compiler.status().message()));
      return false;
    }
    expressions_.emplace(*std::move(compiler));
    return errors.empty();
  }

  void CompileRulesets() {
    std::set<std::string> rule_ids;
    for (int i = 0; i < config_.rulesets_size(); ++i) {
      const auto& ruleset = config_.rulesets(i);
      const std::string path = "rulesets[" + std::to_string(i) + "]";
      const auto phase = PhaseFromName(ruleset.phase());
      if (!phase.has_value()) {
        Error("", path + ".phase", "unknown phase \"" + ruleset.phase() + "\"");
        continue;
      }
      if (*phase == Phase::kFirewallManaged) {
        Error("", path + ".phase", "phase \"" + ruleset.phase() + "\" is reserved");
        continue;
      }
      auto& slot = plan_->rulesets[PhaseIndex(*phase)];
      if (slot.has_value()) {
        Error("", path + ".phase", "a second ruleset for phase \"" + ruleset.phase() + "\"");
        continue;
      }
      if (static_cast<size_t>(ruleset.rules_size()) > options_.max_rules_per_phase) {
        Error("", path + ".rules",
              "phase \"" + ruleset.phase() + "\" has " + std::to_string(ruleset.rules_size()) +
                  " rules; the limit is " + std::to_string(options_.max_rules_per_phase));
        continue;
      }
      slot.emplace();
      slot->phase = *phase;
      std::vector<rules::PhaseRule> phase_rules;
      for (int j = 0; j < ruleset.rules_size(); ++j) {
        const auto& rule = ruleset.rules(j);
        const std::string rule_path = path + ".rules[" + std::to_string(j) + "]";
        if (rule.id().empty()) {
          Error("", rule_path + ".id", "a rule needs an id");
        } else if (!rule_ids.insert(rule.id()).second) {
          Error(rule.id(), rule_path + ".id", "rule id \"" + rule.id() + "\" is used twice");
        }
        rules::PhaseRule phase_rule;
        auto compiled = CompileRule(rule, *phase, rule_path, &phase_rule);
        if (compiled.has_value() && (!rule.has_enabled() || rule.enabled())) {
          slot->rules.push_back(*std::move(compiled));
          phase_rules.push_back(std::move(phase_rule));
        }
      }
      const std::vector<rules::SerializedDatabase>* precompiled = nullptr;
      if (options_.precompiled != nullptr) {
        const auto found = options_.precompiled->find(*phase);
        if (found != options_.precompiled->end()) precompiled = &found->second;
      }
      auto matcher = rules::PhaseMatcher::Build(std::move(phase_rules), precompiled);
      if (!matcher.ok()) {
        Error("", path, "the phase's rules could not be compiled together: " +
                            std::string(matcher.status().message()));
      } else {
        slot->matcher = *std::move(matcher);
      }
    }
  }

  // Also fills `phase_rule` (the expression tree and filter the phase's prefilter needs).
  std::optional<CompiledRule> CompileRule(const config::v1::Rule& rule, Phase phase,
                                          const std::string& path, rules::PhaseRule* phase_rule) {
    const size_t errors_before = diagnostics_.size();
    CompiledRule compiled;
    compiled.id = rule.id();
    compiled.action_name = rule.action();
    if (rule.expression().empty()) {
      Error(rule.id(), path + ".expression", "a rule needs an expression (\"true\" matches all)");
    } else {
      *phase_rule = CompileFilterAt(rule.expression(), phase, rule.id(), path + ".expression");
      compiled.filter = phase_rule->filter;
    }
    auto action = CompileAction(rule, phase, path);
    if (action.has_value()) compiled.action = *std::move(action);
    if (diagnostics_.size() != errors_before) return std::nullopt;
    return compiled;
  }

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

  rules::PhaseRule CompileFilterAt(std::string_view source, Phase phase,
                                   const std::string& rule_id, const std::string& json_path) {
    std::vector<rules::Diagnostic> found;
    rules::PhaseRule compiled = expressions_->CompileRule(source, PhaseName(phase), &found);
    AddExpressionDiagnostics(source, rule_id, json_path, found);
    if (compiled.filter == nullptr && found.empty()) {
      Error(rule_id, json_path, "expression did not compile");
    }
    return compiled;
  }

  // Where a value goes on the wire, which decides the bytes it may hold.
  enum class WireValue { kHeaderValue, kPath, kQuery };

  // A static value that would break the message it goes into (CR/LF injection, a space in a
  // request line) is an error here; computed values are checked per request by the phases.
  bool CheckStaticWireValue(std::string_view value, WireValue where, const std::string& rule_id,
                            const std::string& path) {
    SyntaxViolation violation;
    bool bad = false;
    switch (where) {
      case WireValue::kHeaderValue:
        bad = FindFieldValueViolation(value, &violation);
        break;
      case WireValue::kPath:
        bad = FindPathViolation(value, &violation);
        break;
      case WireValue::kQuery:
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
  std::optional<ValueSource> CompileValueSource(const config::v1::ValueOrExpression& in,
                                                WireValue where, Phase phase,
                                                const std::string& rule_id,
                                                const std::string& path) {
    const bool has_value = !in.value().empty();
    const bool has_expression = !in.expression().empty();
    if (has_value == has_expression) {
      Error(rule_id, path, "give exactly one of \"value\" and \"expression\"");
      return std::nullopt;
    }
    ValueSource out;
    if (has_value) {
      // A rewritten path is given a leading '/' when it has none (RequestState::RewritePath).
      std::string checked = in.value();
      if (where == WireValue::kPath && checked.front() != '/') checked.insert(0, "/");
      // The query's leading '?' is optional.
      if (where == WireValue::kQuery && checked.front() == '?') checked.erase(0, 1);
      if (!CheckStaticWireValue(checked, where, rule_id, path + ".value")) return std::nullopt;
      out.text = in.value();
      return out;
    }
    std::vector<rules::Diagnostic> found;
    out.expression = expressions_->CompileValue(in.expression(), PhaseName(phase), &found);
    AddExpressionDiagnostics(in.expression(), rule_id, path + ".expression", found);
    if (out.expression == nullptr) {
      if (found.empty()) Error(rule_id, path + ".expression", "expression did not compile");
      return std::nullopt;
    }
    return out;
  }

  bool CheckResponse(int status, int min_status, int max_status, const std::string& content_type,
                     const std::string& content, const std::string& rule_id,
                     const std::string& path) {
    bool ok = true;
    if (status < min_status || status > max_status) {
      Error(rule_id, path + ".status_code",
            "status_code must be from " + std::to_string(min_status) + " to " +
                std::to_string(max_status) + ", got " + std::to_string(status));
      ok = false;
    }
    if (std::find(std::begin(kContentTypes), std::end(kContentTypes), content_type) ==
        std::end(kContentTypes)) {
      Error(rule_id, path + ".content_type",
            "content_type must be text/html, text/plain, application/json or text/xml, got \"" +
                content_type + "\"");
      ok = false;
    }
    if (content.size() > options_.max_custom_content_bytes) {
      Error(rule_id, path + ".content",
            "content is " + std::to_string(content.size()) + " bytes; the limit is " +
                std::to_string(options_.max_custom_content_bytes));
      ok = false;
    }
    return ok;
  }

  void RequirePhase(bool allowed, const config::v1::Rule& rule, Phase phase,
                    const std::string& path, std::string_view where) {
    if (!allowed) {
      Error(rule.id(), path + ".action",
            "action \"" + rule.action() + "\" is not allowed in phase \"" +
                std::string(PhaseName(phase)) + "\"; it belongs in " + std::string(where));
    }
  }

  std::optional<Action> CompileAction(const config::v1::Rule& rule, Phase phase,
                                      const std::string& path) {
    const auto& params = rule.action_parameters();
    const std::string params_path = path + ".action_parameters";
    const std::string& name = rule.action();
    const bool firewall = phase == Phase::kFirewallCustom;
    if (name == "block") {
      RequirePhase(firewall, rule, phase, path, "http_request_firewall_custom");
      BlockAction block;
      if (params.has_response()) {
        const auto& r = params.response();
        block.has_custom_response = true;
        block.response.status_code = r.status_code() == 0 ? 403 : static_cast<int>(r.status_code());
        block.response.content_type = r.content_type().empty() ? "text/plain" : r.content_type();
        block.response.content = r.content();
        CheckResponse(block.response.status_code, 400, 499, block.response.content_type,
                      block.response.content, rule.id(), params_path + ".response");
      }
      return block;
    }
    if (name == "log") {
      RequirePhase(firewall, rule, phase, path, "http_request_firewall_custom");
      return LogAction{};
    }
    if (name == "skip") {
      RequirePhase(firewall, rule, phase, path, "http_request_firewall_custom");
      SkipAction skip;
      skip.rest_of_ruleset = params.ruleset() == "current";
      if (!params.ruleset().empty() && !skip.rest_of_ruleset) {
        Error(rule.id(), params_path + ".ruleset", "ruleset must be \"current\"");
      }
      for (int i = 0; i < params.phases_size(); ++i) {
        const auto skipped = PhaseFromName(params.phases(i));
        if (!skipped.has_value() || PhaseIndex(*skipped) <= PhaseIndex(phase) ||
            IsResponsePhase(*skipped)) {
          Error(rule.id(), params_path + ".phases[" + std::to_string(i) + "]",
                "\"" + params.phases(i) + "\" is not a request phase after " +
                    std::string(PhaseName(phase)));
        } else {
          skip.phases.push_back(*skipped);
        }
      }
      for (int i = 0; i < params.products_size(); ++i) {
        const std::string& product = params.products(i);
        if (std::find(kProducts.begin(), kProducts.end(), product) == kProducts.end()) {
          Error(rule.id(), params_path + ".products[" + std::to_string(i) + "]",
                "unknown product \"" + product +
                    "\"; expected waf_custom, redirects, transforms, origin_routing or "
                    "custom_errors");
        } else {
          skip.products.push_back(product);
        }
      }
      const int given = (skip.rest_of_ruleset || !params.ruleset().empty() ? 1 : 0) +
                        (params.phases_size() > 0 ? 1 : 0) + (params.products_size() > 0 ? 1 : 0);
      if (given != 1) {
        Error(rule.id(), params_path,
              "skip needs exactly one of \"ruleset\": \"current\", \"phases\" or \"products\"");
      }
      return skip;
    }
    if (name == "redirect") {
      RequirePhase(phase == Phase::kDynamicRedirect, rule, phase, path,
                   "http_request_dynamic_redirect");
      RedirectAction redirect;
      const auto& from = params.from_value();
      redirect.status_code = from.status_code() == 0 ? 301 : static_cast<int>(from.status_code());
      static constexpr int kRedirectCodes[] = {301, 302, 303, 307, 308};
      if (std::find(std::begin(kRedirectCodes), std::end(kRedirectCodes), redirect.status_code) ==
          std::end(kRedirectCodes)) {
        Error(rule.id(), params_path + ".from_value.status_code",
              "a redirect's status_code is 301, 302, 303, 307 or 308, got " +
                  std::to_string(redirect.status_code));
      }
      redirect.preserve_query_string = from.preserve_query_string();
      auto target = CompileValueSource(from.target_url(), WireValue::kHeaderValue, phase, rule.id(),
                                       params_path + ".from_value.target_url");
      if (target.has_value()) redirect.target_url = *std::move(target);
      return redirect;
    }
    if (name == "rewrite") {
      const bool transform = phase == Phase::kRequestTransform ||
                             phase == Phase::kLateTransform ||
                             phase == Phase::kResponseHeadersTransform;
      RequirePhase(transform, rule, phase, path,
                   "http_request_transform, http_request_late_transform or "
                   "http_response_headers_transform");
      return CompileRewrite(rule, phase, params_path);
    }
    if (name == "route") {
      RequirePhase(phase == Phase::kRequestOrigin, rule, phase, path, "http_request_origin");
      RouteAction route;
      const auto found = std::find_if(plan_->origins.begin(), plan_->origins.end(),
                                      [&](const auto& o) { return o.name == params.origin(); });
      if (found == plan_->origins.end()) {
        Error(rule.id(), params_path + ".origin",
              "unknown origin \"" + params.origin() + "\"; this zone's origins are named in "
                                                      "\"origins\"");
      } else {
        route.origin_index = static_cast<size_t>(found - plan_->origins.begin());
      }
      if (!params.host_header().empty() &&
          !IsValidHostname(absl::AsciiStrToLower(params.host_header()), false)) {
        Error(rule.id(), params_path + ".host_header",
              "\"" + params.host_header() + "\" is not a host name");
      }
      route.host_header = params.host_header();
      if (params.port() > 65535) {
        Error(rule.id(), params_path + ".port", "port must be from 1 to 65535");
      }
      route.port = static_cast<uint16_t>(params.port());
      return route;
    }
    if (name == "serve_error") {
      RequirePhase(phase == Phase::kCustomErrors, rule, phase, path, "http_custom_errors");
      ServeErrorAction serve;
      serve.response.status_code =
          params.status_code() == 0 ? 500 : static_cast<int>(params.status_code());
      serve.response.content_type =
          params.content_type().empty() ? "text/html" : params.content_type();
      serve.response.content = params.content();
      CheckResponse(serve.response.status_code, 400, 599, serve.response.content_type,
                    serve.response.content, rule.id(), params_path);
      return serve;
    }
    if (name == "fallback") {
      RequirePhase(phase == Phase::kRequestOrigin, rule, phase, path, "http_request_origin");
      return FallbackAction{};
    }
    Error(rule.id(), path + ".action",
          "unknown action \"" + name +
              "\"; expected block, log, skip, redirect, rewrite, route, serve_error or fallback");
    return std::nullopt;
  }

  std::optional<Action> CompileRewrite(const config::v1::Rule& rule, Phase phase,
                                       const std::string& params_path) {
    const auto& params = rule.action_parameters();
    RewriteAction rewrite;
    if (params.has_uri()) {
      if (phase == Phase::kResponseHeadersTransform) {
        Error(rule.id(), params_path + ".uri", "a response phase cannot rewrite the URI");
      }
      if (params.uri().has_path()) {
        auto path = CompileValueSource(params.uri().path(), WireValue::kPath, phase, rule.id(),
                                       params_path + ".uri.path");
        rewrite.rewrite_path = path.has_value();
        if (path.has_value()) rewrite.path = *std::move(path);
      }
      if (params.uri().has_query()) {
        auto query = CompileValueSource(params.uri().query(), WireValue::kQuery, phase, rule.id(),
                                        params_path + ".uri.query");
        rewrite.rewrite_query = query.has_value();
        if (query.has_value()) rewrite.query = *std::move(query);
      }
    }
    // Sorted, so a rewrite's effect does not depend on map iteration order.
    std::vector<std::pair<std::string, config::v1::HeaderRewrite>> headers(
        params.headers().begin(), params.headers().end());
    std::sort(headers.begin(), headers.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, spec] : headers) {
      const std::string path = params_path + ".headers[\"" + name + "\"]";
      HeaderRewrite header;
      header.name = absl::AsciiStrToLower(name);
      SyntaxViolation violation;
      if (FindFieldNameViolation(name, &violation)) {
        AddValueDiagnostic(name, violation, rule.id(), path);
      }
      if (spec.operation() == "set") {
        header.operation = HeaderOperation::kSet;
      } else if (spec.operation() == "add") {
        header.operation = HeaderOperation::kAdd;
      } else if (spec.operation() == "remove") {
        header.operation = HeaderOperation::kRemove;
      } else {
        Error(rule.id(), path + ".operation",
              "operation must be set, add or remove, got \"" + spec.operation() + "\"");
        continue;
      }
      if (header.operation != HeaderOperation::kRemove) {
        config::v1::ValueOrExpression source;
        source.set_value(spec.value());
        source.set_expression(spec.expression());
        auto value = CompileValueSource(source, WireValue::kHeaderValue, phase, rule.id(), path);
        if (value.has_value()) header.value = *std::move(value);
      }
      rewrite.headers.push_back(std::move(header));
    }
    if (!rewrite.rewrite_path && !rewrite.rewrite_query && rewrite.headers.empty() &&
        !params.has_uri()) {
      Error(rule.id(), params_path, "a rewrite needs \"uri\" or \"headers\"");
    }
    return rewrite;
  }

  const ZoneConfig& config_;
  const ZoneCompileOptions& options_;
  std::shared_ptr<ZonePlan> plan_;
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
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

}  // namespace gatehouse::compiler
