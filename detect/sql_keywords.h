#ifndef GATEHOUSE_DETECT_SQL_KEYWORDS_H_
#define GATEHOUSE_DETECT_SQL_KEYWORDS_H_

#include <string_view>

#include "detect/sql_token.h"

namespace gatehouse::detect {

// Looks up a bareword (any case) among the SQL words the detector knows, across the MySQL,
// PostgreSQL, SQL Server, SQLite and Oracle dialects, and sets the token's type, keyword and
// sql_only. Returns false, leaving the token alone, for any other word, which reads as a name.
bool LookupSqlWord(std::string_view word, SqlToken* token);

// Whether a called name (any case, qualified or not) is a side-channel function: one an
// injection calls to delay, read a file, raise an error with data or run a command.
bool IsSideChannelFunction(std::string_view name);

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQL_KEYWORDS_H_
