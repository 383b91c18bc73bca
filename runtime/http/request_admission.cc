#include "runtime/http/request_admission.h"

#include "boost/beast/core/string.hpp"
#include "runtime/http/header_rules.h"

namespace gatehouse::runtime {
namespace {

Admission Refuse(http::status status, std::string_view reason,
                 std::string_view action = "bad_request") {
  Admission out;
  out.verdict = Admission::Verdict::kRefuse;
  out.status = status;
  out.reason = reason;
  out.action = action;
  return out;
}

// Calls `visit(token)` for each comma-separated token of every `field` line, trimmed.
template <typename Visit>
void ForEachToken(const http::request_header<>& request, http::field field, Visit visit) {
  for (auto it = request.find(field); it != request.end() && it->name() == field; ++it) {
    std::string_view value = it->value();
    while (true) {
      const size_t comma = value.find(',');
      std::string_view token = value.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) {
        token.remove_prefix(1);
      }
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) {
        token.remove_suffix(1);
      }
      if (!token.empty()) visit(token);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
}

// RFC 9112 §6.3: a request whose Transfer-Encoding does not end in chunked has a length nobody
// can know; one that applies chunked twice is as bad. Null: acceptable.
std::optional<Admission> CheckTransferEncoding(const http::request_header<>& request) {
  if (request.find(http::field::transfer_encoding) == request.end()) return std::nullopt;
  if (request.version() < 11) {
    return Refuse(http::status::bad_request, "Transfer-Encoding is not allowed in HTTP/1.0.\n");
  }
  int codings = 0;
  int chunked = 0;
  bool last_is_chunked = false;
  ForEachToken(request, http::field::transfer_encoding, [&](std::string_view token) {
    ++codings;
    last_is_chunked = beast::iequals(token, "chunked");
    if (last_is_chunked) ++chunked;
  });
  if (!last_is_chunked || chunked != 1) {
    return Refuse(http::status::bad_request, "Transfer-Encoding must end in chunked, once.\n");
  }
  if (codings != 1) {
    return Refuse(http::status::not_implemented,
                  "Transfer codings other than chunked are not supported.\n", "not_implemented");
  }
  return std::nullopt;
}

}  // namespace

Admission AdmitRequest(const http::request_header<>& request, bool upgrade) {
  if (request.method() == http::verb::connect) {
    return Refuse(http::status::method_not_allowed, "CONNECT is not supported here.\n",
                  "method_not_allowed");
  }
  std::optional<RequestTarget> target = ParseRequestTarget(request.target());
  if (!target.has_value() || target->form == TargetForm::kAuthority) {
    return Refuse(http::status::bad_request, "Malformed request target.\n");
  }
  if (target->form == TargetForm::kAsterisk) {
    if (request.method() != http::verb::options) {
      return Refuse(http::status::bad_request, "Only OPTIONS may use the target *.\n");
    }
    Admission out;
    out.verdict = Admission::Verdict::kAnswerOptions;
    out.action = "options";
    return out;
  }
  size_t host_fields = 0;
  for (auto it = request.find(http::field::host);
       it != request.end() && it->name() == http::field::host; ++it) {
    ++host_fields;
  }
  if (host_fields > 1) return Refuse(http::status::bad_request, "Send one Host header.\n");
  if (host_fields == 0 && request.version() >= 11) {
    return Refuse(http::status::bad_request, "A Host header is required.\n");
  }
  if (std::optional<Admission> refused = CheckTransferEncoding(request); refused.has_value()) {
    return *std::move(refused);
  }
  Admission out;
  // Absolute-form: the authority names the host, whatever Host says (RFC 9112 §3.2.2).
  out.host = HostWithoutPort(target->form == TargetForm::kAbsolute
                                 ? target->authority
                                 : std::string_view(request[http::field::host]));
  if (out.host.empty()) return Refuse(http::status::bad_request, "A Host header is required.\n");
  out.target = *std::move(target);
  if (upgrade) {
    bool h2c = false;
    ForEachToken(request, http::field::upgrade,
                 [&](std::string_view token) { h2c = h2c || beast::iequals(token, "h2c"); });
    out.tunnel = !h2c;
  }
  return out;
}

}  // namespace gatehouse::runtime
