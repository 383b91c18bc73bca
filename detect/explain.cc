// Shows how the SQL detector reads an input in each context: the folded tokens and the verdict.
// A tool for writing and reviewing detector rules.
#include <cstdio>
#include <string>

#include "detect/sql_folder.h"
#include "detect/sql_tokenizer.h"
#include "detect/sqli.h"
#include "detect/xss.h"

namespace {

std::string Folded(std::string_view input, char context) {
  gatehouse::detect::SqlTokenizer tokenizer(input, context);
  gatehouse::detect::SqlFolder folder(context != '\0');
  gatehouse::detect::SqlToken token;
  while (tokenizer.Next(&token) && folder.Push(token)) {
  }
  folder.Finish();
  std::string types;
  for (std::size_t i = 0; i < folder.size(); ++i) {
    types += static_cast<char>(folder.tokens()[i].type);
  }
  return types;
}

}  // namespace

int main(int argc, char** argv) {
  for (int a = 1; a < argc; ++a) {
    std::string_view input(argv[a]);
    gatehouse::detect::SqliFingerprint fingerprint;
    bool sqli = gatehouse::detect::DetectSqli(input, &fingerprint);
    std::printf("%s\n  sqli=%d fingerprint=%.*s  xss=%d\n", argv[a], sqli,
                static_cast<int>(fingerprint.view().size()), fingerprint.view().data(),
                gatehouse::detect::DetectXss(input));
    for (char context : {'\0', '\'', '"'}) {
      std::printf("  context %s: %s\n", context == '\0' ? "none" : context == '\'' ? "'" : "\"",
                  Folded(input, context).c_str());
    }
  }
  return 0;
}
