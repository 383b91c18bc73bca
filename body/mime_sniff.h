#ifndef GATEHOUSE_BODY_MIME_SNIFF_H_
#define GATEHOUSE_BODY_MIME_SNIFF_H_

#include <string_view>

namespace gatehouse::body {

// How many leading bytes SniffMimeType reads: enough for every signature it knows, and a bound
// on the work for any body.
inline constexpr std::size_t kMimeSniffBytes = 512;

// The MIME type the first bytes of a body show (http.request.body.mime), from the signatures of
// the common image, audio, video, application and text formats: "image/png", "application/pdf",
// "text/html", ... A body of text (UTF-8 without control bytes but whitespace) is "text/plain".
// Empty for an empty body or one whose bytes match nothing known. The Content-Type the client
// declared plays no part: the point is to see what the body really is.
std::string_view SniffMimeType(std::string_view body);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_MIME_SNIFF_H_
