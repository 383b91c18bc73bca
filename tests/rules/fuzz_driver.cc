#include "tests/rules/fuzz_driver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

#include "tests/rules/parser_fuzz.h"

namespace gatehouse::rules::testing {
namespace {

// Fragments that make mutations reach deep into the grammar instead of dying in the lexer.
constexpr std::string_view kTokens[] = {
    " and ", " or ", " xor ", " not ", "(", ")", "[", "]", "[*]", "{", "}", ",", "..", " eq ",
    " ne ", " lt ", " ge ", " contains ", " matches ", " wildcard ", " strict wildcard ", " in ",
    " & ", "\"", "\\", "r#\"", "\"#", "$ips", "$ports", "$nope", "http.host", "ip.src",
    "http.request.headers", "http.request.uri.args", "http.response.code", "ssl", "1", "-1",
    "0x10", "10.0.0.0/8", "2001:db8::1", "::", "any(", "all(", "lower(", "len(", "concat(",
    "split(", "substring(", "regex_replace(", "wildcard_replace(", "lookup_json_string(",
    "url_decode(", "\"(?i)a+\"", "\"*.a\"", "${1}", "\n", "\t",
};

std::string Mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < rounds; ++i) {
    size_t at = pick(input.size() + 1);
    switch (rng() % 5) {
      case 0:
        if (!input.empty()) input[pick(input.size())] ^= static_cast<char>(1 << (rng() % 8));
        break;
      case 1:
        input.insert(at, kTokens[pick(std::size(kTokens))]);
        break;
      case 2:
        if (!input.empty()) input.erase(pick(input.size()), 1 + pick(8));
        break;
      case 3: {
        const std::string& other = corpus[pick(corpus.size())];
        size_t from = pick(other.size() + 1);
        input.insert(at, other.substr(from, pick(other.size() - from + 1)));
        break;
      }
      default:
        input.insert(at, 1, static_cast<char>(rng() % 256));
        break;
    }
  }
  return input;
}

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

}  // namespace

std::vector<std::string> ReadCorpus(const std::string& directory) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> corpus;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    corpus.push_back(text.str());
  }
  return corpus;
}

int64_t RunFuzzer(const std::vector<std::string>& corpus, int64_t iterations, uint64_t seed) {
  int64_t runs = 0;
  for (const std::string& input : corpus) {
    Run(input);
    ++runs;
  }
  if (corpus.empty()) return runs;
  std::mt19937_64 rng(seed);
  for (int64_t i = 0; i < iterations; ++i) {
    Run(Mutate(corpus[static_cast<size_t>(rng() % corpus.size())], corpus, rng));
    ++runs;
  }
  return runs;
}

}  // namespace gatehouse::rules::testing
