#ifndef GATEHOUSE_BENCH_SYNTHETIC_REQUESTS_H_
#define GATEHOUSE_BENCH_SYNTHETIC_REQUESTS_H_

#include <cstdint>
#include <random>
#include <string>

#include "bench/modsecurity_collections.h"

namespace gatehouse::bench {

// Random requests that reach the corners of libmodsecurity's request parsing: targets with
// escapes, fragments and absolute forms; cookies; url-encoded, multipart, JSON and XML bodies
// built from well-formed pieces and then often damaged (a wrong line ending, a quote, a folded
// header, a boundary inside the headers, a cut, a stray byte). For bench/collections_compare's
// differential runs; deterministic for a seed.
class SyntheticRequests {
 public:
  explicit SyntheticRequests(uint64_t seed) : random_(seed) {}

  ProbeRequest Next();

 private:
  int Below(int n) { return static_cast<int>(random_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(static_cast<int>(N))];
  }

  std::string Target();
  std::string Word();
  std::string FormText();
  std::string UrlEncoded();
  std::string CookieHeader();
  void Multipart(ProbeRequest& request);
  std::string MultipartPart(const std::string& boundary, const std::string& eol);
  std::string ContentDisposition();
  std::string Json(int depth);
  std::string JsonString();
  std::string Xml();
  std::string XmlElement(int depth);
  std::string XmlText();
  std::string Damage(std::string text);

  std::mt19937_64 random_;
};

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_SYNTHETIC_REQUESTS_H_
