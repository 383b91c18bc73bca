#pragma once

// The four forms of an HTTP/1.1 request-target (RFC 9112 §3.2). The edge serves origin-form and
// absolute-form (the authority then names the host, whatever Host says), answers `OPTIONS *`
// itself, and refuses authority-form (it is for CONNECT, which the edge does not tunnel).

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::runtime {

enum class TargetForm { kOrigin, kAbsolute, kAuthority, kAsterisk };

struct RequestTarget {
  TargetForm form = TargetForm::kOrigin;
  // Absolute-form: the authority's host[:port] as given. Empty otherwise.
  std::string_view authority;
  // The target as the rules see it and the origin receives it: "/path?query". For absolute-form,
  // the path and query after the authority, "/" added when the path is empty.
  std::string_view origin_form() const { return added_slash.empty() ? view : added_slash; }

  std::string_view view;    // into the parsed target
  std::string added_slash;  // set only when a '/' had to be added (then preferred over view)
};

// Null when the target is none of the four forms: an absolute-form scheme other than http or
// https, userinfo or an empty authority, or anything else that does not start with '/'.
// `target` must outlive the result.
std::optional<RequestTarget> ParseRequestTarget(std::string_view target);

}  // namespace gatehouse::runtime
