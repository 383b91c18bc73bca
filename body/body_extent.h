#ifndef GATEHOUSE_BODY_BODY_EXTENT_H_
#define GATEHOUSE_BODY_BODY_EXTENT_H_

namespace gatehouse::body {

// Whether a parser sees the whole body or only the prefix the proxy inspects.
enum class BodyExtent {
  kWhole,      // the body as received
  kTruncated,  // a prefix, cut at the inspection limit: ending early is not a parse error
};

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_BODY_EXTENT_H_
