#ifndef GATEHOUSE_SECLANG_SOURCE_LOCATION_H_
#define GATEHOUSE_SECLANG_SOURCE_LOCATION_H_

#include <string>

namespace gatehouse::seclang {

// Where a directive, an argument or an action starts in a configuration file. Lines and columns
// are 1-based and count bytes of the physical line (before continuation lines are joined), so
// they agree with what an editor shows for ASCII text.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column".
  std::string ToString() const;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_SOURCE_LOCATION_H_
