#include "modules/sdk/custom_response.h"

#include <algorithm>
#include <iterator>

namespace gatehouse::sdk {
namespace {

constexpr std::string_view kContentTypes[] = {"text/html", "text/plain", "application/json",
                                              "text/xml"};

std::string Join(std::string_view path, std::string_view field) {
  return path.empty() ? std::string(field) : std::string(path) + "." + std::string(field);
}

}  // namespace

std::optional<v1::CustomResponse> CompileCustomResponse(const v1::CustomResponse& response,
                                                    int default_status,
                                                    std::string_view default_type,
                                                    int min_status, int max_status,
                                                    ActionCompileContext& context,
                                                    std::string_view path) {
  v1::CustomResponse out = response;
  if (out.status_code() == 0) out.set_status_code(static_cast<uint32_t>(default_status));
  if (out.content_type().empty()) out.set_content_type(std::string(default_type));
  bool ok = true;
  const int status = static_cast<int>(out.status_code());
  if (status < min_status || status > max_status) {
    context.Error(Join(path, "status_code"),
                  "status_code must be from " + std::to_string(min_status) + " to " +
                      std::to_string(max_status) + ", got " + std::to_string(out.status_code()));
    ok = false;
  }
  if (std::find(std::begin(kContentTypes), std::end(kContentTypes), out.content_type()) ==
      std::end(kContentTypes)) {
    context.Error(Join(path, "content_type"),
                  "content_type must be text/html, text/plain, application/json or text/xml, "
                  "got \"" + out.content_type() + "\"");
    ok = false;
  }
  if (out.content().size() > context.max_custom_content_bytes()) {
    context.Error(Join(path, "content"),
                  "content is " + std::to_string(out.content().size()) +
                      " bytes; the limit is " + std::to_string(context.max_custom_content_bytes()));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

ResponseConfig LinkCustomResponse(const v1::CustomResponse& compiled) {
  return {static_cast<int>(compiled.status_code()), compiled.content_type(), compiled.content()};
}

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

LocalResponse RenderCustomResponse(const ResponseConfig& response, std::string_view ray_id,
                                   std::string_view client_ip) {
  LocalResponse out;
  out.status = response.status_code;
  out.content_type = response.content_type;
  out.body = RenderResponseTokens(response.content, ray_id, client_ip);
  return out;
}

}  // namespace gatehouse::sdk
