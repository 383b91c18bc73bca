#include "detect/sqli.h"

namespace gatehouse::detect {

bool DetectSqli(std::string_view input, SqliFingerprint* fingerprint) { return false; }

}  // namespace gatehouse::detect
