#include "rules/atoms.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "rules/functions.h"
#include "rules/strings.h"
#include "rules/value_set.h"

namespace gatehouse::rules {
namespace {

// The scanned field behind a Bytes operand: a plain field, or lower()/upper() of one (then the
// literal must already be in that case and is matched caselessly).
struct Subject {
  FieldId field;
  int fold = 0;  // 0 none, -1 lower(), +1 upper()
};

std::optional<Subject> SubjectOf(const Expr& e) {
  if (e.mapped || !(e.type == Type::Bytes())) return std::nullopt;
  if (e.kind == ExprKind::kField) return Subject{e.field->id, 0};
  if (e.kind == ExprKind::kCall && e.children.size() == 1 && e.children[0]->kind == ExprKind::kField &&
      (e.function->name == "lower" || e.function->name == "upper")) {
    return Subject{e.children[0]->field->id, e.function->name == "lower" ? -1 : 1};
  }
  return std::nullopt;
}

// The atom "subject contains literal", if one can be stated.
std::optional<Atom> LiteralAtom(const Subject& s, const std::string& literal, bool caseless) {
  if (literal.empty()) return std::nullopt;
  if (s.fold != 0) {
    // lower(f) contains "abc" implies f contains "abc" ignoring case; "aBc" can never match.
    std::string folded = s.fold < 0 ? ToLower(literal) : ToUpper(literal);
    if (folded != literal) return std::nullopt;
    caseless = true;
  }
  return Atom{s.field, literal, false, caseless};
}

Requirement Single(std::optional<Atom> atom) {
  if (!atom) return std::nullopt;
  return std::vector<Atom>{*std::move(atom)};
}

// The longest literal run of a wildcard pattern.
std::string LongestPiece(std::string_view pattern) {
  std::string best;
  std::string current;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
      current.push_back(pattern[++i]);
    } else if (c == '*') {
      if (current.size() > best.size()) best = current;
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return current.size() > best.size() ? current : best;
}

// The header a comparison's operand looks up: http.request.headers["name"] or ...["name"][i].
// Keys are compared with the map's lower-cased names, so a key with upper case never matches;
// such a lookup gets no requirement (it would be the empty set, which a prefilter cannot state).
std::optional<std::string> HeaderLookup(const Expr& e) {
  const Expr* lookup = &e;
  if (lookup->mapped || lookup->kind != ExprKind::kIndex) return std::nullopt;
  if (lookup->children[0]->kind == ExprKind::kIndex) {
    if (lookup->children[1]->kind != ExprKind::kIntLiteral) return std::nullopt;
    lookup = lookup->children[0].get();
  }
  const Expr& map = *lookup->children[0];
  const Expr& key = *lookup->children[1];
  if (lookup->mapped || map.kind != ExprKind::kField || map.field->id != FieldId::kHeaders ||
      key.kind != ExprKind::kStringLiteral || key.text.empty() || ToLower(key.text) != key.text ||
      key.text.find('\n') != std::string::npos) {
    return std::nullopt;
  }
  return key.text;
}

bool IsClientIp(const Expr& e) {
  return !e.mapped && e.kind == ExprKind::kField && e.field->id == FieldId::kIpSrc;
}

// The bytes every address of [low, high] starts with (an IPv4 range shares at least the
// IPv4-mapped prefix).
std::string SharedPrefix(const IpAddress& low, const IpAddress& high) {
  std::string prefix;
  for (size_t i = 0; i < low.bytes.size() && low.bytes[i] == high.bytes[i]; ++i) {
    prefix.push_back(static_cast<char>(low.bytes[i]));
  }
  return prefix;
}

Atom IpAtom(const IpAddress& low, const IpAddress& high) {
  return Atom{FieldId::kIpSrc, SharedPrefix(low, high), false, false, ScanText::kIpBytes};
}

class Extractor {
 public:
  Extractor(RegexAtomValidator validate, size_t max_atoms) : validate_(validate), max_(max_atoms) {}

  Requirement Of(const Expr& e) {
    Requirement r = Raw(e);
    if (r && (r->empty() || r->size() > max_)) return std::nullopt;
    return r;
  }

 private:
  Requirement Raw(const Expr& e) {
    if (e.mapped) return std::nullopt;
    switch (e.kind) {
      case ExprKind::kLogical:
        if (e.logical_op == LogicalOp::kAnd) return And(e);
        if (e.logical_op == LogicalOp::kOr) return Or(e);
        return std::nullopt;
      case ExprKind::kCompare:
        return Compare(e);
      case ExprKind::kInSet:
        return InSet(e);
      case ExprKind::kInList:
        return InList(e);
      case ExprKind::kCall:
        return Call(e);
      default:
        return std::nullopt;
    }
  }

  // Any operand's requirement is necessary; the one with the fewest atoms filters best.
  Requirement And(const Expr& e) {
    Requirement best;
    for (const auto& child : e.children) {
      Requirement r = Of(*child);
      if (r && (!best || r->size() < best->size())) best = std::move(r);
    }
    return best;
  }

