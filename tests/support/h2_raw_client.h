#pragma once

// A raw HTTP/2 client for tests that attack the proxy's HTTP/2 (cleartext, prior knowledge):
// it writes frames byte by byte as the test says, malformed or abusive, and reads the server's
// frames back, decoding response header blocks with nghttp2's HPACK decoder. Every socket call
// is bounded (a few seconds): a server that stalls fails the test instead of hanging it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

struct nghttp2_hd_inflater;

namespace gatehouse::testing {

using H2Fields = std::vector<std::pair<std::string, std::string>>;

// Frame types and flags (RFC 9113 §6).
enum H2FrameType : uint8_t {
  kH2Data = 0,
  kH2Headers = 1,
  kH2Priority = 2,
  kH2RstStream = 3,
  kH2Settings = 4,
  kH2Ping = 6,
  kH2GoAway = 7,
  kH2WindowUpdate = 8,
  kH2Continuation = 9,
};
inline constexpr uint8_t kH2EndStream = 0x1;
inline constexpr uint8_t kH2Ack = 0x1;
inline constexpr uint8_t kH2EndHeaders = 0x4;

struct H2Frame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream = 0;
  std::string payload;
  H2Fields headers;  // HEADERS: the decoded block
  // RST_STREAM's or GOAWAY's error code.
  uint32_t ErrorCode() const;
  // GOAWAY's last stream id, or 0.
  uint32_t LastStreamId() const;
  // HEADERS: the :status, or 0.
  int Status() const;
};

class H2RawClient {
 public:
  // Connects to 127.0.0.1:`port`, sends the preface and a SETTINGS frame with `settings`.
  static absl::StatusOr<std::unique_ptr<H2RawClient>> Connect(
      uint16_t port, const std::vector<std::pair<uint16_t, uint32_t>>& settings = {});
  ~H2RawClient();
  H2RawClient(const H2RawClient&) = delete;
  H2RawClient& operator=(const H2RawClient&) = delete;

  // False once the server closed the connection (or a write failed).
  bool Send(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload);
  // Bytes as they are (several frames at once, say).
  bool SendRaw(std::string_view bytes);
  bool SendHeaders(uint32_t stream, const H2Fields& fields, bool end_stream);

  // The next frame; null when the connection closed or nothing came for a few seconds.
  std::optional<H2Frame> Read();
  // True when bytes (or the close) arrive within `wait`: a Read would not wait.
  bool Readable(std::chrono::milliseconds wait);
  // Reads until a frame `match` accepts (returned) or the connection ends (null).
  template <typename Match>
  std::optional<H2Frame> ReadUntil(Match match) {
    while (std::optional<H2Frame> frame = Read()) {
      if (match(*frame)) return frame;
    }
    return std::nullopt;
  }
  // The frame's bytes: header and payload.
  static std::string Frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload);
  // HPACK: a literal field without indexing, new name (RFC 7541 §6.2.2).
  static std::string Literal(std::string_view name, std::string_view value);
  // HPACK: a literal field with incremental indexing, new name (§6.2.1), and an indexed field
  // (§6.1).
  static std::string IndexedLiteral(std::string_view name, std::string_view value);
  static std::string Indexed(uint32_t index);
  // A GET of `path` on `authority`, as HPACK literals.
  static H2Fields Get(const std::string& authority, const std::string& path);

 private:
  explicit H2RawClient(int fd);
  bool ReadExactly(char* data, size_t size);

  int fd_;
  nghttp2_hd_inflater* inflater_ = nullptr;
};

}  // namespace gatehouse::testing
