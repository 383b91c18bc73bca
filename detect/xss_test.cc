#include "detect/xss.h"

#include "gtest/gtest.h"

namespace gatehouse::detect {
namespace {

class XssAttackTest : public ::testing::TestWithParam<const char*> {};

TEST_P(XssAttackTest, Detected) { EXPECT_TRUE(DetectXss(GetParam())) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(
    Shapes, XssAttackTest,
    ::testing::Values(
        "<script>alert(1)</script>", "<ScRiPt src=//x.example/a.js>", "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>", "<svg/onload=alert(1)>", "<body onload=alert(1)>",
        "<iframe src=javascript:alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>", "<a href=\"java&#9;script:alert(1)\">",
        "<a href=\" javascript:alert(1)\">", "<details open ontoggle=alert(1)>",
        "<input autofocus onfocus=alert(1)>", "<video><source onerror=alert(1)>",
        "<object data=x>", "<embed src=x>", "<meta http-equiv=refresh content=\"0;url=x\">",
        "<base href=//x.example/>", "<style>@import 'x'</style>",
        "<div style=\"width:expression(alert(1))\">", "<form action=javascript:alert(1)>",
        "<math><maction xlink:href=javascript:alert(1)>x", "\"><script>alert(1)</script>",
        "'><svg onload=alert(1)>", "\" autofocus onfocus=alert(1) x=\"", "' onmouseover='alert(1)",
        "x onmouseover=alert(1)", "javascript:alert(1)", "  JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)", "data:text/html,<b>x</b>", "<x onclick=alert(1)>click",
        "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
        "<iframe srcdoc=\"<script>alert(1)</script>\">", "<a href=javascript&colon;alert(1)>"));

class XssBenignTest : public ::testing::TestWithParam<const char*> {};

TEST_P(XssBenignTest, NotDetected) { EXPECT_FALSE(DetectXss(GetParam())) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(
    Prose, XssBenignTest,
    ::testing::Values("I <3 you", "x < y and y > z", "a<b", "<- go back", "<b>bold</b>",
                      "O'Brien said \"hi\"", "see https://example.com/?a=1&b=2",
                      "the onload handler", "online only", "<i>italics</i> and <em>more</em>",
                      "5 > 3", "one=1&two=2", "script kiddies", "java script", "data: 5 items",
                      "Price: <$50", "email me at a@b.c", ":-) -> <3", "", "<", ">", "&amp;"));

}  // namespace
}  // namespace gatehouse::detect
