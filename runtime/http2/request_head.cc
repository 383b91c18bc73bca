#include "runtime/http2/request_head.h"

#include <algorithm>
#include <array>

namespace gatehouse::runtime::http2 {
namespace {

// RFC 9110 §5.6.2's tchar, lower-case only: HTTP/2 field names are lower-case (RFC 9113 §8.2).
bool IsLowerTokenChar(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= '0' && c <= '9') return true;
  constexpr std::string_view kOthers = "!#$%&'*+-.^_`|~";
  return kOthers.find(c) != std::string_view::npos;
}

bool IsLowerToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsLowerTokenChar);
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || IsLowerTokenChar(c);
  });
}

// RFC 9113 §8.2.1 (no NUL, CR or LF, no leading or trailing space or tab) and RFC 9110 §5.5's
// field-value (no other control character either): what an HTTP/1.1 parser reads as it is.
bool IsValidValue(std::string_view value) {
  const bool controls = std::any_of(value.begin(), value.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
  });
  if (controls) return false;
  if (!value.empty() && (value.front() == ' ' || value.front() == '\t')) return false;
  if (!value.empty() && (value.back() == ' ' || value.back() == '\t')) return false;
  return true;
}

// A request-target has no space or control character (it becomes a request line).
bool IsValidTarget(std::string_view path) {
  return !path.empty() && std::none_of(path.begin(), path.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
}

// Fields that are meaningful only on one HTTP/1.1 connection (RFC 9113 §8.2.2).
constexpr std::array<std::string_view, 5> kConnectionSpecific = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; };
           return lower(x) == lower(y);
         });
}

absl::Status Malformed(std::string_view why) {
  return absl::InvalidArgumentError(std::string(why));
}

}  // namespace

absl::Status RequestHeadBuilder::CheckField(std::string_view name, std::string_view value,
                                            size_t& size) const {
  size += name.size() + value.size() + 32;
  if (size > max_bytes_) return absl::ResourceExhaustedError("header list too large");
  if (!IsValidValue(value)) return Malformed("invalid field value");
  if (!name.empty() && name.front() == ':') return Malformed("misplaced pseudo-header field");
  if (!IsLowerToken(name)) return Malformed("invalid field name");
  for (std::string_view special : kConnectionSpecific) {
    if (name == special) return Malformed("connection-specific field");
  }
  if (name == "te" && value != "trailers") return Malformed("te other than trailers");
  return absl::OkStatus();
}

absl::Status RequestHeadBuilder::Add(std::string_view name, std::string_view value) {
  if (over_limit_) return absl::ResourceExhaustedError("header list too large");
  if (!name.empty() && name.front() == ':' && !regular_seen_) {
    size_ += name.size() + value.size() + 32;
    if (size_ > max_bytes_) {
      over_limit_ = true;
      return absl::ResourceExhaustedError("header list too large");
    }
    if (!IsValidValue(value)) return Malformed("invalid field value");
    return AddPseudo(name, value);
  }
  regular_seen_ = true;
  if (absl::Status checked = CheckField(name, value, size_); !checked.ok()) {
    if (absl::IsResourceExhausted(checked)) {
      over_limit_ = true;
      fields_.clear();  // nothing more is kept
    }
    return checked;
  }
  if (name == "cookie") {
    if (!cookie_.empty()) cookie_ += "; ";
    cookie_ += value;
    return absl::OkStatus();
  }
  if (name == "host") {
    if (has_host_) return Malformed("more than one host field");
    has_host_ = true;
    host_ = value;
    return absl::OkStatus();
  }
  if (name == "content-length") {
    // One length, in digits: what an HTTP/1.1 parser frames the body by, and nothing else.
    const bool digits =
        !value.empty() && value.size() <= 18 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (has_content_length_ || !digits) return Malformed("invalid content-length");
    has_content_length_ = true;
    content_length_ = value;
    return absl::OkStatus();
  }
  if (name == "trailer") announces_trailers_ = true;
  fields_.append(name).append(": ").append(value).append("\r\n");
  return absl::OkStatus();
}

absl::Status RequestHeadBuilder::AddTrailer(std::string_view name, std::string_view value) {
  if (absl::Status checked = CheckField(name, value, trailer_size_); !checked.ok()) return checked;
  trailers_.append(name).append(": ").append(value).append("\r\n");
  return absl::OkStatus();
}

std::string RequestHeadBuilder::LastChunk() const {
  std::string last = "0\r\n";
  last.append(trailers_).append("\r\n");
  return last;
}

absl::Status RequestHeadBuilder::AddPseudo(std::string_view name, std::string_view value) {
  auto once = [](bool& seen) {
    if (seen) return false;
    seen = true;
    return true;
  };
  if (name == ":method") {
    if (!once(has_method_) || !IsToken(value)) return Malformed("invalid :method");
    method_ = value;
  } else if (name == ":scheme") {
    if (!once(has_scheme_) || value.empty()) return Malformed("invalid :scheme");
  } else if (name == ":path") {
    if (!once(has_path_) || !IsValidTarget(value)) return Malformed("invalid :path");
    path_ = value;
  } else if (name == ":authority") {
    if (!once(has_authority_) || !IsValidTarget(value)) return Malformed("invalid :authority");
    authority_ = value;
  } else {
    return Malformed("unknown pseudo-header field");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequestHeadBuilder::Finish(bool body_follows) {
  if (over_limit_) return absl::ResourceExhaustedError("header list too large");
  if (!has_method_) return Malformed("missing :method");
  const bool connect = method_ == "CONNECT";
  if (connect) {
    // RFC 9113 §8.5: only :method and :authority.
    if (has_scheme_ || has_path_ || !has_authority_) return Malformed("malformed CONNECT");
  } else if (!has_scheme_ || !has_path_) {
    return Malformed("missing :scheme or :path");
  }
  // RFC 9113 §8.3.1: a Host that names another entity than :authority is malformed.
  if (has_authority_ && has_host_ && !EqualsIgnoringCase(authority_, host_)) {
    return Malformed(":authority and host differ");
  }
  std::string head;
  head.reserve(method_.size() + path_.size() + authority_.size() + host_.size() + cookie_.size() +
               fields_.size() + 96);
  head.append(method_).append(" ").append(connect ? authority_ : path_).append(" HTTP/1.1\r\n");
  if (has_authority_ || has_host_) {
    head.append("host: ").append(has_authority_ ? authority_ : host_).append("\r\n");
  }
  head.append(fields_);
  if (!cookie_.empty()) head.append("cookie: ").append(cookie_).append("\r\n");
  // HTTP/2 frames the body itself; the HTTP/1.1 head says how its bytes are delimited (nghttp2
  // checks that the DATA frames add up to a content-length the client sent).
  chunked_ = body_follows && (!has_content_length_ || announces_trailers_);
  if (chunked_) {
    head.append("transfer-encoding: chunked\r\n");
  } else if (has_content_length_) {
    head.append("content-length: ").append(content_length_).append("\r\n");
  }
  head.append("\r\n");
  return head;
}

}  // namespace gatehouse::runtime::http2
