#include "crs_conformance/benign/browser.h"

#include <string_view>

#include "crs_conformance/benign/encoding.h"

namespace gatehouse::crs_conformance::benign {
namespace {

using std::string_view;

struct UserAgent {
  string_view text;
  bool chromium;
};

constexpr UserAgent kUserAgents[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36",
     true},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/119.0.0.0 Safari/537.36",
     true},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
     true},
    {"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", false},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0", false},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.2 Safari/605.1.15",
     false},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
     false},
    {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.6099.144 Mobile Safari/537.36",
     true},
    {"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
     true},
    {"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
     false},
};

constexpr string_view kLanguages[] = {"en-GB,en;q=0.9",
                                      "en-US,en;q=0.9",
                                      "en-IE,en-GB;q=0.9,en;q=0.8",
                                      "de-DE,de;q=0.9,en;q=0.8",
                                      "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
                                      "es-ES,es;q=0.9",
                                      "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
                                      "ga-IE,en;q=0.8"};

constexpr string_view kPageAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;"
    "q=0.8,application/signed-exchange;v=b3;q=0.7";

}  // namespace

Browser::Browser(Dice& dice, std::string host) : dice_(dice), host_(std::move(host)) {
  const UserAgent& agent = dice_.Pick(kUserAgents);
  user_agent_ = agent.text;
  chromium_ = agent.chromium;
  language_ = dice_.Pick(kLanguages);
}

void Browser::AddClientHints(HeaderFields& headers) {
  if (!chromium_) return;
  headers.emplace_back(
      "sec-ch-ua", "\"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\"");
  headers.emplace_back("sec-ch-ua-mobile", dice_.Chance(30) ? "?1" : "?0");
  headers.emplace_back("sec-ch-ua-platform", dice_.Chance(50) ? "\"Windows\"" : "\"macOS\"");
}

HeaderFields Browser::PageHeaders(const std::string& referer) {
  HeaderFields headers = {{"Host", host_}};
  AddClientHints(headers);
  headers.emplace_back("Upgrade-Insecure-Requests", "1");
  headers.emplace_back("User-Agent", user_agent_);
  headers.emplace_back("Accept", std::string(kPageAccept));
  headers.emplace_back("Sec-Fetch-Site", referer.empty() ? "none" : "same-origin");
  headers.emplace_back("Sec-Fetch-Mode", "navigate");
  headers.emplace_back("Sec-Fetch-User", "?1");
  headers.emplace_back("Sec-Fetch-Dest", "document");
  if (!referer.empty()) headers.emplace_back("Referer", referer);
  headers.emplace_back("Accept-Encoding", "gzip, deflate, br");
  headers.emplace_back("Accept-Language", language_);
  if (dice_.Chance(85)) headers.emplace_back("Cookie", Cookies());
  if (dice_.Chance(20)) {
    headers.emplace_back("If-None-Match", "W/\"" + dice_.Hex(8) + "-" + dice_.Hex(16) + "\"");
  }
  if (dice_.Chance(10)) headers.emplace_back("Cache-Control", "max-age=0");
  return headers;
}

HeaderFields Browser::AssetHeaders(const std::string& accept, const std::string& page) {
  HeaderFields headers = {{"Host", host_}};
  AddClientHints(headers);
  headers.emplace_back("User-Agent", user_agent_);
  headers.emplace_back("Accept", accept);
  headers.emplace_back("Sec-Fetch-Site", "same-origin");
  headers.emplace_back("Sec-Fetch-Mode", "no-cors");
  headers.emplace_back("Referer", page);
  headers.emplace_back("Accept-Encoding", "gzip, deflate, br");
  headers.emplace_back("Accept-Language", language_);
  if (dice_.Chance(60)) headers.emplace_back("Cookie", Cookies());
  if (dice_.Chance(30)) {
    headers.emplace_back("If-Modified-Since", "Tue, 14 Nov 2023 09:1" + dice_.Digits(1) + ":0" +
                                                  dice_.Digits(1) + " GMT");
  }
  return headers;
}

HeaderFields Browser::ApiHeaders(bool with_cookies) {
  HeaderFields headers = {{"Host", host_}};
  AddClientHints(headers);
  headers.emplace_back("User-Agent", user_agent_);
  headers.emplace_back("Accept", dice_.Chance(70) ? "application/json, text/plain, */*" : "*/*");
  headers.emplace_back("Origin", "https://" + host_);
  headers.emplace_back("Referer", "https://" + host_ + "/account/orders");
  headers.emplace_back("Sec-Fetch-Site", "same-origin");
  headers.emplace_back("Sec-Fetch-Mode", "cors");
  headers.emplace_back("Accept-Encoding", "gzip, deflate, br");
  headers.emplace_back("Accept-Language", language_);
  if (dice_.Chance(50)) headers.emplace_back("X-Requested-With", "XMLHttpRequest");
  if (dice_.Chance(40)) headers.emplace_back("X-CSRF-Token", Base64Url(dice_.Bytes(32)));
  if (with_cookies) headers.emplace_back("Cookie", Cookies());
  return headers;
}

