#include "tests/fuzz/detect_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "detect/html_tokenizer.h"
#include "detect/sql_folder.h"
#include "detect/sql_tokenizer.h"
#include "detect/sqli.h"
#include "detect/xss.h"

namespace gatehouse::testing {
namespace {

std::string Flipped(std::string_view input) {
  std::string out(input);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 32);
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  return out;
}

void CheckSqlTokenizer(std::string_view input) {
  for (char context : {'\0', '\'', '"'}) {
    detect::SqlTokenizer tokenizer(input, context);
    detect::SqlFolder folder(context != '\0');
    detect::SqlToken token{};
    std::size_t tokens = 0;
    while (tokenizer.Next(&token)) {
      ++tokens;
      RequireInvariant(tokens <= input.size() + 1, "the SQL tokenizer made more tokens than bytes",
                       input);
      if (folder.Push(token)) {
        RequireInvariant(folder.size() < detect::SqlFolder::kCapacity, "the folder overflowed",
                         input);
      }
    }
    folder.Finish();
    RequireInvariant(folder.size() <= detect::SqlFolder::kCapacity, "the folder overflowed", input);
  }
}

void CheckHtmlTokenizer(std::string_view input) {
  for (detect::HtmlContext context :
       {detect::HtmlContext::kText, detect::HtmlContext::kInTag,
        detect::HtmlContext::kUnquotedValue, detect::HtmlContext::kSingleQuotedValue,
        detect::HtmlContext::kDoubleQuotedValue}) {
    detect::HtmlTokenizer tokenizer(input, context);
    detect::HtmlToken token;
    std::size_t tokens = 0;
    while (tokenizer.Next(&token)) {
      ++tokens;
      RequireInvariant(tokens <= 2 * input.size() + 2, "the HTML tokenizer does not end", input);
      RequireInvariant(token.text.empty() ||
                           (token.text.data() >= input.data() &&
                            token.text.data() + token.text.size() <= input.data() + input.size()),
                       "an HTML token points outside the input", input);
    }
  }
}

void CheckVerdicts(std::string_view input) {
  detect::SqliFingerprint fingerprint;
  const bool sqli = detect::DetectSqli(input, &fingerprint);
  RequireInvariant(sqli == detect::DetectSqli(input), "the SQL verdict depends on the fingerprint",
                   input);
  RequireInvariant(fingerprint.view().size() <= detect::SqliFingerprint::kMaxTokens,
                   "the fingerprint is too long", input);
  RequireInvariant(!sqli || !fingerprint.view().empty(), "a match without a fingerprint", input);
  const std::string flipped = Flipped(input);
  RequireInvariant(sqli == detect::DetectSqli(flipped), "the SQL verdict depends on letter case",
                   input);

  const bool xss = detect::DetectXss(input);
  RequireInvariant(xss == detect::DetectXss(input), "the XSS verdict changed when asked again",
                   input);
  RequireInvariant(xss == detect::DetectXss(flipped), "the XSS verdict depends on letter case",
                   input);
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  gatehouse::testing::CheckSqlTokenizer(input);
  gatehouse::testing::CheckHtmlTokenizer(input);
  gatehouse::testing::CheckVerdicts(input);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget DetectFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      "'",      "\"",       "`",       "(",        ")",         ",",       ";",
      "--",     "#",        "/*",      "*/",       "/*!50000",  " or ",    " and ",
      "||",     "&&",       "=",       "<>",       " like ",    "1",       "0x41",
      " union", " select ", " from ",  " where ",  "sleep(5)",  "@@",      "N'",
      "$$",     "[",        "]",       " case when ", " exists(", " drop table ", "\\",
      "<",      ">",        "</",      "<!--",     "-->",       "<!",      "<?",
      "=",      " onload=", "<script", "<svg/",    "javascript:", "&#x6a;", "&#106",
      "&colon;", " style=", "expression(", " href=", "\t",      "\n",      "\xc2\xa0",
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing
