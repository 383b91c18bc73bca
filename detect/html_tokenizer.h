#ifndef GATEHOUSE_DETECT_HTML_TOKENIZER_H_
#define GATEHOUSE_DETECT_HTML_TOKENIZER_H_

#include <cstddef>
#include <string_view>

namespace gatehouse::detect {

// Where in a page an input is read as having landed. A value pasted into a page lands in text, in
// a tag between attributes, or in an attribute value: unquoted, in '...' or in "...".
enum class HtmlContext {
  kText,
  kInTag,
  kUnquotedValue,
  kSingleQuotedValue,
  kDoubleQuotedValue,
};

enum class HtmlTokenType {
  kTagOpen,    // <name
  kTagClose,   // </name
  kAttrName,   // name, inside a tag
  kAttrValue,  // the value of the attribute named just before (or of the context's attribute)
  kTagEnd,     // > or />
  kComment,    // <!-- ... -->, <! ... >, <? ... >: text is what is inside
  kText,
};

struct HtmlToken {
  HtmlTokenType type = HtmlTokenType::kText;
  std::string_view text;
};

// An HTML5-style tokenizer (the states a browser's tokenizer moves through for tags, attributes
// and comments), reading from a chosen context, without allocating. It never fails: any byte
// sequence is some page.
class HtmlTokenizer {
 public:
  HtmlTokenizer(std::string_view input, HtmlContext context);

  bool Next(HtmlToken* token);

 private:
  enum class State { kText, kInTag, kAfterName, kValue };

  bool ReadText(HtmlToken* token);
  bool ReadInTag(HtmlToken* token);
  void ReadValue(HtmlToken* token, char quote);
  void SkipSpace();
  std::size_t FindAny(std::string_view chars) const;

  std::string_view input_;
  std::size_t pos_ = 0;
  State state_;
  char pending_quote_ = 0;  // the quote of the value the context starts in
  bool starts_in_value_;
};

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_HTML_TOKENIZER_H_
