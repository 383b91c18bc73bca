#pragma once

#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// The header names that belong to one connection and are not forwarded (RFC 9110 §7.6.1): the
// fixed hop-by-hop list and every name the message's Connection header lists. Views point into
// the message's fields, which must outlive this.
class HopByHopNames {
 public:
  template <bool kIsRequest>
  explicit HopByHopNames(const http::header<kIsRequest>& header);

  // Case-insensitive.
  bool Contains(std::string_view name) const;
  // Whether `name` is hop-by-hop whatever a Connection header says (case-insensitive).
  static bool IsFixed(std::string_view name);

 private:
  absl::InlinedVector<std::string_view, 4> named_;
};

// The request's Host without its port, lower-cased.
std::string HostWithoutPort(std::string_view host);

}  // namespace gatehouse::runtime
