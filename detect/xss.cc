#include "detect/xss.h"

namespace gatehouse::detect {

bool DetectXss(std::string_view input) { return false; }

}  // namespace gatehouse::detect
