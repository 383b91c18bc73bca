#include "body/multipart.h"

#include <string>
#include <vector>

#include "body/multipart_content_type.h"
#include "body/multipart_disposition.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::body {
namespace {

using ::testing::ElementsAre;
using namespace std::string_view_literals;  // NOLINT: "..."sv for inputs holding NUL bytes

constexpr std::string_view kType = "multipart/form-data; boundary=XX";

std::string Message(const absl::Status& status) { return std::string(status.message()); }

struct Parsed {
  absl::Status status;
  MultipartBody body;
};

Parsed Parse(std::string_view input, std::string_view content_type = kType,
             BodyExtent extent = BodyExtent::kWhole) {
  static TextArena arena;
  Parsed parsed;
  parsed.status = ParseMultipart(content_type, input, extent, arena, parsed.body);
  return parsed;
}

std::vector<std::pair<std::string, std::string>> Fields(const MultipartBody& body) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const MultipartPart& part : body.parts) {
    fields.emplace_back(part.name, part.is_file ? "file:" + std::string(part.filename)
                                                : std::string(part.value));
  }
  return fields;
}

std::vector<std::string> HeaderLines(const MultipartBody& body) {
  std::vector<std::string> lines;
  for (const MultipartHeaderLine& line : body.header_lines) {
    lines.push_back(std::string(line.part_name) + "|" + std::string(line.line));
  }
  return lines;
}

// Each expectation was read from libmodsecurity 3.0.9 for the same body.
TEST(ParseMultipartTest, FieldsFilesAndPartHeaders) {
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nval a\r\n"
      "--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
      "Content-Type: text/plain\r\nX-Foo: bar\r\n\r\nfile\ncontent\r\n"
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nsecond\r\n--XX--\r\n");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_TRUE(parsed.body.parts_reported);
  EXPECT_THAT(Fields(parsed.body), ElementsAre(std::pair<std::string, std::string>{"a", "val a"},
                                               std::pair<std::string, std::string>{"f", "file:x.txt"},
                                               std::pair<std::string, std::string>{"a", "second"}));
  EXPECT_EQ(parsed.body.parts[1].size, 12u);  // FILES_SIZES: "file\ncontent"
  EXPECT_EQ(parsed.body.parts[1].content_type, "text/plain");
  EXPECT_THAT(HeaderLines(parsed.body),
              ElementsAre("a|Content-Disposition: form-data; name=\"a\"\r\n",
                          "f|Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n",
                          "f|Content-Type: text/plain\r\n", "f|X-Foo: bar\r\n",
                          "a|Content-Disposition: form-data; name=\"a\"\r\n"));
  // Boundaries after the first matched: the flag ends at 2; nothing strict.
  EXPECT_EQ(parsed.body.flags.unmatched_boundary, 2);
  EXPECT_FALSE(parsed.body.flags.strict_error());
}

TEST(ParseMultipartTest, PartsKeepTheirDispositionAndTransferEncoding) {
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nYQ==\r\n"
      "--XX\r\ncontent-disposition: form-data; name=\"b\"\r\n\r\nb\r\n--XX--\r\n");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status;
  ASSERT_EQ(parsed.body.parts.size(), 2u);
  EXPECT_EQ(parsed.body.parts[0].content_disposition, "form-data; name=\"a\"");
  EXPECT_EQ(parsed.body.parts[0].content_transfer_encoding, "base64");
  EXPECT_EQ(parsed.body.parts[1].content_disposition, "form-data; name=\"b\"");
  EXPECT_EQ(parsed.body.parts[1].content_transfer_encoding, "");
}

TEST(ParseMultipartTest, FieldValuesLoseTheirLineEndingsFilesKeepThem) {
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nline1\r\nline2\nline3\r\n\r\n"
      "--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nl1\r\nl2\r\n\r\n"
      "--XX--\r\n");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.body.parts[0].value, "line1line2line3");
  EXPECT_EQ(parsed.body.parts[0].content, "line1\r\nline2\nline3\r\n");
  EXPECT_EQ(parsed.body.parts[1].size, 8u);
}

TEST(ParseMultipartTest, ErrorsInHeadersDoNotStopTheReading) {
  // "pre" before the first boundary, a part without Content-Disposition, data after the end.
  const Parsed parsed = Parse(
      "pre\r\n--XX\r\nX-A: 1\r\n\r\nnoCD\r\n--XX\r\n"
      "Content-Disposition: form-data; name=\"b\"\r\n\r\nbv\r\n--XX--\r\nafter");
  EXPECT_EQ(Message(parsed.status), "Multipart: Invalid part header (colon missing): --XX\r\n");
  // The boundary inside the first part's headers was read as a header line, so "b" is that part.
  EXPECT_THAT(Fields(parsed.body), ElementsAre(std::pair<std::string, std::string>{"b", "bv"}));
  EXPECT_THAT(HeaderLines(parsed.body),
              ElementsAre("b|X-A: 1\r\n", "b|Content-Disposition: form-data; name=\"b\"\r\n"));
  EXPECT_TRUE(parsed.body.flags.data_before);
  EXPECT_TRUE(parsed.body.flags.data_after);
  EXPECT_TRUE(parsed.body.flags.invalid_part);
  EXPECT_TRUE(parsed.body.flags.strict_error());
}

