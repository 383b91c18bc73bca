#pragma once

// A corpus of realistic benign HTTP requests, deterministic for a seed, to measure a WAF's false
// positives: browser page and asset loads (real User-Agents, client hints, long session, consent
// and analytics cookies), search and pagination, JSON API calls (GET with query arguments,
// POST/PUT/PATCH bodies with free text), form posts (names such as O'Brien, addresses, prices,
// messages with punctuation), multipart uploads (JPEG- and PDF-like bytes, text and CSV files)
// and CORS preflights. bench/false_positive_compare runs it through Gatehouse and libmodsecurity;
// crs_conformance/benign_corpus_test bounds what Gatehouse blocks.

#include <cstdint>
#include <string>
#include <vector>

#include "ftw/request_builder.h"

namespace gatehouse::crs_conformance::benign {

struct BenignRequest {
  // What it is: "page", "asset", "search", "api_get", "api_json", "form", "upload",
  // "preflight", "api_delete".
  std::string kind;
  // Complete as a client sends it (Host, Content-Type and Content-Length included).
  ftw::Request request;
};

std::vector<BenignRequest> GenerateBenignCorpus(uint64_t seed, int count);

// The seed and size bench/false_positive_compare and the corpus test use unless told otherwise.
inline constexpr uint64_t kDefaultSeed = 15;
inline constexpr int kDefaultCount = 10000;

}  // namespace gatehouse::crs_conformance::benign
