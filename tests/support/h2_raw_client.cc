#include "tests/support/h2_raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gatehouse::testing {
namespace {

constexpr int kSocketTimeoutSeconds = 5;

// HPACK's integer with an N-bit prefix (RFC 7541 §5.1), `first` holding the prefix's flags.
std::string Integer(uint32_t value, int prefix_bits, uint8_t first) {
  std::string out;
  const uint32_t max = (1u << prefix_bits) - 1;
  if (value < max) {
    out.push_back(static_cast<char>(first | value));
    return out;
  }
  out.push_back(static_cast<char>(first | max));
  value -= max;
  while (value >= 128) {
    out.push_back(static_cast<char>((value % 128) + 128));
    value /= 128;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

std::string String(std::string_view text) {
  return Integer(static_cast<uint32_t>(text.size()), 7, 0) + std::string(text);
}

uint32_t Read32(std::string_view bytes) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[3]));
}

}  // namespace

uint32_t H2Frame::ErrorCode() const {
  if (type == kH2RstStream && payload.size() >= 4) return Read32(payload);
  if (type == kH2GoAway && payload.size() >= 8) return Read32(std::string_view(payload).substr(4));
  return 0xffffffff;
}

uint32_t H2Frame::LastStreamId() const {
  if (type != kH2GoAway || payload.size() < 4) return 0;
  return Read32(payload) & 0x7fffffff;  // the reserved bit is not the id's
}

int H2Frame::Status() const {
  for (const auto& [name, value] : headers) {
    if (name == ":status") return std::atoi(value.c_str());
  }
  return 0;
}

absl::StatusOr<std::unique_ptr<H2RawClient>> H2RawClient::Connect(
    uint16_t port, const std::vector<std::pair<uint16_t, uint32_t>>& settings) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket");
  timeval timeout{kSocketTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return absl::UnavailableError(std::string("connect: ") + std::strerror(errno));
  }
  std::unique_ptr<H2RawClient> client(new H2RawClient(fd));
  std::string payload;
  for (const auto& [id, value] : settings) {
    payload.push_back(static_cast<char>(id >> 8));
    payload.push_back(static_cast<char>(id));
    for (int shift = 24; shift >= 0; shift -= 8)
      payload.push_back(static_cast<char>(value >> shift));
  }
  if (!client->SendRaw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") ||
      !client->Send(kH2Settings, 0, 0, payload)) {
    return absl::UnavailableError("cannot send the preface");
  }
  return client;
}

H2RawClient::H2RawClient(int fd) : fd_(fd) { nghttp2_hd_inflate_new(&inflater_); }

H2RawClient::~H2RawClient() {
  nghttp2_hd_inflate_del(inflater_);
  close(fd_);
}

std::string H2RawClient::Frame(uint8_t type, uint8_t flags, uint32_t stream,
                               std::string_view payload) {
  std::string out;
  const size_t length = payload.size();
  out.push_back(static_cast<char>(length >> 16));
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(stream >> shift));
  out.append(payload);
  return out;
}

bool H2RawClient::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool H2RawClient::Send(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
  return SendRaw(Frame(type, flags, stream, payload));
}

std::string H2RawClient::Literal(std::string_view name, std::string_view value) {
  return std::string(1, '\0') + String(name) + String(value);
}

std::string H2RawClient::IndexedLiteral(std::string_view name, std::string_view value) {
  return std::string(1, '\x40') + String(name) + String(value);
}

std::string H2RawClient::Indexed(uint32_t index) { return Integer(index, 7, 0x80); }

H2Fields H2RawClient::Get(const std::string& authority, const std::string& path) {
  return {{":method", "GET"}, {":scheme", "http"}, {":authority", authority}, {":path", path}};
}

bool H2RawClient::SendHeaders(uint32_t stream, const H2Fields& fields, bool end_stream) {
  std::string block;
  for (const auto& [name, value] : fields) block += Literal(name, value);
  return Send(kH2Headers, kH2EndHeaders | (end_stream ? kH2EndStream : 0), stream, block);
}

bool H2RawClient::Readable(std::chrono::milliseconds wait) {
  pollfd ready{fd_, POLLIN, 0};
  return poll(&ready, 1, static_cast<int>(wait.count())) > 0;
}

bool H2RawClient::ReadExactly(char* data, size_t size) {
  size_t have = 0;
  while (have < size) {
    const ssize_t n = recv(fd_, data + have, size - have, 0);
    if (n <= 0) return false;  // closed, or the socket's timeout passed
    have += static_cast<size_t>(n);
  }
  return true;
}

std::optional<H2Frame> H2RawClient::Read() {
  char header[9];
  if (!ReadExactly(header, sizeof(header))) return std::nullopt;
  H2Frame frame;
  const size_t length = (static_cast<size_t>(static_cast<uint8_t>(header[0])) << 16) |
                        (static_cast<size_t>(static_cast<uint8_t>(header[1])) << 8) |
                        static_cast<uint8_t>(header[2]);
  frame.type = static_cast<uint8_t>(header[3]);
  frame.flags = static_cast<uint8_t>(header[4]);
  frame.stream = Read32(std::string_view(header + 5, 4)) & 0x7fffffff;
  frame.payload.resize(length);
  if (length > 0 && !ReadExactly(frame.payload.data(), length)) return std::nullopt;
  if (frame.type == kH2Headers) {
    // The server pads nothing and sends no priority: the payload is the whole block.
    const auto* in = reinterpret_cast<const uint8_t*>(frame.payload.data());
    size_t left = frame.payload.size();
    for (;;) {
      nghttp2_nv field;
      int flags = 0;
      const ssize_t used = nghttp2_hd_inflate_hd2(inflater_, &field, &flags, in, left, 1);
      if (used < 0) break;
      in += used;
      left -= static_cast<size_t>(used);
      if (flags & NGHTTP2_HD_INFLATE_EMIT) {
        frame.headers.emplace_back(
            std::string(reinterpret_cast<char*>(field.name), field.namelen),
            std::string(reinterpret_cast<char*>(field.value), field.valuelen));
      }
      if (flags & NGHTTP2_HD_INFLATE_FINAL) {
        nghttp2_hd_inflate_end_headers(inflater_);
        break;
      }
      if (used == 0 && (flags & NGHTTP2_HD_INFLATE_EMIT) == 0) break;
    }
  }
  return frame;
}

}  // namespace gatehouse::testing
