#include "runtime/http/request_handler.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/string.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/write.hpp"
#include "engine/request_state.h"
#include "rules/evaluation.h"
#include "rules/request_data.h"
#include "runtime/client_address/forwarded_for.h"
#include "runtime/http/client_stream.h"
#include "runtime/http/eager_send.h"
#include "runtime/http/random_seeds.h"
#include "runtime/http/ready_turn.h"
#include "runtime/http/request_admission.h"
#include "runtime/http/tunnel.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {
namespace {

// The request's client (RequestTrace::client), decided here and only here: the connection's
// address, unless that is a trusted proxy; then the rightmost address of X-Forwarded-For that is
// not a trusted proxy (forwarded_for.h).
ClientAddress RequestClientOf(const ClientInfo& client, const http::request_header<>& request,
                              const TrustedProxies& trusted) {
  if (!trusted.Contains(client.address.ip())) return client.address;
  // The fields in the order received: several are one list.
  absl::InlinedVector<std::string_view, 4> forwarded_for;
  for (const auto& field : request) {
    // Beast has no enumerator for it: compared by name.
    if (beast::iequals(field.name_string(), "x-forwarded-for")) {
      forwarded_for.emplace_back(field.value());
    }
  }
  const rules::IpAddress found = ForwardedClient(client.address.ip(), forwarded_for, trusted);
  return found == client.address.ip() ? client.address : ClientAddress(found);
}

// The fields as the phases read them, in storage the connection reuses. `only`, when set: the
// header's own fields (a parser adds a chunked body's trailer fields to them once it read the
// body; they are not headers, and a header rewrite must not move them into the head).
template <bool kIsRequest>
const rules::HeaderList& FieldsForPhases(const http::header<kIsRequest>& header,
                                         rules::HeaderList& out,
                                         const HeaderFieldSet* only = nullptr) {
  out.clear();
  for (const auto& field : header) {
    if (only != nullptr && !only->Contains(field)) continue;
    out.emplace_back(field.name_string(), field.value());
  }
  return out;
}

// What the rules see of the request: its line, fields, client, edge, time, ray ID, random seed,
// body prefix and where its client is looked up.
rules::RequestData RequestDataOf(ClientExchange& exchange, RequestTrace& trace,
                                 const rules::GeoLocator* geo, std::string_view host,
                                 const DownstreamBody& body, std::string_view body_prefix,
                                 uint64_t body_size) {
  const ClientAddress& client = trace.client;
  const std::string_view target = trace.target;
  const auto& request = exchange.parser.get();
  rules::RequestData data;
  data.method = request.method_string();
  const ClientInfo& connection = exchange.client;
  data.scheme = connection.tls.has_value() ? "https" : "http";
  if (connection.tls.has_value()) {
    data.tls_version = connection.tls->version;
    data.tls_cipher = connection.tls->cipher;
    data.tls_server_name = connection.tls->server_name;
  }
  data.server_port = connection.server_port;
  data.server_ip = connection.server_ip;
  data.ray_id = trace.ray_id.view();
  // cf.random_seed: OpenSSL's generator, drawn a block at a time for each worker thread (this
  // runs only on workers); a failure leaves the seed empty.
  thread_local RandomSeeds seeds;
  if (seeds.Next(trace.random_seed)) {
    data.random_seed = std::string_view(reinterpret_cast<const char*>(trace.random_seed.data()),
                                        trace.random_seed.size());
  }
  data.geo = geo;
  data.host = host;
  data.raw_target = target;
  data.http_version = ProtocolName(connection.http2, request.version());
  data.headers =
      &FieldsForPhases(request.base(), exchange.buffers.request_fields, body.header_fields());
  data.client_ip = client.ip();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  data.timestamp_sec = now_ms / 1000;
  data.timestamp_msec = static_cast<int>(now_ms % 1000);
  data.body = body_prefix;
  data.body_size = body_size;
  return data;
}

HttpResponse ToHttpResponse(const sdk::LocalResponse& local, unsigned version) {
  HttpResponse response =
      MakeEdgeResponse(static_cast<http::status>(local.status), version, local.body,
                       local.content_type);
  for (const auto& [name, value] : local.headers) response.set(name, value);
  return response;
}

}  // namespace

