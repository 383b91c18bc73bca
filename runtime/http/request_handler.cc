#include "runtime/http/request_handler.h"

#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/serializer.hpp"
#include "boost/beast/http/write.hpp"
#include "rules/evaluation.h"
#include "rules/request_data.h"
#include "runtime/engine/request_state.h"
#include "runtime/http/buffered_parse.h"
#include "runtime/http/eager_send.h"
#include "runtime/http/header_rules.h"
#include "runtime/http/request_admission.h"
#include "runtime/http/tunnel.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {
namespace {

// The relay buffer for bodies streamed through the proxy.
constexpr size_t kRelayChunk = 16 * 1024;

using Clock = std::chrono::steady_clock;

// An error of Beast's HTTP parser (the bytes were not HTTP), not of the socket.
bool IsParseError(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_chunk).category() &&
         error != http::error::end_of_stream && error != http::error::partial_message;
}

// What the client gets when reading the origin's response failed before any byte of it was
// relayed: the answer says what happened, whether the header or the body's first piece failed.
struct OriginFailure {
  http::status status;
  std::string_view text;    // a literal
  std::string_view action;  // a literal
};
OriginFailure DescribeOriginFailure(const beast::error_code& error) {
  if (error == beast::error::timeout) {
    return {http::status::gateway_timeout, "The origin did not answer in time.\n",
            "origin_timeout"};
  }
  if (IsParseError(error)) {
    return {http::status::bad_gateway, "The origin sent a malformed response.\n",
            "origin_error"};
  }
  return {http::status::bad_gateway, "The origin closed the connection without an answer.\n",
          "origin_error"};
}

constexpr Refusal kBodyTooLarge{http::status::payload_too_large, "Request body too large.\n",
                                "body_too_large"};

auto Redirect(beast::error_code& error) { return asio::redirect_error(asio::use_awaitable, error); }

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

// The fields as the phases read them, in storage the connection reuses.
template <bool kIsRequest>
const rules::HeaderList& FieldsForPhases(const http::header<kIsRequest>& header,
                                         rules::HeaderList& out) {
  out.clear();
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

// Safe to send twice: a request that failed on a stale pooled connection may be retried once.
bool IsIdempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_:
      return true;
    default:
      return false;
  }
}

bool HasBody(int status, bool head) {
  return !head && status >= 200 && status != 204 && status != 304;
}

// Reads the next piece of the client's request body into [data, data + capacity); a read that
// would have to wait with no time left (`timeout` <= 0) fails with beast::error::timeout.
asio::awaitable<size_t> ReadBodyPiece(ClientExchange& exchange, char* data, size_t capacity,
                                      std::chrono::milliseconds timeout,
                                      beast::error_code& error) {
  auto& body = exchange.parser.get().body();
  body.data = data;
  body.size = capacity;
  if (!ParseBufferedBody(exchange.parser, exchange.buffer, error)) {
    if (timeout <= std::chrono::milliseconds::zero()) {
      error = beast::error::timeout;
      co_return 0;
    }
    exchange.deadline.Arm(timeout);
    co_await http::async_read_some(exchange.stream, exchange.buffer, exchange.parser,
                                   Redirect(error));
    exchange.deadline.Disarm(error);
  }
  if (error == http::error::need_buffer) error = {};
  co_return capacity - body.size;
}

}  // namespace

// Everything one request carries from start to end, for the response headers, metrics and the
// access log.
struct RequestHandler::RequestTrace {
  Clock::time_point started = Clock::now();
  RayId ray_id;
  std::string_view client_ip;
  std::shared_ptr<const LinkedSnapshot> snapshot;  // pinned until the request ends
  std::string_view zone;
  // What decided the response, for metrics and logs.
  std::string_view action = "proxied";
  std::vector<std::pair<std::string_view, std::string_view>> rules;
  uint64_t request_body_bytes = 0;
  uint64_t response_body_bytes = 0;
  Clock::duration upstream_time{};
  std::string upstream;
  // Set when the connection cannot carry another request (e.g. the body was not read whole).
  bool must_close = false;
  // The request-target in origin-form, as the rules see it and the origin receives it.
  std::string_view target;
  // Absolute-form's authority: the Host the origin receives (unless a route sets one).
  std::string_view authority;
  // The request switches protocols and the edge tunnels it.
  bool tunnel = false;
  // The serving zone's own version; 0 until a zone is found.
  uint64_t zone_version = 0;
  // How many of the phases' matched rules are already in `rules`.
  size_t noted_matches = 0;
  // Actions not applied because a value they computed cannot go on the wire: (rule, reason).
  std::vector<std::pair<std::string_view, std::string_view>> refused;
};

