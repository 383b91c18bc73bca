#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crs_conformance/benign/dice.h"

namespace gatehouse::crs_conformance::benign {

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// One visitor's browser for the length of a request: its User-Agent and client hints, the
// headers it sends for a page, an asset or a fetch() call, and the cookies the site and its
// analytics have set (session ids, Google Analytics, Facebook pixel, consent banners, carts:
// often long).
class Browser {
 public:
  Browser(Dice& dice, std::string host);

  const std::string& host() const { return host_; }
  const std::string& user_agent() const { return user_agent_; }
  // Headers of a top-level page load (navigation).
  HeaderFields PageHeaders(const std::string& referer);
  // Headers of an image, stylesheet or script load.
  HeaderFields AssetHeaders(const std::string& accept, const std::string& page);
  // Headers of a fetch()/XHR call to the site's API.
  HeaderFields ApiHeaders(bool with_cookies);
  // The Cookie header's value.
  std::string Cookies();

 private:
  void AddClientHints(HeaderFields& headers);
  std::string AnalyticsCookies();
  std::string ConsentCookie();

  Dice& dice_;
  std::string host_;
  std::string user_agent_;
  bool chromium_ = false;
  std::string language_;
};

// A mobile app or server-side client of a JSON API: its own User-Agent and a bearer token.
HeaderFields ApiClientHeaders(Dice& dice, const std::string& host);

// A JSON Web Token-shaped bearer token (header.payload.signature, base64url).
std::string BearerToken(Dice& dice);

}  // namespace gatehouse::crs_conformance::benign
