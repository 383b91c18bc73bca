#include "waf_inputs/body_processor.h"

#include "gtest/gtest.h"

namespace gatehouse::waf_inputs {
namespace {

BodyProcessor For(std::string_view content_type) {
  const rules::HeaderList headers = {{"Host", "h"}, {"content-TYPE", content_type}};
  return SelectBodyProcessor(headers);
}

TEST(SelectBodyProcessorTest, Rule200000ChoosesXml) {
  EXPECT_EQ(For("application/xml"), BodyProcessor::kXml);
  EXPECT_EQ(For("Text/XML; charset=utf-8"), BodyProcessor::kXml);
  EXPECT_EQ(For("application/soap+xml"), BodyProcessor::kXml);
  EXPECT_EQ(For("application/xhtml+xml"), BodyProcessor::kNone);
  EXPECT_EQ(For("image/svg+xml"), BodyProcessor::kNone);
}

TEST(SelectBodyProcessorTest, Rule200001ChoosesJson) {
  EXPECT_EQ(For("application/json"), BodyProcessor::kJson);
  EXPECT_EQ(For("application/jsonx"), BodyProcessor::kJson);
  EXPECT_EQ(For("application/ld+json"), BodyProcessor::kNone);
}

TEST(SelectBodyProcessorTest, FormsByPrefixIgnoringCase) {
  EXPECT_EQ(For("multipart/form-data; boundary=x"), BodyProcessor::kMultipart);
  EXPECT_EQ(For("Application/X-WWW-Form-Urlencoded;charset=x"), BodyProcessor::kUrlEncoded);
  EXPECT_EQ(For("application/x-www-form-urlencoded;boundary=\"text/xml\""),
            BodyProcessor::kUrlEncoded);
  EXPECT_EQ(For("text/plain"), BodyProcessor::kNone);
}

TEST(SelectBodyProcessorTest, JsonWinsOverXmlAndTheLastFormWins) {
  const rules::HeaderList both = {{"Content-Type", "application/json"},
                                  {"Content-Type", "text/xml"}};
  EXPECT_EQ(SelectBodyProcessor(both), BodyProcessor::kJson);
  const rules::HeaderList forms = {{"Content-Type", "multipart/form-data; boundary=x"},
                                   {"Content-Type", "application/x-www-form-urlencoded"},
                                   {"Content-Type", "text/plain"}};
  EXPECT_EQ(SelectBodyProcessor(forms), BodyProcessor::kUrlEncoded);
  EXPECT_EQ(SelectBodyProcessor({}), BodyProcessor::kNone);
}

TEST(BodyProcessorNameTest, ReqbodyProcessorValues) {
  EXPECT_EQ(BodyProcessorName(BodyProcessor::kNone), "");
  EXPECT_EQ(BodyProcessorName(BodyProcessor::kUrlEncoded), "URLENCODED");
  EXPECT_EQ(BodyProcessorName(BodyProcessor::kMultipart), "MULTIPART");
  EXPECT_EQ(BodyProcessorName(BodyProcessor::kJson), "JSON");
  EXPECT_EQ(BodyProcessorName(BodyProcessor::kXml), "XML");
}

}  // namespace
}  // namespace gatehouse::waf_inputs
