#include "rules/functions.h"

#include <algorithm>
#include <bitset>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "detect/sqli.h"
#include "detect/xss.h"
#include "re2/re2.h"
#include "rules/function_signatures.h"
#include "rules/ip_address.h"
#include "rules/json_lookup.h"
#include "rules/scheme.h"
#include "rules/strings.h"
#include "rules/url.h"
#include "rules/wildcard.h"

namespace gatehouse::rules {
namespace function_signatures {
namespace {

// --- resolvers with more than fixed scalar parameters ----------------------------------------

Resolution ResolveLen(const Types& t, const Args&) {
  if (t[0] == Type::Bytes() || t[0].is_container()) return Ok(Type::Int());
  return Bad(0, Expected("Bytes, an array or a map", t[0]));
}

Resolution ResolveAnyAll(const Types& t, const Args&) {
  if (t[0] == Type::Array(Type::Bool())) return Ok(Type::Bool());
  return Bad(0, Expected("Array<Bool> (e.g. any(http.request.headers.names[*] eq \"x\"))", t[0]));
}

Resolution ResolveConcat(const Types& t, const Args&) {
  Resolution r = Ok(t[0]);
  if (t[0] == Type::Bytes() || t[0].kind() == Type::Kind::kArray) {
    AllOf(t, 1, t[0], r);
    return r;
  }
  return Bad(0, Expected("Bytes or an array", t[0]));
}

Resolution ResolveUrlDecode(const Types& t, const Args& a) {
  Resolution r = Ok(Type::Bytes());
  if (!AllOf(t, 0, Type::Bytes(), r)) return r;
  if (a.size() == 2) {
    if (!IsStringLiteral(a[1])) return Bad(1, "the options must be a string literal");
    if (a[1]->text.find_first_not_of("ru") != std::string::npos) {
      return Bad(1, "unknown option; expected \"r\" (recursive) and/or \"u\" (%uXXXX)");
    }
  }
  return r;
}

Resolution ResolveEncodeBase64(const Types& t, const Args& a) {
  Resolution r = Ok(Type::Bytes());
  if (!AllOf(t, 0, Type::Bytes(), r)) return r;
  FlagsLiteral(a, 1, "up", "\"u\" (URL-safe alphabet) and/or \"p\" (padding)", r);
  return r;
}

// Cloudflare's remove_query_args() edits the query fields only, not any bytes.
Resolution ResolveRemoveQueryArgs(const Types& t, const Args& a) {
  Resolution r = Ok(Type::Bytes());
  if (!AllOf(t, 0, Type::Bytes(), r)) return r;
  const Expr& query = *a[0];
  if (query.kind != ExprKind::kField ||
      (query.field->id != FieldId::kUriQuery && query.field->id != FieldId::kRawUriQuery)) {
    return Bad(0, "expected the field http.request.uri.query or raw.http.request.uri.query");
  }
  return r;
}

Resolution ResolveToString(const Types& t, const Args&) {
  if (t[0].is_container() || t[0].is_error()) return Bad(0, Expected("Int, Bool, Ip or Bytes", t[0]));
  return Ok(Type::Bytes());
}

Resolution ResolveSubstring(const Types& t, const Args&) {
  Resolution r = Ok(Type::Bytes());
  if (!(t[0] == Type::Bytes())) return Bad(0, Expected("Bytes", t[0]));
  AllOf(t, 1, Type::Int(), r);
  return r;
}

Resolution ResolveSplit(const Types& t, const Args& a) {
  Resolution r = Fixed<Type::Bytes, Type::Bytes, Type::Bytes, Type::Int>(t, a);
  if (!r.error.empty()) return r;
  if (a[2]->kind != ExprKind::kIntLiteral || a[2]->int_value < 1 || a[2]->int_value > 128) {
    return Bad(2, "the limit must be an integer literal from 1 to 128");
  }
  return Ok(Type::Array(Type::Bytes()));
}

Resolution ResolveJoin(const Types& t, const Args&) {
  if (!(t[0] == Type::Array(Type::Bytes()))) return Bad(0, Expected("Array<Bytes>", t[0]));
  if (!(t[1] == Type::Bytes())) return Bad(1, Expected("Bytes", t[1]));
  return Ok(Type::Bytes());
}

Resolution ResolveJsonLookup(const Types& t, const Args&, Type result) {
  if (!(t[0] == Type::Bytes())) return Bad(0, Expected("Bytes (the JSON text)", t[0]));
  for (size_t i = 1; i < t.size(); ++i) {
    if (!(t[i] == Type::Bytes() || t[i] == Type::Int())) {
      return Bad(static_cast<int>(i), Expected("Bytes (an object key) or Int (an array index)", t[i]));
    }
  }
  return Ok(std::move(result));
}
Resolution ResolveJsonString(const Types& t, const Args& a) { return ResolveJsonLookup(t, a, Type::Bytes()); }
Resolution ResolveJsonInteger(const Types& t, const Args& a) { return ResolveJsonLookup(t, a, Type::Int()); }

Resolution ResolveRegexReplace(const Types& t, const Args& a) {
  Resolution r = Fixed<Type::Bytes, Type::Bytes, Type::Bytes, Type::Bytes>(t, a);
  if (!r.error.empty()) return r;
  if (!IsStringLiteral(a[1])) return Bad(1, "the regex must be a string literal");
  if (!IsStringLiteral(a[2])) return Bad(2, "the replacement must be a string literal");
  return r;
}

Resolution ResolveWildcardReplace(const Types& t, const Args& a) {
  Resolution r = Ok(Type::Bytes());
  if (!AllOf(t, 0, Type::Bytes(), r)) return r;
  for (size_t i = 1; i < a.size(); ++i) {
    if (!IsStringLiteral(a[i])) return Bad(static_cast<int>(i), "expected a string literal");
  }
  if (a.size() == 4 && a[3]->text != "" && a[3]->text != "s") {
    return Bad(3, "unknown flags; expected \"s\" (case-sensitive) or \"\"");
  }
  WildcardPattern pattern(a[1]->text);
  if (HighestReplacementReference(a[2]->text) > pattern.star_count()) {
    return Bad(2, Cat("the replacement refers to a capture the pattern does not have (",
                               pattern.star_count(), " '*' in the pattern)"));
  }
  return r;
}

// --- evaluators -------------------------------------------------------------------------------

Value Lower(const Expr&, std::vector<Value>& a) { return Value::Bytes(ToLower(BytesArg(a, 0))); }
Value Upper(const Expr&, std::vector<Value>& a) { return Value::Bytes(ToUpper(BytesArg(a, 0))); }

Value Len(const Expr&, std::vector<Value>& a) {
  if (const auto* b = a[0].as_bytes()) return Value::Int(static_cast<int64_t>(b->size()));
  if (const auto* v = a[0].as_array()) return Value::Int(static_cast<int64_t>(v->size()));
  if (const auto* m = a[0].as_map()) return Value::Int(static_cast<int64_t>(m->size()));
  return Value::Missing();
}

Value StartsWith(const Expr&, std::vector<Value>& a) {
  return Value::Bool(std::string_view(BytesArg(a, 0)).starts_with(BytesArg(a, 1)));
}
Value EndsWith(const Expr&, std::vector<Value>& a) {
  return Value::Bool(std::string_view(BytesArg(a, 0)).ends_with(BytesArg(a, 1)));
}

// A missing array (e.g. an absent header's values) makes both any() and all() false.
Value Any(const Expr&, std::vector<Value>& a) {
  const Value::Array* items = a[0].as_array();
  if (items == nullptr) return Value::Bool(false);
  return Value::Bool(std::any_of(items->begin(), items->end(), [](const Value& v) { return v.IsTrue(); }));
}
Value All(const Expr&, std::vector<Value>& a) {
  const Value::Array* items = a[0].as_array();
  if (items == nullptr) return Value::Bool(false);
  return Value::Bool(std::all_of(items->begin(), items->end(), [](const Value& v) { return v.IsTrue(); }));
}

Value Concat(const Expr&, std::vector<Value>& a) {
  if (a[0].as_bytes() != nullptr) {
    std::string out;
    for (const Value& v : a) out += *v.as_bytes();
    return Value::Bytes(std::move(out));
  }
  Value::Array out;
  for (const Value& v : a) out.insert(out.end(), v.as_array()->begin(), v.as_array()->end());
  return Value::MakeArray(std::move(out));
}

Value UrlDecodeFn(const Expr&, std::vector<Value>& a) {
  return Value::Bytes(UrlDecode(BytesArg(a, 0), a.size() > 1 ? BytesArg(a, 1) : ""));
}

Value ToString(const Expr&, std::vector<Value>& a) {
  if (const auto* i = a[0].as_int()) return Value::Bytes(Cat(*i));
  if (const auto* b = a[0].as_bool()) return Value::Bytes(*b ? "true" : "false");
  if (const auto* ip = a[0].as_ip()) return Value::Bytes(FormatIpAddress(*ip));
  if (const auto* s = a[0].as_bytes()) return Value::Bytes(*s);
  return Value::Missing();
}

// Negative positions count from the end; positions are clamped to the string.
Value Substring(const Expr&, std::vector<Value>& a) {
  const std::string& s = BytesArg(a, 0);
  int64_t size = static_cast<int64_t>(s.size());
  auto clamp = [size](int64_t i) { return std::clamp(i < 0 ? size + i : i, int64_t{0}, size); };
  int64_t start = clamp(*a[1].as_int());
  int64_t end = a.size() > 2 ? clamp(*a[2].as_int()) : size;
  if (start >= end) return Value::Bytes("");
  return Value::Bytes(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
}

Value RemoveBytes(const Expr&, std::vector<Value>& a) {
  std::bitset<256> remove;
  for (unsigned char c : BytesArg(a, 1)) remove.set(c);
  std::string out;
  for (unsigned char c : BytesArg(a, 0)) {
    if (!remove.test(c)) out.push_back(static_cast<char>(c));
  }
  return Value::Bytes(std::move(out));
}

// At most `limit` items; the last one holds the unsplit rest.
Value Split(const Expr&, std::vector<Value>& a) {
  const std::string& s = BytesArg(a, 0);
  const std::string& separator = BytesArg(a, 1);
  int64_t limit = *a[2].as_int();
  Value::Array out;
  size_t pos = 0;
  while (!separator.empty() && static_cast<int64_t>(out.size()) + 1 < limit) {
    size_t found = s.find(separator, pos);
    if (found == std::string::npos) break;
    out.push_back(Value::Bytes(s.substr(pos, found - pos)));
    pos = found + separator.size();
  }
  out.push_back(Value::Bytes(s.substr(pos)));
  return Value::MakeArray(std::move(out));
}

Value Join(const Expr&, std::vector<Value>& a) {
  std::string out;
  const Value::Array& items = *a[0].as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += BytesArg(a, 1);
    if (const auto* b = items[i].as_bytes()) out += *b;
  }
  return Value::Bytes(std::move(out));
}

// Standard or URL-safe alphabet, padding optional; undecodable input is missing.
Value DecodeBase64(const Expr&, std::vector<Value>& a) {
  std::string out;
  if (absl::Base64Unescape(BytesArg(a, 0), &out) || absl::WebSafeBase64Unescape(BytesArg(a, 0), &out)) {
    return Value::Bytes(std::move(out));
  }
  return Value::Missing();
}

// Cloudflare's default is the standard alphabet without padding; "u" makes it URL-safe, "p"
// pads.
Value EncodeBase64(const Expr&, std::vector<Value>& a) {
  std::string_view flags = a.size() > 1 ? std::string_view(BytesArg(a, 1)) : "";
  bool url_safe = flags.find('u') != std::string_view::npos;
  bool padded = flags.find('p') != std::string_view::npos;
  // absl pads the standard alphabet and not the URL-safe one.
  std::string out =
      url_safe ? absl::WebSafeBase64Escape(BytesArg(a, 0)) : absl::Base64Escape(BytesArg(a, 0));
  if (url_safe && padded) out.append((4 - out.size() % 4) % 4, '=');
  if (!url_safe && !padded) out.erase(out.find_last_not_of('=') + 1);
  return Value::Bytes(std::move(out));
}

// Every occurrence of the named arguments (names as written, not URL-decoded) is removed; the
// others keep their bytes and order. Empty pieces ("a=1&&b") carry no argument and are dropped.
Value RemoveQueryArgs(const Expr&, std::vector<Value>& a) {
  std::string out;
  for (std::string_view argument : rules::Split(BytesArg(a, 0), '&')) {
    if (argument.empty()) continue;
    std::string_view name = SplitOnce(argument, '=').first;
    if (std::any_of(a.begin() + 1, a.end(),
                    [&](const Value& v) { return *v.as_bytes() == name; })) {
      continue;
    }
    if (!out.empty()) out.push_back('&');
    out.append(argument);
  }
  return Value::Bytes(std::move(out));
}

std::vector<JsonPathStep> JsonPath(const std::vector<Value>& a) {
  std::vector<JsonPathStep> path;
  for (size_t i = 1; i < a.size(); ++i) {
    if (const auto* key = a[i].as_bytes()) {
      path.emplace_back(*key);
    } else {
      path.emplace_back(*a[i].as_int());
    }
  }
  return path;
}

Value LookupJsonStringFn(const Expr&, std::vector<Value>& a) {
  std::optional<std::string> found = LookupJsonString(BytesArg(a, 0), JsonPath(a));
  return found ? Value::Bytes(*std::move(found)) : Value::Missing();
}

Value LookupJsonIntegerFn(const Expr&, std::vector<Value>& a) {
  std::optional<int64_t> found = LookupJsonInteger(BytesArg(a, 0), JsonPath(a));
  return found ? Value::Int(*found) : Value::Missing();
}

Value RegexReplace(const Expr& call, std::vector<Value>& a) {
  const std::string& s = BytesArg(a, 0);
  const re2::RE2& re = *call.regex;
  int groups = std::min(re.NumberOfCapturingGroups(), 9) + 1;
  std::vector<re2::StringPiece> match(static_cast<size_t>(groups));
  if (!re.Match(s, 0, s.size(), re2::RE2::UNANCHORED, match.data(), groups)) return Value::Bytes(s);
  std::vector<std::string_view> views;
  for (const auto& m : match) views.emplace_back(m.data() == nullptr ? "" : std::string_view(m.data(), m.size()));
  size_t begin = static_cast<size_t>(match[0].data() - s.data());
  return Value::Bytes(Cat(s.substr(0, begin), ExpandReplacement(BytesArg(a, 2), views),
                                   s.substr(begin + match[0].size())));
}

Value WildcardReplace(const Expr& call, std::vector<Value>& a) {
  const std::string& s = BytesArg(a, 0);
  bool case_sensitive = a.size() > 3 && BytesArg(a, 3) == "s";
  std::vector<std::string_view> captures;
  if (!call.wildcard->Match(s, case_sensitive, &captures)) return Value::Bytes(s);
  captures.insert(captures.begin(), s);
  return Value::Bytes(ExpandReplacement(BytesArg(a, 2), captures));
}

// Gatehouse's own detectors (detect/): a value that reads as SQL injection or as script.
Value DetectSqliFn(const Expr&, std::vector<Value>& a) {
  return Value::Bool(detect::DetectSqli(BytesArg(a, 0)));
}

Value DetectXssFn(const Expr&, std::vector<Value>& a) {
  return Value::Bool(detect::DetectXss(BytesArg(a, 0)));
}

using Bytes1 = Resolution (*)(const Types&, const Args&);
constexpr Bytes1 kBytesToBytes = Fixed<Type::Bytes, Type::Bytes>;
constexpr Bytes1 kBytesToBool = Fixed<Type::Bool, Type::Bytes>;
constexpr Bytes1 kBytesBytesToBool = Fixed<Type::Bool, Type::Bytes, Type::Bytes>;
constexpr Bytes1 kBytesBytesToBytes = Fixed<Type::Bytes, Type::Bytes, Type::Bytes>;

}  // namespace

const std::vector<FunctionDefinition>& StringFunctions() {
  static const auto* functions = new std::vector<FunctionDefinition>{
      {"lower", 1, 1, false, false, false, -1, -1, kBytesToBytes, Lower},
      {"upper", 1, 1, false, false, false, -1, -1, kBytesToBytes, Upper},
      {.name = "len",
       .min_arguments = 1,
       .max_arguments = 1,
       .resolve = ResolveLen,
       .evaluate = Len,
       .accepts_arrays = true},
      {"starts_with", 2, 2, false, false, false, -1, -1, kBytesBytesToBool, StartsWith},
      {"ends_with", 2, 2, false, false, false, -1, -1, kBytesBytesToBool, EndsWith},
      {"any", 1, 1, true, false, true, -1, -1, ResolveAnyAll, Any},
      {"all", 1, 1, true, false, true, -1, -1, ResolveAnyAll, All},
      // Per element on a function's array: concat(lower(x[*]), "!") suffixes each element.
      {"concat", 1, -1, false, false, false, -1, -1, ResolveConcat, Concat},
      {"url_decode", 1, 2, false, false, false, -1, -1, ResolveUrlDecode, UrlDecodeFn},
      {"to_string", 1, 1, false, false, false, -1, -1, ResolveToString, ToString},
      {"substring", 2, 3, false, false, false, -1, -1, ResolveSubstring, Substring},
      {"remove_bytes", 2, 2, false, false, false, -1, -1, kBytesBytesToBytes, RemoveBytes},
      {"split", 3, 3, false, false, false, -1, -1, ResolveSplit, Split},
      {"join", 2, 2, true, false, false, -1, -1, ResolveJoin, Join},
      {"decode_base64", 1, 1, false, false, false, -1, -1, kBytesToBytes, DecodeBase64},
      {"encode_base64", 1, 2, false, false, false, -1, -1, ResolveEncodeBase64, EncodeBase64},
      {"remove_query_args", 2, -1, false, true, false, -1, -1, ResolveRemoveQueryArgs,
       RemoveQueryArgs},
      {"lookup_json_string", 2, -1, false, false, false, -1, -1, ResolveJsonString,
       LookupJsonStringFn},
      {"lookup_json_integer", 2, -1, false, false, false, -1, -1, ResolveJsonInteger,
       LookupJsonIntegerFn},
      {"regex_replace", 3, 3, false, true, false, 1, -1, ResolveRegexReplace, RegexReplace},
      {"wildcard_replace", 3, 4, false, true, false, -1, 1, ResolveWildcardReplace,
       WildcardReplace},
      {"detect_sqli", 1, 1, false, false, false, -1, -1, kBytesToBool, DetectSqliFn},
      {"detect_xss", 1, 1, false, false, false, -1, -1, kBytesToBool, DetectXssFn},
  };
  return *functions;
}

}  // namespace function_signatures

namespace {

// Every family's functions, in one table.
const std::vector<FunctionDefinition>& AllFunctions() {
  static const auto* functions = [] {
    auto* all = new std::vector<FunctionDefinition>();
    for (const auto* family :
         {&function_signatures::StringFunctions(), &function_signatures::IpFunctions(),
          &function_signatures::CollectionFunctions(), &function_signatures::CryptoFunctions()}) {
      all->insert(all->end(), family->begin(), family->end());
    }
    return all;
  }();
  return *functions;
}

}  // namespace

std::string HeaderKeyError(const Expr& map, const Expr& key) {
  if (key.kind != ExprKind::kStringLiteral || map.field == nullptr ||
      (map.field->id != FieldId::kHeaders && map.field->id != FieldId::kResponseHeaders) ||
      ToLower(key.text) == key.text) {
    return "";
  }
  return Cat("header names are lower-cased in ", map.field->name, "; write \"", ToLower(key.text),
             "\"");
}

bool IsArrayFromFunction(const Expr& e) { return e.kind == ExprKind::kCall && e.mapped; }

bool TakesWhole(const FunctionDefinition& f, const Expr& arg) {
  return arg.mapped && (f.consumes_arrays || (f.accepts_arrays && IsArrayFromFunction(arg)));
}

const FunctionDefinition* FindFunction(std::string_view name) {
  for (const FunctionDefinition& f : AllFunctions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view SuggestFunction(std::string_view name) {
  std::string_view best;
  int best_distance = 3;
  for (const FunctionDefinition& f : AllFunctions()) {
    int d = EditDistance(name, f.name);
    if (d < best_distance) {
      best_distance = d;
      best = f.name;
    }
  }
  return best;
}

std::string ExpandReplacement(std::string_view replacement,
                              const std::vector<std::string_view>& groups) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] == '$' && i + 3 < replacement.size() && replacement[i + 1] == '{' &&
        absl::ascii_isdigit(replacement[i + 2]) && replacement[i + 3] == '}') {
      size_t n = static_cast<size_t>(replacement[i + 2] - '0');
      if (n < groups.size()) out.append(groups[n]);
      i += 3;
    } else {
      out.push_back(replacement[i]);
    }
  }
  return out;
}

int HighestReplacementReference(std::string_view replacement) {
  int highest = -1;
  for (size_t i = 0; i + 1 < replacement.size(); ++i) {
    if (replacement[i] != '$' || replacement[i + 1] != '{') continue;
    size_t close = replacement.find('}', i);
    if (close == std::string_view::npos) continue;
    std::string_view digits = replacement.substr(i + 2, close - i - 2);
    if (digits.size() == 1 && absl::ascii_isdigit(digits[0])) {
      highest = std::max(highest, digits[0] - '0');
    } else if (!digits.empty() && std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
      highest = 10;
    }
  }
  return highest;
}

}  // namespace gatehouse::rules
