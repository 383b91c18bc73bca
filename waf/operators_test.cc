#include "waf/operators.h"

#include "gtest/gtest.h"

namespace gatehouse::waf {
namespace {

CompiledOperator Make(OperatorKind kind, std::string argument,
                      std::vector<std::string> list = {}) {
  absl::StatusOr<CompiledOperator> op = CompiledOperator::Create(kind, std::move(argument), list);
  EXPECT_TRUE(op.ok()) << op.status();
  return *op;
}

TEST(OperatorsTest, NamesRoundTrip) {
  EXPECT_EQ(OperatorKindByName("rx"), OperatorKind::kRx);
  EXPECT_EQ(OperatorKindByName("pmFromFile"), OperatorKind::kPm);
  EXPECT_EQ(OperatorKindByName("detectsqli"), OperatorKind::kDetectSqli);
  EXPECT_EQ(OperatorKindByName("rbl"), std::nullopt);
  EXPECT_EQ(OperatorName(OperatorKind::kBeginsWith), "beginsWith");
}

TEST(OperatorsTest, RxIsDotAllAndMultiLineWithCaptures) {
  const CompiledOperator rx = Make(OperatorKind::kRx, "^b(.)c$");
  EXPECT_TRUE(rx.Match("a\nbxc\nd", nullptr, nullptr));  // ^ and $ at line ends
  std::vector<std::string> captures;
  EXPECT_TRUE(rx.Match("bzc", nullptr, &captures));
  EXPECT_EQ(captures, (std::vector<std::string>{"bzc", "z"}));
  EXPECT_TRUE(Make(OperatorKind::kRx, "a.b").Match("a\nb", nullptr, nullptr));  // dot-all
  EXPECT_TRUE(Make(OperatorKind::kRx, "").Match("anything", nullptr, nullptr));
  EXPECT_FALSE(CompiledOperator::Create(OperatorKind::kRx, "(?<=a)b", {}).ok());
}

// ^.*$ (CRS's whole-header-name capture) answers without RE2 as RE2 would, newline or not.
TEST(OperatorsTest, WholeValueRegexCapturesTheValue) {
  const CompiledOperator rx = Make(OperatorKind::kRx, "^.*$");
  for (const std::string value : {"User-Agent", "", "two\nlines", "x-\xff\x01"}) {
    std::vector<std::string> captures = {"stale", "groups"};
    EXPECT_TRUE(rx.Match(value, nullptr, &captures)) << value;
    EXPECT_EQ(captures, std::vector<std::string>{value}) << value;
    EXPECT_TRUE(rx.Match(value, nullptr, nullptr));
  }
}

// ^$ (CRS's empty-header checks) answers without RE2 as RE2 would: in multiline mode an empty
// line anywhere matches too.
TEST(OperatorsTest, EmptyValueRegexMatchesAnEmptyLine) {
  const CompiledOperator rx = Make(OperatorKind::kRx, "^$");
  std::vector<std::string> captures = {"stale"};
  EXPECT_TRUE(rx.Match("", nullptr, &captures));
  EXPECT_EQ(captures, std::vector<std::string>{""});
  EXPECT_FALSE(rx.Match("text/html", nullptr, nullptr));
  EXPECT_FALSE(rx.Match(" ", nullptr, nullptr));
  EXPECT_TRUE(rx.Match("a\n\nb", nullptr, nullptr));
  EXPECT_TRUE(rx.Match("a\n", nullptr, nullptr));
  EXPECT_FALSE(rx.Match("a\nb", nullptr, nullptr));
}

// ^(?:GET|HEAD)$ (CRS's method checks) answers without RE2 as RE2 would: exactly one of the
// words, case and all, on one line.
TEST(OperatorsTest, AnchoredWordsRegexMatchesExactlyAWord) {
  const CompiledOperator rx = Make(OperatorKind::kRx, "^(?:GET|HEAD)$");
  std::vector<std::string> captures;
  EXPECT_TRUE(rx.Match("GET", nullptr, &captures));
  EXPECT_EQ(captures, std::vector<std::string>{"GET"});
  EXPECT_TRUE(rx.Match("HEAD", nullptr, nullptr));
  EXPECT_FALSE(rx.Match("get", nullptr, nullptr));
  EXPECT_FALSE(rx.Match("GETS", nullptr, nullptr));
  EXPECT_FALSE(rx.Match("", nullptr, nullptr));
  EXPECT_TRUE(rx.Match("POST\nGET", nullptr, nullptr));  // a line of it
  EXPECT_FALSE(rx.Match("POST\nGETS", nullptr, nullptr));
  // Anything else in the pattern leaves it to RE2.
  EXPECT_TRUE(Make(OperatorKind::kRx, "^(?:GET|H.AD)$").Match("HXAD", nullptr, nullptr));
}

TEST(OperatorsTest, WordBackrefComparesWordsAndGoesOnAfterAFailedOne) {
  EXPECT_EQ(OperatorKindByName("rxWordBackref"), OperatorKind::kRxWordBackref);
  // The form compiler/seclang_import/regex_rewrite.h writes for `\b(\w+)\b(=|<>)\b\1\b`.
  const CompiledOperator op =
      Make(OperatorKind::kRxWordBackref,
           "(?i:\\b(\\w+)\\b(?:=\\b(?P<same_1_0>\\w+)\\b|<>(?P<differ_1_1>\\w+)))");
  EXPECT_TRUE(op.Match("a=A", nullptr, nullptr));
  EXPECT_FALSE(op.Match("a=b", nullptr, nullptr));
  EXPECT_TRUE(op.Match("a<>b", nullptr, nullptr));
  EXPECT_FALSE(op.Match("a<>a", nullptr, nullptr));
  EXPECT_TRUE(op.Match("a<>ab", nullptr, nullptr));  // "a" is not the whole word there
  // The first candidate fails; the next one, which starts at its second word, holds.
  std::vector<std::string> captures;
  EXPECT_TRUE(op.Match("x a=b=B y", nullptr, &captures));
  // TX:0 and the pattern's own group; the comparison groups are not reported.
  EXPECT_EQ(captures, (std::vector<std::string>{"b=B", "b"}));
  EXPECT_FALSE(CompiledOperator::Create(OperatorKind::kRxWordBackref, "(a)(b)", {}).ok());
  EXPECT_FALSE(
      CompiledOperator::Create(OperatorKind::kRxWordBackref, "(a)(?P<same_7_0>b)", {}).ok());
}

TEST(OperatorsTest, PhrasesIgnoreCaseAndOverlap) {
  const CompiledOperator pm = Make(OperatorKind::kPm, "abcd bc xyz");
  EXPECT_TRUE(pm.Match("zzABCzz", nullptr, nullptr));  // "bc" inside a failed "abcd"
  EXPECT_FALSE(pm.Match("ab cd", nullptr, nullptr));
  std::vector<std::string> captures;
  EXPECT_TRUE(pm.Match("..XyZ..", nullptr, &captures));
  EXPECT_EQ(captures, std::vector<std::string>{"XyZ"});
  const CompiledOperator from_file =
      Make(OperatorKind::kPm, "unused.data", {"/etc/passwd", ".htaccess"});
  EXPECT_TRUE(from_file.Match("GET /ETC/PASSWD", nullptr, nullptr));
  EXPECT_FALSE(from_file.Match("unused.data", nullptr, nullptr));
}

TEST(OperatorsTest, PhraseSetAgreesWithNaiveSearch) {
  const std::vector<std::string> phrases = {"he", "she", "his", "hers", "a", "aab"};
  const PhraseSet set(phrases);
  const std::vector<std::string> inputs = {"ushers", "h", "xyz", "aaab", "HIS", "", "sh"};
  for (const std::string& input : inputs) {
    std::string lower = input;
    for (char& c : lower) c = static_cast<char>(tolower(c));
    bool naive = false;
    for (const std::string& phrase : phrases) naive |= lower.find(phrase) != std::string::npos;
    EXPECT_EQ(set.ContainsAny(input), naive) << input;
  }
}

TEST(OperatorsTest, NumbersReadAsAtoi) {
  EXPECT_EQ(ParseModSecurityInteger(" 42abc"), 42);
  EXPECT_EQ(ParseModSecurityInteger("-7"), -7);
  EXPECT_EQ(ParseModSecurityInteger("x"), 0);
  EXPECT_TRUE(Make(OperatorKind::kEq, "0").Match("", nullptr, nullptr));
  EXPECT_TRUE(Make(OperatorKind::kGe, "5").Match("5", nullptr, nullptr));
  EXPECT_FALSE(Make(OperatorKind::kGt, "5").Match("5", nullptr, nullptr));
  const std::string runtime = "10";
  EXPECT_TRUE(Make(OperatorKind::kLt, "%{tx.x}").Match("9", &runtime, nullptr));
}

TEST(OperatorsTest, StringComparisons) {
  EXPECT_TRUE(Make(OperatorKind::kStreq, "GET").Match("GET", nullptr, nullptr));
  EXPECT_FALSE(Make(OperatorKind::kStreq, "GET").Match("get", nullptr, nullptr));
  EXPECT_TRUE(Make(OperatorKind::kContains, "php").Match("a.php?x", nullptr, nullptr));
  EXPECT_TRUE(Make(OperatorKind::kBeginsWith, "/admin").Match("/admin/x", nullptr, nullptr));
  EXPECT_TRUE(Make(OperatorKind::kEndsWith, ".php").Match("/x.php", nullptr, nullptr));
  const CompiledOperator within = Make(OperatorKind::kWithin, "GET HEAD POST");
  EXPECT_TRUE(within.Match("HEAD", nullptr, nullptr));
  EXPECT_FALSE(within.Match("PUT", nullptr, nullptr));
  EXPECT_TRUE(within.Match("", nullptr, nullptr));
}

TEST(OperatorsTest, ValidationOperatorsMatchOnBadInput) {
  const CompiledOperator range = Make(OperatorKind::kValidateByteRange, "32-126, 9,10");
  EXPECT_FALSE(range.Match("plain text\n", nullptr, nullptr));
  EXPECT_TRUE(range.Match(std::string("a\0b", 3), nullptr, nullptr));
  EXPECT_FALSE(CompiledOperator::Create(OperatorKind::kValidateByteRange, "1-300", {}).ok());

  EXPECT_FALSE(HasInvalidUrlEncoding("a%20b%2F"));
  EXPECT_TRUE(HasInvalidUrlEncoding("100%"));
  EXPECT_TRUE(HasInvalidUrlEncoding("%4"));
  EXPECT_TRUE(HasInvalidUrlEncoding("%zz"));

  EXPECT_FALSE(HasInvalidUtf8("héllo \xF0\x9F\x98\x80"));
  EXPECT_TRUE(HasInvalidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_TRUE(HasInvalidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_TRUE(HasInvalidUtf8("\xE2\x82"));          // truncated
  EXPECT_TRUE(HasInvalidUtf8("\x80"));              // stray continuation
  EXPECT_TRUE(HasInvalidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(OperatorsTest, IpMatchListsAndNetworks) {
  const CompiledOperator ip = Make(OperatorKind::kIpMatch, "127.0.0.1,::1, 10.0.0.0/8");
  EXPECT_TRUE(ip.Match("127.0.0.1", nullptr, nullptr));
  EXPECT_TRUE(ip.Match("10.2.3.4", nullptr, nullptr));
  EXPECT_TRUE(ip.Match("::1", nullptr, nullptr));
  EXPECT_FALSE(ip.Match("192.0.2.1", nullptr, nullptr));
  EXPECT_FALSE(ip.Match("not an address", nullptr, nullptr));
}

TEST(OperatorsTest, DetectorsCaptureTheFingerprint) {
  const CompiledOperator sqli = Make(OperatorKind::kDetectSqli, "");
  std::vector<std::string> captures;
  EXPECT_TRUE(sqli.Match("1' OR '1'='1", nullptr, &captures));
  ASSERT_EQ(captures.size(), 1u);
  EXPECT_FALSE(captures[0].empty());
  EXPECT_FALSE(sqli.Match("O'Brien", nullptr, nullptr));
  EXPECT_TRUE(Make(OperatorKind::kDetectXss, "").Match("<script>alert(1)</script>", nullptr,
                                                       nullptr));
}

}  // namespace
}  // namespace gatehouse::waf
