#include "runtime/http/request_target.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

TEST(RequestTargetTest, OriginForm) {
  const auto target = ParseRequestTarget("/a/b?c=1");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->form, TargetForm::kOrigin);
  EXPECT_EQ(target->origin_form(), "/a/b?c=1");
  EXPECT_EQ(target->authority, "");
}

TEST(RequestTargetTest, AbsoluteFormGivesAuthorityAndOriginForm) {
  const auto target = ParseRequestTarget("http://c.test/admin?x=1");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->form, TargetForm::kAbsolute);
  EXPECT_EQ(target->authority, "c.test");
  EXPECT_EQ(target->origin_form(), "/admin?x=1");
  const auto upper = ParseRequestTarget("HTTPS://C.TEST:8443");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper->authority, "C.TEST:8443");
  EXPECT_EQ(upper->origin_form(), "/");
  const auto query_only = ParseRequestTarget("http://c.test?q");
  ASSERT_TRUE(query_only.has_value());
  EXPECT_EQ(query_only->origin_form(), "/?q");
  const auto v6 = ParseRequestTarget("http://[::1]:80/x");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->authority, "[::1]:80");
}

TEST(RequestTargetTest, AMovedTargetKeepsItsOriginForm) {
  std::optional<RequestTarget> parsed = ParseRequestTarget("http://c.test?q");
  const RequestTarget moved = std::move(*parsed);
  parsed.reset();
  EXPECT_EQ(moved.origin_form(), "/?q");
}

TEST(RequestTargetTest, AuthorityAndAsteriskForms) {
  EXPECT_EQ(ParseRequestTarget("c.test:443")->form, TargetForm::kAuthority);
  EXPECT_EQ(ParseRequestTarget("*")->form, TargetForm::kAsterisk);
}

TEST(RequestTargetTest, RefusesWhatIsNoForm) {
  EXPECT_FALSE(ParseRequestTarget("").has_value());
  EXPECT_FALSE(ParseRequestTarget("admin").has_value());
  EXPECT_FALSE(ParseRequestTarget("ftp://c.test/x").has_value());
  EXPECT_FALSE(ParseRequestTarget("http:///x").has_value());
  EXPECT_FALSE(ParseRequestTarget("http://user@c.test/x").has_value());
  EXPECT_FALSE(ParseRequestTarget("http://c.test:99999/x").has_value());
  EXPECT_FALSE(ParseRequestTarget("http://c.test#frag").has_value());
  EXPECT_FALSE(ParseRequestTarget("http://c.test/a#frag").has_value());
  EXPECT_FALSE(ParseRequestTarget("/index.html?a=b#tag").has_value());
  EXPECT_FALSE(ParseRequestTarget("/#").has_value());
  EXPECT_FALSE(ParseRequestTarget("c.test:80/x").has_value());
}

}  // namespace
}  // namespace gatehouse::runtime