  Requirement Or(const Expr& e) {
    std::vector<Atom> all;
    for (const auto& child : e.children) {
      Requirement r = Of(*child);
      if (!r) return std::nullopt;
      all.insert(all.end(), r->begin(), r->end());
    }
    return all;
  }

  Requirement Compare(const Expr& e) {
    if (std::optional<std::string> header = HeaderLookup(*e.children[0])) {
      return std::vector<Atom>{
          Atom{FieldId::kHeaders, "\n" + *header + "\n", false, false, ScanText::kHeaderNames}};
    }
    const Expr& rhs = *e.children[1];
    if (IsClientIp(*e.children[0]) && rhs.kind == ExprKind::kIpLiteral &&
        e.compare_op == CompareOp::kEq) {
      return std::vector<Atom>{IpAtom(rhs.ip, rhs.ip)};
    }
    std::optional<Subject> s = SubjectOf(*e.children[0]);
    if (!s || rhs.kind != ExprKind::kStringLiteral) return std::nullopt;
    switch (e.compare_op) {
      case CompareOp::kEq:
      case CompareOp::kContains:
        return Single(LiteralAtom(*s, rhs.text, false));
      case CompareOp::kWildcard:
      case CompareOp::kStrictWildcard: {
        bool caseless = e.compare_op == CompareOp::kWildcard;
        std::string piece = LongestPiece(rhs.text);
        if (s->fold != 0 && caseless) return std::nullopt;  // folding twice: keep it simple
        return Single(LiteralAtom(*s, piece, caseless));
      }
      case CompareOp::kMatches:
        if (s->fold != 0 || validate_ == nullptr || !validate_(rhs.text)) return std::nullopt;
        return std::vector<Atom>{Atom{s->field, rhs.text, true, false}};
      default:
        return std::nullopt;
    }
  }

  Requirement InSet(const Expr& e) {
    std::vector<std::string_view> literals;
    std::vector<IpRange> ranges;
    for (const SetItem& item : e.set_items) {
      if (item.kind == SetItem::Kind::kIp || item.kind == SetItem::Kind::kIpRange) {
        ranges.push_back(item.ip);
      } else if (item.kind == SetItem::Kind::kString) {
        literals.push_back(item.text);
      } else {
        return std::nullopt;
      }
    }
    return Members(*e.children[0], literals, ranges);
  }

  // `in $list`: the list's members, as for a set (a list too long for the atom limit gets none).
  Requirement InList(const Expr& e) {
    if (e.set == nullptr || e.set->bytes().size() + e.set->ip_ranges().size() > max_) {
      return std::nullopt;
    }
    // Members come from a hash set: sorted, so equal lists give equal patterns (and digests).
    std::vector<std::string_view> literals(e.set->bytes().begin(), e.set->bytes().end());
    std::sort(literals.begin(), literals.end());
    return Members(*e.children[0], literals, e.set->ip_ranges());
  }

  // `subject in {...}` for a set or a list: a literal atom per member of a Bytes subject; for
  // ip.src, the bytes all of a member range's addresses start with. An empty member, or one a
  // folded subject can reach without the literal, leaves no requirement.
  Requirement Members(const Expr& subject, const std::vector<std::string_view>& literals,
                      const std::vector<IpRange>& ranges) {
    std::vector<Atom> atoms;
    if (IsClientIp(subject)) {
      if (!literals.empty()) return std::nullopt;
      for (const IpRange& range : ranges) {
        Atom atom = IpAtom(range.low, range.high);
        if (atom.pattern.empty()) return std::nullopt;  // e.g. ::/0: any address
        atoms.push_back(std::move(atom));
      }
      return atoms;
    }
    std::optional<Subject> s = SubjectOf(subject);
    if (!s || !ranges.empty()) return std::nullopt;
    for (std::string_view literal : literals) {
      std::optional<Atom> atom = LiteralAtom(*s, std::string(literal), false);
      if (!atom) {
        if (s->fold == 0 || literal.empty()) return std::nullopt;
        continue;  // can never equal a folded value
      }
      atoms.push_back(*std::move(atom));
    }
    return atoms;
  }

  Requirement Call(const Expr& e) {
    if (e.function->name != "starts_with" && e.function->name != "ends_with") return std::nullopt;
    std::optional<Subject> s = SubjectOf(*e.children[0]);
    if (!s || e.children[1]->kind != ExprKind::kStringLiteral) return std::nullopt;
    return Single(LiteralAtom(*s, e.children[1]->text, false));
  }

  RegexAtomValidator validate_;
  size_t max_;
};

}  // namespace

Requirement ExtractRequirement(const Expr& filter, RegexAtomValidator validate_regex,
                               size_t max_atoms) {
  return Extractor(validate_regex, max_atoms).Of(filter);
}

}  // namespace gatehouse::rules
