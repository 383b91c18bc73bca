#include "detect/xss.h"

#include <cstddef>

#include "detect/html_tokenizer.h"

namespace gatehouse::detect {
namespace {

char Lower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); }

bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != lower[i]) return false;
  }
  return true;
}

bool ContainsLower(std::string_view text, std::string_view lower) {
  if (lower.size() > text.size()) return false;
  for (std::size_t i = 0; i + lower.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < lower.size() && Lower(text[i + j]) == lower[j]) ++j;
    if (j == lower.size()) return true;
  }
  return false;
}

// Tags that run script, load a document or change how the page's URLs and styles resolve,
// whatever their attributes.
bool IsExecutableTag(std::string_view name) {
  static constexpr std::string_view kTags[] = {
      "applet", "base",   "embed",  "frame",    "frameset", "iframe", "import", "isindex",
      "layer",  "link",   "meta",   "object",   "script",   "style",  "xml",    "vmlframe",
      "xss",    "ilayer", "bgsound", "template",
  };
  for (std::string_view tag : kTags) {
    if (EqualsLower(name, tag)) return true;
  }
  // XML-namespaced script, as in <x:script>.
  std::size_t colon = name.rfind(':');
  return colon != std::string_view::npos && EqualsLower(name.substr(colon + 1), "script");
}

