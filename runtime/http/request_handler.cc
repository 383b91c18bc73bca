#include "runtime/http/request_handler.h"

#include <chrono>
#include <optional>

#include "compiler/rules/evaluation.h"
#include "compiler/rules/request_data.h"
#include "runtime/engine/request_pipeline.h"
#include "runtime/engine/response_tokens.h"
#include "runtime/http/header_rules.h"

namespace gatehouse::runtime {
namespace {

constexpr std::string_view kRayHeader = "gatehouse-ray";
constexpr std::string_view kSnapshotHeader = "gatehouse-snapshot";
constexpr std::string_view kVia = "1.1 gatehouse";

rules::IpAddress ToRulesIp(const asio::ip::address& address) {
  rules::IpAddress ip;
  if (address.is_v4()) {
    ip.is_v4 = true;
    const auto v4 = address.to_v4().to_bytes();
    ip.bytes[10] = 0xff;
    ip.bytes[11] = 0xff;
    std::copy(v4.begin(), v4.end(), ip.bytes.begin() + 12);
  } else {
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return ToRulesIp(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
    const auto bytes = v6.to_bytes();
    std::copy(bytes.begin(), bytes.end(), ip.bytes.begin());
  }
  return ip;
}

template <bool kIsRequest>
rules::HeaderList ToHeaderList(const http::header<kIsRequest>& header) {
  rules::HeaderList out;
  for (const auto& field : header) out.emplace_back(field.name_string(), field.value());
  return out;
}

HttpResponse RenderCustomResponse(const compiler::CustomResponse& custom, unsigned version,
                                  std::string_view ray_id, std::string_view client_ip) {
  return MakeEdgeResponse(static_cast<http::status>(custom.status_code), version,
                          RenderResponseTokens(custom.content, ray_id, client_ip),
                          custom.content_type);
}

}  // namespace

HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type) {
  HttpResponse response(status, version);
  response.set(http::field::content_type, content_type);
  response.body() = std::string(body);
  response.prepare_payload();
  return response;
}

RequestHandler::RequestHandler(SnapshotStore& store, RequestHandlerOptions options,
                               ProxyMetrics* metrics)
    : store_(store), options_(std::move(options)), metrics_(metrics) {}

asio::awaitable<HttpResponse> RequestHandler::Handle(HttpRequest& request,
                                                     const ClientInfo& client) {
  const auto started = std::chrono::steady_clock::now();
  const std::string ray_id = ray_ids_.Next();
  const std::string client_ip = client.address.to_string();
  std::string_view zone_name;
  // What decided the response, for metrics and logs.
  std::string_view action = "proxied";
  const auto finish = [&](HttpResponse response, const LinkedSnapshot* snapshot) {
    response.set(kRayHeader, ray_id);
    if (snapshot != nullptr && options_.snapshot_version_header) {
      response.set(kSnapshotHeader, std::to_string(snapshot->version()));
    }
    if (metrics_ != nullptr) {
      metrics_->RecordRequest(zone_name, static_cast<int>(response.result_int()), action,
                              std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                            started)
                                  .count());
    }
    return response;
  };

  // One request, one snapshot: pinned here, held until this coroutine ends.
  const std::shared_ptr<const LinkedSnapshot> snapshot = store_.Current();
  if (snapshot == nullptr) {
    action = "no_snapshot";
    co_return finish(MakeEdgeResponse(http::status::service_unavailable, request.version(),
                                      "No configuration is loaded yet.\n"),
                     nullptr);
  }
  const std::string host = HostWithoutPort(request[http::field::host]);
  if (host.empty()) {
    action = "bad_request";
    co_return finish(MakeEdgeResponse(http::status::bad_request, request.version(),
                                      "A Host header is required.\n"),
                     snapshot.get());
  }
  const LinkedZone* zone = snapshot->FindZone(host);
  if (zone == nullptr) {
    action = "unknown_host";
    co_return finish(MakeEdgeResponse(static_cast<http::status>(options_.unknown_host_status),
                                      request.version(), "No zone serves this host.\n"),
                     snapshot.get());
  }
  const compiler::ZonePlan& plan = *zone->plan;
  zone_name = plan.zone;

