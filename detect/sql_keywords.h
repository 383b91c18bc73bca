#ifndef GATEHOUSE_DETECT_SQL_KEYWORDS_H_
#define GATEHOUSE_DETECT_SQL_KEYWORDS_H_

#include <string_view>

#include "detect/sql_token.h"

namespace gatehouse::detect {

// Looks up a bareword (any case) among the SQL words the detector knows, across the MySQL,
// PostgreSQL, SQL Server, SQLite and Oracle dialects. Returns false for any other word, which
// then reads as a name.
bool LookupSqlWord(std::string_view word, SqlType* type, SqlKeyword* keyword);

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_SQL_KEYWORDS_H_