RequestHandler::RequestHandler(const engine::PhaseEngine& engine, RequestHandlerOptions options,
                               ProxyMetrics* metrics, AccessLog* access_log,
                               ShadowLedger* shadow_ledger)
    : engine_(engine),
      options_(std::move(options)),
      shadow_ledger_(shadow_ledger),
      recorder_(metrics, access_log) {}

ResponseClient RequestHandler::ClientOf(const ClientExchange& exchange,
                                        const RequestTrace& trace) {
  const auto& request = exchange.parser.get();
  ResponseClient client;
  client.version = request.version();
  client.framed = exchange.stream.channel();
  client.head_request = request.method() == http::verb::head;
  // A body left unread would be taken for the next request: such a connection must close; so
  // must one the drain has reached.
  client.may_keep_alive = request.keep_alive() && exchange.parser.is_done() &&
                          !trace.must_close && !exchange.closing;
  return client;
}

BodyDeadline RequestHandler::BodyDeadlineOf(const RequestTrace& trace) const {
  return BodyDeadline(trace.started, {options_.body_timeout, options_.body_deadline,
                                      options_.body_min_rate});
}

asio::awaitable<bool> RequestHandler::RespondLocally(ClientExchange& exchange,
                                                     RequestTrace& trace, HttpResponse response,
                                                     const rules::HeaderList* fields) {
  VersionDigits digits;
  ResponseEncoder encoder(ClientOf(exchange, trace),
                          EdgeHeadersOf(trace, options_.snapshot_version_header, digits),
                          exchange.buffers.head);
  const auto buffers = encoder.EncodeWhole(response, fields);
  trace.response_body_bytes = encoder.body_bytes();
  beast::error_code error;
  co_await SendEagerly(exchange.stream, buffers, exchange.deadline, options_.send_timeout, error);
  recorder_.Finish(exchange.worker.records, exchange.parser.get(), trace,
                   static_cast<int>(response.result_int()));
  co_return encoder.keep_alive() && !error;
}

asio::awaitable<bool> RequestHandler::RespondAfterResponsePhases(ClientExchange& exchange,
                                                                 RequestTrace& trace,
                                                                 engine::RequestState& phases,
                                                                 HttpResponse response) {
  // The edge's own answers (a block, a redirect, a 502) go through the response phases too: a
  // custom error rule may render them, a response transform may edit their headers.
  phases.BeginResponse(static_cast<int>(response.result_int()),
                       FieldsForPhases(response.base(), exchange.buffers.response_fields));
  engine_.RunResponsePhases(phases);
  NotePhaseOutcomes(phases, trace);
  if (std::optional<sdk::LocalResponse> page = phases.TakeLocalResponse()) {
    trace.action = "serve_error";
    response = ToHttpResponse(*page, response.version());
  }
  co_return co_await RespondLocally(exchange, trace, std::move(response),
                                    phases.edited_response_headers());
}

asio::awaitable<bool> RequestHandler::Refuse(ClientExchange& exchange, RequestTrace& trace,
                                             Refusal refusal) {
  trace.action = refusal.action;
  // What is left of the request cannot be told from the next one: the connection closes.
  trace.must_close = true;
  co_return co_await RespondLocally(
      exchange, trace,
      MakeEdgeResponse(refusal.status, exchange.parser.get().version(), refusal.text));
}

asio::awaitable<void> RequestHandler::RefuseUnread(ClientExchange& exchange, Refusal refusal) {
  RequestTrace trace;
  // The client is the connection's address: a header not read whole has no X-Forwarded-For
  // to believe.
  recorder_.Start(exchange.client, trace);
  // No admission comes first here: the log line names the snapshot served at the time.
  trace.snapshot = exchange.worker.snapshot;
  co_await Refuse(exchange, trace, refusal);
}