bool RequestHandler::MayKeepAlive(const ClientExchange& exchange, const RequestTrace& trace) {
  // A body left unread would be taken for the next request: such a connection must close; so
  // must one the drain has reached.
  return exchange.parser.get().keep_alive() && exchange.parser.is_done() && !trace.must_close &&
         !exchange.closing;
}

void RequestHandler::NotePhaseOutcomes(const RequestState& phases, RequestTrace& trace) {
  for (; trace.noted_matches < phases.matched().size(); ++trace.noted_matches) {
    const plan::CompiledRule* rule = phases.matched()[trace.noted_matches];
    trace.rules.emplace_back(rule->id, rule->action_name);
  }
  for (size_t i = trace.refused.size(); i < phases.refused_values().size(); ++i) {
    const RequestState::RefusedValue& refused = phases.refused_values()[i];
    trace.refused.emplace_back(refused.rule != nullptr ? std::string_view(refused.rule->id) : "",
                               refused.reason);
  }
}

asio::awaitable<bool> RequestHandler::RespondAfterResponsePhases(ClientExchange& exchange,
                                                                 RequestTrace& trace,
                                                                 RequestState& phases,
                                                                 HttpResponse response) {
  // The edge's own answers (a block, a redirect, a 502) go through the response phases too: a
  // custom error rule may render them, a response transform may edit their headers.
  phases.BeginResponse(static_cast<int>(response.result_int()),
                       FieldsForPhases(response.base(), exchange.buffers.response_fields));
  engine_.RunResponsePhases(phases);
  NotePhaseOutcomes(phases, trace);
  if (std::optional<LocalResponse> page = phases.TakeLocalResponse()) {
    trace.action = "serve_error";
    response = ToHttpResponse(*page, response.version());
  }
  co_return co_await RespondLocally(
      exchange, trace, std::move(response),
      phases.edited_response_headers());
}

HttpResponse MakeEdgeResponse(http::status status, unsigned version, std::string_view body,
                              std::string_view content_type) {
  HttpResponse response(status, version);
  response.set(http::field::content_type, content_type);
  response.body() = std::string(body);
  response.prepare_payload();
  return response;
}

RequestHandler::RequestHandler(const PhaseEngine& engine, RequestHandlerOptions options,
                               ProxyMetrics* metrics, AccessLog* access_log,
                               ShadowLedger* shadow_ledger)
    : engine_(engine),
      options_(std::move(options)),
      metrics_(metrics),
      access_log_(access_log),
      shadow_ledger_(shadow_ledger) {}

void RequestHandler::Finish(ClientExchange& exchange, RequestTrace& trace, int status) {
  const auto elapsed = Clock::now() - trace.started;
  if (metrics_ != nullptr) {
    metrics_->RecordRequest(trace.zone, status, trace.action,
                            std::chrono::duration<double>(elapsed).count());
    for (const auto& [rule, reason] : trace.refused) metrics_->RecordRefusedValue(trace.zone, rule);
  }
  if (access_log_ != nullptr) {
    const auto& request = exchange.parser.get();
    AccessLogEntry entry;
    entry.ray_id = trace.ray_id.view();
    entry.client_ip = trace.client_ip;
    entry.zone = trace.zone;
    entry.method = request.method_string();
    entry.host = request[http::field::host];
    entry.target = request.target();
    entry.status = status;
    entry.action = trace.action;
    entry.snapshot_version = trace.snapshot != nullptr ? trace.snapshot->version() : 0;
    entry.request_body_bytes = trace.request_body_bytes;
    entry.response_body_bytes = trace.response_body_bytes;
    entry.duration_ms = std::chrono::duration<double, std::milli>(elapsed).count();
    entry.upstream_ms = std::chrono::duration<double, std::milli>(trace.upstream_time).count();
    entry.upstream = trace.upstream;
    entry.rules = &trace.rules;
    entry.refused = &trace.refused;
    access_log_->Record(entry);
  }
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
  trace.ray_id = ray_ids_.Next();
  trace.client_ip = exchange.client.address_text;
  trace.snapshot = exchange.worker.snapshot;
  co_await Refuse(exchange, trace, refusal);
}

