#include "detect/sqli.h"

#include <string>

#include "detect/xss.h"
#include "gtest/gtest.h"

namespace gatehouse::detect {
namespace {

class SqliAttackTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SqliAttackTest, Detected) {
  SqliFingerprint fingerprint;
  EXPECT_TRUE(DetectSqli(GetParam(), &fingerprint)) << GetParam();
  EXPECT_FALSE(fingerprint.view().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, SqliAttackTest,
    ::testing::Values(
        // Breaking out of a quoted string.
        "' or 1=1--", "' OR '1'='1", "\" or \"a\"=\"a", "admin'--", "admin' #", "x' or 'x'='x",
        "') or ('a'='a", "')) or 1=1--", "' or 1 --", "' or true--", "' || 1=1 --",
        "'='", "x'='x", "' and sleep(5)--", "' AND 1=CONVERT(int,@@version)--",
        "'||pg_sleep(5)--", "' + sleep(5) + '", "' and substring(password,1,1)='a",
        "' and randomblob(100000000)--", "' and 1=cast(version() as int)--",
        "' union select null,null--", "' UNION ALL SELECT username, password FROM users--",
        "'; drop table users--", "'; exec master..xp_cmdshell 'ping 10.0.0.1'--",
        "'; waitfor delay '0:0:5'--", "' order by 3--", "1' group by 1,2--",
        "' into outfile '/tmp/x'--", "' having 1=1--", "';--", "' or (select 1)=1--",
        // Numeric contexts.
        "1 or 1=1", "1 OR 1=1 -- -", "-1 union select 1,2,3", "1 union all select @@version",
        "1 and sleep(5)", "1 AND extractvalue(1,concat(0x7e,(select @@version)))",
        "1;select pg_sleep(5)", "1; drop table users", "1) or (1=1", "1 rlike sleep(5)",
        "1 and (select 1 from dual)=1", "1 waitfor delay '0:0:5'", "1||1=1",
        "1 and 1=2 union select 1,table_name from information_schema.tables",
        // Obfuscation.
        "1/**/or/**/1=1", "1 /*!50000union*/ /*!50000select*/ 1,2", "' Or 1=1#",
        "1\tor\t1=1", "'/**/oR/**/'a'='a", "1 or 0x31=0x31", "1 or char(49)=char(49)",
        // Starting mid-query.
        "or 1=1--", "union select password from users", "select * from users",
        "select @@version", "; shutdown --", "drop table users", "delete from users",
        "insert into users values (1)", "update users set admin=1",
        "declare @s varchar(99)", "waitfor delay '0:0:10'"));

class SqliBenignTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SqliBenignTest, NotDetected) {
  SqliFingerprint fingerprint;
  EXPECT_FALSE(DetectSqli(GetParam(), &fingerprint))
      << GetParam() << " read as " << fingerprint.view();
}

INSTANTIATE_TEST_SUITE_P(
    Prose, SqliBenignTest,
    ::testing::Values(
        "O'Brien", "O'Brien and O'Neil", "rock'n'roll", "Rock 'n' roll", "it's 5 o'clock",
        "Dunkin' and Donuts", "don't stop", "l'été", "He said \"yes\" and left",
        "select a table for the union hall", "drop off at 5", "order by price",
        "Tom and Jerry", "1 or 2", "5 and 6", "cats and dogs = pets", "I or we -- maybe",
        "x < y and y > z", "1+1=2", "Update your profile", "Select the best from the list",
        "union select committee", "john@example.com", "Wait -- what?", "#hashtag",
        "Chapter 1 -- intro", "I'm in 1 or 2 groups", "it's like 5 or so",
        "SELECT", "or", "1", "'", "\"", "--", "''", "a'b'c", "me & you", "50% off!",
        "C:\\Program Files\\x", "{\"name\": \"O'Brien\", \"age\": 42}", "a,b,c;d",
        "Hello; update me later", "Execute order 66", "the 'best' or 'worst' choice"));

}  // namespace
}  // namespace gatehouse::detect