asio::awaitable<bool> RequestHandler::RespondOriginFailure(ClientExchange& exchange,
                                                           RequestTrace& trace,
                                                           engine::RequestState* phases,
                                                           const OriginFailure& failure) {
  trace.action = failure.action;
  HttpResponse response =
      MakeEdgeResponse(failure.status, exchange.parser.get().version(), failure.text);
  // A request the fallback serves gets the edge's answer as is.
  if (phases == nullptr) co_return co_await RespondLocally(exchange, trace, std::move(response));
  co_return co_await RespondAfterResponsePhases(exchange, trace, *phases, std::move(response));
}

asio::awaitable<bool> RequestHandler::Handle(ClientExchange& exchange) {
  RequestTrace trace;
  recorder_.Start(exchange.client, trace);
  auto& request = exchange.parser.get();
  trace.client = RequestClientOf(exchange.client, request, options_.trusted_proxies);
  const unsigned version = request.version();

  const Admission admission = AdmitRequest(request, exchange.parser.upgrade());
  switch (admission.verdict) {
    case Admission::Verdict::kRefuse:
      co_return co_await Refuse(exchange, trace,
                                {admission.status, admission.reason, admission.action});
    case Admission::Verdict::kAnswerOptions: {
      trace.action = admission.action;
      HttpResponse options = MakeEdgeResponse(http::status::ok, version, "");
      options.set(http::field::allow, kAllowedMethods);
      co_return co_await RespondLocally(exchange, trace, std::move(options));
    }
    case Admission::Verdict::kServe:
      break;
  }
  trace.target = admission.target.origin_form();
  trace.authority = admission.target.authority;
  trace.tunnel = admission.tunnel;
  const std::string& host = admission.host;

  // One request, one snapshot: pinned here, held until this coroutine ends.
  trace.snapshot = exchange.worker.snapshot;
  if (trace.snapshot == nullptr) {
    trace.action = "no_snapshot";
    co_return co_await RespondLocally(
        exchange, trace,
        MakeEdgeResponse(http::status::service_unavailable, version,
                         "No configuration is loaded yet.\n"));
  }
  const LinkedZone* zone = trace.snapshot->FindZone(host);
  if (zone == nullptr && options_.fallback.has_value()) {
    // Not ours (yet): the legacy proxy serves it, unchanged, body streamed.
    trace.action = "fallback";
    // Named, not temporaries: GCC 12 mishandles temporaries' lifetimes across co_await.
    const Destination legacy{*options_.fallback, "", nullptr, {}};
    DownstreamBody body(exchange, BodyDeadlineOf(trace), options_.default_max_body_bytes);
    co_return co_await Forward(exchange, trace, legacy, std::string(), body);
  }
  if (zone == nullptr) {
    trace.action = "unknown_host";
    co_return co_await RespondLocally(
        exchange, trace,
        MakeEdgeResponse(static_cast<http::status>(options_.unknown_host_status), version,
                         "No zone serves this host.\n"));
  }
  co_return co_await ServeZone(exchange, trace, *zone, host);
}

