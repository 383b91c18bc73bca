#include "tests/fuzz/request_path_fuzz.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "compiler/snapshot_assembly.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "engine/phase_engine.h"
#include "modules/sdk/registry.h"
#include "runtime/http/proxy_server.h"
#include "runtime/http/request_handler.h"
#include "runtime/snapshot/linked_snapshot.h"
#include "runtime/snapshot/snapshot_store.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;

constexpr auto kCloseDeadline = std::chrono::seconds(3);

void Require(bool ok, std::string_view what, std::string_view input, std::string_view detail) {
  if (ok) return;
  std::cerr << "request path fuzz invariant broken: " << what << "\ninput: " << input
            << "\ndetail: " << detail << "\n";
  std::abort();
}

std::string ZoneJson(uint16_t origin_port) {
  return R"json({"zone": "c.test", "hostnames": ["c.test", "*.w.test"],
  "settings": {"max_request_body_bytes": 4096},
  "origins": [{"name": "app", "servers": ["127.0.0.1:)json" +
         std::to_string(origin_port) + R"json("]}],
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "admin", "expression": "starts_with(http.request.uri.path, \"/admin\")",
       "action": "block"},
      {"id": "body", "expression": "http.request.body.raw contains \"evil\"", "action": "block"}]},
    {"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "r", "expression": "http.request.uri.path eq \"/r\"", "action": "redirect",
       "action_parameters": {"from_value": {"target_url": {
         "expression": "concat(\"https://x.test/\", url_decode(http.request.uri.query))"}}}}]},
    {"phase": "http_request_transform", "rules": [
      {"id": "h", "expression": "true", "action": "rewrite", "action_parameters": {
        "headers": {"X-Echo": {"operation": "set",
                               "expression": "url_decode(http.request.uri.query)"}}}},
      {"id": "p", "expression": "http.request.uri.path eq \"/p\"", "action": "rewrite",
       "action_parameters": {"uri": {"path": {
         "expression": "concat(\"/p/\", url_decode(http.request.uri.query))"}}}}]},
    {"phase": "http_custom_errors", "rules": [
      {"id": "e", "expression": "http.response.code ge 400", "action": "serve_error",
       "action_parameters": {"status_code": 503, "content": "sorry"}}]}]})json";
}

// An origin, a proxy in front of it, and what the origin has received: built once per process.
class EdgeUnderTest {
 public:
  EdgeUnderTest()
      : origin_([](const ScriptedOrigin::Request&) {
          return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
        }) {
    const compiler::ZoneCompileResult compiled =
        compiler::CompileZoneJson(ZoneJson(origin_.port()));
    Require(compiled.ok(), "the fuzz zone compiles", "", compiled.RenderedDiagnostics());
    auto config = compiler::ParseZoneConfigJson(ZoneJson(origin_.port()));
    auto zone = std::make_shared<snapshot::v1::CompiledZone>();
    zone->set_zone(config->zone());
    zone->set_version(1);
    zone->set_config_hash(compiled.plan->config_hash);
    *zone->mutable_config() = *config;
    *zone->mutable_program() = compiled.program;
    compiler::ZoneSet::Editor zones;
    zones.Set(config->zone(), zone);
    auto linked = runtime::LinkedSnapshot::Link(
        compiler::AssembleSnapshot(1, std::move(zones).Finish()), nullptr);
    Require(linked.ok(), "the fuzz snapshot links", "", linked.status().ToString());
    store_.Swap(*std::move(linked));
    engine_ = std::make_unique<const engine::PhaseEngine>(sdk::ProductRegistry::Linked());
    runtime::RequestHandlerOptions options;
    options.response_timeout = std::chrono::seconds(2);
    options.body_timeout = std::chrono::seconds(1);
    options.send_timeout = std::chrono::seconds(1);
    options.body_deadline = std::chrono::seconds(2);
    handler_ = std::make_unique<runtime::RequestHandler>(*engine_, options, nullptr);
    runtime::ProxyServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server_options.header_timeout = std::chrono::seconds(1);
    server_options.idle_timeout = std::chrono::seconds(1);
    server_options.max_header_bytes = 8192;
    server_options.max_uri_bytes = 2048;
    server_ = std::make_unique<runtime::ProxyServer>(server_options, *handler_, store_);
    const absl::Status started = server_->Start();
    Require(started.ok(), "the proxy starts", "", started.ToString());
  }

