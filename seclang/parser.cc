#include "seclang/parser.h"

#include <optional>
#include <string>

#include "seclang/action_parser.h"
#include "seclang/config_lexer.h"
#include "seclang/directives.h"
#include "seclang/operator_parser.h"
#include "seclang/text.h"
#include "seclang/variable_parser.h"

namespace gatehouse::seclang {
namespace {

std::string ArgumentCount(const DirectiveInfo& info) {
  if (info.min_args == info.max_args) {
    return Cat(info.min_args, info.min_args == 1 ? " argument" : " arguments");
  }
  if (info.max_args == kUnlimited) return Cat(info.min_args, " or more arguments");
  if (info.max_args == info.min_args + 1) {
    return Cat(info.min_args, " or ", info.max_args, " arguments");
  }
  return Cat(info.min_args, " to ", info.max_args, " arguments");
}

// The operator's argument read from the word as spelled, without the reader's unescaping.
std::string RawOperatorArgument(const ConfigWord& word) {
  DiagnosticSink ignored("", nullptr);  // the word was already checked in its unescaped form
  return ParseOperatorText(LocatedText::OnOneLine(word.raw), ignored).argument;
}

class FileParser {
 public:
  FileParser(std::string_view file_name, std::vector<Diagnostic>* diagnostics)
      : sink_(std::string(file_name), diagnostics) {
    file_.file_name = std::string(file_name);
  }

  ConfigFile Parse(std::string_view text) {
    for (ConfigLine& line : SplitConfigLines(text, sink_)) ParseLine(line);
    if (open_chain_ && chain_tail_.has_value()) {
      sink_.Error(*chain_tail_, 1,
                  "this rule has the chain action but no SecRule follows it in the file");
    }
    return std::move(file_);
  }

 private:
  void ErrorAtWord(const ConfigWord& word, std::string message) {
    sink_.Error(word.start, word.source_length, std::move(message));
  }

  void ParseLine(const ConfigLine& line) {
    const ConfigWord& name_word = line.words[0];
    const std::string& name = name_word.text.text;
    if (name.starts_with('<')) {
      ErrorAtWord(name_word,
                  "Apache configuration sections (<IfModule>, <Location>, ...) are "
                  "not supported: write the directives without them");
      return;
    }
    const std::optional<DirectiveInfo> info = DirectiveByName(name);
    if (!info.has_value()) {
      ErrorAtWord(name_word, Cat("unknown directive \"", name, "\""));
      open_chain_ = false;  // whatever it was, it was not the chain's next SecRule
      return;
    }
    const int args = static_cast<int>(line.words.size()) - 1;
    if (args < info->min_args || args > info->max_args) {
      ErrorAtWord(name_word, Cat(info->name, " takes ", ArgumentCount(*info), ", not ", args));
      return;
    }
    const SourceLocation location = sink_.Locate(name_word.start);
    if (info->name == "SecRule") {
      ParseSecRule(line, location);
    } else if (info->name == "SecAction") {
      ParseSecAction(line, location);
    } else if (info->name == "SecMarker") {
      CloseChainBefore(line.words[0], "SecMarker");
      file_.directives.push_back({SecMarker{line.words[1].text.text, location}});
    } else {
      CloseChainBefore(line.words[0], info->name);
      ParseConfigDirective(line, *info, location);
    }
  }

  // A directive other than SecRule arrived while a chain waits for its next link.
  void CloseChainBefore(const ConfigWord& word, std::string_view directive) {
    if (!open_chain_) return;
    ErrorAtWord(word, Cat("the rule before has the chain action, so a SecRule must "
                          "follow it, not ",
                          directive));
    open_chain_ = false;
  }

  void ParseSecRule(const ConfigLine& line, const SourceLocation& location) {
    SecRule rule;
    rule.location = location;
    rule.variables = ParseVariableList(line.words[1].text, sink_);
    rule.op = ParseOperatorText(line.words[2].text, sink_);
    rule.op.raw_argument = RawOperatorArgument(line.words[2]);
    if (line.words.size() > 3) rule.actions = ParseActionList(line.words[3].text, sink_);
    const bool continues_chain = rule.actions.chain;
    if (open_chain_ && rule.actions.id.has_value()) {
      // More likely a new rule after a stray `chain` than a link with an id: read it as one.
      ErrorAtWord(line.words[0],
                  "the rule before has the chain action, but this rule has an id "
                  "of its own: only the first rule of a chain has one");
      open_chain_ = false;
    }
    if (open_chain_) {
      CheckChainLink(rule, line);
      std::get<SecRule>(file_.directives[chain_head_].body).chain.push_back(std::move(rule));
    } else {
      CheckRuleHead(rule.actions, line.words[0], "SecRule");
      file_.directives.push_back({std::move(rule)});
      chain_head_ = file_.directives.size() - 1;
    }
    open_chain_ = continues_chain;
    chain_tail_ = line.words[0].start;
  }