std::string Browser::AnalyticsCookies() {
  const std::string client = dice_.Digits(10) + "." + dice_.Digits(10);
  std::string out =
      "_ga=GA1.2." + client + "; _gid=GA1.2." + dice_.Digits(9) + "." + dice_.Digits(10);
  if (dice_.Chance(50)) {
    out += "; _ga_" + dice_.Characters(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "=GS1.1.17" +
           dice_.Digits(8) + ".4.1.17" + dice_.Digits(8) + ".0.0.0";
  }
  if (dice_.Chance(40)) out += "; _fbp=fb.1.17" + dice_.Digits(11) + "." + dice_.Digits(10);
  if (dice_.Chance(30)) out += "; _gcl_au=1.1." + dice_.Digits(10) + ".17" + dice_.Digits(8);
  if (dice_.Chance(25)) {
    out += "; __utma=" + dice_.Digits(9) + "." + dice_.Digits(10) + ".17" + dice_.Digits(8) +
           ".17" + dice_.Digits(8) + ".17" + dice_.Digits(8) + ".3; __utmz=" + dice_.Digits(9) +
           ".17" + dice_.Digits(8) +
           ".1.1.utmcsr=google|utmccn=(organic)|utmcmd=organic|utmctr=(not%20provided)";
  }
  if (dice_.Chance(20))
    out += "; _hjSessionUser_" + dice_.Digits(7) + "=" +
           Base64Url("{\"id\":\"" + dice_.Hex(16) + "\",\"created\":17" + dice_.Digits(11) +
                     ",\"existing\":true}");
  return out;
}

std::string Browser::ConsentCookie() {
  switch (dice_.Below(3)) {
    case 0:
      return "OptanonConsent=isGpcEnabled=0&datestamp=Mon+Dec+04+2023+10%3A" + dice_.Digits(2) +
             "%3A12+GMT%2B0000+(Greenwich+Mean+Time)&version=202310.1.0&browserGpcFlag=0&isIAB"
             "Global=false&hosts=&consentId=" +
             dice_.Hex(8) + "-" + dice_.Hex(4) + "-" + dice_.Hex(4) +
             "&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2C"
             "C0003%3A1%2CC0004%3A0&AwaitingReconsent=false; OptanonAlertBoxClosed=2023-12-04T10:" +
             dice_.Digits(2) + ":12.345Z";
    case 1:
      return "CookieConsent={stamp:%27" + Base64Url(dice_.Bytes(36)) +
             "%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:true%2Cmarketing:false%2C"
             "method:%27explicit%27%2Cver:1%2Cutc:17" +
             dice_.Digits(11) + "%2Cregion:%27ie%27}";
    default:
      return "cookie_consent=accepted; cookie_prefs=" +
             FormEncode("{\"analytics\":true,\"ads\":false}");
  }
}

std::string Browser::Cookies() {
  std::string out;
  const auto add = [&out](const std::string& cookie) {
    if (!out.empty()) out += "; ";
    out += cookie;
  };
  if (dice_.Chance(70)) add(AnalyticsCookies());
  if (dice_.Chance(60)) add(ConsentCookie());
  switch (dice_.Below(4)) {
    case 0:
      add("PHPSESSID=" + dice_.Characters(26, "abcdefghijklmnopqrstuv0123456789"));
      break;
    case 1:
      add("sessionid=" + dice_.Characters(32, "abcdefghijklmnopqrstuvwxyz0123456789"));
      break;
    case 2:
      add("connect.sid=s%3A" + dice_.Alphanumeric(32) + "." + Base64Url(dice_.Bytes(32)));
      break;
    default:
      add("__Host-session=" + Base64Url(dice_.Bytes(48)));
  }
  if (dice_.Chance(30)) add("csrftoken=" + dice_.Alphanumeric(32));
  if (dice_.Chance(30)) add("theme=" + std::string(dice_.Chance(50) ? "dark" : "light"));
  if (dice_.Chance(20)) add("currency=EUR; lang=en-IE");
  if (dice_.Chance(20)) {
    add("cart=" + FormEncode("[{\"sku\":\"SKU-" + dice_.Digits(5) +
                             "\",\"qty\":" + std::to_string(dice_.Between(1, 4)) + "}]"));
  }
  if (dice_.Chance(15))
    add("recently_viewed=" + dice_.Digits(5) + "%2C" + dice_.Digits(5) + "%2C" + dice_.Digits(5));
  if (dice_.Chance(10)) add("remember_me=1; last_visit=17" + dice_.Digits(8));
  return out;
}

HeaderFields ApiClientHeaders(Dice& dice, const std::string& host) {
  static constexpr string_view kClients[] = {
      "ShopApp/4.12.1 (iPhone; iOS 17.2; Scale/3.00)",
      "okhttp/4.11.0",
      "ShopApp/4.12.0 (Android 14; Pixel 8)",
      "axios/1.6.2",
      "python-requests/2.31.0",
      "Go-http-client/2.0",
      "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"};
  HeaderFields headers = {{"Host", host}, {"User-Agent", std::string(dice.Pick(kClients))}};
  headers.emplace_back("Accept", "application/json");
  headers.emplace_back("Authorization", "Bearer " + BearerToken(dice));
  if (dice.Chance(40)) headers.emplace_back("X-Request-ID", dice.Hex(32));
  if (dice.Chance(30)) headers.emplace_back("Accept-Encoding", "gzip");
  return headers;
}

std::string BearerToken(Dice& dice) {
  const std::string header =
      Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + dice.Hex(8) + "\"}");
  const std::string payload = Base64Url("{\"sub\":\"" + dice.Digits(8) +
                                        "\",\"iss\":\"https://auth.example.com/\",\"aud\":"
                                        "\"shop-api\",\"iat\":17" +
                                        dice.Digits(8) + ",\"exp\":17" + dice.Digits(8) +
                                        ",\"scope\":\"orders:read orders:write profile\"}");
  return header + "." + payload + "." + Base64Url(dice.Bytes(64));
}

}  // namespace gatehouse::crs_conformance::benign