  const rules::HeaderList request_headers = ToHeaderList(request.base());
  rules::RequestData data;
  data.method = request.method_string();
  data.scheme = "http";
  data.host = host;
  data.raw_target = request.target();
  data.http_version = request.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  data.headers = &request_headers;
  data.client_ip = ToRulesIp(client.address);
  data.timestamp_sec = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  data.body = request.body();
  data.body_size = request.body().size();

  RequestVerdict verdict;
  {
    rules::Evaluation evaluation(data);
    verdict = RunRequestPhases(plan, evaluation);
  }

  HttpResponse response;
  if (verdict.local_response != nullptr) {
    action = verdict.terminating_rule->action_name;
    response = RenderCustomResponse(*verdict.local_response, request.version(), ray_id, client_ip);
  } else {
    const compiler::CompiledOrigin& origin = plan.origins[verdict.route.origin_index];
    HostPort server =
        origin.servers[round_robin_.fetch_add(1, std::memory_order_relaxed) % origin.servers.size()];
    if (verdict.route.port != 0) server.port = verdict.route.port;

    HttpRequest upstream = request;
    RemoveHopByHopHeaders(upstream.base());
    upstream.version(11);
    if (!verdict.route.host_header.empty()) {
      upstream.set(http::field::host, verdict.route.host_header);
    }
    std::string forwarded_for(request["x-forwarded-for"]);
    forwarded_for += forwarded_for.empty() ? client_ip : ", " + client_ip;
    upstream.set("x-forwarded-for", forwarded_for);
    upstream.set("x-forwarded-proto", "http");
    upstream.set(http::field::via, kVia);
    upstream.keep_alive(false);
    if (upstream.body().empty() && !request.has_content_length() && !request.chunked()) {
      upstream.content_length(boost::none);
    } else {
      upstream.prepare_payload();
    }

    UpstreamResult result = co_await SendUpstream(server, upstream, options_.upstream);
    switch (result.outcome) {
      case UpstreamResult::Outcome::kResponse: {
        response = std::move(result.response);
        RemoveHopByHopHeaders(response.base());
        response.set(http::field::via, kVia);
        break;
      }
      case UpstreamResult::Outcome::kTimedOut:
        action = "origin_timeout";
        if (metrics_ != nullptr) metrics_->RecordUpstreamError(zone_name, "timeout");
        response = MakeEdgeResponse(http::status::gateway_timeout, request.version(),
                                    "The origin did not answer in time.\n");
        break;
      case UpstreamResult::Outcome::kConnectFailed:
      case UpstreamResult::Outcome::kBadResponse:
        action = "origin_error";
        if (metrics_ != nullptr) {
          metrics_->RecordUpstreamError(
              zone_name, result.outcome == UpstreamResult::Outcome::kConnectFailed
                             ? "connect"
                             : "bad_response");
        }
        response = MakeEdgeResponse(http::status::bad_gateway, request.version(),
                                    "The origin could not be reached.\n");
        break;
    }
  }

  // Response phases see the final status, whether the origin or the edge produced it.
  const rules::HeaderList response_headers = ToHeaderList(response.base());
  data.has_response = true;
  data.response_code = static_cast<int>(response.result_int());
  data.response_headers = &response_headers;
  const compiler::CustomResponse* error_page = nullptr;
  {
    rules::Evaluation evaluation(data);
    error_page = RunResponsePhases(plan, evaluation, nullptr);
  }
  if (error_page != nullptr) {
    action = "serve_error";
    response = RenderCustomResponse(*error_page, request.version(), ray_id, client_ip);
  }
  response.version(request.version());
  co_return finish(std::move(response), snapshot.get());
}

}  // namespace gatehouse::runtime
