#include "ftw/corpus_reader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace gatehouse::ftw {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::path(std::getenv("TEST_TMPDIR")) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

constexpr char kLegacyFile[] = R"(---
meta:
  author: a
  enabled: true
  name: 942100.yaml
tests:
- test_title: 942100-1
  stages:
  - stage:
      input:
        dest_addr: 127.0.0.1
        method: POST
        headers:
          Host: localhost
          Content-Length: 0
        data:
        - "--b"
        - "x"
        uri: /?a=1
      output:
        log_contains: id "942100"
- test_title: 942100-2
  stages:
  - stage:
      input:
        encoded_request: R0VUIC8gSFRUUC8xLjENCg0K
      output:
        status: [200, 403]
)";

constexpr char kGoFtwFile[] = R"(rule_id: 920100
meta: {enabled: false}
tests:
- test_id: 4
  stages:
  - input: {method: GET, stop_magic: true, encoded_data: YWJj}
    output:
      log:
        expect_ids: [920100]
        no_expect_ids: [920101]
)";

TEST(CorpusReaderTest, ReadsLegacyAndGoFtwForms) {
  const fs::path dir = TempDir("corpus");
  Write(dir / "REQUEST-942-SQLI" / "942100.yaml", kLegacyFile);
  Write(dir / "REQUEST-920-PROTOCOL" / "920100.yml", kGoFtwFile);
  absl::StatusOr<std::vector<Stage>> stages = ReadCorpus({dir.string()});
  ASSERT_TRUE(stages.ok()) << stages.status();
  ASSERT_EQ(stages->size(), 3u);

  const Stage& go = (*stages)[0];  // REQUEST-920-... sorts first
  EXPECT_EQ(go.id, "920100-4#0");
  EXPECT_EQ(go.folder, "REQUEST-920-PROTOCOL");
  EXPECT_FALSE(go.enabled);
  EXPECT_FALSE(go.legacy);
  EXPECT_FALSE(go.input.autocomplete_headers);
  EXPECT_EQ(go.input.data, "abc");
  EXPECT_EQ(go.output.expect_ids, std::vector<std::string>{"920100"});
  EXPECT_EQ(go.output.no_expect_ids, std::vector<std::string>{"920101"});

  const Stage& legacy = (*stages)[1];
  EXPECT_EQ(legacy.id, "942100-1#0");
  EXPECT_TRUE(legacy.legacy);
  EXPECT_EQ(legacy.input.method, "POST");
  EXPECT_EQ(legacy.input.uri, "/?a=1");
  ASSERT_EQ(legacy.input.headers.size(), 2u);
  EXPECT_EQ(legacy.input.headers[1], std::make_pair(std::string("Content-Length"), std::string("0")));
  EXPECT_EQ(legacy.input.data, "--b\r\nx");
  EXPECT_TRUE(legacy.input.data_was_list);
  EXPECT_EQ(legacy.output.log_contains, "id \"942100\"");

  const Stage& encoded = (*stages)[2];
  EXPECT_EQ(encoded.input.raw_request, "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(encoded.output.status, (std::vector<int>{200, 403}));
  EXPECT_FALSE(encoded.output.HasLogAssertion());
}

TEST(CorpusReaderTest, LaterDirectoryReplacesSamePath) {
  const fs::path upstream = TempDir("upstream");
  const fs::path addendum = TempDir("addendum");
  Write(upstream / "R" / "1.yaml", "tests:\n- test_title: old\n  stages: [{input: {}, output: {}}]\n");
  Write(addendum / "R" / "1.yaml", "tests:\n- test_title: new\n  stages: [{input: {}, output: {}}]\n");
  absl::StatusOr<std::vector<Stage>> stages = ReadCorpus({upstream.string(), addendum.string()});
  ASSERT_TRUE(stages.ok()) << stages.status();
  ASSERT_EQ(stages->size(), 1u);
  EXPECT_EQ((*stages)[0].id, "new#0");
}

TEST(CorpusReaderTest, ErrorsNameFileLineAndColumn) {
  const fs::path dir = TempDir("bad");
  Write(dir / "R" / "bad.yaml", "tests:\n  - test_title: x\n    stages: [ {input: \n");
  absl::StatusOr<std::vector<Stage>> stages = ReadCorpus({dir.string()});
  ASSERT_FALSE(stages.ok());
  EXPECT_NE(stages.status().message().find("bad.yaml:"), std::string::npos) << stages.status();

  Write(dir / "R" / "bad.yaml", "tests:\n- test_title: x\n  stages: 7\n");
  stages = ReadCorpus({dir.string()});
  ASSERT_FALSE(stages.ok());
  EXPECT_NE(stages.status().message().find("bad.yaml:2:"), std::string::npos) << stages.status();

  EXPECT_EQ(ReadCorpus({(dir / "missing").string()}).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gatehouse::ftw