TEST(ParseMultipartTest, ABoundaryRightAfterTheHeadersIsData) {
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XX\r\n"
      "Content-Disposition: form-data; name=\"b\"\r\n\r\nw\r\n--XX--\r\n");
  EXPECT_THAT(Fields(parsed.body),
              ElementsAre(std::pair<std::string, std::string>{
                  "a", "--XXContent-Disposition: form-data; name=\"b\"w"}));
  EXPECT_TRUE(parsed.body.flags.invalid_part);
  // An empty value written properly is fine.
  const Parsed empty =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XX--\r\n");
  EXPECT_THAT(Fields(empty.body), ElementsAre(std::pair<std::string, std::string>{"a", ""}));
  EXPECT_FALSE(empty.body.flags.invalid_part);
}

TEST(ParseMultipartTest, WithoutTheFinalBoundaryNothingIsReported) {
  const Parsed parsed =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XXy\r\n--XX--\r\n");
  EXPECT_EQ(Message(parsed.status), "Multipart: Final boundary missing.");
  EXPECT_FALSE(parsed.body.parts_reported);
  EXPECT_TRUE(parsed.body.flags.error);
  // A final boundary with no line ending at the very end is accepted.
  const Parsed bare = Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XX--");
  EXPECT_TRUE(bare.status.ok());
  EXPECT_THAT(Fields(bare.body), ElementsAre(std::pair<std::string, std::string>{"a", "v"}));
  EXPECT_EQ(Message(Parse("no boundary here\r\n").status),
            "Multipart: No boundaries found in payload.");
}

TEST(ParseMultipartTest, ATruncatedBodyIsNotAnError) {
  const Parsed parsed =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst line\r\nsecond li",
            kType, BodyExtent::kTruncated);
  EXPECT_TRUE(parsed.status.ok()) << parsed.status;
  EXPECT_TRUE(parsed.body.parts_reported);
  EXPECT_THAT(Fields(parsed.body),
              ElementsAre(std::pair<std::string, std::string>{"a", "first linesecond li"}));
}

TEST(ParseMultipartTest, LineEndingFlags) {
  const Parsed lf = Parse("--XX\nContent-Disposition: form-data; name=\"a\"\n\nv\n--XX--\n");
  EXPECT_TRUE(lf.body.flags.lf_line);
  EXPECT_FALSE(lf.body.flags.crlf_lf_lines());
  // Only the line ending before a boundary counts among data lines.
  const Parsed mixed =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\nw\r\n--XX--\r\n");
  EXPECT_FALSE(mixed.body.flags.lf_line);
  const Parsed before =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\n--XX--\r\n");
  EXPECT_TRUE(before.body.flags.crlf_lf_lines());
}

TEST(ParseMultipartTest, FoldedHeadersAreRewritten) {
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\nX-A: 1\r\nX-B: 2\r\n\tfold\r\n"
      "X-A: 3\r\n fold2\r\n\r\nv\r\n--XX--\r\n");
  EXPECT_THAT(HeaderLines(parsed.body),
              ElementsAre("a|Content-Disposition: form-data; name=\"a\"\r\n", "a|X-A: 1\r\n",
                          "a|X-B: 2 fold", "a|X-B: 2 fold fold2"));
  EXPECT_TRUE(parsed.body.flags.header_folding);
  EXPECT_FALSE(parsed.body.flags.invalid_header_folding);
  const Parsed vertical_tab = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\nX: 1\r\n\v\r\n\r\nv\r\n--XX--\r\n");
  EXPECT_TRUE(vertical_tab.body.flags.invalid_header_folding);
}

