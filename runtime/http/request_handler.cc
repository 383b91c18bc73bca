#include "runtime/http/request_handler.h"

#include <chrono>
#include <optional>

#include "compiler/rules/evaluation.h"
#include "compiler/rules/request_data.h"
#include "runtime/engine/request_state.h"
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

HttpResponse ToHttpResponse(const LocalResponse& local, unsigned version) {
  HttpResponse response =
      MakeEdgeResponse(static_cast<http::status>(local.status), version, local.body,
                       local.content_type);
  for (const auto& [name, value] : local.headers) response.set(name, value);
  return response;
}

// Makes `header`'s fields exactly `fields` (which may point into `header` itself).
template <bool kIsRequest>
void ReplaceFields(http::header<kIsRequest>& header, const rules::HeaderList& fields) {
  std::vector<std::pair<std::string, std::string>> copy;
  copy.reserve(fields.size());
  for (const auto& [name, value] : fields) copy.emplace_back(name, value);
  std::vector<std::string> names;
  for (const auto& field : header) names.emplace_back(field.name_string());
  for (const std::string& name : names) header.erase(name);
  for (const auto& [name, value] : copy) header.insert(name, value);
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

RequestHandler::RequestHandler(SnapshotStore& store, const PhaseEngine& engine,
                               RequestHandlerOptions options, ProxyMetrics* metrics)
    : store_(store), engine_(engine), options_(std::move(options)), metrics_(metrics) {}

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

  RequestState state(plan, data, ray_id, client_ip);
  engine_.RunRequestPhases(state);

  HttpResponse response;
  if (std::optional<LocalResponse> local = state.TakeLocalResponse()) {
    action = state.deciding_rule()->action_name;
    response = ToHttpResponse(*local, request.version());
  } else {
    const RequestState::Route& route = state.route();
    const compiler::CompiledOrigin& origin = plan.origins[route.origin_index];
    HostPort server =
        origin.servers[round_robin_.fetch_add(1, std::memory_order_relaxed) % origin.servers.size()];
    if (route.port != 0) server.port = route.port;

    HttpRequest upstream = request;
    // Transforms may have rewritten the target and the headers.
    upstream.target(state.target());
    ReplaceFields(upstream.base(), state.request_headers());
    RemoveHopByHopHeaders(upstream.base());
    upstream.version(11);
    if (!route.host_header.empty()) upstream.set(http::field::host, route.host_header);
    std::string forwarded_for(upstream["x-forwarded-for"]);
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
  state.BeginResponse(static_cast<int>(response.result_int()), ToHeaderList(response.base()));
  engine_.RunResponsePhases(state);
  if (std::optional<LocalResponse> page = state.TakeLocalResponse()) {
    action = "serve_error";
    response = ToHttpResponse(*page, request.version());
  }
  if (state.response_headers_changed()) ReplaceFields(response.base(), state.response_headers());
  response.version(request.version());
  co_return finish(std::move(response), snapshot.get());
}

}  // namespace gatehouse::runtime
