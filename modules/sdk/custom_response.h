#pragma once

#include <string>
#include <string_view>

#include "modules/sdk/product.h"
#include "modules/sdk/request_view.h"
#include "modules/sdk/sdk.pb.h"

namespace gatehouse::sdk {

// A response the edge writes itself, as products that answer (block, serve_error) link it.
struct ResponseConfig {
  int status_code = 403;
  std::string content_type = "text/plain";
  std::string content;  // may hold ::RAY_ID:: and ::CLIENT_IP::
};

// Checks a configured response: the status in [min_status, max_status], a content type the edge
// serves, the content within the zone compiler's limit. Applies the defaults (`default_status`,
// `default_type`) to unset fields of the returned copy. Nullopt after reporting.
std::optional<v1::CustomResponse> CompileCustomResponse(const v1::CustomResponse& response,
                                                    int default_status,
                                                    std::string_view default_type,
                                                    int min_status, int max_status,
                                                    ActionCompileContext& context,
                                                    std::string_view path);

ResponseConfig LinkCustomResponse(const v1::CustomResponse& compiled);

// Replaces the ::RAY_ID:: and ::CLIENT_IP:: tokens of a custom response's content.
std::string RenderResponseTokens(std::string_view content, std::string_view ray_id,
                                 std::string_view client_ip);

// A configured response with its tokens rendered.
LocalResponse RenderCustomResponse(const ResponseConfig& response, std::string_view ray_id,
                                   std::string_view client_ip);

}  // namespace gatehouse::sdk
