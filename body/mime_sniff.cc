#include "body/mime_sniff.h"

#include "body/ascii.h"
#include "common/log_text.h"

namespace gatehouse::body {
namespace {

using namespace std::string_view_literals;

// A signature: `magic` at `offset`.
struct Signature {
  std::size_t offset;
  std::string_view magic;
  std::string_view type;
};

// Longer and more specific signatures come first where two share a prefix (RIFF, ftyp).
constexpr Signature kSignatures[] = {
    {0, "\x89PNG\r\n\x1a\n"sv, "image/png"},
    {0, "\xff\xd8\xff"sv, "image/jpeg"},
    {0, "GIF87a"sv, "image/gif"},
    {0, "GIF89a"sv, "image/gif"},
    {0, "II*\0"sv, "image/tiff"},
    {0, "MM\0*"sv, "image/tiff"},
    {0, "\0\0\1\0"sv, "image/x-icon"},
    {0, "BM"sv, "image/bmp"},
    {0, "OggS"sv, "audio/ogg"},
    {0, "fLaC"sv, "audio/flac"},
    {0, "ID3"sv, "audio/mpeg"},
    {0, "\xff\xfb"sv, "audio/mpeg"},
    {4, "ftypqt"sv, "video/quicktime"},
    {4, "ftyp"sv, "video/mp4"},
    {0, "\x1a\x45\xdf\xa3"sv, "video/webm"},
    {0, "%PDF-"sv, "application/pdf"},
    {0, "PK\x03\x04"sv, "application/zip"},
    {0, "\x1f\x8b"sv, "application/gzip"},
    {0, "BZh"sv, "application/x-bzip2"},
    {0, "\xfd\x37zXZ\0"sv, "application/x-xz"},
    {0, "7z\xbc\xaf\x27\x1c"sv, "application/x-7z-compressed"},
    {0, "Rar!\x1a\x07"sv, "application/vnd.rar"},
    {0, "\0asm"sv, "application/wasm"},
    {0, "\x7f\x45LF"sv, "application/x-executable"},
    {0, "MZ"sv, "application/x-msdownload"},
    {0, "%!PS"sv, "application/postscript"},
};

// RIFF containers: "RIFF", a size, then the form type.
constexpr Signature kRiffForms[] = {
    {8, "WEBP"sv, "image/webp"},
    {8, "WAVE"sv, "audio/wav"},
    {8, "AVI "sv, "video/x-msvideo"},
};

// Text signatures, matched ignoring case after leading whitespace.
constexpr Signature kTextSignatures[] = {
    {0, "<?xml"sv, "text/xml"},
    {0, "<!doctype html"sv, "text/html"},
    {0, "<html"sv, "text/html"},
    {0, "<svg"sv, "image/svg+xml"},
};

bool HasAt(std::string_view text, const Signature& s) {
  return text.size() >= s.offset + s.magic.size() &&
         text.substr(s.offset, s.magic.size()) == s.magic;
}

// Text: UTF-8 without control bytes other than whitespace. `cut`: the text is a prefix, whose last
// character may be cut short.
bool IsText(std::string_view text, bool cut) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && !IsCSpace(c)) || byte == 0x7f) return false;
  }
  size_t bad = 0;
  if (IsValidUtf8(text, &bad)) return true;
  if (!cut) return false;
  // Only the start of one multi-byte character may be left at the cut.
  const std::string_view tail = text.substr(bad);
  const auto lead = static_cast<unsigned char>(tail[0]);
  const size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (length == 0 || lead > 0xf4 || tail.size() >= length) return false;
  for (char c : tail.substr(1)) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) return false;
  }
  return true;
}

}  // namespace

std::string_view SniffMimeType(std::string_view whole) {
  const std::string_view body = whole.substr(0, kMimeSniffBytes);
  if (body.empty()) return {};
  if (body.starts_with("RIFF")) {
    for (const Signature& s : kRiffForms) {
      if (HasAt(body, s)) return s.type;
    }
  }
  for (const Signature& s : kSignatures) {
    if (HasAt(body, s)) return s.type;
  }
  std::size_t start = 0;
  while (start < body.size() && IsCSpace(body[start])) ++start;
  const std::string_view text = body.substr(start);
  for (const Signature& s : kTextSignatures) {
    if (StartsWithIgnoreAsciiCase(text, s.magic)) return s.type;
  }
  return IsText(body, whole.size() > body.size()) ? "text/plain" : std::string_view();
}

}  // namespace gatehouse::body
