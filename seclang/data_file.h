#ifndef GATEHOUSE_SECLANG_DATA_FILE_H_
#define GATEHOUSE_SECLANG_DATA_FILE_H_

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::seclang {

// A data file an operator reads (@pmFromFile, @ipMatchFromFile and their short names).
struct DataFile {
  std::string name;     // as the rule writes it ("scanners-user-agents.data")
  std::string path;     // where it was read
  std::string content;  // the file's bytes (part of the ruleset digest)
  std::vector<std::string> entries;
};

// The entries of a data file as ModSecurity 2 reads them: one per line, the line's leading and
// trailing whitespace removed (so "\r\n" endings and stray trailing blanks do not become part of
// a phrase), empty lines and lines whose first non-blank byte is '#' skipped. (libmodsecurity 3
// keeps trailing whitespace: Debian's php-errors.data has phrases such as "Call to private "
// whose trailing blank only it keeps.)
std::vector<std::string> DataFileEntries(std::string_view content);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_DATA_FILE_H_