// on + a word: an event handler. Browsers keep adding events, so the shape decides, not a list.
bool IsEventHandler(std::string_view name) {
  if (name.size() < 5 || Lower(name[0]) != 'o' || Lower(name[1]) != 'n') return false;
  for (std::size_t i = 2; i < name.size(); ++i) {
    char c = Lower(name[i]);
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Attributes whose value a browser loads or navigates to.
bool IsUrlAttribute(std::string_view name) {
  static constexpr std::string_view kAttributes[] = {
      "action", "background", "codebase", "data",   "dynsrc",     "formaction", "href",
      "lowsrc", "poster",     "src",      "srcset", "xlink:href", "to",         "from",
      "values", "by",         "folder",   "ping",   "manifest",   "icon",       "content",
  };
  for (std::string_view attribute : kAttributes) {
    if (EqualsLower(name, attribute)) return true;
  }
  return false;
}

// Reads a URL the way a browser does before it looks at the scheme: leading space and control
// bytes dropped, tabs and newlines inside removed, character references decoded.
class UrlReader {
 public:
  explicit UrlReader(std::string_view text) : text_(text) {
    while (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) <= ' ') ++pos_;
  }

  // The next character of the URL, lowercased, or 0 at the end.
  char Next() {
    while (pos_ < text_.size()) {
      unsigned char c = text_[pos_];
      if (c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
        continue;
      }
      if (c == '&') {
        char decoded = 0;
        if (DecodeReference(&decoded)) {
          if (decoded == '\t' || decoded == '\n' || decoded == '\r') continue;
          return Lower(static_cast<unsigned char>(decoded));
        }
      }
      ++pos_;
      return Lower(c);
    }
    return 0;
  }

  bool StartsWith(std::string_view lower) {
    for (char expected : lower) {
      if (Next() != expected) return false;
    }
    return true;
  }

 private:
  // &#106; &#x6A; (the ';' optional, as browsers allow), &colon; &tab; &newline;
  bool DecodeReference(char* out) {
    std::size_t p = pos_ + 1;
    if (p < text_.size() && text_[p] == '#') {
      ++p;
      bool hex = p < text_.size() && (text_[p] == 'x' || text_[p] == 'X');
      if (hex) ++p;
      unsigned long value = 0;
      std::size_t digits = 0;
      while (p < text_.size() && digits < 8) {
        char c = Lower(text_[p]);
        int digit = c >= '0' && c <= '9'                  ? c - '0'
                    : hex && c >= 'a' && c <= 'f'         ? c - 'a' + 10
                                                          : -1;
        if (digit < 0) break;
        value = value * (hex ? 16 : 10) + static_cast<unsigned long>(digit);
        ++p;
        ++digits;
      }
      // Leading zeros may be many (&#0000106;): keep reading them.
      while (p < text_.size() && digits >= 8 && text_[p] >= '0' && text_[p] <= '9') ++p;
      if (digits == 0 || value > 0x7F) return false;
      if (p < text_.size() && text_[p] == ';') ++p;
      pos_ = p;
      *out = static_cast<char>(value);
      return true;
    }
    static constexpr struct {
      std::string_view name;
      char value;
    } kNamed[] = {{"colon;", ':'}, {"tab;", '\t'}, {"newline;", '\n'}, {"lpar;", '('},
                  {"rpar;", ')'}};
    for (const auto& named : kNamed) {
      if (p + named.name.size() <= text_.size() &&
          EqualsLower(text_.substr(p, named.name.size()), named.name)) {
        pos_ = p + named.name.size();
        *out = named.value;
        return true;
      }
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool IsScriptUrl(std::string_view value) {
  static constexpr std::string_view kSchemes[] = {
      "javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg",
      "data:application/x", "data:text/xml",
  };
  // Most values are done at their first character, which begins no scheme.
  const char first = UrlReader(value).Next();
  for (std::string_view scheme : kSchemes) {
    if (scheme.front() != first) continue;
    UrlReader reader(value);
    if (reader.StartsWith(scheme)) return true;
  }
  return false;
}

// CSS that runs script (old IE's expression() and behaviors, Firefox's -moz-binding) or loads it.
bool IsScriptStyle(std::string_view value) {
  return ContainsLower(value, "expression(") || ContainsLower(value, "javascript:") ||
         ContainsLower(value, "behavior:") || ContainsLower(value, "-moz-binding") ||
         ContainsLower(value, "@import");
}

bool DetectInContext(std::string_view input, HtmlContext context) {
  HtmlTokenizer tokenizer(input, context);
  HtmlToken token;
  // The attribute the next value belongs to; the context's own attribute is unknown, so it is
  // read as one that takes a URL.
  std::string_view attribute = "href";
  while (tokenizer.Next(&token)) {
    switch (token.type) {
      case HtmlTokenType::kTagOpen:
        if (IsExecutableTag(token.text)) return true;
        break;
      case HtmlTokenType::kTagClose:
        break;
      case HtmlTokenType::kAttrName:
        attribute = token.text;
        break;
      case HtmlTokenType::kAttrValue:
        if (IsEventHandler(attribute)) return true;
        if (IsUrlAttribute(attribute) && IsScriptUrl(token.text)) return true;
        if (EqualsLower(attribute, "style") && IsScriptStyle(token.text)) return true;
        if (EqualsLower(attribute, "srcdoc") && token.text.find('<') != std::string_view::npos) {
          return true;
        }
        attribute = std::string_view();
        break;
      case HtmlTokenType::kTagEnd:
        attribute = std::string_view();
        break;
      case HtmlTokenType::kComment:
        // Old IE's conditional comments and XML processing instructions run markup.
        if (ContainsLower(token.text, "[if") || ContainsLower(token.text, "import") ||
            ContainsLower(token.text, "entity")) {
          return true;
        }
        break;
      case HtmlTokenType::kText:
        break;
    }
  }
  return false;
}

}  // namespace

bool DetectXss(std::string_view input) {
  if (input.empty()) return false;
  // The whole input as a quoted URL attribute's value (quotes it has are read below).
  if (IsScriptUrl(input)) return true;
  // Every other reading needs a tag ('<') or an attribute value ('='): most benign input has
  // neither and is done here.
  const bool has_tag = input.find('<') != std::string_view::npos;
  if (!has_tag && input.find('=') == std::string_view::npos) return false;
  if (has_tag && DetectInContext(input, HtmlContext::kText)) return true;
  if (DetectInContext(input, HtmlContext::kInTag)) return true;
  if (DetectInContext(input, HtmlContext::kUnquotedValue)) return true;
  if (input.find('\'') != std::string_view::npos &&
      DetectInContext(input, HtmlContext::kSingleQuotedValue)) {
    return true;
  }
  if (input.find('"') != std::string_view::npos &&
      DetectInContext(input, HtmlContext::kDoubleQuotedValue)) {
    return true;
  }
  return false;
}

}  // namespace gatehouse::detect