asio::awaitable<bool> RequestHandler::ServeZone(ClientExchange& exchange, RequestTrace& trace,
                                                const LinkedZone& zone, std::string_view host) {
  auto& request = exchange.parser.get();
  const unsigned version = request.version();
  const plan::ZonePlan& plan = *zone.plan;
  trace.zone = plan.zone;
  trace.zone_version = zone.version;

  // The body: refused early when its declared size is over the zone's limit; otherwise a
  // bounded prefix is read for the rules and the rest streams to the origin later.
  const uint64_t body_limit =
      plan.max_request_body_bytes != 0 ? plan.max_request_body_bytes
                                       : options_.default_max_body_bytes;
  const std::optional<uint64_t> declared_length = DeclaredBodyLength(exchange.parser);
  if (declared_length.has_value() && *declared_length > body_limit) {
    co_return co_await Refuse(exchange, trace, kBodyTooLarge);
  }
  DownstreamBody body(exchange, BodyDeadlineOf(trace), body_limit);
  // The zone's inspection limit (a zone executing the managed WAF: 128 KiB by default): the
  // phases, the managed one included, see this prefix.
  uint64_t want = plan.inspect_body_bytes != 0 ? plan.inspect_body_bytes
                                               : options_.inspect_body_bytes;
  if (declared_length.has_value()) want = std::min<uint64_t>(want, *declared_length);
  std::string body_prefix;
  const BodyReadResult prefix_read =
      co_await body.ReadPrefix(want, options_.send_timeout, body_prefix);
  trace.request_body_bytes = body.received();
  if (prefix_read.client_gone) co_return false;
  if (prefix_read.refusal.has_value()) {
    co_return co_await Refuse(exchange, trace, *prefix_read.refusal);
  }

  const rules::RequestData data =
      RequestDataOf(exchange, trace, options_.geo, host, body, body_prefix,
                    declared_length.value_or(body_prefix.size()));
  engine::RequestState phases(plan, data, trace.ray_id.view(), trace.client.text(),
                              exchange.worker.scratch);
  // A zone executing a managed ruleset spends microseconds in its phases, most of them walking
  // its pages back in after the last system call: the phases of the requests this worker read
  // together run together (ready_turn.h; bench/RESULTS.md has the figures).
  const bool batched = !plan.managed_rulesets.empty();
  if (batched) co_await AfterReadyHandlers();
  engine_.RunRequestPhases(phases);
  if (batched) co_await AfterReadyHandlers();
  NotePhaseOutcomes(phases, trace);
  // Not handled here, or a shadowed zone: the legacy proxy answers, with the request unchanged.
  if (plan.shadow || phases.not_handled()) {
    const std::optional<HostPort>& fallback =
        plan.fallback.has_value() ? plan.fallback : options_.fallback;
    if (!fallback.has_value()) {
      trace.action = "no_fallback";
      co_return co_await RespondLocally(
          exchange, trace,
          MakeEdgeResponse(http::status::bad_gateway, version,
                           "This request is not handled here and no fallback is configured.\n"));
    }
    Destination destination{*fallback, "", nullptr, std::nullopt};
    trace.action = plan.shadow ? "shadow" : "fallback";
    if (plan.shadow) {
      // What Gatehouse would have done, for the comparison with the legacy proxy's answer.
      const std::optional<sdk::LocalResponse> local = phases.TakeLocalResponse();
      destination.shadow = ShadowVerdict{
          local.has_value() && phases.deciding_rule() != nullptr ? phases.deciding_rule()->id : "",
          local.has_value() ? local->status : 0};
    }
    co_return co_await Forward(exchange, trace, destination, std::move(body_prefix), body);
  }
  if (std::optional<sdk::LocalResponse> local = phases.TakeLocalResponse()) {
    trace.action = phases.deciding_rule()->action_name;
    co_return co_await RespondAfterResponsePhases(exchange, trace, phases,
                                                  ToHttpResponse(*local, version));
  }
  const engine::RequestState::Route& route = phases.route();
  const plan::CompiledOrigin& origin = plan.origins[route.origin_index];
  Destination destination{origin.servers[exchange.worker.upstreams.Pick(origin.servers)],
                          route.host_header, &phases, std::nullopt};
  if (route.port != 0) destination.server.port = route.port;
  co_return co_await Forward(exchange, trace, destination, std::move(body_prefix), body);
}

