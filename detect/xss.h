#ifndef GATEHOUSE_DETECT_XSS_H_
#define GATEHOUSE_DETECT_XSS_H_

#include <string_view>

namespace gatehouse::detect {

// True when `input`, pasted into an HTML page, could start script: an executable tag, an event
// handler attribute, a javascript:/vbscript: URL, a style expression, read from each context a
// value may land in (text, inside a tag, an unquoted / single- / double-quoted attribute value).
// Thread-safe; allocates nothing.
bool DetectXss(std::string_view input);

}  // namespace gatehouse::detect

#endif  // GATEHOUSE_DETECT_XSS_H_
