#include "rules/evaluation.h"

#include "gtest/gtest.h"
#include "rules/scratch.h"
#include "rules/test_request.h"

namespace gatehouse::rules {
namespace {

TestRequest LongRequest() {
  TestRequest r;
  r.scheme = "https";
  r.host = "a-rather-long-host-name.example.com";
  r.target = "/a/very/long/path/with/many/segments/file.HTML?query=with&several=args&x=1";
  r.headers = {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Firefox/120.0"},
               {"Cookie", "session=0123456789abcdef; theme=dark"},
               {"Referer", "https://www.example.com/some/long/referring/page"},
               {"X-Forwarded-For", "198.51.100.1"},
               {"cookie", "second=1"}};
  r.body = "a body long enough not to fit a short string's inline buffer";
  return r;
}

TestRequest ShortRequest() {
  TestRequest r;
  r.method = "POST";
  r.target = "/a/./b//c/../d?q";
  r.headers = {{"Accept", "*/*"}};
  r.client_ip = "2001:db8::1";
  return r;
}

// Every field a reused Evaluation derives equals what a fresh one derives.
void ExpectSameFields(Evaluation& reused, const RequestData& request) {
  Scratch scratch;
  Evaluation fresh(request, scratch);
  for (int id = 0; id < kFieldCount; ++id) {
    const FieldId field = static_cast<FieldId>(id);
    EXPECT_EQ(ValueToString(reused.Field(field)), ValueToString(fresh.Field(field)))
        << FindFieldName(field);
  }
}

TEST(EvaluationTest, ReusedEvaluationDerivesEachRequestsOwnFields) {
  TestRequest first = LongRequest();
  TestRequest second = ShortRequest();
  TestRequest third = LongRequest();
  third.target = "/x.png";
  third.headers.clear();
  Scratch scratch;
  Evaluation* address = nullptr;
  {
    EvaluationLease lease = scratch.AcquireEvaluation(first.data());
    address = lease.get();
    ExpectSameFields(*lease, first.data());
  }
  {
    // The scratch hands the same object back, its fields reset.
    EvaluationLease lease = scratch.AcquireEvaluation(second.data());
    EXPECT_EQ(lease.get(), address);
    ExpectSameFields(*lease, second.data());
  }
  EvaluationLease lease = scratch.AcquireEvaluation(third.data());
  ExpectSameFields(*lease, third.data());
}

TEST(EvaluationTest, ResetForgetsMemos) {
  TestRequest first = LongRequest();
  TestRequest second = ShortRequest();
  Scratch scratch;
  Evaluation evaluation(first.data(), scratch);
  const int owner = 0;
  evaluation.BoolMemo(&owner, 3) = 1;
  evaluation.BytesMemo(&owner, 2) = std::optional<std::string>("kept?");
  evaluation.Reset(second.data());
  EXPECT_EQ(evaluation.BoolMemo(&owner, 3), -1);
  EXPECT_FALSE(evaluation.BytesMemo(&owner, 2).has_value());
  EXPECT_EQ(*evaluation.Field(FieldId::kMethod).as_bytes(), "POST");
}

}  // namespace
}  // namespace gatehouse::rules
