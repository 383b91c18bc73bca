#pragma once

#include <string>
#include <string_view>

#include "compiler/action.h"
#include "runtime/engine/request_state.h"

namespace gatehouse::runtime {

// Replaces the ::RAY_ID:: and ::CLIENT_IP:: tokens of a custom response's content.
std::string RenderResponseTokens(std::string_view content, std::string_view ray_id,
                                 std::string_view client_ip);

// A configured custom response (block, serve_error) with its tokens rendered.
LocalResponse RenderCustomResponse(const compiler::CustomResponse& response,
                                   std::string_view ray_id, std::string_view client_ip);

}  // namespace gatehouse::runtime
