#include "detect/sql_keywords.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace gatehouse::detect {
namespace {

struct SqlWord {
  std::string_view upper;
  SqlType type;
  SqlKeyword keyword;
  // Only SQL spells it so (RLIKE, REGEXP); prose says "in", "is", "between", "like".
  bool sql_only = false;
};

using T = SqlType;
using K = SqlKeyword;

// Only words that change how a rule reads an input are here; everything else is a name. A word
// followed by '(' reads as a function call whatever it is (the tokenizer decides that).
constexpr SqlWord kWords[] = {
    {"ALL", T::kKeyword, K::kAll},
    {"ALTER", T::kStatement, K::kAlter},
    {"AND", T::kLogic, K::kNone},
    {"AS", T::kKeyword, K::kAs},
    {"ASC", T::kKeyword, K::kDirection},
    {"ATTACH", T::kStatement, K::kAttach},
    {"BEGIN", T::kStatement, K::kBegin},
    {"BETWEEN", T::kComparison, K::kNone},
    {"BY", T::kKeyword, K::kBy},
    {"CALL", T::kStatement, K::kCall},
    {"CASE", T::kKeyword, K::kCase},
    {"COPY", T::kStatement, K::kCopy},
    {"CREATE", T::kStatement, K::kCreate},
    {"CROSS", T::kKeyword, K::kNone},
    {"CURRENT_DATE", T::kNumber, K::kNone},
    {"CURRENT_USER", T::kNumber, K::kNone},
    {"DATABASE", T::kKeyword, K::kDatabase},
    {"DECLARE", T::kStatement, K::kDeclare},
    {"DELAY", T::kKeyword, K::kDelay},
    {"DELETE", T::kStatement, K::kDelete},
    {"DESC", T::kKeyword, K::kDirection},
    {"DISTINCT", T::kKeyword, K::kDistinct},
    {"DISTINCTROW", T::kKeyword, K::kDistinct},
    {"DIV", T::kOperator, K::kNone},
    {"DROP", T::kStatement, K::kDrop},
    {"DUMPFILE", T::kKeyword, K::kDumpfile},
    {"ELSE", T::kKeyword, K::kNone},
    {"END", T::kKeyword, K::kNone},
    {"EXCEPT", T::kUnion, K::kNone},
    {"EXEC", T::kStatement, K::kExec},
    {"EXECUTE", T::kStatement, K::kExec},
    {"EXISTS", T::kKeyword, K::kExists},
    {"FALSE", T::kNumber, K::kNone},
    {"FROM", T::kKeyword, K::kFrom},
    {"GLOB", T::kComparison, K::kNone, true},
    {"GRANT", T::kStatement, K::kGrant},
    {"GROUP", T::kKeyword, K::kGroup},
    {"HAVING", T::kKeyword, K::kHaving},
    {"IF", T::kName, K::kIf},
    {"ILIKE", T::kComparison, K::kNone, true},
    {"IN", T::kComparison, K::kNone},
    {"INNER", T::kKeyword, K::kNone},
    {"INSERT", T::kStatement, K::kInsert},
    {"INTERSECT", T::kUnion, K::kNone},
    {"INTO", T::kKeyword, K::kInto},
    {"IS", T::kComparison, K::kNone},
    {"JOIN", T::kKeyword, K::kNone},
    {"LIKE", T::kComparison, K::kNone},
    {"LIMIT", T::kKeyword, K::kLimit},
    {"LOAD", T::kStatement, K::kLoad},
    {"MINUS", T::kUnion, K::kNone},
    {"MOD", T::kOperator, K::kNone},
    {"NOT", T::kNot, K::kNone},
    {"NULL", T::kNumber, K::kNone},
    {"OFFSET", T::kKeyword, K::kNone},
    {"ON", T::kKeyword, K::kNone},
    {"OR", T::kLogic, K::kNone},
    {"ORDER", T::kKeyword, K::kOrder},
    {"OUTER", T::kKeyword, K::kNone},
    {"OUTFILE", T::kKeyword, K::kOutfile},
    {"PRAGMA", T::kStatement, K::kPragma},
    {"PROCEDURE", T::kKeyword, K::kProcedure},
    {"REGEXP", T::kComparison, K::kNone, true},
    {"RLIKE", T::kComparison, K::kNone, true},
    {"SELECT", T::kSelect, K::kNone},
    {"SET", T::kKeyword, K::kSet},
    {"SHUTDOWN", T::kStatement, K::kShutdown},
    {"SIMILAR", T::kComparison, K::kNone, true},
    {"SOUNDS", T::kComparison, K::kNone, true},
    {"TABLE", T::kKeyword, K::kTable},
    {"THEN", T::kKeyword, K::kNone},
    {"TIME", T::kKeyword, K::kTime},
    {"TOP", T::kKeyword, K::kNone},
    {"TRUE", T::kNumber, K::kNone},
    {"TRUNCATE", T::kStatement, K::kTruncate},
    {"UNION", T::kUnion, K::kNone},
    {"UPDATE", T::kStatement, K::kUpdate},
    {"USING", T::kKeyword, K::kNone},
    {"VALUES", T::kKeyword, K::kValues},
    {"WAITFOR", T::kStatement, K::kWaitfor},
    {"WHEN", T::kKeyword, K::kNone},
    {"WHERE", T::kKeyword, K::kWhere},
    {"XOR", T::kLogic, K::kNone},
};

constexpr bool IsSorted() {
  for (std::size_t i = 1; i < std::size(kWords); ++i) {
    if (!(kWords[i - 1].upper < kWords[i].upper)) return false;
  }
  return true;
}
static_assert(IsSorted(), "kWords stays sorted, so a reader finds a word and no word is twice");

constexpr std::size_t kLongestWord = 16;

// Sorted, upper case. Each is a delay, a file or network read, an error that carries data, or a
// command, in one of the five dialects.
constexpr std::string_view kSideChannelFunctions[] = {
    "BENCHMARK",
    "DBMS_LOCK.SLEEP",
    "DBMS_PIPE.RECEIVE_MESSAGE",
    "EXTRACTVALUE",
    "LOAD_FILE",
    "LO_IMPORT",
    "PG_LS_DIR",
    "PG_READ_FILE",
    "PG_SLEEP",
    "RANDOMBLOB",
    "SLEEP",
    "SYS_EVAL",
    "SYS_EXEC",
    "UPDATEXML",
    "UTL_HTTP.REQUEST",
    "UTL_INADDR.GET_HOST_ADDRESS",
    "XP_CMDSHELL",
    "XP_DIRTREE",
};

constexpr bool IsSortedList() {
  for (std::size_t i = 1; i < std::size(kSideChannelFunctions); ++i) {
    if (!(kSideChannelFunctions[i - 1] < kSideChannelFunctions[i])) return false;
  }
  return true;
}
static_assert(IsSortedList(), "kSideChannelFunctions must stay sorted for binary search");

constexpr std::size_t kLongestName = 32;

// Upper-cases `word` into `buffer` (kLongestName bytes); false when it does not fit.
bool ToUpper(std::string_view word, char* buffer) {
  if (word.empty() || word.size() > kLongestName) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    buffer[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return true;
}

}  // namespace

bool IsSideChannelFunction(std::string_view name) {
  // master..xp_cmdshell, sys.xp_dirtree: the last part names the procedure.
  std::size_t dots = name.find("..");
  if (dots != std::string_view::npos) name = name.substr(dots + 2);
  char upper[kLongestName];
  if (!ToUpper(name, upper)) return false;
  std::string_view key(upper, name.size());
  if (key.size() > 4 && key.substr(0, 4) == "SYS.") key = key.substr(4);
  return std::binary_search(std::begin(kSideChannelFunctions), std::end(kSideChannelFunctions),
                            key);
}

namespace {

// kWords in an open-addressed hash table, built once: a word is looked up for every bareword of
// every input, and most are prose that must miss fast.
class WordTable {
 public:
  static constexpr std::size_t kSlots = 512;  // a power of two, > 4 x the words
  static constexpr uint16_t kEmpty = 0xFFFF;