  // Sends `input` on a new connection, half-closes, and returns everything the proxy sent until
  // it closed; aborts when it does not close in time.
  std::string Exchange(std::string_view input) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(server_->port());
    Require(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0,
            "connect to the proxy", input, "");
    const timeval slice{0, 100 * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof(slice));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &slice, sizeof(slice));
    const auto deadline = std::chrono::steady_clock::now() + kCloseDeadline;
    std::string answer;
    char chunk[16384];
    size_t sent = 0;
    bool shut = false;
    bool closed = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (sent < input.size()) {
        const ssize_t n = send(fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
          sent += static_cast<size_t>(n);
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
          sent = input.size();  // the proxy closed: read what it answered
        }
      } else if (!shut) {
        shutdown(fd, SHUT_WR);
        shut = true;
      }
      const ssize_t n = recv(fd, chunk, sizeof(chunk), sent < input.size() ? MSG_DONTWAIT : 0);
      if (n > 0) answer.append(chunk, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        closed = true;
        break;
      }
    }
    close(fd);
    Require(closed, "the proxy closes the connection once the client is done", input,
            answer.substr(0, 200));
    return answer;
  }

  size_t origin_requests() const { return origin_.requests().size(); }
  std::vector<ScriptedOrigin::Request> origin_requests_since(size_t start) const {
    std::vector<ScriptedOrigin::Request> all = origin_.requests();
    return {all.begin() + static_cast<std::ptrdiff_t>(std::min(start, all.size())), all.end()};
  }

 private:
  ScriptedOrigin origin_;
  runtime::SnapshotStore store_;
  std::unique_ptr<const engine::PhaseEngine> engine_;
  std::unique_ptr<runtime::RequestHandler> handler_;
  std::unique_ptr<runtime::ProxyServer> server_;
};

// Destroyed at exit, so the origin's and the proxy's threads are joined (ThreadSanitizer reports
// threads left running).
EdgeUnderTest& Edge() {
  static EdgeUnderTest edge;
  return edge;
}

// The head of the first response, parsed; empty answers are allowed (the client may have sent
// nothing, or closed mid-header).
void CheckAnswer(std::string_view input, const std::string& answer) {
  std::string_view rest = answer;
  while (!rest.empty()) {
    http::response_parser<http::empty_body> parser;
    parser.skip(true);
    beast::error_code error;
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), error);
    Require(!error && parser.is_header_done(), "the answer starts with a well-formed head",
            input, answer.substr(0, 300));
    // An interim 100 Continue is the edge's own, before the response.
    if (parser.get().result() == http::status::continue_) {
      rest.remove_prefix(used);
      continue;
    }
    Require(parser.get().count("gatehouse-ray") == 1, "the answer has a ray ID", input,
            answer.substr(0, 300));
    return;
  }
}

// Each request the origin received.
void CheckForwarded(std::string_view input, const ScriptedOrigin::Request& request) {
  http::request_parser<http::empty_body> parser;
  beast::error_code error;
  parser.put(boost::asio::buffer(request.head.data(), request.head.size()), error);
  Require(!error && parser.is_header_done(), "the origin receives a well-formed head", input,
          request.head);
  const auto& head = parser.get();
  Require(!head.target().empty() && head.target().front() == '/',
          "the origin receives origin-form", input, request.head);
  Require(head.count(http::field::host) == 1, "the origin receives one Host", input,
          request.head);
  const auto te = head.find(http::field::transfer_encoding);
  Require(te == head.end() || te->value() == "chunked",
          "the origin receives no Transfer-Encoding but chunked", input, request.head);
  Require(request.head.find('\0') == std::string::npos, "no NUL reaches the origin", input,
          request.head);
}

}  // namespace

FuzzTarget RequestPathFuzzTarget() {
  return {[](std::string_view input) {
            EdgeUnderTest& edge = Edge();
            const size_t before = edge.origin_requests();
            CheckAnswer(input, edge.Exchange(input));
            for (const auto& request : edge.origin_requests_since(before)) {
              CheckForwarded(input, request);
            }
          },
          {"GET ", "POST ", "HEAD ", "OPTIONS ", "CONNECT ", " HTTP/1.1\r\n", " HTTP/1.0\r\n",
           " HTTP/2.0\r\n", "\r\n", "\r\n\r\n", "\n", "\r", "Host: c.test\r\n",
           "Host: x.w.test\r\n", "Host: d.test\r\n", "Content-Length: 5\r\n",
           "Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n",
           "Transfer-Encoding: gzip\r\n", "Connection: close\r\n", "Connection: host\r\n",
           "Connection: Upgrade\r\nUpgrade: websocket\r\n", "Upgrade: h2c\r\n",
           "Expect: 100-continue\r\n", "5\r\nhello\r\n", "0\r\n\r\n", ";ext=1", "X-T: 1\r\n",
           "http://c.test", "/admin", "/r?", "/p?", "%0d%0a", "%20", "%00", "*", " ", ":"}};
}

}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::testing::RequestPathFuzzTarget().run(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
