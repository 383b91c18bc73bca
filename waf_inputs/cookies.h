#ifndef GATEHOUSE_WAF_INPUTS_COOKIES_H_
#define GATEHOUSE_WAF_INPUTS_COOKIES_H_

#include <string_view>
#include <vector>

namespace gatehouse::waf_inputs {

struct Cookie {
  std::string_view name;
  std::string_view value;

  friend bool operator==(const Cookie&, const Cookie&) = default;
};

// One Cookie header read as libmodsecurity 3.0.9 reads it with SecCookieFormat 0 (version 0,
// Netscape cookies), appending to `cookies`; views point into `header`. Pairs are separated by
// ';' (a final ';' opens no pair); whitespace after the last pair is dropped; a pair splits at its
// first '=' (none: the whole pair is the name, the value empty); whitespace before a name is
// dropped, after it kept ("a=1;  c ;" names "c "); a pair whose name is then empty ("=d", ";;")
// is skipped. Values are neither trimmed nor decoded.
void ParseCookieHeader(std::string_view header, std::vector<Cookie>& cookies);

}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_COOKIES_H_