TEST(ParseMultipartTest, UnmatchedBoundary) {
  // "--XX" inside a data line, and no later boundary to set 2.
  const Parsed parsed = Parse(
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv--XX\r\n--XX--", kType);
  EXPECT_EQ(parsed.body.flags.unmatched_boundary, 1);
}

TEST(ParseMultipartTest, NulBytesInHeadersAreErrors) {
  const Parsed parsed =
      Parse("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\nX: a\0b\r\n\r\nv\r\n--XX--\r\n"sv);
  EXPECT_EQ(Message(parsed.status), "Multipart: Nul byte in part headers.");
}

TEST(ParseMultipartTest, ContentTypeRefused) {
  const Parsed parsed = Parse("--XX\r\n", "multipart/form-data; BOUNDARY=XX");
  EXPECT_EQ(Message(parsed.status), "Multipart: Invalid boundary in C-T (case sensitivity).");
  EXPECT_TRUE(parsed.body.flags.error);
  EXPECT_FALSE(parsed.body.read);
}

struct BoundaryCase {
  std::string_view content_type;
  std::string_view error;  // "" when accepted
  std::string_view boundary;
};

TEST(ReadMultipartBoundaryTest, AsLibmodsecurityReadsIt) {
  const BoundaryCase cases[] = {
      {"multipart/form-data; boundary=XX; charset=utf-8", "", "XX"},
      {"Multipart/Form-Data; boundary=XX", "", "XX"},
      {"multipart/form-data; boundary=\"XX\"", "", "XX"},
      {"multipart/form-data; boundary=\"XX\"; charset=utf-8",
       "Multipart: Invalid boundary in C-T (quote).", ""},
      {"multipart/form-data; boundary=XX ;x", "Multipart: Invalid boundary in C-T (characters).", ""},
      {"multipart/form-data; boundary = XX", "", " XX"},
      {"multipart/form-data; charset=x; boundary=XX",
       "Multipart: Invalid boundary in C-T (malformed).", ""},
      {"multipart/form-data; boundary=XX; boundary=YY",
       "Multipart: Multiple boundary parameters in C-T.", ""},
      {"multipart/form-datax; boundary=XX", "Multipart: Invalid boundary in C-T (malformed).", ""},
      {"multipart/form-data; boundary=X@X", "Multipart: Invalid boundary in C-T (characters).", ""},
      {"text/plain; boundary=XX", "Multipart: Invalid MIME type.", ""},
  };
  for (const BoundaryCase& c : cases) {
    MultipartBoundary boundary;
    const absl::Status status = ReadMultipartBoundary(c.content_type, boundary);
    EXPECT_EQ(Message(status), c.error) << c.content_type;
    if (c.error.empty()) {
      EXPECT_EQ(boundary.boundary, c.boundary) << c.content_type;
    }
  }
  MultipartBoundary flags;
  ASSERT_TRUE(ReadMultipartBoundary("multipart/form-data boundary =\"XX\"", flags).ok());
  EXPECT_TRUE(flags.missing_semicolon);
  EXPECT_TRUE(flags.whitespace);
  EXPECT_TRUE(flags.quoted);
  // "boundary=" is refused without a message: nothing is read, nothing flagged.
  MultipartBoundary empty;
  EXPECT_TRUE(ReadMultipartBoundary("multipart/form-data; boundary=", empty).ok());
  EXPECT_TRUE(empty.refused);
}

TEST(ParseContentDispositionTest, NamesEscapesAndRefusals) {
  TextArena arena;
  ContentDisposition escaped;
  ASSERT_TRUE(
      ParseContentDisposition("form-data; name=\"a\\\"b\\\\c\"; filename=\"\"", arena, escaped)
          .ok());
  EXPECT_EQ(escaped.name, "a\"b\\c");
  EXPECT_EQ(escaped.filename, "");
  EXPECT_THAT(escaped.filenames_seen, ElementsAre(""));

  ContentDisposition junk;
  EXPECT_EQ(Message(ParseContentDisposition("form-data; name=\"a\"x", arena, junk)),
            "Multipart: Invalid Content-Disposition header (-12): form-data; name=\"a\"x");
  EXPECT_EQ(junk.name, "a");  // kept, as libmodsecurity's part keeps it
  EXPECT_TRUE(junk.invalid_quoting);

  ContentDisposition twice;
  EXPECT_FALSE(ParseContentDisposition("form-data; name=\"a\"; name=\"b\"", arena, twice).ok());
  EXPECT_THAT(twice.names_seen, ElementsAre("a", "b"));

  ContentDisposition single_quotes;
  ASSERT_TRUE(ParseContentDisposition("form-data; name='q'", arena, single_quotes).ok());
  EXPECT_TRUE(single_quotes.invalid_quoting);

  ContentDisposition star;
  EXPECT_TRUE(ParseContentDisposition("form-data; name=\"a\"; filename=\"y\"; "
                                      "filename*=UTF-8''x.txt",
                                      arena, star)
                  .ok());
  EXPECT_EQ(star.filename, "y");
  for (std::string_view refused :
       {"form-data; name=\"a\"; filename*=UTF-8''x.txt", "form-data; name=\"a\"; filename*=x",
        "attachment; name=\"a\"", "form-data; foo=\"bar\"", "form-data; name=\"a\"; filename*="}) {
    ContentDisposition result;
    EXPECT_FALSE(ParseContentDisposition(refused, arena, result).ok()) << refused;
  }
  ContentDisposition spaced;
  ASSERT_TRUE(ParseContentDisposition("form-data ; name = n", arena, spaced).ok());
  EXPECT_EQ(spaced.name, "n");
}

}  // namespace
}  // namespace gatehouse::body
