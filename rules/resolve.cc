#include "rules/resolve.h"

#include <string>

#include "re2/re2.h"
#include "rules/functions.h"
#include "rules/strings.h"
#include "rules/value_set.h"
#include "rules/wildcard.h"

namespace gatehouse::rules {
namespace {

std::shared_ptr<const ValueSet> BuildSet(const std::vector<SetItem>& items) {
  ValueSet::Builder builder;
  for (const SetItem& item : items) {
    switch (item.kind) {
      case SetItem::Kind::kString: builder.AddBytes(item.text); break;
      case SetItem::Kind::kInt:
      case SetItem::Kind::kIntRange: builder.AddIntRange(item.low, item.high); break;
      case SetItem::Kind::kIp:
      case SetItem::Kind::kIpRange: builder.AddIpRange(item.ip); break;
    }
  }
  return std::make_shared<const ValueSet>(std::move(builder).Build());
}

TypingError ChildError(size_t child, std::string message) {
  return TypingError{TypingError::At::kChild, child, std::move(message)};
}

}  // namespace

absl::StatusOr<std::shared_ptr<const re2::RE2>> RegexCompiler::Compile(std::string_view pattern) {
  if (++count_ > limits_.max_regexes_per_expression) {
    return absl::InvalidArgumentError(
        Cat("too many regexes in one expression (limit ", limits_.max_regexes_per_expression, ")"));
  }
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);  // byte-oriented, like Cloudflare
  options.set_log_errors(false);
  auto regex = std::make_shared<const re2::RE2>(
      re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!regex->ok()) return absl::InvalidArgumentError(Cat("invalid regex: ", regex->error()));
  if (regex->ProgramSize() > limits_.max_regex_program_size) {
    return absl::InvalidArgumentError(Cat("regex is too complex (program size ",
                                          regex->ProgramSize(), ", limit ",
                                          limits_.max_regex_program_size, ")"));
  }
  return regex;
}

std::optional<TypingError> BuildRunTimeParts(Expr& e, RegexCompiler& regexes) {
  switch (e.kind) {
    case ExprKind::kCompare:
      if (e.compare_op == CompareOp::kMatches) {
        auto regex = regexes.Compile(e.children[1]->text);
        if (!regex.ok()) return ChildError(1, std::string(regex.status().message()));
        e.regex = *std::move(regex);
      } else if (e.compare_op == CompareOp::kWildcard ||
                 e.compare_op == CompareOp::kStrictWildcard) {
        e.wildcard = std::make_shared<const WildcardPattern>(e.children[1]->text);
      }
      return std::nullopt;
    case ExprKind::kCall: {
      const FunctionDefinition& f = *e.function;
      if (f.regex_argument >= 0) {
        size_t argument = static_cast<size_t>(f.regex_argument);
        auto regex = regexes.Compile(e.children[argument]->text);
        if (!regex.ok()) return ChildError(argument, std::string(regex.status().message()));
        e.regex = *std::move(regex);
        // regex_replace(text, regex, replacement): the replacement may only name real groups.
        int highest = HighestReplacementReference(e.children[2]->text);
        if (highest > e.regex->NumberOfCapturingGroups() || highest > 9) {
          return ChildError(2, Cat("the replacement refers to ${", highest, "} but the regex has ",
                                   e.regex->NumberOfCapturingGroups(), " capture group(s)"));
        }
      }
      if (f.wildcard_argument >= 0) {
        e.wildcard = std::make_shared<const WildcardPattern>(
            e.children[static_cast<size_t>(f.wildcard_argument)]->text);
      }
      return std::nullopt;
    }
    case ExprKind::kInSet:
      e.set = BuildSet(e.set_items);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace gatehouse::rules
