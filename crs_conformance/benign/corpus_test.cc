#include "crs_conformance/benign/corpus.h"

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "body/json.h"
#include "body/text_arena.h"
#include "common/json_string.h"
#include "crs_conformance/benign/encoding.h"
#include "gtest/gtest.h"

namespace gatehouse::crs_conformance::benign {
namespace {

std::string Header(const ftw::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(BenignCorpusTest, IsTheSameForASeedAndDiffersBetweenSeeds) {
  const auto first = GenerateBenignCorpus(7, 200);
  const auto again = GenerateBenignCorpus(7, 200);
  const auto other = GenerateBenignCorpus(8, 200);
  ASSERT_EQ(first.size(), 200u);
  int differing = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].request.Serialize(), again[i].request.Serialize()) << i;
    differing += first[i].request.Serialize() != other[i].request.Serialize();
  }
  EXPECT_GT(differing, 190);
}

TEST(BenignCorpusTest, HasEveryKindAndWellFormedRequests) {
  const auto corpus = GenerateBenignCorpus(kDefaultSeed, 2000);
  std::map<std::string, int> kinds;
  size_t longest_cookie = 0;
  bool irish_name = false;
  for (const BenignRequest& item : corpus) {
    const ftw::Request& request = item.request;
    ++kinds[item.kind];
    EXPECT_FALSE(Header(request, "Host").empty()) << request.Serialize();
    EXPECT_EQ(request.uri.front(), '/') << request.uri;
    longest_cookie = std::max(longest_cookie, Header(request, "Cookie").size());
    irish_name = irish_name || request.Serialize().find("O%27") != std::string::npos ||
                 request.Serialize().find("O'") != std::string::npos;
    if (request.body.empty()) continue;
    EXPECT_EQ(Header(request, "Content-Length"), std::to_string(request.body.size()));
    const std::string type = Header(request, "Content-Type");
    if (type.starts_with("application/json")) {
      body::TextArena arena;
      EXPECT_TRUE(body::ParseJson(request.body, body::BodyExtent::kWhole, {}, arena,
                                  [](std::string_view, std::string_view) { return true; })
                      .ok())
          << request.body;
    } else if (type.starts_with("multipart/form-data; boundary=")) {
      const std::string boundary = type.substr(type.find('=') + 1);
      EXPECT_TRUE(request.body.starts_with("--" + boundary + "\r\n"));
      EXPECT_TRUE(request.body.ends_with("--" + boundary + "--\r\n"));
    } else {
      EXPECT_EQ(type, "application/x-www-form-urlencoded");
    }
  }
  for (const char* kind : {"page", "asset", "search", "api_get", "api_json", "form", "upload",
                           "preflight", "api_delete"}) {
    EXPECT_GT(kinds[kind], 10) << kind;
  }
  EXPECT_GT(longest_cookie, 600u);
  EXPECT_TRUE(irish_name);
}

TEST(BenignCorpusTest, EncodesFormsAndJsonAsBrowsersDo) {
  EXPECT_EQ(FormEncode("O'Brien & Sons: 50% off"), "O%27Brien+%26+Sons%3A+50%25+off");
  EXPECT_EQ(FormBody({{"a b", "c=d"}, {"e", ""}}), "a+b=c%3Dd&e=");
  EXPECT_EQ(JsonString("say \"hi\"\n\\"), "\"say \\\"hi\\\"\\n\\\\\"");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
}

}  // namespace
}  // namespace gatehouse::crs_conformance::benign
