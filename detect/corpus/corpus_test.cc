#include "detect/corpus/corpus.h"

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::detect::corpus {
namespace {

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // the continuation bytes are s[i + 1 .. i + n]
    for (std::size_t k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

struct Corpus {
  const char* path;
  std::size_t minimum;
};

constexpr Corpus kCorpora[] = {
    {kSqliAttacks, 2000},
    {kXssAttacks, 1000},
    {kBenign, 10000},
};

class CorpusFileTest : public ::testing::TestWithParam<Corpus> {};

TEST_P(CorpusFileTest, IsLargeEnough) {
  const std::vector<std::string> lines = ReadCorpusFile(GetParam().path);
  EXPECT_GE(lines.size(), GetParam().minimum) << LocateDataFile(GetParam().path);
}

TEST_P(CorpusFileTest, LinesAreDistinct) {
  const std::vector<std::string> lines = ReadCorpusFile(GetParam().path);
  std::unordered_map<std::string_view, std::size_t> first_line;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto [it, inserted] = first_line.emplace(lines[i], i + 1);
    EXPECT_TRUE(inserted) << GetParam().path << ":" << i + 1 << " repeats line " << it->second
                          << ": " << lines[i];
  }
}

TEST_P(CorpusFileTest, LinesAreNonEmptyUtf8WithoutLineBreaks) {
  const std::string path = LocateDataFile(GetParam().path);
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty()) << path;
  EXPECT_EQ(text.back(), '\n') << path << " does not end with a newline";
  EXPECT_EQ(text.find('\r'), std::string::npos) << path << " has a carriage return";
  const std::vector<std::string> lines = ReadCorpus(path);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    EXPECT_FALSE(line.empty()) << path << ":" << i + 1 << " is empty";
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << path << ":" << i + 1;
    EXPECT_EQ(line.find('\0'), std::string::npos) << path << ":" << i + 1 << " has a NUL";
    EXPECT_TRUE(IsUtf8(line)) << path << ":" << i + 1 << " is not UTF-8";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpora, CorpusFileTest, ::testing::ValuesIn(kCorpora),
                         [](const ::testing::TestParamInfo<Corpus>& info) {
                           const std::string_view path = info.param.path;
                           const std::string_view file = path.substr(path.rfind('/') + 1);
                           return std::string(file.substr(0, file.find('.')));
                         });

TEST(CorpusTest, Utf8CheckRejectsMalformedSequences) {
  EXPECT_TRUE(IsUtf8("plain \t ascii"));
  EXPECT_TRUE(IsUtf8("l'\xC3\xA9t\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x8E\x89"));
  EXPECT_FALSE(IsUtf8("\xC3"));            // truncated
  EXPECT_FALSE(IsUtf8("\xC0\xA7"));        // overlong quote
  EXPECT_FALSE(IsUtf8("\xED\xA0\x80"));    // surrogate
  EXPECT_FALSE(IsUtf8("%\xBF'"));          // lone continuation byte
}

TEST(CorpusTest, BenignSharesNoLineWithTheAttacks) {
  const std::vector<std::string> benign = ReadCorpusFile(kBenign);
  const std::unordered_set<std::string> set(benign.begin(), benign.end());
  for (const char* attacks : {kSqliAttacks, kXssAttacks}) {
    for (const std::string& line : ReadCorpusFile(attacks)) {
      EXPECT_EQ(set.count(line), 0u) << attacks << " and " << kBenign << " share: " << line;
    }
  }
}

class ReadCorpusTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) {
    const char* dir = std::getenv("TEST_TMPDIR");
    const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

TEST_F(ReadCorpusTest, SplitsAtNewlinesOnly) {
  using Lines = std::vector<std::string>;
  EXPECT_EQ(ReadCorpus(Write("a.txt", "a\nb c \n")), (Lines{"a", "b c "}));
  EXPECT_EQ(ReadCorpus(Write("b.txt", "a\nlast")), (Lines{"a", "last"}));
  EXPECT_EQ(ReadCorpus(Write("c.txt", "x\r\n\ty\n")), (Lines{"x\r", "\ty"}));
  EXPECT_EQ(ReadCorpus(Write("d.txt", "a\n\nb\n")), (Lines{"a", "", "b"}));
  EXPECT_TRUE(ReadCorpus(Write("e.txt", "")).empty());
}

TEST_F(ReadCorpusTest, MissingFileHasNoLines) {
  EXPECT_TRUE(ReadCorpus("/nonexistent/detect/corpus.txt").empty());
}

TEST(LocateDataFileTest, FindsTheCorporaInTheRunfiles) {
  for (const Corpus& corpus : kCorpora) {
    const std::string path = LocateDataFile(corpus.path);
    EXPECT_TRUE(std::ifstream(path).good()) << path;
  }
}

TEST(LocateDataFileTest, LeavesAnUnknownPathAsItIs) {
  EXPECT_EQ(LocateDataFile("detect/corpus/no_such_file.txt"), "detect/corpus/no_such_file.txt");
}

}  // namespace
}  // namespace gatehouse::detect::corpus
