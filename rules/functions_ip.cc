// cidr() and cidr6(): the network an address belongs to, e.g. to rate-limit or match a client's
// /24 or /64 rather than its one address.
#include <optional>

#include "rules/function_signatures.h"
#include "rules/ip_address.h"

namespace gatehouse::rules::function_signatures {
namespace {

// The address must come from a field (Cloudflare's rule) and each prefix length must be a literal
// within its family's range (1..32 for IPv4, 1..128 for IPv6).
Resolution ResolveCidr(const Types& t, const Args& a) {
  Resolution r = Ok(Type::Ip());
  if (!(t[0] == Type::Ip())) return Bad(0, Expected("Ip", t[0]));
  if (a[0]->kind == ExprKind::kIpLiteral) {
    return Bad(0, "the address must be a field such as ip.src, not a literal");
  }
  if (!AllOf(t, 1, Type::Int(), r)) return r;
  bool has_v4_bits = a.size() == 3;
  if (has_v4_bits && !IsIntLiteralIn(a[1], 1, 32)) {
    return Bad(1, "the IPv4 prefix length must be an integer literal from 1 to 32");
  }
  if (!IsIntLiteralIn(a.back(), 1, 128)) {
    return Bad(static_cast<int>(a.size() - 1),
               "the IPv6 prefix length must be an integer literal from 1 to 128");
  }
  return r;
}

// The network address of `address` under the prefix length of its family; IPv4-mapped IPv6
// addresses count as IPv4. `v4_bits` empty leaves IPv4 addresses unchanged (cidr6).
Value Network(const IpAddress& address, std::optional<int64_t> v4_bits, int64_t v6_bits) {
  IpAddress unmapped = Unmapped(address);
  if (unmapped.is_v4 && !v4_bits) return Value::Ip(unmapped);
  int64_t bits = unmapped.is_v4 ? *v4_bits : v6_bits;
  std::optional<IpRange> network = CidrRange(unmapped, static_cast<int>(bits));
  // The checker bounds the prefix lengths; an out-of-range one from elsewhere is missing.
  return network ? Value::Ip(network->low) : Value::Missing();
}

Value Cidr(const Expr&, std::vector<Value>& a) {
  return Network(*a[0].as_ip(), *a[1].as_int(), *a[2].as_int());
}

Value Cidr6(const Expr&, std::vector<Value>& a) {
  return Network(*a[0].as_ip(), std::nullopt, *a[1].as_int());
}

}  // namespace

// Cloudflare allows both in custom and rate limiting rules only: filters, never values.
const std::vector<FunctionDefinition>& IpFunctions() {
  static const auto* functions = new std::vector<FunctionDefinition>{
      {.name = "cidr",
       .min_arguments = 3,
       .max_arguments = 3,
       .resolve = ResolveCidr,
       .evaluate = Cidr,
       .filter_only = true},
      {.name = "cidr6",
       .min_arguments = 2,
       .max_arguments = 2,
       .resolve = ResolveCidr,
       .evaluate = Cidr6,
       .filter_only = true},
  };
  return *functions;
}

}  // namespace gatehouse::rules::function_signatures
