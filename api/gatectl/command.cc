#include "api/gatectl/command.h"

#include <fstream>
#include <sstream>

namespace gatehouse::gatectl {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

}  // namespace gatehouse::gatectl
