#include "body/xml.h"

#include <string>
#include <vector>

#include "body/ascii.h"
#include "body/xml_chars.h"

namespace gatehouse::body {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void AppendUtf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

struct Attribute {
  std::string_view name;
  std::string_view value;
};

class XmlReader {
 public:
  XmlReader(std::string_view input, BodyExtent extent, const XmlOptions& options,
            TextArena& arena, XmlValues& values)
      : text_(input), extent_(extent), options_(options), arena_(arena), values_(values) {}

  absl::Status Run();

 private:
  // Input that ends where more is required; not an error for a cut body (see Run).
  absl::Status Incomplete() { return absl::OutOfRangeError("premature end of data"); }
  absl::Status Malformed(std::string_view what) const {
    return absl::InvalidArgumentError("XML: " + std::string(what) + " at byte " +
                                      std::to_string(pos_));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool LooksAt(std::string_view prefix) const { return text_.substr(pos_, prefix.size()) == prefix; }
  // Whether `prefix` could still come: the input ends inside it.
  bool CutInside(std::string_view prefix) const {
    const std::string_view rest = text_.substr(pos_);
    return rest.size() < prefix.size() && prefix.substr(0, rest.size()) == rest;
  }
  bool SkipSpace() {
    const std::size_t start = pos_;
    while (!AtEnd() && IsXmlSpace(text_[pos_])) ++pos_;
    return pos_ != start;
  }
  absl::Status CountNode() {
    if (++nodes_ > options_.max_nodes) return Malformed("too many nodes");
    return absl::OkStatus();
  }

  // One character of text, checked; '\r' and "\r\n" are read as '\n'. Appends it to `out`.
  // An error is either raised as libxml2 reads the character (a NUL byte, bad UTF-8, a code
  // point outside Char: `while_reading`), or after it read a control character.
  absl::Status TextChar(std::string& out, bool* while_reading = nullptr);
  absl::Status ReadName(std::string_view& name);
  absl::Status XmlDeclaration();
  absl::Status Prolog();
  absl::Status Doctype();
  absl::Status SkipDeclaration();
  absl::Status Comment();
  absl::Status ProcessingInstruction();
  absl::Status Element();
  absl::Status StartTag(bool& empty);
  absl::Status OpenElement(std::string_view name, bool empty);
  absl::Status AttributeValue(std::string_view& value);
  absl::Status Reference(std::string& out);
  absl::Status CharData();
  absl::Status CData();
  absl::Status EndTag();
  absl::Status Epilog();
  void Flush() {
    root_text_.append(pending_);
    pending_.clear();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  BodyExtent extent_;
  const XmlOptions& options_;
  TextArena& arena_;
  XmlValues& values_;

  std::vector<std::string_view> open_elements_;
  std::vector<Attribute> attributes_;
  std::string attribute_text_;
  std::string scratch_;  // characters checked but not kept
  std::string pending_;    // text read since the last markup, not yet in the tree
  std::string root_text_;  // the tree's text so far
  std::size_t nodes_ = 0;
  bool has_external_subset_ = false;  // entities may be declared where the reader cannot see
  std::vector<std::string_view> declared_entities_;
};

absl::Status XmlReader::TextChar(std::string& out, bool* while_reading) {
  if (while_reading != nullptr) *while_reading = true;
  const char c = text_[pos_];
  if (c == '\r') {
    ++pos_;
    if (!AtEnd() && text_[pos_] == '\n') ++pos_;
    out.push_back('\n');
    return absl::OkStatus();
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x80) {
    if (!IsXmlChar(byte)) {
      if (while_reading != nullptr) *while_reading = byte == 0;
      return Malformed("invalid character");
    }
    out.push_back(c);
    ++pos_;
    return absl::OkStatus();
  }
  const std::optional<DecodedChar> decoded = DecodeUtf8(text_, pos_);
  if (!decoded.has_value()) {
    // A sequence the cut splits is not wrong yet.
    if (text_.size() - pos_ < 4 && extent_ == BodyExtent::kTruncated) return Incomplete();
    return Malformed("input is not proper UTF-8");
  }
  if (!IsXmlChar(decoded->code_point)) return Malformed("invalid character");
  out.append(text_.substr(pos_, decoded->length));
  pos_ += decoded->length;
  return absl::OkStatus();
}

absl::Status XmlReader::ReadName(std::string_view& name) {
  const std::size_t start = pos_;
  while (!AtEnd()) {
    uint32_t c = static_cast<unsigned char>(text_[pos_]);
    std::size_t length = 1;
    if (c >= 0x80) {
      const std::optional<DecodedChar> decoded = DecodeUtf8(text_, pos_);
      if (!decoded.has_value()) break;
      c = decoded->code_point;
      length = decoded->length;
    }
    if (pos_ == start ? !IsXmlNameStartChar(c) : !IsXmlNameChar(c)) break;
    pos_ += length;
  }
  if (pos_ == start) return AtEnd() ? Incomplete() : Malformed("name expected");
  // libxml2 reads the character after a name as a character: a NUL byte or bad UTF-8 there is
  // an error even when the name is fine.
  if (!AtEnd() && (text_[pos_] == '\0' || (static_cast<unsigned char>(text_[pos_]) >= 0x80 &&
                                            !DecodeUtf8(text_, pos_).has_value()))) {
    return Malformed("invalid character after a name");
  }
  name = text_.substr(start, pos_ - start);
  return absl::OkStatus();
}

absl::Status XmlReader::Run() {
  absl::Status status = Prolog();
  if (status.ok()) status = Element();
  if (status.ok()) status = Epilog();
  if (absl::IsOutOfRange(status)) {
    // Text read before the end is in the tree, as libxml2 delivers it when the input ends.
    Flush();
    status = extent_ == BodyExtent::kTruncated
                 ? absl::OkStatus()
                 : absl::InvalidArgumentError("XML: premature end of data at byte " +
                                              std::to_string(pos_));
  }
  if (values_.has_root) values_.root_text = arena_.Copy(root_text_);
  return status;
}

absl::Status XmlReader::Prolog() {
  if (LooksAt("\xEF\xBB\xBF")) pos_ += 3;
  if (LooksAt("<?xml") && pos_ + 5 < text_.size() && IsXmlSpace(text_[pos_ + 5])) {
    if (absl::Status status = XmlDeclaration(); !status.ok()) return status;
  }
  bool seen_doctype = false;
  while (true) {
    SkipSpace();
    if (AtEnd()) return text_.empty() ? Malformed("document is empty") : Incomplete();
    if (LooksAt("<!--")) {
      if (absl::Status status = Comment(); !status.ok()) return status;
    } else if (LooksAt("<?")) {
      if (absl::Status status = ProcessingInstruction(); !status.ok()) return status;
    } else if (LooksAt("<!DOCTYPE")) {
      if (seen_doctype) return Malformed("a second DOCTYPE");
      seen_doctype = true;
      if (absl::Status status = Doctype(); !status.ok()) return status;
    } else if (text_[pos_] == '<' && !LooksAt("<!")) {
      return absl::OkStatus();
    } else if (CutInside("<!--") || CutInside("<!DOCTYPE")) {
      return Incomplete();
    } else {
      return Malformed("start tag expected, '<' not found");
    }
  }
}

absl::Status XmlReader::XmlDeclaration() {
  pos_ += 5;
  // version="1.x" [encoding="..."] [standalone="yes|no"], each after white space.
  std::string_view encoding;
  bool seen_version = false;
  while (true) {
    const bool spaced = SkipSpace();
    if (AtEnd()) return Incomplete();
    if (LooksAt("?>")) {
      pos_ += 2;
      break;
    }
    if (!spaced) return Malformed("blank needed in the XML declaration");
    std::string_view name;
    if (absl::Status status = ReadName(name); !status.ok()) return status;
    SkipSpace();
    if (AtEnd()) return Incomplete();
    if (text_[pos_] != '=') return Malformed("'=' expected in the XML declaration");
    ++pos_;
    SkipSpace();
    if (AtEnd()) return Incomplete();
    const char quote = text_[pos_];
    if (quote != '"' && quote != '\'') return Malformed("quote expected in the XML declaration");
    const std::size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) return Incomplete();
    const std::string_view value = text_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    if (name == "version" && !seen_version) {
      // VersionNum as libxml2 reads it: digits '.' digits*, and it knows only 1.x.
      const std::size_t dot = value.find('.');
      const bool number = dot != std::string_view::npos && dot > 0 &&
                          value.find_first_not_of("0123456789") == dot &&
                          value.find_first_not_of("0123456789", dot + 1) == std::string_view::npos;
      if (!number) return Malformed("malformed version");
      if (value.substr(0, 2) != "1.") return Malformed("unsupported version");
      seen_version = true;
    } else if (name == "encoding" && seen_version && encoding.empty()) {
      encoding = value;
    } else if (name == "standalone" && seen_version) {
      if (value != "yes" && value != "no") return Malformed("standalone accepts only 'yes' or 'no'");
    } else {
      return Malformed("malformed XML declaration");
    }
  }
  if (!seen_version) return Malformed("version missing in the XML declaration");
  if (encoding.empty()) return absl::OkStatus();
  const XmlEncoding known = XmlEncodingByName(encoding);
  if (known == XmlEncoding::kUnsupported) return Malformed("unsupported encoding");
  if (known != XmlEncoding::kUtf8) {
    // The rest of the document, converted; views now point into the arena.
    std::string converted;
    ConvertToUtf8(text_.substr(pos_), known, converted);
    text_ = arena_.Copy(converted);
    pos_ = 0;
  }
  return absl::OkStatus();
}

absl::Status XmlReader::Doctype() {
  pos_ += 9;
  SkipSpace();  // libxml2 does not insist on it
  std::string_view name;
  if (absl::Status status = ReadName(name); !status.ok()) return status;
  SkipSpace();
  if (LooksAt("SYSTEM") || LooksAt("PUBLIC")) {
    const int literals = LooksAt("SYSTEM") ? 1 : 2;
    pos_ += 6;
    for (int i = 0; i < literals; ++i) {
      if (!SkipSpace()) return AtEnd() ? Incomplete() : Malformed("space required before a literal");
      const char quote = text_[pos_];
      if (quote != '"' && quote != '\'') return Malformed("quoted identifier expected");
      ++pos_;
      while (true) {
        if (AtEnd()) return Incomplete();
        if (text_[pos_] == quote) break;
        scratch_.clear();
        if (absl::Status status = TextChar(scratch_); !status.ok()) return status;
      }
      ++pos_;
    }
    has_external_subset_ = true;
    SkipSpace();
  }
  if (AtEnd()) return Incomplete();
  if (text_[pos_] == '[') {
    // The internal subset: declarations are skipped, entity names noted.
    ++pos_;
    while (true) {
      SkipSpace();
      if (AtEnd()) return Incomplete();
      if (text_[pos_] == ']') {
        ++pos_;
        break;
      }
      if (LooksAt("<!--")) {
        if (absl::Status status = Comment(); !status.ok()) return status;
      } else if (LooksAt("<?")) {
        if (absl::Status status = ProcessingInstruction(); !status.ok()) return status;
      } else if (LooksAt("<!ENTITY")) {
        const std::size_t declaration = pos_;
        pos_ += 8;
        SkipSpace();
        if (!AtEnd() && text_[pos_] != '%') {
          std::string_view entity;
          if (absl::Status status = ReadName(entity); !status.ok()) return status;
          declared_entities_.push_back(entity);
        } else {
          has_external_subset_ = true;  // parameter entities: declarations may be anywhere
        }
        pos_ = declaration;
        if (absl::Status status = SkipDeclaration(); !status.ok()) return status;
      } else if (LooksAt("<!")) {
        if (absl::Status status = SkipDeclaration(); !status.ok()) return status;
      } else if (text_[pos_] == '%') {
        has_external_subset_ = true;  // a parameter-entity reference
        std::string_view entity;
        ++pos_;
        if (absl::Status status = ReadName(entity); !status.ok()) return status;
        if (AtEnd()) return Incomplete();
        if (text_[pos_] != ';') return Malformed("';' expected");
        ++pos_;
      } else {
        return Malformed("malformed internal subset");
      }
    }
    SkipSpace();
  }
  if (AtEnd()) return Incomplete();
  if (text_[pos_] != '>') return Malformed("DOCTYPE improperly terminated");
  ++pos_;
  return absl::OkStatus();
}

absl::Status XmlReader::SkipDeclaration() {
  // "<!" ... '>' where quoted literals may hold '>'.
  pos_ += 2;
  while (!AtEnd()) {
    const char c = text_[pos_];
    if (c == '"' || c == '\'') {
      const std::size_t close = text_.find(c, pos_ + 1);
      if (close == std::string_view::npos) return Incomplete();
      pos_ = close + 1;
    } else if (c == '>') {
      ++pos_;
      return absl::OkStatus();
    } else {
      ++pos_;
    }
  }
  return Incomplete();
}

absl::Status XmlReader::Comment() {
  pos_ += 4;
  while (true) {
    if (AtEnd()) return Incomplete();
    if (LooksAt("--")) {
      if (pos_ + 2 >= text_.size()) return Incomplete();
      if (text_[pos_ + 2] != '>') return Malformed("double hyphen within comment");
      pos_ += 3;
      return absl::OkStatus();
    }
    scratch_.clear();
    if (absl::Status status = TextChar(scratch_); !status.ok()) return status;
  }
}

absl::Status XmlReader::ProcessingInstruction() {
  pos_ += 2;
  std::string_view target;
  if (absl::Status status = ReadName(target); !status.ok()) return status;
  if (EqualsIgnoreAsciiCase(target, "xml")) {
    return Malformed("XML declaration allowed only at the start of the document");
  }
  if (LooksAt("?>")) {
    pos_ += 2;
    return absl::OkStatus();
  }
  if (!SkipSpace()) return AtEnd() ? Incomplete() : Malformed("space expected after PI target");
  while (true) {
    if (AtEnd()) return Incomplete();
    if (LooksAt("?>")) {
      pos_ += 2;
      return absl::OkStatus();
    }
    scratch_.clear();
    if (absl::Status status = TextChar(scratch_); !status.ok()) return status;
  }
}

absl::Status XmlReader::Element() {
  bool empty = false;
  if (absl::Status status = StartTag(empty); !status.ok()) return status;
  if (empty) return absl::OkStatus();
  while (!open_elements_.empty()) {
    if (AtEnd()) return Incomplete();
    const char c = text_[pos_];
    absl::Status status;
    if (c == '<') {
      Flush();
      if (LooksAt("</")) {
        status = EndTag();
      } else if (LooksAt("<!--")) {
        status = Comment();
      } else if (LooksAt("<![CDATA[")) {
        status = CData();
      } else if (LooksAt("<?")) {
        status = ProcessingInstruction();
      } else if (LooksAt("<!")) {
        status = CutInside("<!--") || CutInside("<![CDATA[") ? Incomplete()
                                                              : Malformed("unexpected '<!'");
      } else {
        status = StartTag(empty);
      }
    } else if (c == '&') {
      Flush();
      status = Reference(pending_);
      if (status.ok()) Flush();
    } else {
      status = CharData();
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status XmlReader::CharData() {
  // libxml2 reads a run of text first on a fast path (printable ASCII, tabs, line ends) and
  // hands it to the tree when it meets anything else, then goes on character by character and
  // hands that over at the next markup. An error raised while reading a character drops what the
  // slow path holds; one found after reading (a control character) does not.
  const std::size_t run_start = pos_;
  bool fast = true;
  // The fast path hands over the text before a CRLF and reads on from its LF, which a slow
  // character right after carries into the slow path.
  bool after_crlf = false;
  while (!AtEnd()) {
    const char c = text_[pos_];
    if (c == '<' || c == '&') return absl::OkStatus();
    if (c == ']' && LooksAt("]]>")) {
      pending_.clear();
      return Malformed("sequence ']]>' not allowed in content");
    }
    const auto byte = static_cast<unsigned char>(c);
    // A CR is read on the fast path only as the CR of a CRLF, and not right after another one.
    const bool fast_char = c == '\t' || c == '\n' || (byte >= 0x20 && byte <= 0x7F) ||
                           (c == '\r' && !after_crlf && pos_ + 1 < text_.size() &&
                            text_[pos_ + 1] == '\n');
    if (fast && !fast_char) {
      if (!after_crlf) Flush();
      fast = false;
    }
    if (fast && c == '\r') Flush();
    after_crlf = fast && c == '\r';
    bool while_reading = false;
    if (absl::Status status = TextChar(pending_, &while_reading); !status.ok()) {
      if (absl::IsOutOfRange(status)) return status;
      if (while_reading) {
        pending_.clear();
      } else {
        Flush();
      }
      return status;
    }
  }
  // libxml2 leaves a last run shorter than two bytes unread when the input ends.
  if (extent_ == BodyExtent::kWhole && text_.size() - run_start < 2) pending_.clear();
  return Incomplete();
}

absl::Status XmlReader::CData() {
  pos_ += 9;
  while (true) {
    if (AtEnd()) {
      // libxml2 hands over a CDATA section only whole.
      if (extent_ == BodyExtent::kWhole) pending_.clear();
      return Incomplete();
    }
    if (LooksAt("]]>")) {
      pos_ += 3;
      Flush();
      return CountNode();
    }
    if (absl::Status status = TextChar(pending_); !status.ok()) {
      pending_.clear();
      return status;
    }
  }
}

absl::Status XmlReader::Reference(std::string& out) {
  ++pos_;  // '&'
  if (AtEnd()) return Incomplete();
  if (text_[pos_] == '#') {
    ++pos_;
    const bool hex = !AtEnd() && text_[pos_] == 'x';
    if (hex) ++pos_;
    uint32_t value = 0;
    std::size_t digits = 0;
    while (!AtEnd() && text_[pos_] != ';') {
      const char d = text_[pos_];
      int digit = -1;
      if (d >= '0' && d <= '9') {
        digit = d - '0';
      } else if (hex && d >= 'a' && d <= 'f') {
        digit = d - 'a' + 10;
      } else if (hex && d >= 'A' && d <= 'F') {
        digit = d - 'A' + 10;
      }
      if (digit < 0) return Malformed("invalid character reference");
      value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
      if (value > 0x10FFFF) value = 0x110000;  // stays invalid without overflowing
      ++pos_;
      ++digits;
    }
    if (AtEnd()) return Incomplete();
    ++pos_;  // ';'
    if (digits == 0 || !IsXmlChar(value)) return Malformed("invalid character reference");
    AppendUtf8(value, out);
    return absl::OkStatus();
  }
  std::string_view name;
  if (absl::Status status = ReadName(name); !status.ok()) return status;
  if (AtEnd()) return Incomplete();
  if (text_[pos_] != ';') return Malformed("entity reference: ';' expected");
  ++pos_;
  static constexpr std::pair<std::string_view, char> kPredefined[] = {
      {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"apos", '\''}, {"quot", '"'}};
  for (const auto& [entity, replacement] : kPredefined) {
    if (name == entity) {
      out.push_back(replacement);
      return absl::OkStatus();
    }
  }
  for (std::string_view declared : declared_entities_) {
    if (name == declared) return absl::OkStatus();  // declared by the DTD: not expanded here
  }
  if (has_external_subset_) return absl::OkStatus();  // may be declared outside: libxml2 warns
  return Malformed("entity '" + std::string(name) + "' not defined");
}

absl::Status XmlReader::AttributeValue(std::string_view& value) {
  if (AtEnd()) return Incomplete();
  const char quote = text_[pos_];
  if (quote != '"' && quote != '\'') return Malformed("attribute value: \" or ' expected");
  ++pos_;
  const std::size_t start = pos_;
  bool rewritten = false;
  attribute_text_.clear();
  while (true) {
    if (AtEnd()) return Incomplete();
    const char c = text_[pos_];
    if (c == quote) break;
    if (c == '<') return Malformed("'<' in attribute value");
    if (!rewritten && (c == '&' || c == '\t' || c == '\n' || c == '\r')) {
      attribute_text_.assign(text_.substr(start, pos_ - start));
      rewritten = true;
    }
    if (c == '&') {
      if (absl::Status status = Reference(attribute_text_); !status.ok()) return status;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      // Attribute-value normalisation: each white-space character (a line end counting once)
      // becomes a space.
      ++pos_;
      if (c == '\r' && !AtEnd() && text_[pos_] == '\n') ++pos_;
      attribute_text_.push_back(' ');
      continue;
    }
    std::string& out = rewritten ? attribute_text_ : scratch_;
    const std::size_t before = out.size();
    if (absl::Status status = TextChar(out); !status.ok()) return status;
    if (!rewritten) out.resize(before);
  }
  value = rewritten ? arena_.Copy(attribute_text_) : text_.substr(start, pos_ - start);
  ++pos_;  // the closing quote
  return absl::OkStatus();
}

absl::Status XmlReader::StartTag(bool& empty) {
  ++pos_;  // '<'
  std::string_view name;
  if (absl::Status status = ReadName(name); !status.ok()) return status;
  attributes_.clear();
  bool first = true;
  while (true) {
    const bool spaced = SkipSpace();
    // libxml2 builds the element when the input ends, or a control character comes, where
    // another attribute could start; then it finds no '>'.
    const bool stops = AtEnd() || (static_cast<unsigned char>(text_[pos_]) < 0x20);
    if (stops) {
      if (first || spaced) {
        empty = true;
        if (absl::Status status = OpenElement(name, empty); !status.ok()) return status;
      }
      return AtEnd() ? Incomplete() : Malformed("couldn't find end of start tag");
    }
    first = false;
    if (text_[pos_] == '>') {
      ++pos_;
      empty = false;
      break;
    }
    if (LooksAt("/>")) {
      pos_ += 2;
      empty = true;
      break;
    }
    if (text_[pos_] == '/' && pos_ + 1 == text_.size()) return Incomplete();
    if (!spaced) return Malformed("attributes construct error");
    Attribute attribute;
    if (absl::Status status = ReadName(attribute.name); !status.ok()) return status;
    SkipSpace();
    if (AtEnd()) return Incomplete();
    if (text_[pos_] != '=') return Malformed("specification mandates value for attribute");
    ++pos_;
    SkipSpace();
    if (absl::Status status = AttributeValue(attribute.value); !status.ok()) return status;
    // libxml2 drops an empty prefixed namespace declaration with a namespace warning, before
    // it could clash with another.
    if (attribute.value.empty() && attribute.name.size() > 6 &&
        attribute.name.substr(0, 6) == "xmlns:") {
      continue;
    }
    for (const Attribute& earlier : attributes_) {
      if (earlier.name == attribute.name) return Malformed("attribute redefined");
    }
    attributes_.push_back(attribute);
  }
  return OpenElement(name, empty);
}

absl::Status XmlReader::OpenElement(std::string_view name, bool empty) {
  // The element exists from here on, with its attributes.
  if (static_cast<int>(open_elements_.size()) >= options_.depth_limit) {
    return Malformed("excessive depth in document");
  }
  if (absl::Status status = CountNode(); !status.ok()) return status;
  if (open_elements_.empty()) values_.has_root = true;
  for (const Attribute& attribute : attributes_) {
    // Namespace declarations are not attributes in libxml2's tree; a name that is not a
    // well-formed "xmlns:prefix" ("xmlns:", "xmlns::p") is.
    if (attribute.name == "xmlns" ||
        (attribute.name.size() > 6 && attribute.name.substr(0, 6) == "xmlns:" &&
         attribute.name.find(':', 6) == std::string_view::npos)) {
      continue;
    }
    if (absl::Status status = CountNode(); !status.ok()) return status;
    values_.attribute_values.push_back(attribute.value);
  }
  if (!empty) open_elements_.push_back(name);
  return absl::OkStatus();
}

absl::Status XmlReader::EndTag() {
  pos_ += 2;
  std::string_view name;
  if (absl::Status status = ReadName(name); !status.ok()) return status;
  SkipSpace();
  if (AtEnd()) return Incomplete();
  if (text_[pos_] != '>') return Malformed("end tag improperly terminated");
  if (name != open_elements_.back()) return Malformed("opening and ending tag mismatch");
  ++pos_;
  open_elements_.pop_back();
  return absl::OkStatus();
}

absl::Status XmlReader::Epilog() {
  while (true) {
    SkipSpace();
    if (AtEnd()) return absl::OkStatus();
    if (LooksAt("<!--")) {
      if (absl::Status status = Comment(); !status.ok()) return status;
    } else if (LooksAt("<?")) {
      if (absl::Status status = ProcessingInstruction(); !status.ok()) return status;
    } else if (CutInside("<!--")) {
      return Incomplete();
    } else {
      return Malformed("extra content at the end of the document");
    }
  }
}

}  // namespace

absl::Status ParseXml(std::string_view input, BodyExtent extent, const XmlOptions& options,
                      TextArena& arena, XmlValues& values) {
  values.has_root = false;
  values.root_text = std::string_view();
  values.attribute_values.clear();
  XmlReader reader(input, extent, options, arena, values);
  return reader.Run();
}

}  // namespace gatehouse::body
