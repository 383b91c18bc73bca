#include "waf_inputs/cookies.h"

#include "body/ascii.h"

namespace gatehouse::waf_inputs {

using body::IsCSpace;

void ParseCookieHeader(std::string_view header, std::vector<Cookie>& cookies) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    const bool last = end == std::string_view::npos || end + 1 == header.size();
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(start, end - start);
    start = end + 1;
    if (last) {
      while (!pair.empty() && IsCSpace(pair.back())) pair.remove_suffix(1);
    }
    const std::size_t equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    while (!name.empty() && IsCSpace(name.front())) name.remove_prefix(1);
    if (name.empty()) continue;
    cookies.push_back(Cookie{name, value});
  }
}

}  // namespace gatehouse::waf_inputs