  void ParseSecAction(const ConfigLine& line, const SourceLocation& location) {
    CloseChainBefore(line.words[0], "SecAction");
    SecAction action;
    action.location = location;
    action.actions = ParseActionList(line.words[1].text, sink_);
    CheckRuleHead(action.actions, line.words[0], "SecAction");
    if (action.actions.chain) {
      ErrorAtWord(line.words[0], "a SecAction cannot start a chain");
    }
    file_.directives.push_back({std::move(action)});
  }

  // ModSecurity requires an id on every rule that is not a chain link.
  void CheckRuleHead(const Actions& actions, const ConfigWord& word, std::string_view directive) {
    if (!actions.id.has_value()) {
      ErrorAtWord(word, Cat(directive, " has no id action: every rule needs one"));
    }
  }

  // What ModSecurity allows only on the first rule of a chain.
  void CheckChainLink(const SecRule& link, const ConfigLine& line) {
    const Actions& a = link.actions;
    std::vector<std::string_view> misplaced;
    if (a.phase.has_value()) misplaced.push_back("phase");
    if (a.msg.has_value()) misplaced.push_back("msg");
    if (a.logdata.has_value()) misplaced.push_back("logdata");
    if (a.severity.has_value()) misplaced.push_back("severity");
    if (a.rev.has_value()) misplaced.push_back("rev");
    if (a.skip.has_value()) misplaced.push_back("skip");
    if (a.skip_after.has_value()) misplaced.push_back("skipAfter");
    if (a.disruptive.has_value()) misplaced.push_back(DisruptiveName(a.disruptive->kind));
    if (misplaced.empty()) return;
    ErrorAtWord(line.words[0], Cat("a chained rule cannot have ", Join(misplaced, ", "),
                                   ": only the first rule of a chain can"));
  }

  void ParseConfigDirective(const ConfigLine& line, const DirectiveInfo& info,
                            const SourceLocation& location) {
    ConfigDirective directive;
    directive.name = std::string(info.name);
    directive.location = location;
    for (size_t i = 1; i < line.words.size(); ++i) {
      directive.args.push_back(line.words[i].text.text);
      directive.arg_locations.push_back(sink_.Locate(line.words[i].start));
    }
    if (info.name == "SecDefaultAction") {
      directive.actions = ParseActionList(line.words[1].text, sink_);
      CheckDefaultAction(*directive.actions, line.words[1]);
    } else if (info.name == "SecRuleUpdateActionById") {
      directive.actions = ParseActionList(line.words[2].text, sink_);
    } else if (info.name.starts_with("SecRuleUpdateTargetBy")) {
      directive.variables = ParseVariableList(line.words[2].text, sink_);
    }
    file_.directives.push_back({std::move(directive)});
  }

  // ModSecurity's rules for SecDefaultAction: a phase and a disruptive action, nothing that
  // belongs to one rule.
  void CheckDefaultAction(const Actions& a, const ConfigWord& word) {
    if (!a.phase.has_value()) ErrorAtWord(word, "SecDefaultAction must name a phase");
    if (!a.disruptive.has_value()) {
      ErrorAtWord(word, "SecDefaultAction must name a disruptive action (pass, block, deny, ...)");
    }
    std::vector<std::string_view> misplaced;
    if (a.id.has_value()) misplaced.push_back("id");
    if (a.msg.has_value()) misplaced.push_back("msg");
    if (a.logdata.has_value()) misplaced.push_back("logdata");
    if (a.severity.has_value()) misplaced.push_back("severity");
    if (a.rev.has_value()) misplaced.push_back("rev");
    if (a.ver.has_value()) misplaced.push_back("ver");
    if (a.maturity.has_value()) misplaced.push_back("maturity");
    if (a.accuracy.has_value()) misplaced.push_back("accuracy");
    if (a.chain) misplaced.push_back("chain");
    if (a.skip.has_value()) misplaced.push_back("skip");
    if (a.skip_after.has_value()) misplaced.push_back("skipAfter");
    if (!misplaced.empty()) {
      ErrorAtWord(word, Cat("SecDefaultAction cannot have ", Join(misplaced, ", "),
                            ": they belong to one rule"));
    }
  }

  DiagnosticSink sink_;
  ConfigFile file_;
  bool open_chain_ = false;             // the last SecRule had `chain`
  size_t chain_head_ = 0;               // index in file_.directives of the chain's first rule
  std::optional<Position> chain_tail_;  // the last SecRule read
};

}  // namespace

ParseResult ParseSecLangWithDiagnostics(std::string_view text, std::string_view file_name) {
  ParseResult result;
  FileParser parser(file_name, &result.diagnostics);
  result.file = parser.Parse(text);
  return result;
}

absl::StatusOr<ConfigFile> ParseSecLang(std::string_view text, std::string_view file_name) {
  ParseResult result = ParseSecLangWithDiagnostics(text, file_name);
  if (!result.diagnostics.empty()) return DiagnosticsToStatus(result.diagnostics, text);
  return std::move(result.file);
}

}  // namespace gatehouse::seclang
