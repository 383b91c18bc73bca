#pragma once

// The client's side of one request, as the pieces of the request path share it: the connection
// it came on, what that connection keeps between requests, and the answer for a request the
// edge will not serve.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rules/request_data.h"
#include "runtime/client_address/client_address.h"
#include "runtime/http/client_stream_fwd.h"
#include "runtime/http/http_types.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/tls/session_facts.h"

namespace gatehouse::runtime {

// Defined with the request handler: the worker's upstream pool, deadlines and snapshot.
struct WorkerContext;

// Who the connection comes from: the TCP peer, or on a --proxy-protocol listener the source of
// the connection a trusted proxy's PROXY header named (that proxy relays TCP and writes no
// HTTP, so to HTTP the request comes from there). X-Forwarded-For sent upstream appends this
// address. Each request's client (RequestTrace::client) starts from it.
struct ClientInfo {
  ClientAddress address;
  // The port of the listener the connection came to (cf.edge.server_port).
  uint16_t server_port = 0;
  // The edge address the client connected to (cf.edge.server_ip): the socket's local address,
  // or the destination a trusted proxy's PROXY header names.
  rules::IpAddress server_ip;
  // The TLS session, on a TLS listener: `ssl` and the cf.tls_* fields read it.
  std::optional<tls::SessionFacts> tls;
  // The connection speaks HTTP/2: each request is one of its streams (http.request.version).
  bool http2 = false;
};

// The relay buffer for bodies streamed through the proxy.
inline constexpr size_t kRelayChunk = 16 * 1024;

// What a client connection keeps from one request to the next, so that a warm connection's
// requests allocate nothing for these.
struct ConnectionBuffers {
  // The relay buffer (kRelayChunk bytes), allocated for the first body streamed through.
  char* Relay() {
    if (relay == nullptr) relay.reset(new char[kRelayChunk]);
    return relay.get();
  }

  std::unique_ptr<char[]> relay;      // bodies streamed through; null until a body needs it
  std::string head;                   // the heads of forwarded messages
  rules::HeaderList request_fields;   // the request's fields, as the phases read them
  rules::HeaderList response_fields;  // the response's fields, as the response phases read them
};

// The client side of one request: its connection, the connection's read buffer, and the parser
// that has read the request's header. The body, if any, is still to be read.
struct ClientExchange {
  ClientStream& stream;
  SocketDeadline& deadline;  // bounds reads from and writes to the client
  beast::flat_buffer& buffer;
  RequestParser& parser;
  const ClientInfo& client;
  WorkerContext& worker;
  ConnectionBuffers& buffers;
  // Set while the server drains: this response carries Connection: close.
  const bool& closing;
};

// An answer the edge gives a request it will not serve, after which the connection closes.
struct Refusal {
  http::status status;
  std::string_view text;    // a literal: the body
  std::string_view action;  // a literal: for metrics and the access log
};

}  // namespace gatehouse::runtime
