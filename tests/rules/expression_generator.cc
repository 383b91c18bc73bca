#include "tests/rules/expression_generator.h"

#include "rules/strings.h"

namespace gatehouse::rules::testing {
namespace {

const char* const kBytesFields[] = {
    "http.request.method",
    "http.request.uri",
    "http.request.uri.path",
    "http.request.uri.path.extension",
    "http.request.uri.query",
    "http.request.full_uri",
    "raw.http.request.uri.path",
    "http.host",
    "http.user_agent",
    "http.referer",
    "http.cookie",
    "http.x_forwarded_for",
    "http.request.version",
    "http.request.body.raw",
    "http.request.body.mime",
    "cf.ray_id",
    "ip.src.country",
    "ip.geoip.country",
    "ip.src.city",
    "ip.src.subdivision_1_iso_code",
    "ip.src.lat",
    "ip.src.timezone.name",
    "ip.src.metro_code",
};
const char* const kHeaderNames[] = {"user-agent", "x-a", "cookie", "accept", "x-missing"};
const char* const kArgNames[] = {"q", "id", "x", "nope"};
const char* const kWords[] = {
    "GET",      "POST",    "/admin", "/api/",       "admin",
    "a",        "x",       "",       "example.com", "www.example.com",
    "curl/8.0", "Mozilla", ".php",   "php",         "1",
    "id=1",     "b",       "ADMIN",  "%2e",         "\\xff",
    "GB",       "GB-ENG",  "London", "text/plain",  "image/png",
    "en",       "a.txt",
};
const char* const kPatterns[] = {"^/admin", "(?i)curl", "\\\\d+", "^$", "a|b", "[a-z]+\\\\.php$", "x"};
const char* const kGlobs[] = {"*", "/admin*", "*.php", "*example*", "www.*.com", "", "*a*b*"};
const char* const kPaths[] = {"/", "/admin/x", "/api/v1/users?id=1", "/a/../admin/./b.php?q=1&q=2",
                              "/index.html?x=%2e&id=7", "/ADMIN/Login.PHP", "//api//x?q="};
const char* const kIps[] = {"10.1.2.3", "192.0.2.1", "203.0.113.9", "2001:db8::1", "::1", "198.51.100.3"};
const char* const kAgents[] = {"curl/8.0", "Mozilla/5.0", "sqlmap", "", "\xff\xfe bot"};
const char* const kArrays[] = {"http.request.headers.names",
                               "http.request.headers.values",
                               "http.request.uri.args.values",
                               "http.request.headers[\"x-a\"]",
                               "http.request.cookies[\"a\"]",
                               "http.request.accepted_languages",
                               "http.request.body.form.names",
                               "http.request.body.form.values",
                               "http.request.body.form[\"a\"]",
                               "http.request.body.multipart.values",
                               "http.request.body.multipart.filenames[0]",
                               "http.request.body.multipart.names[1]"};
const char* const kBase64Flags[] = {"", "u", "p", "up"};
const char* const kMaps[] = {"http.request.headers", "http.request.uri.args",
                             "http.request.cookies", "http.request.body.form",
                             "http.request.body.multipart"};
// Where the generated requests' clients are: nowhere known (no database), or one of these.
const GeoLocation kLocations[] = {
    {.country = "GB",
     .continent = "EU",
     .city = "London",
     .region = "England",
     .region_code = "ENG",
     .subdivision_1_iso_code = "GB-ENG",
     .lat = "51.5142",
     .lon = "-0.0931",
     .timezone_name = "Europe/London",
     .asnum = 64500},
    {.country = "FR",
     .continent = "EU",
     .is_in_european_union = true,
     .subdivision_1_iso_code = "FR-IDF",
     .timezone_name = "Europe/Paris",
     .asnum = 7},
    {.country = "US", .continent = "NA", .region_code = "TX", .metro_code = "623", .asnum = 80},
};
const char* const kBodies[] = {
    "",
    "{\"a\": \"admin\", \"n\": 7}",
    "{\"s\": \"x\", \"n\": \"7\"}",
    "not json",
    "YWRtaW4=",
    "a=admin&b=1&a=x%20y",
    "\x89PNG\r\n\x1a\nIHDR",
    "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nadmin\r\n--B\r\n"
    "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n"
    "\r\nx\r\n--B--\r\n"};
const char* const kContentTypes[] = {"application/x-www-form-urlencoded",
                                     "multipart/form-data; boundary=B", "application/json"};
const char* const kLanguages[] = {"en-GB, en;q=0.8, fr;q=0", "da, *;q=0.1", "en"};
// Tokens for is_timed_hmac_valid_v0("k", concat("/t", token), ...), issued at 1700000000: valid
// in the standard (percent-encoded) and URL-safe ("s") encodings, then a forged one.
const char* const kTokens[] = {
    "1700000000-emvMYRTWLn043LC3KOS1O1MoHvfu%2BGWHJv2IkBRISG0%3D",
    "1700000000-emvMYRTWLn043LC3KOS1O1MoHvfu-GWHJv2IkBRISG0",
    "1700000000-mHq0y0Arq4CvJqyU07S5%2FpWzJvQuhINr0rBZrHTgqEM%3D",
};

}  // namespace

ExpressionGenerator::ExpressionGenerator(uint64_t seed, bool response_phase)
    : rng_(seed), response_phase_(response_phase) {
  for (const GeoLocation& location : kLocations) locators_.emplace_back(location);
}

std::vector<NamedListDefinition> ExpressionGenerator::Lists() {
  return {{"ips", "ip", {"10.0.0.0/8", "2001:db8::/32", "198.51.100.0..198.51.100.5"}},
          {"ports", "int", {"0", "80", "7", "1..3"}},
          {"agents", "bytes", {"curl/8.0", "sqlmap", ""}}};
}

std::string ExpressionGenerator::Quote(const std::string& s) { return Cat("\"", s, "\""); }

std::string ExpressionGenerator::BytesLiteral() { return Quote(OneOf(kWords)); }

std::string ExpressionGenerator::BytesValue(int depth) {
  int choice = static_cast<int>(Pick(depth <= 0 ? 4 : 17));
  switch (choice) {
    case 0:
    case 1:
      return OneOf(kBytesFields);
    case 2:
      return Cat("http.request.headers[\"", OneOf(kHeaderNames), "\"][", Pick(3), "]");
    case 3:
      return Chance(50) ? BytesLiteral()
                        : Cat("http.request.uri.args[\"", OneOf(kArgNames), "\"][", Pick(2), "]");
    case 4:
      return Cat(Chance(50) ? "lower(" : "upper(", BytesValue(depth - 1), ")");
    case 5:
      return Cat("concat(", BytesValue(depth - 1), ", ", BytesValue(depth - 1), ")");
    case 6:
      return Cat("url_decode(", BytesValue(depth - 1), Chance(30) ? ", \"r\")" : ")");
    case 7:
      return Cat("substring(", BytesValue(depth - 1), ", ", static_cast<int>(Pick(7)) - 3,
                 Chance(50) ? Cat(", ", static_cast<int>(Pick(9)) - 4) : "", ")");
    case 8:
      return Cat("to_string(", IntValue(depth - 1), ")");
    case 9:
      return Cat("join(split(", BytesValue(depth - 1), ", \"/\", ", 1 + Pick(4), "), \"|\")");
    case 10:
      return Cat("remove_bytes(", BytesValue(depth - 1), ", \"a/\")");
    case 11:
      return Cat("lookup_json_string(http.request.body.raw, \"", Chance(50) ? "a" : "s", "\")");
    case 12:
      return Cat("http.request.cookies[\"", Chance(50) ? "a" : "b", "\"][0]");
    case 13:
      return Cat("encode_base64(",
                 Chance(50) ? BytesValue(depth - 1) : Cat("sha256(", BytesValue(depth - 1), ")"),
                 Chance(50) ? Cat(", \"", OneOf(kBase64Flags), "\")") : ")");
    case 14:
      // A function's array over [*], indexed.
      return Cat(Chance(50) ? "lower(" : "url_decode(", OneOf(kArrays), "[*])[", Pick(3), "]");
    case 15:
      return Cat("sha256(", BytesValue(depth - 1), ")");
    default:
      return Cat("decode_base64(", BytesValue(depth - 1), ")");
  }
}

std::string ExpressionGenerator::RewriteValue(int depth) {
  switch (Pick(5)) {
    case 0:
      return Cat("remove_query_args(",
                 Chance(50) ? "http.request.uri.query" : "raw.http.request.uri.query", ", \"",
                 OneOf(kArgNames), Chance(50) ? "\")" : Cat("\", \"", OneOf(kArgNames), "\")"));
    case 1:
      return Cat("uuidv4(", BytesValue(depth - 1), ")");
    default:
      return BytesValue(depth);
  }
}

std::string ExpressionGenerator::IntValue(int depth) {
  switch (Pick(depth <= 0 ? 3 : 8)) {
    case 0:
      return response_phase_ && Chance(50) ? "http.response.code" : "http.request.body.size";
    case 1:
      return Cat(static_cast<int>(Pick(12)) - 2);
    case 2: {
      const char* fields[] = {"http.request.timestamp.sec", "http.request.timestamp.msec",
                              "ip.src.asnum", "ip.geoip.asnum"};
      return OneOf(fields);
    }
    case 3:
      return Cat("len(", BytesValue(depth - 1), ")");
    case 4:
      return "lookup_json_integer(http.request.body.raw, \"n\")";
    case 5:
      // The number of elements of a function's array over [*].
      return Cat("len(lower(", OneOf(kArrays), "[*]))");
    case 6:
      return Cat("len(", Chance(50) ? "lower(" : "upper(", OneOf(kArrays), "[*])[", Pick(3), "])");
    default:
      return Cat("len(http.request.headers[\"", OneOf(kHeaderNames), "\"])");
  }
}

std::string ExpressionGenerator::Comparison(int depth) {
  switch (Pick(19)) {
    case 0:
    case 1: {
      const char* ops[] = {"eq", "ne", "lt", "le", "gt", "ge", "contains", "==", "!="};
      return Cat(BytesValue(depth), " ", OneOf(ops), " ",
                 Chance(80) ? BytesLiteral() : BytesValue(depth - 1));
    }
    case 2:
      return Cat(BytesValue(depth), Chance(50) ? " matches " : " ~ ", Quote(OneOf(kPatterns)));
    case 3:
      return Cat(BytesValue(depth), Chance(50) ? " wildcard " : " strict wildcard ",
                 Quote(OneOf(kGlobs)));
    case 4:
      return Cat(BytesValue(depth), " in {", BytesLiteral(), " ", BytesLiteral(), "}");
    case 5: {
      const char* ops[] = {"eq", "ne", "lt", "le", "gt", "ge", "&"};
      return Cat(IntValue(depth), " ", OneOf(ops), " ", IntValue(depth - 1));
    }
    case 6:
      return Cat(IntValue(depth), " in {", Pick(3), "..", 3 + Pick(10), " 80}");
    case 7:
      return Chance(50) ? Cat("ip.src eq ", OneOf(kIps)) : Cat("ip.src ne ", OneOf(kIps));
    case 8:
      return Chance(50) ? "ip.src in {10.0.0.0/8 ::1 192.0.2.0..192.0.2.9}" : "ip.src in $ips";
    case 9:
      return Chance(50) ? Cat(BytesValue(depth), " in $agents") : Cat(IntValue(depth), " in $ports");
    case 10:
      return Cat(Chance(50) ? "starts_with(" : "ends_with(", BytesValue(depth), ", ",
                 BytesLiteral(), ")");
    case 11: {
      // The shorter form, and Cloudflare's: a function's array indexed again with [*].
      const char* forms[] = {"(", "lower(", "lower(", "upper("};
      const char* ops[] = {"eq", "contains", "ne"};
      std::string form = OneOf(forms);
      return Cat(Chance(50) ? "any(" : "all(", form, OneOf(kArrays), "[*])",
                 form != "(" && Chance(50) ? "[*] " : " ", OneOf(ops), " ", BytesLiteral(), ")");
    }
    case 14:
      return Cat(Chance(50) ? Cat("cidr(ip.src, ", 1 + Pick(32), ", ", 1 + Pick(128), ")")
                            : Cat("cidr6(ip.src, ", 1 + Pick(128), ")"),
                 Chance(50) ? Cat(" eq ", OneOf(kIps))
                            : " in {10.0.0.0/8 2001:db8::/48 192.0.2.0..192.0.2.9}");
    case 15: {
      const char* keys[] = {"x-a", "q", "a", "id", "cookie", "nope"};
      return Cat("has_key(", OneOf(kMaps), ", \"", OneOf(keys), "\")");
    }
    case 16:
      return Cat("has_value(", Chance(75) ? OneOf(kArrays) : OneOf(kMaps), ", ", BytesLiteral(),
                 ")");
    case 17: {
      const char* messages[] = {"concat(\"/t\", http.request.headers[\"x-token\"][0])",
                                "concat(\"/a\", http.request.headers[\"x-token\"][0])",
                                "http.request.headers[\"x-token\"][0]", "http.request.uri"};
      return Cat("is_timed_hmac_valid_v0(\"k\", ", OneOf(messages), ", ", Pick(150), ", ",
                 Chance(50) ? "1700000000" : Cat(1699999990 + Pick(200)),
                 Chance(30) ? ", 0, \"s\")" : (Chance(50) ? ", 0)" : ")"));
    }
    case 12: {
      const char* flags[] = {"ssl",
                             "http.request.body.truncated",
                             "ip.src.is_in_european_union",
                             "http.request.headers.truncated",
                             "ip.geoip.is_in_european_union",
                             "cf.edge.server_ip in {198.51.100.0/24}",
                             "cf.edge.server_ip eq 203.0.113.80"};
      return OneOf(flags);
    }
    default:
      return Cat("(", Comparison(depth - 1), ") eq (", Comparison(depth - 1), ")");
  }
}

std::string ExpressionGenerator::Filter(int depth) {
  if (depth <= 0 || Chance(35)) return Comparison(2);
  switch (Pick(5)) {
    case 0:
      return Cat("not ", Chance(50) ? Cat("(", Filter(depth - 1), ")") : Comparison(1));
    case 1:
      return Cat(Filter(depth - 1), Chance(50) ? " and " : " && ", Filter(depth - 1));
    case 2:
      return Cat(Filter(depth - 1), Chance(50) ? " or " : " || ", Filter(depth - 1));
    case 3:
      return Cat(Filter(depth - 1), " xor ", Filter(depth - 1));
    default:
      return Cat("(", Filter(depth - 1), ")");
  }
}

std::string ExpressionGenerator::FieldTest() {
  const char* fields[] = {"http.request.uri.path", "http.host", "http.user_agent",
                          "http.request.uri.query", "http.request.full_uri", "http.cookie",
                          "http.request.method", "lower(http.request.uri.path)"};
  const char* words[] = {"admin", "/api/", ".php", "curl", "id=", "example", "login", "wp-",
                         "select", "../", "GET", "POST", "x", "q=1", "sqlmap", "/a"};
  std::string field = OneOf(fields);
  std::string word = Cat(OneOf(words), Chance(30) ? Cat(Pick(50)) : "");
  switch (Pick(7)) {
    case 0: return Cat(field, " contains \"", word, "\"");
    case 1: return Cat("starts_with(", field, ", \"/", word, "\")");
    case 2: return Cat("ends_with(", field, ", \"", word, "\")");
    case 3: return Cat(field, " eq \"", word, "\"");
    case 4: return Cat(field, " wildcard \"*", word, "*\"");
    case 5: return Cat(field, " matches \"", word, "[0-9]+\"");
    default: return Cat(field, " in {\"", word, "\" \"", OneOf(words), "\"}");
  }
}

std::string ExpressionGenerator::RuleLike() {
  switch (Pick(10)) {
    case 0: case 1: case 2: return FieldTest();
    case 3: case 4: return Cat(FieldTest(), " and ", Comparison(1));
    case 5: return Cat("(", FieldTest(), " or ", FieldTest(), ") and not ", FieldTest());
    case 6: return Cat(FieldTest(), " and ip.src in $ips");
    default: return Filter(2);
  }
}

TestRequest ExpressionGenerator::Request() {
  TestRequest r;
  const char* methods[] = {"GET", "POST", "HEAD", "get"};
  r.method = OneOf(methods);
  r.scheme = Chance(50) ? "https" : "http";
  const char* hosts[] = {"example.com", "www.example.com", "api.example.com"};
  r.host = OneOf(hosts);
  r.target = OneOf(kPaths);
  r.client_ip = OneOf(kIps);
  r.timestamp = static_cast<int64_t>(Pick(5));
  r.timestamp_msec = static_cast<int>(Pick(1000));
  r.server_ip = Chance(50) ? "198.51.100.1" : "203.0.113.80";
  r.headers_truncated = Chance(10);
  const size_t location = Pick(std::size(kLocations) + 1);
  r.geo = location < std::size(kLocations) ? &locators_[location] : nullptr;
  size_t headers = Pick(6);
  for (size_t i = 0; i < headers; ++i) {
    switch (Pick(8)) {
      case 6:
        r.headers.emplace_back("Content-Type", OneOf(kContentTypes));
        break;
      case 7:
        r.headers.emplace_back("Accept-Language", OneOf(kLanguages));
        break;
      case 5:
        r.headers.emplace_back("X-Token", OneOf(kTokens));
        break;
      case 0: r.headers.emplace_back("User-Agent", OneOf(kAgents)); break;
      case 1: r.headers.emplace_back("X-A", OneOf(kWords)); break;
      case 2: r.headers.emplace_back("Cookie", Chance(50) ? "a=1; b=x" : "a=admin"); break;
      case 3: r.headers.emplace_back("Accept", "text/html"); break;
      default: r.headers.emplace_back("x-a", "second"); break;
    }
  }
  r.body = OneOf(kBodies);
  r.body_size = Chance(20) ? 100000 : -1;
  if (response_phase_ && Chance(80)) {
    r.has_response = true;
    const int codes[] = {200, 404, 500, 503};
    r.response_code = OneOf(codes);
    r.response_headers.emplace_back("Server", "x");
  }
  return r;
}

}  // namespace gatehouse::rules::testing