std::optional<Refusal> BodyReadRefusal(const beast::error_code& error,
                                       const beast::flat_buffer& buffer) {
  if (error == beast::error::timeout) {
    return Refusal{http::status::request_timeout, "Request body timed out.\n", "body_timeout"};
  }
  if (error == http::error::buffer_overflow) {
    // The parser needs a whole chunk-size line, or the whole trailer block after the last
    // chunk, in the connection's bounded read buffer. Which one overflowed: the last chunk is
    // all zeros.
    std::string_view pending(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (pending.substr(0, 2) == "\r\n") pending.remove_prefix(2);
    const size_t zeros = pending.find_first_not_of('0');
    if (zeros > 0 && zeros != std::string_view::npos &&
        (pending[zeros] == ';' || pending[zeros] == '\r')) {
      return Refusal{http::status::request_header_fields_too_large,
                     "Request trailer fields too large.\n", "trailer_too_large"};
    }
    return Refusal{http::status::bad_request, "Chunk header too large.\n", "bad_request"};
  }
  if (error.category() == http::make_error_code(http::error::bad_chunk).category()) {
    return Refusal{http::status::bad_request, "Malformed request body.\n", "bad_request"};
  }
  return std::nullopt;
}

asio::awaitable<bool> RequestHandler::RespondLocally(ClientExchange& exchange,
                                                     RequestTrace& trace, HttpResponse response,
                                                     const rules::HeaderList* fields) {
  const auto& request = exchange.parser.get();
  const bool head_request = request.method() == http::verb::head;
  const int status = static_cast<int>(response.result_int());
  // The same head writer as for relayed responses: it owns the framing, so a page whose fields
  // a response phase replaced still goes out with its Content-Length.
  ClientResponseEdits edits;
  edits.version = request.version();
  edits.headers = fields;
  edits.ray_id = trace.ray_id.view();
  VersionDigits digits;
  SetVersionHeaders(trace, digits, edits);
  edits.keep_alive = MayKeepAlive(exchange, trace);
  if (HasBody(status, /*head=*/false)) {
    // HEAD: the headers a GET would get, Content-Length included, and no body.
    edits.framing = BodyFraming::kContentLength;
    edits.content_length = response.body().size();
  }
  std::string& head = exchange.buffers.head;
  WriteClientResponseHead(response.base(), edits, head);
  BodyFramer framer(head, edits.framing);
  const bool send_body = !head_request && edits.framing != BodyFraming::kNone;
  trace.response_body_bytes = send_body ? response.body().size() : 0;
  beast::error_code error;
  co_await SendEagerly(exchange.stream,
                       framer.Frame(send_body ? std::string_view(response.body())
                                              : std::string_view(),
                                    true),
                       exchange.deadline, options_.send_timeout, error);
  Finish(exchange, trace, status);
  co_return edits.keep_alive && !error;
}

std::chrono::milliseconds RequestHandler::BodyReadTimeout(const RequestTrace& trace,
                                                         uint64_t received) const {
  auto deadline = trace.started + options_.body_deadline;
  if (options_.body_min_rate > 0) {
    deadline += std::chrono::milliseconds(received * 1000 / options_.body_min_rate);
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return std::min(left, options_.body_timeout);
}

namespace {

std::string_view FormatVersion(uint64_t version, char (&storage)[24]) {
  const auto end = std::to_chars(storage, storage + sizeof(storage), version).ptr;
  return std::string_view(storage, static_cast<size_t>(end - storage));
}

}  // namespace

void RequestHandler::SetVersionHeaders(const RequestTrace& trace, VersionDigits& digits,
                                       ClientResponseEdits& edits) const {
  if (trace.zone_version != 0) edits.zone_version = FormatVersion(trace.zone_version, digits.zone);
  if (trace.snapshot != nullptr && options_.snapshot_version_header) {
    edits.snapshot_version = FormatVersion(trace.snapshot->version(), digits.snapshot);
  }
}

asio::awaitable<bool> RequestHandler::Handle(ClientExchange& exchange) {
  RequestTrace trace;
  trace.ray_id = ray_ids_.Next();
  trace.client_ip = exchange.client.address_text;
  auto& request = exchange.parser.get();
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
    const auto declared = exchange.parser.content_length();
    co_return co_await Forward(exchange, trace, legacy, std::string(), declared,
                               options_.default_max_body_bytes);
  }
  if (zone == nullptr) {
    trace.action = "unknown_host";
    co_return co_await RespondLocally(
        exchange, trace,
        MakeEdgeResponse(static_cast<http::status>(options_.unknown_host_status), version,
                         "No zone serves this host.\n"));
  }
  const plan::ZonePlan& plan = *zone->plan;
  trace.zone = plan.zone;
  trace.zone_version = zone->version;

  // The body: refused early when its declared size is over the zone's limit; otherwise a
  // bounded prefix is read for the rules and the rest streams to the origin later.
  const uint64_t body_limit =
      plan.max_request_body_bytes != 0 ? plan.max_request_body_bytes
                                       : options_.default_max_body_bytes;
  const auto declared_length = exchange.parser.content_length();
  if (declared_length.has_value() && *declared_length > body_limit) {
    co_return co_await Refuse(exchange, trace, kBodyTooLarge);
  }
  std::string body_prefix;
  if (!exchange.parser.is_done()) {
    beast::error_code error;
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on(http::status::continue_, version);
      exchange.deadline.Arm(options_.send_timeout);
      co_await http::async_write(exchange.stream, go_on, Redirect(error));
      exchange.deadline.Disarm(error);
      if (error) co_return false;
    }
    size_t want = options_.inspect_body_bytes;
    if (declared_length.has_value()) want = std::min<uint64_t>(want, *declared_length);
    body_prefix.resize(want);
    size_t have = 0;
    while (have < want && !exchange.parser.is_done()) {
      have += co_await ReadBodyPiece(exchange, body_prefix.data() + have, want - have,
                                     BodyReadTimeout(trace, have), error);
      if (error) break;
    }
    body_prefix.resize(have);
    trace.request_body_bytes = have;
    if (error) {
      const std::optional<Refusal> refusal = BodyReadRefusal(error, exchange.buffer);
      if (!refusal.has_value()) co_return false;  // the client went away
      co_return co_await Refuse(exchange, trace, *refusal);
    }
    if (have > body_limit) {
      co_return co_await Refuse(exchange, trace, kBodyTooLarge);
    }
  }

  const rules::HeaderList& request_headers =
      FieldsForPhases(request.base(), exchange.buffers.request_fields);
  rules::RequestData data;
  data.method = request.method_string();
  data.scheme = "http";
  data.host = host;
  data.raw_target = trace.target;
  data.http_version = version == 10 ? "HTTP/1.0" : "HTTP/1.1";
  data.headers = &request_headers;
  data.client_ip = ToRulesIp(exchange.client.address);
  data.timestamp_sec = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  data.body = body_prefix;
  data.body_size = declared_length.value_or(body_prefix.size());

  RequestState phases(plan, data, trace.ray_id.view(), trace.client_ip);
  engine_.RunRequestPhases(phases);
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
      const std::optional<LocalResponse> local = phases.TakeLocalResponse();
      destination.shadow = ShadowVerdict{
          local.has_value() && phases.deciding_rule() != nullptr ? phases.deciding_rule()->id : "",
          local.has_value() ? local->status : 0};
    }
    co_return co_await Forward(exchange, trace, destination, std::move(body_prefix),
                               declared_length, body_limit);
  }
  if (std::optional<LocalResponse> local = phases.TakeLocalResponse()) {
    trace.action = phases.deciding_rule()->action_name;
    co_return co_await RespondAfterResponsePhases(exchange, trace, phases,
                                                  ToHttpResponse(*local, version));
  }
  const RequestState::Route& route = phases.route();
  const plan::CompiledOrigin& origin = plan.origins[route.origin_index];
  Destination destination{origin.servers[exchange.worker.upstreams.Pick(origin.servers)],
                          route.host_header, &phases, std::nullopt};
  if (route.port != 0) destination.server.port = route.port;
  co_return co_await Forward(exchange, trace, destination, std::move(body_prefix), declared_length,
                             body_limit);
}

