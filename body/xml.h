#ifndef GATEHOUSE_BODY_XML_H_
#define GATEHOUSE_BODY_XML_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "body/body_extent.h"
#include "body/text_arena.h"

namespace gatehouse::body {

struct XmlOptions {
  // Elements nested deeper are an error. libxml2 (2.9, without XML_PARSE_HUGE), which
  // libmodsecurity uses, refuses the 258th level.
  int depth_limit = 257;
  // Elements, attributes and text runs; beyond, an error: a bound on the work per body.
  std::size_t max_nodes = 100000;
};

// The values libmodsecurity 3.0.9's XML variable yields for the selectors CRS uses.
struct XmlValues {
  // XML:/* yields one value, the root element's string-value (every text and CDATA node under
  // it, in document order, without comments, processing instructions or attributes), once the
  // root's start tag was read, even if the document is broken later on.
  bool has_root = false;
  std::string_view root_text;
  // XML://@*: every attribute's value, normalised (tabs and line ends become spaces, references
  // resolved), in document order; namespace declarations are not attributes.
  std::vector<std::string_view> attribute_values;
};

// A small XML 1.0 reader of Gatehouse's own, for request bodies. It checks well-formedness as
// libxml2 does (tags, attributes, names, characters, references, comments, processing
// instructions, CDATA, one root, nothing but comments and PIs after it) and builds only what
// XmlValues needs, keeping what was read before the first error as libxml2's tree does. It loads
// nothing and expands no entity a DTD declares: a DOCTYPE is skipped (the names of the entities
// its internal subset declares are noted, so referring to them is not an error, but they add no
// text); only the five predefined entities and character references are resolved. Encodings:
// UTF-8 (a BOM is skipped), ISO-8859-1 and windows-1252 when the declaration names them.
//
// Returns InvalidArgument naming the first well-formedness error and its byte offset
// (libmodsecurity reports any of them as "XML: Failed parsing document."). With
// BodyExtent::kTruncated, input ending inside the document is not an error. `values` is filled
// either way; its views point into `input` or `arena`.
absl::Status ParseXml(std::string_view input, BodyExtent extent, const XmlOptions& options,
                      TextArena& arena, XmlValues& values);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_XML_H_
