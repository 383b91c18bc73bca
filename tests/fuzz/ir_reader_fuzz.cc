#include "tests/fuzz/ir_reader_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/ir_linker.h"
#include "rules/ir_writer.h"
#include "rules/phase_matcher.h"
#include "rules/test_request.h"

namespace gatehouse::testing {
namespace {

using rules::ExpressionKind;

void Require(bool ok, std::string_view what, std::string_view detail) {
  if (ok) return;
  std::cerr << "fuzz invariant broken: " << what << "\n" << detail << "\n";
  std::abort();
}

const rules::ExpressionLinker& Linker() {
  static const auto* linker = [] {
    google::protobuf::RepeatedPtrField<rules::ir::v1::NamedList> lists;
    *lists.Add() = rules::EncodeNamedList({"ips", "ip", {"10.0.0.0/8", "2001:db8::/32"}});
    *lists.Add() = rules::EncodeNamedList({"ports", "int", {"80", "8000..8999"}});
    *lists.Add() = rules::EncodeNamedList({"agents", "bytes", {"curl/8.0"}});
    return new rules::ExpressionLinker(*rules::ExpressionLinker::Create(lists, rules::Limits()));
  }();
  return *linker;
}

rules::TestRequest MakeRequest() {
  rules::TestRequest r;
  r.method = "POST";
  r.target = "/a/../b/%7e/c.php?x=1&x=2&y";
  r.headers = {{"User-Agent", "curl/8.0"}, {"Cookie", "a=1; b=2"}, {"X-A", "\xff"}};
  r.body = "{\"a\": [1, \"x\"]}";
  return r;
}

void LinkOne(const rules::ir::v1::Expression& ir, ExpressionKind kind) {
  static rules::TestRequest* request = new rules::TestRequest(MakeRequest());
  absl::StatusOr<std::shared_ptr<const rules::Expr>> tree = Linker().LinkTree(ir, kind);
  if (!tree.ok()) {
    Require(tree.status().code() == absl::StatusCode::kInvalidArgument,
            "a rejection is not InvalidArgument", tree.status().ToString());
    Require(tree.status().message().find("IR") != std::string_view::npos,
            "a rejection does not name the IR", tree.status().ToString());
    return;
  }
  std::string shape = rules::ExprToString(**tree);
  absl::StatusOr<std::shared_ptr<const rules::Expr>> again =
      Linker().LinkTree(rules::EncodeExpression(**tree), kind);
  Require(again.ok(), "a linked tree's IR does not link", shape);
  Require(rules::ExprToString(**again) == shape, "re-encoding changed the tree", shape);
  rules::Scratch scratch;
  rules::Evaluation evaluation(request->data(), scratch);
  if (kind == ExpressionKind::kFilter) {
    absl::StatusOr<rules::PhaseRule> rule = Linker().LinkFilter(ir);
    Require(rule.ok(), "LinkFilter disagrees with LinkTree", shape);
    rule->filter->Matches(evaluation);
    // The prefilter a proxy builds over its rules must take whatever links.
    auto matcher = rules::PhaseMatcher::Build({*rule});
    Require(matcher.ok(), "PhaseMatcher rejects a linked rule", matcher.status().ToString());
    std::vector<size_t> matched;
    (*matcher)->MatchAll(evaluation, &matched);
  } else {
    absl::StatusOr<std::shared_ptr<const rules::ValueExpression>> value = Linker().LinkValue(ir);
    Require(value.ok(), "LinkValue disagrees with LinkTree", shape);
    (*value)->Evaluate(evaluation);
  }
}

// Serialised one-node expressions: spliced into an input they add, replace or reorder nodes
// with well-formed framing, so mutations get past the protobuf parser.
const std::vector<std::string>& Fragments() {
  static const auto* fragments = [] {
    auto* out = new std::vector<std::string>();
    auto add = [&](auto fill) {
      rules::ir::v1::Expression e;
      fill(*e.add_nodes());
      out->push_back(e.SerializeAsString());
    };
    using namespace rules::ir::v1;  // NOLINT: enum constants only
    add([](Node& n) { n.set_kind(NODE_KIND_FIELD); n.set_field(FIELD_HTTP_HOST); n.add_type(TYPE_KIND_BYTES); });
    add([](Node& n) { n.set_kind(NODE_KIND_FIELD); n.set_field(FIELD_SSL); n.add_type(TYPE_KIND_BOOL); });
    add([](Node& n) { n.set_kind(NODE_KIND_FIELD); n.set_field(FIELD_HTTP_REQUEST_HEADERS); n.add_type(TYPE_KIND_MAP); n.add_type(TYPE_KIND_ARRAY); n.add_type(TYPE_KIND_BYTES); });
    add([](Node& n) { n.set_kind(NODE_KIND_STRING_LITERAL); n.set_string_value("(a+)+$"); n.add_type(TYPE_KIND_BYTES); });
    add([](Node& n) { n.set_kind(NODE_KIND_INT_LITERAL); n.set_int_value(-1); n.add_type(TYPE_KIND_INT); });
    add([](Node& n) { n.set_kind(NODE_KIND_COMPARE); n.set_compare_op(COMPARE_OP_MATCHES); n.add_children(0); n.add_children(1); n.add_type(TYPE_KIND_BOOL); });
    add([](Node& n) { n.set_kind(NODE_KIND_NOT); n.add_children(0); n.add_type(TYPE_KIND_BOOL); });
    add([](Node& n) { n.set_kind(NODE_KIND_CALL); n.set_function("lower"); n.add_children(0); n.add_type(TYPE_KIND_BYTES); });
    add([](Node& n) { n.set_kind(NODE_KIND_MAP_EACH); n.add_children(0); n.add_type(TYPE_KIND_ARRAY); n.add_type(TYPE_KIND_BYTES); n.set_mapped(true); });
    add([](Node& n) { n.set_kind(NODE_KIND_IN_LIST); n.set_list_name("ips"); n.add_children(0); n.add_type(TYPE_KIND_BOOL); });
    return out;
  }();
  return *fragments;
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::rules::ir::v1::Expression ir;
  if (!ir.ParseFromArray(data, static_cast<int>(size))) return 0;
  gatehouse::testing::LinkOne(ir, gatehouse::rules::ExpressionKind::kFilter);
  gatehouse::testing::LinkOne(ir, gatehouse::rules::ExpressionKind::kValue);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget IrReaderFuzzTarget() {
  std::vector<std::string_view> tokens(Fragments().begin(), Fragments().end());
  // Small varints and tags that retarget a field or a child index.
  for (std::string_view t : {std::string_view("\x08\x00", 2), std::string_view("\x20\x00", 2),
                             std::string_view("\x20\x01"), std::string_view("\x10\x05"),
                             std::string_view("\x18\x01"), std::string_view("\xff\xff\xff\xff\x0f")}) {
    tokens.push_back(t);
  }
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::move(tokens)};
}

}  // namespace gatehouse::testing