asio::awaitable<bool> RequestHandler::Forward(ClientExchange& exchange, RequestTrace& trace,
                                              Destination destination,
                                              std::string body_prefix,
                                              boost::optional<uint64_t> declared_length,
                                              uint64_t body_limit) {
  auto& request = exchange.parser.get();
  const unsigned version = request.version();
  const bool head_request = request.method() == http::verb::head;
  RequestState* phases = destination.phases;
  UpstreamPool& pool = exchange.worker.upstreams;
  HostPort server = destination.server;

  const bool upgrade = trace.tunnel;
  // Transforms may have rewritten the target and the headers.
  const bool rewritten = phases != nullptr && phases->request_rewritten();
  UpstreamRequestEdits edits;
  edits.target = rewritten ? std::string_view(phases->target())
                           : trace.target;
  edits.headers = rewritten ? &phases->request_headers() : nullptr;
  edits.host = !destination.host_header.empty() ? std::string_view(destination.host_header)
                                                : trace.authority;
  edits.client_ip = trace.client_ip;
  if (upgrade) edits.upgrade = request[http::field::upgrade];
  if (declared_length.has_value()) {
    edits.framing = BodyFraming::kContentLength;
    edits.content_length = *declared_length;
  } else if (request.chunked()) {
    edits.framing = BodyFraming::kChunked;
  }
  std::string& head = exchange.buffers.head;
  WriteUpstreamRequestHead(request, edits, head);

  // Send, then read the response header. A request that fails on a pooled connection before
  // any response byte arrived is sent once more on a new connection, when that is safe: the
  // method is idempotent and the whole body is still at hand.
  const bool body_buffered = exchange.parser.is_done();
  enum class Failure { kNone, kConnect, kTimeout, kBadResponse, kClientGone, kTooLarge,
                       kClientRefused };
  std::optional<Refusal> client_refusal;  // with kClientRefused
  beast::error_code origin_error;         // with kTimeout and kBadResponse
  Failure failure = Failure::kNone;
  UpstreamConnection connection;
  std::optional<ResponseParser> response_parser;
  // The connection's relay buffer, allocated on its first body and kept for its next ones.
  std::unique_ptr<char[]>& chunk = exchange.buffers.relay;
  // Bounds every operation on the origin connection (it follows the connection on a retry).
  SocketDeadline upstream_deadline(exchange.worker.deadlines, nullptr);
  const auto upstream_started = Clock::now();
  for (int attempt = 0;; ++attempt) {
    std::optional<UpstreamConnection> idle;
    if (attempt == 0) idle = pool.TakeIdle(server);
    if (idle.has_value()) {
      connection = *std::move(idle);
    } else {
      auto connected = co_await pool.Connect(server);
      if (!connected.ok()) {
        failure = absl::IsDeadlineExceeded(connected.status()) ? Failure::kTimeout
                                                               : Failure::kConnect;
        origin_error = beast::error::timeout;  // read only with kTimeout
        break;
      }
      connection = *std::move(connected);
    }
    beast::tcp_stream& upstream = *connection.stream;
    upstream_deadline.Watch(upstream.socket());
    beast::error_code upstream_error;
    beast::error_code client_error;
    BodyFramer framer(head, edits.framing);
    const auto first = framer.Frame(body_prefix, exchange.parser.is_done());
    co_await SendEagerly(upstream, first, upstream_deadline, options_.response_timeout,
                         upstream_error);
    // The rest of a body larger than the inspected prefix streams through.
    while (!upstream_error && !exchange.parser.is_done()) {
      if (chunk == nullptr) chunk.reset(new char[kRelayChunk]);
      const size_t n = co_await ReadBodyPiece(exchange, chunk.get(), kRelayChunk,
                                              BodyReadTimeout(trace, trace.request_body_bytes),
                                              client_error);
      if (client_error) break;
      trace.request_body_bytes += n;
      if (trace.request_body_bytes > body_limit) {
        failure = Failure::kTooLarge;
        break;
      }
      // A read may parse only chunk framing: nothing to send yet.
      const auto buffers =
          framer.Frame(std::string_view(chunk.get(), n), exchange.parser.is_done());
      if (buffers.empty()) continue;
      co_await SendEagerly(upstream, buffers, upstream_deadline, options_.response_timeout,
                           upstream_error);
    }
    if (client_error) {
      client_refusal = BodyReadRefusal(client_error, exchange.buffer);
      failure = client_refusal.has_value() ? Failure::kClientRefused : Failure::kClientGone;
    }
    if (failure != Failure::kNone) break;
    if (!upstream_error) {
      // Interim responses (100 Continue, 103 Early Hints) are not relayed: the proxy already
      // dealt with the client's Expect.
      upstream_deadline.Arm(options_.response_timeout);
      do {
        response_parser.emplace();
        response_parser->body_limit(boost::none);  // streamed: no buffer to bound
        response_parser->skip(head_request);
        co_await http::async_read_header(upstream, connection.buffer, *response_parser,
                                         Redirect(upstream_error));
      } while (!upstream_error && response_parser->get().result_int() / 100 == 1 &&
               response_parser->get().result() != http::status::switching_protocols);
      upstream_deadline.Disarm(upstream_error);
    }
    if (!upstream_error) break;
    const bool stale = connection.reused && attempt == 0 && IsIdempotent(request.method()) &&
                       body_buffered && connection.buffer.size() == 0 &&
                       upstream_error != beast::error::timeout;
    if (stale) continue;
    failure = upstream_error == beast::error::timeout ? Failure::kTimeout
                                                      : Failure::kBadResponse;
    origin_error = upstream_error;
    break;
  }
  trace.upstream_time = Clock::now() - upstream_started;
  trace.upstream = server.ToString();

  HttpResponse edge_response;
  switch (failure) {
    case Failure::kNone:
      break;
    case Failure::kClientGone:
      co_return false;
    case Failure::kClientRefused:
      co_return co_await Refuse(exchange, trace, *client_refusal);
    case Failure::kTooLarge:
      co_return co_await Refuse(exchange, trace, kBodyTooLarge);
    case Failure::kConnect:
      trace.action = "origin_error";
      if (metrics_ != nullptr) metrics_->RecordUpstreamError(trace.zone, "connect");
      edge_response = MakeEdgeResponse(http::status::bad_gateway, version,
                                       "The origin could not be reached.\n");
      break;
    case Failure::kTimeout:
    case Failure::kBadResponse: {
      const OriginFailure described = DescribeOriginFailure(origin_error);
      trace.action = described.action;
      if (metrics_ != nullptr) {
        metrics_->RecordUpstreamError(
            trace.zone, failure == Failure::kTimeout ? "timeout" : "bad_response");
      }
      edge_response = MakeEdgeResponse(described.status, version, described.text);
      break;
    }
  }
  if (failure != Failure::kNone) {
    connection = {};
    // A request body the origin never took is still on the wire.
    if (!exchange.parser.is_done()) trace.must_close = true;
  }
  const bool from_origin = failure == Failure::kNone;

  if (destination.shadow.has_value() && shadow_ledger_ != nullptr) {
    const int legacy_status = from_origin
                                  ? static_cast<int>(response_parser->get().result_int())
                                  : static_cast<int>(edge_response.result_int());
    shadow_ledger_->Record(trace.zone, destination.shadow->rule, destination.shadow->would_answer,
                           legacy_status);
  }
  // Response phases see the final status, whether the origin or the edge produced it. A request
  // the fallback serves gets its answer as is.
  if (!from_origin) {
    if (phases == nullptr) {
      co_return co_await RespondLocally(exchange, trace, std::move(edge_response));
    }
    co_return co_await RespondAfterResponsePhases(exchange, trace, *phases,
                                                  std::move(edge_response));
  }
  auto& origin_response = response_parser->get();
  std::optional<LocalResponse> page;
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
    if (response_parser->is_done() && !response_parser->need_eof()) {
      pool.Release(std::move(connection));
    }
    co_return co_await RespondLocally(
        exchange, trace, ToHttpResponse(*page, version),
        phases->edited_response_headers());
  }

  // Relay the origin's response.
  beast::tcp_stream& upstream = *connection.stream;
  const int status = static_cast<int>(origin_response.result_int());
  beast::error_code error;
  if (upgrade && origin_response.result() == http::status::switching_protocols) {
    // The 101 goes out with its Upgrade and Connection headers; from then on both connections
    // carry raw bytes, whatever was already buffered first.
    http::response<http::empty_body> switching;
    switching.base() = origin_response.base();
    switching.set(kRayHeader, trace.ray_id.view());
    switching.set(http::field::via, kVia);
    exchange.deadline.Arm(options_.send_timeout);
    co_await http::async_write(exchange.stream, switching, Redirect(error));
    exchange.deadline.Disarm(error);
    Finish(exchange, trace, status);
    if (error) co_return false;
    co_await RunTunnel(exchange.stream, exchange.buffer, upstream, connection.buffer,
                       options_.tunnel_idle_timeout);
    co_return false;
  }

  bool keep_alive = MayKeepAlive(exchange, trace);
  ClientResponseEdits response_edits;
  response_edits.version = version;
  if (phases != nullptr) response_edits.headers = phases->edited_response_headers();
  response_edits.ray_id = trace.ray_id.view();
  VersionDigits digits;
  SetVersionHeaders(trace, digits, response_edits);
  if (HasBody(status, head_request)) {
    if (const auto length = response_parser->content_length(); length.has_value()) {
      response_edits.framing = BodyFraming::kContentLength;
      response_edits.content_length = *length;
    } else if (version >= 11) {
      response_edits.framing = BodyFraming::kChunked;
    } else {
      response_edits.framing = BodyFraming::kUntilClose;
      keep_alive = false;  // an HTTP/1.0 client learns the body's end from the close
    }
  }
  response_edits.keep_alive = keep_alive;
  WriteClientResponseHead(origin_response, response_edits, head);
  BodyFramer framer(head, response_edits.framing);
  if (response_edits.framing != BodyFraming::kNone && chunk == nullptr) {
    chunk.reset(new char[kRelayChunk]);
  }
  // The head goes out with the first piece of the body: one write, not two, for the common
  // small response.
  bool origin_broke = false;
  beast::error_code body_error;  // why the origin broke
  bool sent = false;
  for (;;) {
    size_t n = 0;
    if (response_edits.framing != BodyFraming::kNone && !response_parser->is_done()) {
      auto& body = origin_response.body();
      body.data = chunk.get();
      body.size = kRelayChunk;
      upstream_deadline.Arm(options_.response_timeout);
      beast::error_code read_error;
      if (!ParseBufferedBody(*response_parser, connection.buffer, read_error)) {
        co_await http::async_read_some(upstream, connection.buffer, *response_parser,
                                       Redirect(read_error));
      }
      upstream_deadline.Disarm(read_error);
      if (read_error == http::error::need_buffer) read_error = {};
      if (read_error) {
        // Once bytes went out it is too late for an error page: the client sees the body cut
        // short.
        origin_broke = true;
        body_error = read_error;
        if (metrics_ != nullptr) metrics_->RecordUpstreamError(trace.zone, "body");
        break;
      }
      n = kRelayChunk - body.size;
      trace.response_body_bytes += n;
    }
    const bool last = response_edits.framing == BodyFraming::kNone || response_parser->is_done();
    // A read may parse only chunk framing: nothing to send yet.
    const auto buffers = framer.Frame(std::string_view(chunk.get(), n), last);
    if (!buffers.empty()) {
      sent = true;
      co_await SendEagerly(exchange.stream, buffers, exchange.deadline, options_.send_timeout,
                           error);
      if (error) break;
    }
    if (last) break;
  }
  if (origin_broke && !sent) {
    // Nothing went out yet: the client gets an answer that says what happened (rendered by the
    // zone's custom error rules, like any edge answer).
    connection = {};
    const OriginFailure described = DescribeOriginFailure(body_error);
    trace.action = described.action;
    trace.response_body_bytes = 0;
    HttpResponse failed = MakeEdgeResponse(described.status, version, described.text);
    if (phases != nullptr) {
      co_return co_await RespondAfterResponsePhases(exchange, trace, *phases, std::move(failed));
    }
    co_return co_await RespondLocally(exchange, trace, std::move(failed));
  }
  Finish(exchange, trace, status);
  if (!origin_broke && response_parser->is_done() && !response_parser->need_eof() &&
      response_parser->keep_alive()) {
    pool.Release(std::move(connection));
  }
  co_return keep_alive && !error && !origin_broke;
}

}  // namespace gatehouse::runtime
