#pragma once

// One stage of a CRS regression test, as the ftw (CRS 3.x, Python ftw) and go-ftw (CRS 4.x)
// YAML formats write it: the request to send and what the WAF's log must or must not say.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::ftw {

// The request as the test writes it, before a runner completes it (request_builder.h).
struct StageInput {
  std::string method = "GET";
  std::string uri = "/";
  std::string version = "HTTP/1.1";
  // In the order the file lists them.
  std::vector<std::pair<std::string, std::string>> headers;
  // `data` (a string, or lines joined with CRLF) or `encoded_data`, decoded.
  std::optional<std::string> data;
  bool data_was_list = false;
  // The whole request as bytes (`encoded_request`, base64-decoded, or `raw_request`).
  std::optional<std::string> raw_request;
  // go-ftw's switches: with stop_magic or autocomplete_headers: false the request goes out as
  // written.
  bool autocomplete_headers = true;
};

// What a stage asserts. The log assertions are regular expressions over the WAF's log lines
// (e.g. `id "942100"`); expect_ids / no_expect_ids are go-ftw's exact-id forms.
struct StageOutput {
  std::optional<std::string> log_contains;
  std::optional<std::string> no_log_contains;
  std::optional<std::string> match_regex;
  std::optional<std::string> no_match_regex;
  std::vector<std::string> expect_ids;
  std::vector<std::string> no_expect_ids;
  // Assertions only a real HTTP server can judge.
  std::vector<int> status;
  bool expect_error = false;
  std::optional<std::string> response_contains;

  bool HasLogAssertion() const {
    return log_contains || no_log_contains || match_regex || no_match_regex ||
           !expect_ids.empty() || !no_expect_ids.empty();
  }
};

struct Stage {
  // "<test title>#<stage index>", unique within a corpus.
  std::string id;
  // The folder the file is in (e.g. REQUEST-942-APPLICATION-ATTACK-SQLI) and the rule id the
  // file tests.
  std::string folder;
  std::string rule_id;
  // False when the file's meta.enabled is false.
  bool enabled = true;
  // Written in the legacy (CRS 3.x) form `- stage: {input, output}`, whose requests are
  // completed slightly differently (request_builder.h).
  bool legacy = false;
  StageInput input;
  StageOutput output;
};

}  // namespace gatehouse::ftw
