// The IR linker as a verifier: hand-built IR, one test per class of error, each of which must be
// a clear InvalidArgument naming the node, never a crash. Built without the front end (this
// package may not depend on it); round trips of compiled text are in tests/rules.
#include "rules/ir_linker.h"

#include <initializer_list>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/ir_version.h"
#include "rules/ir_writer.h"
#include "rules/test_request.h"

namespace gatehouse::rules {
namespace {

using ir::v1::Expression;
using ir::v1::Node;
using ::testing::HasSubstr;

constexpr int kBool = ir::v1::TYPE_KIND_BOOL;
constexpr int kInt = ir::v1::TYPE_KIND_INT;
constexpr int kBytes = ir::v1::TYPE_KIND_BYTES;
constexpr int kIp = ir::v1::TYPE_KIND_IP;

// Appends a node and returns it; its index is nodes_size() - 1.
Node& Add(Expression& e, ir::v1::NodeKind kind, std::initializer_list<int> type,
          std::initializer_list<uint32_t> children = {}) {
  Node& node = *e.add_nodes();
  node.set_kind(kind);
  for (int step : type) node.add_type(static_cast<ir::v1::TypeKind>(step));
  for (uint32_t child : children) node.add_children(child);
  return node;
}

Node& AddField(Expression& e, ir::v1::Field field, std::initializer_list<int> type) {
  Node& node = Add(e, ir::v1::NODE_KIND_FIELD, type);
  node.set_field(field);
  return node;
}

Node& AddString(Expression& e, std::string value) {
  Node& node = Add(e, ir::v1::NODE_KIND_STRING_LITERAL, {kBytes});
  node.set_string_value(std::move(value));
  return node;
}

Node& AddCompare(Expression& e, ir::v1::CompareOp op, uint32_t lhs, uint32_t rhs) {
  Node& node = Add(e, ir::v1::NODE_KIND_COMPARE, {kBool}, {lhs, rhs});
  node.set_compare_op(op);
  return node;
}

// http.host eq "example.com"
Expression HostEquals() {
  Expression e;
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  AddString(e, "example.com");
  AddCompare(e, ir::v1::COMPARE_OP_EQ, 0, 1);
  return e;
}

ExpressionLinker Linker(Limits limits = Limits()) {
  google::protobuf::RepeatedPtrField<ir::v1::NamedList> lists;
  *lists.Add() = EncodeNamedList({"office", "ip", {"10.0.0.0/8"}});
  absl::StatusOr<ExpressionLinker> linker = ExpressionLinker::Create(lists, limits);
  EXPECT_TRUE(linker.ok()) << linker.status();
  return *std::move(linker);
}

// The filter must be rejected with InvalidArgument and a message containing every `parts`.
void ExpectRejected(const Expression& e, std::initializer_list<std::string_view> parts,
                    Limits limits = Limits()) {
  absl::StatusOr<PhaseRule> linked = Linker(limits).LinkFilter(e);
  ASSERT_FALSE(linked.ok()) << "linked, but should have been rejected";
  EXPECT_EQ(linked.status().code(), absl::StatusCode::kInvalidArgument);
  for (std::string_view part : parts) {
    EXPECT_THAT(std::string(linked.status().message()), HasSubstr(std::string(part)));
  }
}

TEST(IrLinkerTest, LinksAndEvaluatesAHandBuiltFilter) {
  absl::StatusOr<PhaseRule> rule = Linker().LinkFilter(HostEquals());
  ASSERT_TRUE(rule.ok()) << rule.status();
  TestRequest request;
  request.host = "example.com";
  Scratch scratch;
  Evaluation evaluation(request.data(), scratch);
  EXPECT_TRUE(rule->filter->Matches(evaluation));
  EXPECT_EQ(ExprToString(*rule->expression), "(eq http.host \"example.com\")");
}

TEST(IrLinkerTest, WriterAndLinkerAgree) {
  absl::StatusOr<std::shared_ptr<const Expr>> tree =
      Linker().LinkTree(HostEquals(), ExpressionKind::kFilter);
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(EncodeExpression(**tree).SerializeAsString(), HostEquals().SerializeAsString());
}

TEST(IrLinkerTest, RejectsAnEmptyExpression) { ExpectRejected(Expression(), {"no nodes"}); }

TEST(IrLinkerTest, RejectsAnUnknownNodeKind) {
  Expression e = HostEquals();
  e.mutable_nodes(2)->set_kind(static_cast<ir::v1::NodeKind>(99));
  ExpectRejected(e, {"IR node 2", "unknown kind 99"});
}

TEST(IrLinkerTest, RejectsAnUnknownField) {
  Expression e = HostEquals();
  e.mutable_nodes(0)->set_field(static_cast<ir::v1::Field>(999));
  ExpectRejected(e, {"IR node 0 (field)", "unknown field 999"});
  e.mutable_nodes(0)->set_field(ir::v1::FIELD_UNSPECIFIED);
  ExpectRejected(e, {"IR node 0 (field)", "unknown field 0"});
}

TEST(IrLinkerTest, RejectsAnUnknownFunction) {
  Expression e;
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  Add(e, ir::v1::NODE_KIND_CALL, {kBytes}, {0}).set_function("shout");
  AddString(e, "A");
  AddCompare(e, ir::v1::COMPARE_OP_EQ, 1, 2);
  ExpectRejected(e, {"IR node 1 (call)", "unknown function 'shout'"});
}

TEST(IrLinkerTest, RejectsAWrongNumberOfArguments) {
  Expression e;
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  AddString(e, "x");
  Add(e, ir::v1::NODE_KIND_CALL, {kBytes}, {0, 1}).set_function("lower");
  AddString(e, "a");
  AddCompare(e, ir::v1::COMPARE_OP_EQ, 2, 3);
  ExpectRejected(e, {"IR node 2 (call)", "lower() takes 1 argument, found 2"});
}

TEST(IrLinkerTest, RejectsAWrongNumberOfChildren) {
  Expression e = HostEquals();
  e.mutable_nodes(2)->mutable_children()->RemoveLast();
  ExpectRejected(e, {"IR node 2 (compare)", "has 1 children"});
}

TEST(IrLinkerTest, RejectsAChildTypeThatDoesNotFitTheNode) {
  Expression e;  // ip.src contains "a"
  AddField(e, ir::v1::FIELD_IP_SRC, {kIp});
  AddString(e, "a");
  AddCompare(e, ir::v1::COMPARE_OP_CONTAINS, 0, 1);
  ExpectRejected(e, {"IR node 2 (compare), child 0 (node 0)", "'contains' expects Bytes"});
}

TEST(IrLinkerTest, RejectsAChildTypeThatDoesNotFitTheFunctionSignature) {
  Expression e;  // lower(http.request.body.size) eq "a"
  AddField(e, ir::v1::FIELD_HTTP_REQUEST_BODY_SIZE, {kInt});
  Add(e, ir::v1::NODE_KIND_CALL, {kBytes}, {0}).set_function("lower");
  AddString(e, "a");
  AddCompare(e, ir::v1::COMPARE_OP_EQ, 1, 2);
  ExpectRejected(e, {"IR node 1 (call), child 0 (node 0)", "argument 1 of lower()",
                     "expected Bytes, found Int"});
}

TEST(IrLinkerTest, RejectsAStoredTypeThatDisagrees) {
  Expression e = HostEquals();
  e.mutable_nodes(0)->set_type(0, ir::v1::TYPE_KIND_INT);  // http.host is Bytes
  ExpectRejected(e, {"IR node 0 (field)", "stored type Int", "checks as Bytes"});
  e = HostEquals();
  e.mutable_nodes(2)->set_mapped(true);
  ExpectRejected(e, {"IR node 2 (compare)", "per-element Bool", "checks as Bool"});
}

TEST(IrLinkerTest, RejectsAMalformedType) {
  for (std::initializer_list<int> type :
       {std::initializer_list<int>{}, {ir::v1::TYPE_KIND_ARRAY}, {kBytes, kBytes}, {42}}) {
    Expression e = HostEquals();
    e.mutable_nodes(0)->clear_type();
    for (int step : type) e.mutable_nodes(0)->mutable_type()->Add(step);
    ExpectRejected(e, {"IR node 0 (field)", "malformed type"});
  }
}

TEST(IrLinkerTest, RejectsARegexThatDoesNotCompile) {
  Expression e;
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  AddString(e, "(unclosed");
  AddCompare(e, ir::v1::COMPARE_OP_MATCHES, 0, 1);
  ExpectRejected(e, {"IR node 2 (compare), child 1 (node 1)", "invalid regex"});
}

TEST(IrLinkerTest, RejectsRegexesBeyondTheLimits) {
  Limits tiny_programs;
  tiny_programs.max_regex_program_size = 5;
  Expression e;
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  AddString(e, "abcdefghij");
  AddCompare(e, ir::v1::COMPARE_OP_MATCHES, 0, 1);
  ExpectRejected(e, {"IR node 2 (compare)", "regex is too complex"}, tiny_programs);

  Limits one_regex;
  one_regex.max_regexes_per_expression = 1;
  Expression two;  // http.host matches "a" and http.host matches "b"
  for (std::string pattern : {"a", "b"}) {
    uint32_t base = static_cast<uint32_t>(two.nodes_size());
    AddField(two, ir::v1::FIELD_HTTP_HOST, {kBytes});
    AddString(two, pattern);
    AddCompare(two, ir::v1::COMPARE_OP_MATCHES, base, base + 1);
  }
  Add(two, ir::v1::NODE_KIND_LOGICAL, {kBool}, {2, 5}).set_logical_op(ir::v1::LOGICAL_OP_AND);
  ExpectRejected(two, {"IR node 5 (compare)", "too many regexes"}, one_regex);
}

TEST(IrLinkerTest, RejectsATreeDeeperThanTheLimits) {
  Limits shallow;
  shallow.max_nesting_depth = 2;  // MaxTreeDepth = 24
  Expression e = HostEquals();
  // HostEquals is 2 deep; each `not` adds one, to one more than the limit.
  for (int i = 0; i < MaxTreeDepth(shallow) - 1; ++i) {
    Add(e, ir::v1::NODE_KIND_NOT, {kBool}, {static_cast<uint32_t>(e.nodes_size() - 1)});
  }
  ExpectRejected(e, {"nodes deep; the limit is 24"}, shallow);
  // One level less fits.
  e.mutable_nodes()->RemoveLast();
  EXPECT_TRUE(Linker(shallow).LinkFilter(e).ok());
}

TEST(IrLinkerTest, RejectsMoreNodesThanAnExpressionCanHave) {
  Limits small;
  small.max_expression_bytes = 2;
  ExpectRejected(HostEquals(), {"3 nodes; the limit is 2"}, small);
}

TEST(IrLinkerTest, RejectsChildrenThatDoNotFormATree) {
  Expression forward = HostEquals();
  forward.mutable_nodes(2)->set_children(1, 2);
  ExpectRejected(forward, {"IR node 2 (compare)", "names node 2", "children come before"});

  Expression shared = HostEquals();  // http.host eq http.host, one node twice
  shared.mutable_nodes(2)->set_children(1, 0);
  ExpectRejected(shared, {"IR node 2 (compare)", "names node 0", "already another's"});

  Expression orphan = HostEquals();
  AddString(orphan, "stray");
  *orphan.add_nodes() = orphan.nodes(2);  // the root again, now last; node 2 and 3 are orphans
  ExpectRejected(orphan, {"names node 0", "already another's"});

  Expression unused;
  AddString(unused, "unused");
  AddField(unused, ir::v1::FIELD_SSL, {kBool});
  ExpectRejected(unused, {"IR node 0 (string)", "is no node's child"});
}

TEST(IrLinkerTest, RejectsAnIndexKeyThatIsNotALiteral) {
  Expression e;  // http.request.headers[http.host][0] eq "a"
  AddField(e, ir::v1::FIELD_HTTP_REQUEST_HEADERS,
           {ir::v1::TYPE_KIND_MAP, ir::v1::TYPE_KIND_ARRAY, kBytes});
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  Add(e, ir::v1::NODE_KIND_INDEX, {ir::v1::TYPE_KIND_ARRAY, kBytes}, {0, 1});
  ExpectRejected(e, {"IR node 2 (index)", "field key"});
}

TEST(IrLinkerTest, RejectsAnUnknownOperator) {
  Expression e = HostEquals();
  e.mutable_nodes(2)->set_compare_op(ir::v1::COMPARE_OP_UNSPECIFIED);
  ExpectRejected(e, {"IR node 2 (compare)", "unknown operator 0"});
}

TEST(IrLinkerTest, RejectsAnUnknownList) {
  Expression e;
  AddField(e, ir::v1::FIELD_IP_SRC, {kIp});
  Add(e, ir::v1::NODE_KIND_IN_LIST, {kBool}, {0}).set_list_name("nowhere");
  ExpectRejected(e, {"IR node 1 (in_list), operator", "unknown list $nowhere"});
  e.mutable_nodes(1)->set_list_name("office");
  EXPECT_TRUE(Linker().LinkFilter(e).ok());
}

TEST(IrLinkerTest, RejectsBadLiteralsAndSetItems) {
  Expression ip;  // ip.src eq <3 bytes>
  AddField(ip, ir::v1::FIELD_IP_SRC, {kIp});
  Add(ip, ir::v1::NODE_KIND_IP_LITERAL, {kIp}).set_ip("abc");
  AddCompare(ip, ir::v1::COMPARE_OP_EQ, 0, 1);
  ExpectRejected(ip, {"IR node 1 (ip)", "3 bytes"});

  Expression set;  // http.request.body.size in {5..1}
  AddField(set, ir::v1::FIELD_HTTP_REQUEST_BODY_SIZE, {kInt});
  Node& in = Add(set, ir::v1::NODE_KIND_IN_SET, {kBool}, {0});
  ir::v1::SetItem& item = *in.add_set_items();
  item.set_kind(ir::v1::SetItem::KIND_INT_RANGE);
  item.set_int_low(5);
  item.set_int_high(1);
  ExpectRejected(set, {"IR node 1 (in_set)", "set item 0", "empty integer range"});
  item.set_int_high(9);
  EXPECT_TRUE(Linker().LinkFilter(set).ok());
  item.set_kind(ir::v1::SetItem::KIND_STRING);
  ExpectRejected(set, {"IR node 1 (in_set), set item 0", "a set of Int values needs"});
}

TEST(IrLinkerTest, RejectsARootOfTheWrongKind) {
  Expression bytes;
  AddField(bytes, ir::v1::FIELD_HTTP_HOST, {kBytes});
  ExpectRejected(bytes, {"IR node 0 (field), the root", "a filter must be a Bool expression"});
  EXPECT_TRUE(Linker().LinkValue(bytes).ok());

  Expression ip;
  AddField(ip, ir::v1::FIELD_IP_SRC, {kIp});
  absl::StatusOr<std::shared_ptr<const ValueExpression>> value = Linker().LinkValue(ip);
  ASSERT_FALSE(value.ok());
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("a value expression must be"));
}

TEST(IrLinkerTest, RejectsAValueOnlyFunctionInAFilter) {
  Expression e;  // regex_replace(http.host, "a", "b") eq "c"
  AddField(e, ir::v1::FIELD_HTTP_HOST, {kBytes});
  AddString(e, "a");
  AddString(e, "b");
  Add(e, ir::v1::NODE_KIND_CALL, {kBytes}, {0, 1, 2}).set_function("regex_replace");
  AddString(e, "c");
  AddCompare(e, ir::v1::COMPARE_OP_EQ, 3, 4);
  ExpectRejected(e, {"IR node 3 (call), operator", "only available in value expressions"});
}

TEST(IrLinkerTest, RejectsBadLists) {
  google::protobuf::RepeatedPtrField<ir::v1::NamedList> lists;
  ir::v1::NamedList& list = *lists.Add();
  list.set_name("ports");
  list.set_kind(ir::v1::NamedList::KIND_UNSPECIFIED);
  absl::StatusOr<ExpressionLinker> linker = ExpressionLinker::Create(lists, Limits());
  ASSERT_FALSE(linker.ok());
  EXPECT_THAT(std::string(linker.status().message()), HasSubstr("list $ports: unknown kind"));
  list.set_kind(ir::v1::NamedList::KIND_INT);
  list.add_items("eighty");
  linker = ExpressionLinker::Create(lists, Limits());
  ASSERT_FALSE(linker.ok());
  EXPECT_THAT(std::string(linker.status().message()), HasSubstr("item 0 \"eighty\""));
}

TEST(IrLinkerTest, ChecksTheIrVersion) {
  EXPECT_TRUE(CheckIrVersion(kIrVersion).ok());
  EXPECT_EQ(CheckIrVersion(kIrVersion + 1).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gatehouse::rules
