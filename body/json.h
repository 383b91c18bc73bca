#ifndef GATEHOUSE_BODY_JSON_H_
#define GATEHOUSE_BODY_JSON_H_

#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "body/body_extent.h"
#include "body/text_arena.h"

namespace gatehouse::body {

struct JsonOptions {
  // Containers nested deeper than this are an error (SecRequestBodyJsonDepthLimit).
  int depth_limit = 512;
};

// Receives each leaf of the document in order, named as libmodsecurity 3.0.9 names its ARGS:
// "json" for the top-level value, then ".key" per object member (an empty key is "empty-key")
// and ".array_N" per array element, so {"a":{"b":[1]}} gives json.a.b.array_0 = 1. Strings come
// unescaped, numbers as written, true and false as such, null as "". Returning false stops the
// parse (libmodsecurity's argument limit), which is then an error.
using JsonLeafSink = absl::FunctionRef<bool(std::string_view name, std::string_view value)>;

// Parses `input` as libmodsecurity 3.0.9 does with yajl 2.1 (no comments, one value, strings
// checked as UTF-8 the way yajl checks them, \u escapes decoded as yajl decodes them), calling
// `on_leaf` as it goes: leaves before an error are delivered, as libmodsecurity keeps the
// arguments it added before the error. Returns InvalidArgument with the text libmodsecurity
// reports after "JSON parsing error: ", yajl's "parse error: trailing garbage\n" and the like.
// An empty input is not an error. With BodyExtent::kTruncated, input that ends inside the
// document is not an error; a string cut by the end is delivered as far as it goes. Names and
// unescaped strings are written to `arena`.
absl::Status ParseJson(std::string_view input, BodyExtent extent, const JsonOptions& options,
                       TextArena& arena, JsonLeafSink on_leaf);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_JSON_H_