  WordTable() {
    slots_.fill(kEmpty);
    for (std::size_t w = 0; w < std::size(kWords); ++w) {
      std::size_t slot = Hash(kWords[w].upper) & (kSlots - 1);
      while (slots_[slot] != kEmpty) slot = (slot + 1) & (kSlots - 1);
      slots_[slot] = static_cast<uint16_t>(w);
    }
  }

  const SqlWord* Find(std::string_view upper) const {
    std::size_t slot = Hash(upper) & (kSlots - 1);
    while (slots_[slot] != kEmpty) {
      const SqlWord& word = kWords[slots_[slot]];
      if (word.upper == upper) return &word;
      slot = (slot + 1) & (kSlots - 1);
    }
    return nullptr;
  }

 private:
  static uint32_t Hash(std::string_view upper) {
    uint32_t hash = 2166136261u;  // FNV-1a
    for (char c : upper) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash;
  }

  std::array<uint16_t, kSlots> slots_;
};

}  // namespace

bool LookupSqlWord(std::string_view word, SqlToken* token) {
  if (word.size() < 2 || word.size() > kLongestWord) return false;
  char upper[kLongestName];
  if (!ToUpper(word, upper)) return false;
  static const WordTable* const table = new WordTable();
  const SqlWord* found = table->Find(std::string_view(upper, word.size()));
  if (found == nullptr) return false;
  token->type = found->type;
  token->keyword = found->keyword;
  token->sql_only = found->sql_only;
  return true;
}

}  // namespace gatehouse::detect
