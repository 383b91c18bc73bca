#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::crs_conformance::benign {

// application/x-www-form-urlencoded as browsers write it: space as '+', the unreserved bytes
// kept, every other byte as %XX.
std::string FormEncode(std::string_view text);

// A query or form body from name/value pairs, each encoded.
std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields);

// Unpadded base64url, as in JSON Web Tokens and opaque pagination cursors.
std::string Base64Url(std::string_view bytes);

}  // namespace gatehouse::crs_conformance::benign