asio::awaitable<bool> RequestHandler::Forward(ClientExchange& exchange, RequestTrace& trace,
                                              const Destination& destination,
                                              std::string body_prefix, DownstreamBody& body) {
  auto& request = exchange.parser.get();
  engine::RequestState* phases = destination.phases;

  // Transforms may have rewritten the target and the headers.
  const bool rewritten = phases != nullptr && phases->request_rewritten();
  UpstreamRequestEdits edits;
  edits.target = rewritten ? std::string_view(phases->target()) : trace.target;
  edits.headers = rewritten ? &phases->request_headers() : nullptr;
  edits.host = !destination.host_header.empty() ? std::string_view(destination.host_header)
                                                : trace.authority;
  // The hop, not the client found in X-Forwarded-For: the list the origin gets stays a list of
  // hops (wire_format.h).
  edits.received_from = exchange.client.address.text();
  edits.forwarded_proto = exchange.client.tls.has_value() ? "https" : "http";
  if (trace.tunnel) edits.upgrade = request[http::field::upgrade];
  if (const std::optional<uint64_t> declared_length = DeclaredBodyLength(exchange.parser);
      declared_length.has_value()) {
    edits.framing = BodyFraming::kContentLength;
    edits.content_length = *declared_length;
  } else if (request.chunked()) {
    edits.framing = BodyFraming::kChunked;
  }
  edits.header_fields = body.header_fields();
  WriteUpstreamRequestHead(request, edits, exchange.buffers.head);

  UpstreamExchange upstream(exchange.worker.upstreams, exchange.worker.deadlines,
                            options_.response_timeout);
  UpstreamExchange::Request sent;
  sent.server = destination.server;
  sent.head = exchange.buffers.head;
  sent.framing = edits.framing;
  sent.body_prefix = body_prefix;
  sent.retry_safe = IsIdempotent(request.method());
  sent.head_request = request.method() == http::verb::head;
  // The relay buffer is allocated on a connection's first streamed body, and kept.
  char* relay = body.done() ? nullptr : exchange.buffers.Relay();
  const UpstreamExchange::Outcome outcome = co_await upstream.Send(sent, body, relay);
  trace.request_body_bytes = body.received();
  trace.upstream_time = upstream.elapsed();
  trace.upstream = destination.server.ToString();

  std::optional<OriginFailure> failure;
  ProxyMetrics::Shard* metrics = exchange.worker.records.metrics;
  switch (outcome) {
    case UpstreamExchange::Outcome::kResponse:
      break;
    case UpstreamExchange::Outcome::kClientGone:
      co_return false;
    case UpstreamExchange::Outcome::kClientRefused:
      co_return co_await Refuse(exchange, trace, upstream.client_refusal());
    case UpstreamExchange::Outcome::kConnectFailed:
      if (metrics != nullptr) metrics->RecordUpstreamError(trace.zone, "connect");
      failure = kOriginUnreachable;
      break;
    case UpstreamExchange::Outcome::kTimeout:
    case UpstreamExchange::Outcome::kBadResponse:
      if (metrics != nullptr) {
        metrics->RecordUpstreamError(
            trace.zone,
            outcome == UpstreamExchange::Outcome::kTimeout ? "timeout" : "bad_response");
      }
      failure = DescribeOriginFailure(upstream.origin_error());
      break;
  }
  // A request body the origin never took is still on the wire.
  if (failure.has_value() && !body.done()) trace.must_close = true;

  if (destination.shadow.has_value() && shadow_ledger_ != nullptr) {
    const int legacy_status = failure.has_value()
                                  ? static_cast<int>(failure->status)
                                  : static_cast<int>(upstream.response().result_int());
    shadow_ledger_->Record(trace.zone, destination.shadow->rule, destination.shadow->would_answer,
                           legacy_status);
  }
  // Response phases see the final status, whether the origin or the edge produced it.
  if (failure.has_value()) {
    co_return co_await RespondOriginFailure(exchange, trace, phases, *failure);
  }
  auto& origin_response = upstream.response();
  std::optional<sdk::LocalResponse> page;
  if (phases != nullptr) {
    phases->BeginResponse(
        static_cast<int>(origin_response.result_int()),
        FieldsForPhases(origin_response.base(), exchange.buffers.response_fields));
    engine_.RunResponsePhases(*phases);
    NotePhaseOutcomes(*phases, trace);
    page = phases->TakeLocalResponse();
  }
  if (page.has_value()) {
    trace.action = "serve_error";
    // The origin's body is not wanted: its connection cannot be reused mid-body.
    upstream.Finish();
    co_return co_await RespondLocally(exchange, trace,
                                      ToHttpResponse(*page, request.version()),
                                      phases->edited_response_headers());
  }
  if (trace.tunnel && origin_response.result() == http::status::switching_protocols) {
    co_return co_await RelayUpgrade(exchange, trace, upstream);
  }
  co_return co_await Relay(exchange, trace, upstream, phases);
}

