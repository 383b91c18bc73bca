#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "compiler/phase.h"
#include "rules/filter.h"

namespace gatehouse::compiler {

// A value that is either fixed text or a rules-language value expression evaluated per request.
struct ValueSource {
  std::string text;
  std::shared_ptr<const rules::ValueExpression> expression;  // set when not fixed text
};

// A response the edge writes itself. `content` may hold ::RAY_ID:: and ::CLIENT_IP:: tokens.
struct CustomResponse {
  int status_code = 403;
  std::string content_type = "text/plain";
  std::string content;
};

struct BlockAction {
  CustomResponse response;
  bool has_custom_response = false;
};

struct LogAction {};

struct SkipAction {
  bool rest_of_ruleset = false;
  std::vector<Phase> phases;
  std::vector<std::string> products;
};

struct RedirectAction {
  int status_code = 301;
  ValueSource target_url;
  bool preserve_query_string = false;
};

enum class HeaderOperation { kSet, kAdd, kRemove };

struct HeaderRewrite {
  std::string name;  // lower-cased
  HeaderOperation operation = HeaderOperation::kSet;
  ValueSource value;
};

struct RewriteAction {
  bool rewrite_path = false;
  ValueSource path;
  bool rewrite_query = false;
  ValueSource query;
  std::vector<HeaderRewrite> headers;
};

struct RouteAction {
  size_t origin_index = 0;  // into ZonePlan::origins
  std::string host_header;  // empty: keep the request's
  uint16_t port = 0;        // 0: the server's own port
};

struct ServeErrorAction {
  CustomResponse response;
};

// The request is not handled here: it goes unchanged to the fallback (legacy) proxy.
struct FallbackAction {};

using Action = std::variant<BlockAction, LogAction, SkipAction, RedirectAction, RewriteAction,
                            RouteAction, ServeErrorAction, FallbackAction>;

}  // namespace gatehouse::compiler
