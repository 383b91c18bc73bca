#include "body/mime_sniff.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::body {
namespace {

using namespace std::string_view_literals;  // NOLINT: "..."sv for inputs holding NUL bytes

TEST(SniffMimeTypeTest, BinarySignatures) {
  EXPECT_EQ(SniffMimeType("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"sv), "image/png");
  EXPECT_EQ(SniffMimeType("\xff\xd8\xff\xe0\0\x10JFIF"sv), "image/jpeg");
  EXPECT_EQ(SniffMimeType("GIF89a\x01\0"sv), "image/gif");
  EXPECT_EQ(SniffMimeType("RIFF\x24\0\0\0WEBPVP8 "sv), "image/webp");
  EXPECT_EQ(SniffMimeType("RIFF\x24\0\0\0WAVEfmt "sv), "audio/wav");
  EXPECT_EQ(SniffMimeType("\0\0\0\x18\x66typmp42"sv), "video/mp4");
  EXPECT_EQ(SniffMimeType("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(SniffMimeType("PK\x03\x04\x14\0"sv), "application/zip");
  EXPECT_EQ(SniffMimeType("\x1f\x8b\x08\0"sv), "application/gzip");
  EXPECT_EQ(SniffMimeType("\x7f\x45LF\x02\x01"sv), "application/x-executable");
}

TEST(SniffMimeTypeTest, TextSignaturesIgnoreCaseAndLeadingWhitespace) {
  EXPECT_EQ(SniffMimeType("  \n<!DOCTYPE HTML><html>"), "text/html");
  EXPECT_EQ(SniffMimeType("<?xml version=\"1.0\"?><a/>"), "text/xml");
  EXPECT_EQ(SniffMimeType("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "image/svg+xml");
  EXPECT_EQ(SniffMimeType("a=1&b=2"), "text/plain");
  EXPECT_EQ(SniffMimeType("{\"a\": 1}\r\n"), "text/plain");
}

TEST(SniffMimeTypeTest, NothingKnownIsEmpty) {
  EXPECT_EQ(SniffMimeType(""), "");
  EXPECT_EQ(SniffMimeType("RIFF\x24\0\0\0XXXX"sv), "");  // a RIFF form not known, binary size
  EXPECT_EQ(SniffMimeType("ab\x01-cd"sv), "");
  EXPECT_EQ(SniffMimeType("WEBP"), "text/plain");  // a form type without RIFF is only text
}

TEST(SniffMimeTypeTest, TextIsUtf8) {
  EXPECT_EQ(SniffMimeType("caf\xc3\xa9"), "text/plain");
  EXPECT_EQ(SniffMimeType("--b\r\n\xff\xd8\xff\xe0 JFIF"), "");
  EXPECT_EQ(SniffMimeType("caf\xc3"), "");  // the whole body: a character cut short is not text
}

TEST(SniffMimeTypeTest, ReadsOnlyTheFirstBytes) {
  std::string text(kMimeSniffBytes, 'a');
  EXPECT_EQ(SniffMimeType(text + "\x01"), "text/plain");
  EXPECT_EQ(SniffMimeType(text.substr(1) + "\x01"), "");
  // A character cut by the sniffing window is still text; a bad byte before it is not.
  EXPECT_EQ(SniffMimeType(text.substr(2) + "\xe2\x82\xac"), "text/plain");
  EXPECT_EQ(SniffMimeType(text.substr(2) + "\xff\x82\xac"), "");
}

}  // namespace
}  // namespace gatehouse::body