asio::awaitable<bool> RequestHandler::RelayUpgrade(ClientExchange& exchange, RequestTrace& trace,
                                                   UpstreamExchange& upstream) {
  // The 101 goes out with its Upgrade and Connection headers; from then on both connections
  // carry raw bytes, whatever was already buffered first.
  const http::response<http::empty_body> switching =
      SwitchingProtocolsHead(upstream.response().base(), trace.ray_id.view());
  beast::error_code error;
  exchange.deadline.Arm(options_.send_timeout);
  co_await http::async_write(exchange.stream, switching,
                             asio::redirect_error(asio::use_awaitable, error));
  exchange.deadline.Disarm(error);
  recorder_.Finish(exchange.worker.records, exchange.parser.get(), trace,
                   static_cast<int>(switching.result_int()));
  if (error) co_return false;
  co_await RunTunnel(exchange.stream, exchange.buffer, upstream.stream(), upstream.buffer(),
                     options_.tunnel_idle_timeout);
  co_return false;
}

asio::awaitable<bool> RequestHandler::Relay(ClientExchange& exchange, RequestTrace& trace,
                                            UpstreamExchange& upstream,
                                            engine::RequestState* phases) {
  const int status = static_cast<int>(upstream.response().result_int());
  VersionDigits digits;
  ResponseEncoder encoder(ClientOf(exchange, trace),
                          EdgeHeadersOf(trace, options_.snapshot_version_header, digits),
                          exchange.buffers.head);
  encoder.BeginRelay(upstream.response().base(), upstream.content_length(),
                     phases != nullptr ? phases->edited_response_headers() : nullptr);
  // The head goes out with the first piece of the body: one write, not two, for the common
  // small response.
  beast::error_code body_error;  // why the origin broke off the body
  beast::error_code error;       // why the client's connection failed
  for (;;) {
    size_t n = 0;
    char* relay = nullptr;
    if (encoder.has_body() && !upstream.response_done()) {
      relay = exchange.buffers.Relay();
      n = co_await upstream.ReadBodyPiece(relay, kRelayChunk, body_error);
      if (body_error) {
        if (exchange.worker.records.metrics != nullptr) {
          exchange.worker.records.metrics->RecordUpstreamError(trace.zone, "body");
        }
        break;
      }
      trace.response_body_bytes += n;
    }
    const bool last = !encoder.has_body() || upstream.response_done();
    // A read may parse only chunk framing: nothing to send yet.
    const auto buffers = encoder.EncodeBodyPiece(std::string_view(relay, n), last);
    if (!buffers.empty()) {
      co_await SendEagerly(exchange.stream, buffers, exchange.deadline, options_.send_timeout,
                           error);
      if (error) break;
    }
    if (last) break;
  }
  const bool origin_broke = static_cast<bool>(body_error);
  if (origin_broke && !encoder.head_out()) {
    // Nothing went out yet: the client gets an answer that says what happened (rendered by the
    // zone's custom error rules, like any edge answer).
    upstream.Close();
    trace.response_body_bytes = 0;
    co_return co_await RespondOriginFailure(exchange, trace, phases,
                                            DescribeOriginFailure(body_error));
  }
  // Once bytes went out it is too late for an error page: the client sees the body cut short.
  recorder_.Finish(exchange.worker.records, exchange.parser.get(), trace, status);
  upstream.Finish();
  co_return encoder.keep_alive() && !error && !origin_broke;
}

}  // namespace gatehouse::runtime
