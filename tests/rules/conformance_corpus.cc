#include "tests/rules/conformance_corpus.h"

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "rules/strings.h"

namespace gatehouse::rules::testing {
namespace {

absl::StatusOr<std::string> Unescape(std::string_view text, int line) {
  std::string out;
  std::string error;
  if (!absl::CUnescape(ToAbsl(text), &out, &error)) {
    return absl::InvalidArgumentError(Cat("line ", line, ": ", error));
  }
  return out;
}

// Splits "key rest of line" at the first space.
std::pair<std::string_view, std::string_view> Word(std::string_view line) {
  line = StripWhitespace(line);
  size_t space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), StripWhitespace(line.substr(space + 1))};
}

std::pair<std::string, std::string> Header(std::string_view value) {
  auto [name, rest] = SplitOnce(value, ':');
  return {std::string(StripWhitespace(name)), std::string(StripWhitespace(rest))};
}

// Sets one member of a location from a `geo KEY VALUE` line; false for an unknown key.
bool SetGeo(std::string_view key, const std::string& value, GeoLocation& geo) {
  if (key == "is_in_european_union") {
    geo.is_in_european_union = value == "true";
    return true;
  }
  if (key == "asnum") return absl::SimpleAtoi(value, &geo.asnum);
  const std::pair<std::string_view, std::string*> texts[] = {
      {"country", &geo.country},
      {"continent", &geo.continent},
      {"city", &geo.city},
      {"postal_code", &geo.postal_code},
      {"region", &geo.region},
      {"region_code", &geo.region_code},
      {"subdivision_1_iso_code", &geo.subdivision_1_iso_code},
      {"subdivision_2_iso_code", &geo.subdivision_2_iso_code},
      {"lat", &geo.lat},
      {"lon", &geo.lon},
      {"timezone_name", &geo.timezone_name},
      {"metro_code", &geo.metro_code},
  };
  for (const auto& [name, member] : texts) {
    if (name == key) {
      *member = value;
      return true;
    }
  }
  return false;
}

}  // namespace

const ConformanceRequest* ConformanceCorpus::FindRequest(std::string_view name) const {
  for (const ConformanceRequest& r : requests) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

void SetUrl(std::string_view url, TestRequest& request) {
  size_t scheme_end = url.find("://");
  request.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t path = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path);
  request.host = std::string(authority.substr(0, authority.find(':')));
  request.target = path == std::string_view::npos ? "/" : std::string(rest.substr(path));
  if (!request.target.empty() && request.target[0] == '?') request.target = "/" + request.target;
}

absl::StatusOr<ConformanceCorpus> ParseConformanceCorpus(std::string_view text) {
  ConformanceCorpus corpus;
  int line_number = 0;
  ConformanceRequest* current = nullptr;
  for (std::string_view raw_line : Split(text, '\n')) {
    ++line_number;
    std::string_view line = StripWhitespace(raw_line);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](std::string_view why) {
      return absl::InvalidArgumentError(Cat("line ", line_number, ": ", why));
    };
    if (line.starts_with("[request ") && line.ends_with("]")) {
      corpus.requests.emplace_back();
      current = &corpus.requests.back();
      current->name = std::string(line.substr(9, line.size() - 10));
      continue;
    }
    auto [key, value] = Word(line);
    if (key == "list") {
      auto [name, rest] = Word(value);
      auto [kind, items] = Word(rest);
      NamedListDefinition list{std::string(name), std::string(kind), {}};
      for (std::string_view item : Split(items, ' ')) {
        if (!item.empty()) list.items.emplace_back(item);
      }
      corpus.lists.push_back(std::move(list));
      continue;
    }
    if (key == "true" || key == "false" || key == "error" || line[0] == '"') {
      if (current == nullptr) return fail("a case before any [request]");
      ConformanceCase c;
      c.line = line_number;
      c.request_name = current->name;
      c.phase = current->phase;
      if (line[0] == '"') {
        size_t end = 1;
        while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
        if (end >= line.size()) return fail("unterminated expected value");
        absl::StatusOr<std::string> v = Unescape(line.substr(1, end - 1), line_number);
        if (!v.ok()) return v.status();
        c.expect = ConformanceCase::Expect::kValue;
        c.value = *std::move(v);
        c.expression = std::string(StripWhitespace(line.substr(end + 1)));
      } else {
        c.expect = key == "true"    ? ConformanceCase::Expect::kTrue
                   : key == "false" ? ConformanceCase::Expect::kFalse
                                    : ConformanceCase::Expect::kError;
        c.expression = std::string(value);
      }
      corpus.cases.push_back(std::move(c));
      continue;
    }
    if (current == nullptr) return fail(Cat("unknown line '", line, "'"));
    absl::StatusOr<std::string> unescaped = Unescape(value, line_number);
    if (!unescaped.ok()) return unescaped.status();
    std::string v = *std::move(unescaped);
    TestRequest& r = current->request;
    int64_t number = 0;
    if (key == "phase") {
      current->phase = v;
    } else if (key == "method") {
      r.method = v;
    } else if (key == "url") {
      SetUrl(v, r);
    } else if (key == "header") {
      r.headers.push_back(Header(v));
      // http.host follows the Host header when there is one.
      if (EqualsIgnoreCase(r.headers.back().first, "host")) {
        r.host = r.headers.back().second.substr(0, r.headers.back().second.find(':'));
      }
    } else if (key == "response_header") {
      r.response_headers.push_back(Header(v));
    } else if (key == "client_ip") {
      r.client_ip = v;
    } else if (key == "server_ip") {
      r.server_ip = v;
    } else if (key == "ray_id") {
      r.ray_id = v;
    } else if (key == "random_seed") {
      r.random_seed = v;
    } else if (key == "headers_truncated") {
      r.headers_truncated = v == "true";
    } else if (key == "timestamp_msec" && absl::SimpleAtoi(v, &number)) {
      r.timestamp_msec = static_cast<int>(number);
    } else if (key == "geo") {
      auto [geo_key, geo_value] = Word(v);
      GeoLocation location = current->geo != nullptr ? current->geo->location() : GeoLocation();
      if (!SetGeo(geo_key, std::string(geo_value), location)) {
        return fail(Cat("unknown geo key '", geo_key, "'"));
      }
      current->geo = std::make_shared<const FixedGeoLocator>(std::move(location));
      r.geo = current->geo.get();
    } else if (key == "body") {
      r.body = v;
    } else if (key == "version") {
      r.version = v;
    } else if (key == "body_size" && absl::SimpleAtoi(v, &number)) {
      r.body_size = number;
    } else if (key == "timestamp" && absl::SimpleAtoi(v, &number)) {
      r.timestamp = number;
    } else if (key == "response" && absl::SimpleAtoi(v, &number)) {
      r.has_response = true;
      r.response_code = static_cast<int>(number);
    } else {
      return fail(Cat("unknown line '", line, "'"));
    }
  }
  return corpus;
}

const ConformanceCorpus& TheConformanceCorpus() {
  static constexpr char kCorpusPath[] = "tests/rules/conformance.txt";
  static const ConformanceCorpus* corpus = [] {
    std::ifstream in(kCorpusPath, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<ConformanceCorpus> parsed = ParseConformanceCorpus(text.str());
    if (!parsed.ok()) {
      ADD_FAILURE() << kCorpusPath << ": " << parsed.status();
      return new ConformanceCorpus();
    }
    return new ConformanceCorpus(*std::move(parsed));
  }();
  return *corpus;
}

}  // namespace gatehouse::rules::testing
