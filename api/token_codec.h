#pragma once

#include <string>
#include <string_view>

namespace gatehouse::api {

// A fresh bearer token: "gh_<id>_<secret>". The id (8 random bytes, hex) is public and names the
// token in listings and version authorship; the secret is 32 random bytes from the OS CSPRNG.
struct NewToken {
  std::string token;
  std::string id;
  std::string hash;  // HashToken(token): all that is stored
};

NewToken GenerateToken();

// Lower-case hex SHA-256 of a bearer token.
std::string HashToken(std::string_view token);

// The token of an "authorization" header value: "Bearer <token>" (scheme case-insensitive).
// Empty when the value is not a bearer token.
std::string BearerToken(std::string_view header);

}  // namespace gatehouse::api
