#ifndef GATEHOUSE_DETECT_CRS_CHECK_REQUEST_VARIABLES_H_
#define GATEHOUSE_DETECT_CRS_CHECK_REQUEST_VARIABLES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/crs_check/ftw_request.h"

namespace gatehouse::crs_check {

// One value a SecRule inspects, named as ModSecurity names it in its log ("ARGS:var",
// "REQUEST_COOKIES_NAMES:session", "REQUEST_HEADERS:User-Agent").
struct Variable {
  std::string name;
  std::string value;
};

// A request's variables in ModSecurity's collections, decoded as libmodsecurity 3 decodes them.
// ARGS come from the query string (after the first '?') and from an
// application/x-www-form-urlencoded body: fields split at '&', name and value at the first '=',
// both URL-decoded (%HH and '+'; malformed escapes kept). Cookies come from every Cookie header:
// split at ';', leading whitespace off the name, name and value at the first '=', not decoded.
// Multipart, JSON and XML bodies are not read.
class RequestVariables {
 public:
  explicit RequestVariables(const HttpRequest& request);

  // ARGS: "ARGS:<name>" and the value, in request order (query string first).
  std::vector<Variable> Args() const;
  // ARGS_NAMES: one entry per argument, the value being its name.
  std::vector<Variable> ArgsNames() const;
  // REQUEST_COOKIES without the cookies whose name contains `excluded_name_part` (CRS excludes
  // Google Analytics' /__utm/ cookies); an empty string excludes none.
  std::vector<Variable> Cookies(std::string_view excluded_name_part) const;
  std::vector<Variable> CookieNames() const;
  // REQUEST_HEADERS:<name>: every header of that name (any case).
  std::vector<Variable> Headers(std::string_view name) const;

 private:
  void AddArgs(std::string_view urlencoded);

  std::vector<std::pair<std::string, std::string>> headers_;
  // Names and values, decoded.
  std::vector<std::pair<std::string, std::string>> args_;
  std::vector<std::pair<std::string, std::string>> cookies_;
};

}  // namespace gatehouse::crs_check

#endif  // GATEHOUSE_DETECT_CRS_CHECK_REQUEST_VARIABLES_H_
