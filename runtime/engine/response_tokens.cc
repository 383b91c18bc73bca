#include "runtime/engine/response_tokens.h"

namespace gatehouse::runtime {

std::string RenderResponseTokens(std::string_view content, std::string_view ray_id,
                                 std::string_view client_ip) {
  static constexpr std::string_view kRay = "::RAY_ID::";
  static constexpr std::string_view kClient = "::CLIENT_IP::";
  std::string out;
  out.reserve(content.size());
  size_t i = 0;
  while (i < content.size()) {
    if (content.compare(i, kRay.size(), kRay) == 0) {
      out += ray_id;
      i += kRay.size();
    } else if (content.compare(i, kClient.size(), kClient) == 0) {
      out += client_ip;
      i += kClient.size();
    } else {
      out += content[i++];
    }
  }
  return out;
}

LocalResponse RenderCustomResponse(const compiler::CustomResponse& response,
                                   std::string_view ray_id, std::string_view client_ip) {
  LocalResponse out;
  out.status = response.status_code;
  out.content_type = response.content_type;
  out.body = RenderResponseTokens(response.content, ray_id, client_ip);
  return out;
}

}  // namespace gatehouse::runtime
