#include "crs_conformance/benign/corpus.h"

#include <string_view>
#include <utility>

#include "common/json_string.h"
#include "crs_conformance/benign/browser.h"
#include "crs_conformance/benign/dice.h"
#include "crs_conformance/benign/encoding.h"
#include "crs_conformance/benign/text.h"

namespace gatehouse::crs_conformance::benign {
namespace {

using std::string_view;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr string_view kSiteHosts[] = {"shop.example.com", "www.example.ie", "news.example.org"};
constexpr string_view kApiHost = "api.example.com";

// One request of each kind per call; the kinds are drawn with the weights of an ordinary shop's
// traffic.
class Generator {
 public:
  explicit Generator(uint64_t seed) : dice_(seed), text_(dice_) {}

  BenignRequest Next();

 private:
  using Maker = ftw::Request (Generator::*)(Browser&);
  struct Kind {
    string_view name;
    int weight;
    Maker make;
  };

  ftw::Request Page(Browser& browser);
  ftw::Request Asset(Browser& browser);
  ftw::Request Search(Browser& browser);
  ftw::Request ApiGet(Browser& browser);
  ftw::Request ApiJson(Browser& browser);
  ftw::Request Form(Browser& browser);
  ftw::Request Upload(Browser& browser);
  ftw::Request Preflight(Browser& browser);
  ftw::Request ApiDelete(Browser& browser);

  std::string PagePath();
  std::string Campaign();
  std::string JsonBody(std::string* path);
  Fields FormFields(std::string* path);
  std::string FilePart(const std::string& boundary, std::string* name);
  // Either the browser's API headers or a mobile app's.
  HeaderFields ApiCaller(Browser& browser);
  static void SetBody(ftw::Request& request, const std::string& type, std::string body);

  Dice dice_;
  HumanText text_;
};

std::string Query(const Fields& fields) { return fields.empty() ? "" : "?" + FormBody(fields); }

BenignRequest Generator::Next() {
  static constexpr Kind kKinds[] = {
      {"page", 24, &Generator::Page},           {"asset", 14, &Generator::Asset},
      {"search", 10, &Generator::Search},       {"api_get", 15, &Generator::ApiGet},
      {"api_json", 15, &Generator::ApiJson},    {"form", 12, &Generator::Form},
      {"upload", 6, &Generator::Upload},        {"preflight", 2, &Generator::Preflight},
      {"api_delete", 2, &Generator::ApiDelete},
  };
  int total = 0;
  for (const Kind& kind : kKinds) total += kind.weight;
  int roll = dice_.Below(total);
  const Kind* chosen = &kKinds[0];
  for (const Kind& kind : kKinds) {
    if (roll < kind.weight) {
      chosen = &kind;
      break;
    }
    roll -= kind.weight;
  }
  Browser browser(dice_, std::string(dice_.Pick(kSiteHosts)));
  BenignRequest out{std::string(chosen->name), (this->*chosen->make)(browser)};
  if (out.request.version.empty()) out.request.version = "HTTP/1.1";
  return out;
}

void Generator::SetBody(ftw::Request& request, const std::string& type, std::string body) {
  request.headers.emplace_back("Content-Type", type);
  request.headers.emplace_back("Content-Length", std::to_string(body.size()));
  request.body = std::move(body);
}

std::string Generator::Campaign() {
  static constexpr string_view kSources[] = {"newsletter", "facebook", "google", "instagram",
                                             "partner_site"};
  static constexpr string_view kCampaigns[] = {"spring_sale", "black-friday-2023", "welcome",
                                               "back to school", "xmas_gifts"};
  Fields fields = {{"utm_source", std::string(dice_.Pick(kSources))},
                   {"utm_medium", dice_.Chance(50) ? "email" : "cpc"},
                   {"utm_campaign", std::string(dice_.Pick(kCampaigns))}};
  if (dice_.Chance(40)) fields.emplace_back("utm_content", "hero_banner");
  if (dice_.Chance(30)) fields.emplace_back("gclid", dice_.Alphanumeric(60) + "_BwE");
  if (dice_.Chance(20)) fields.emplace_back("fbclid", "IwAR" + dice_.Alphanumeric(50));
  return FormBody(fields);
}

std::string Generator::PagePath() {
  switch (dice_.Below(6)) {
    case 0:
      return "/";
    case 1:
      return "/c/" + text_.Category() +
             Query({{"colour", dice_.Chance(50) ? "blue" : "navy/white"},
                    {"size", std::to_string(dice_.Between(4, 12))},
                    {"sort", dice_.Chance(50) ? "price_asc" : "newest"},
                    {"page", std::to_string(dice_.Between(1, 20))}});
    case 2:
      return "/products/" + text_.Slug() + "-" + dice_.Digits(6);
    case 3:
      return "/blog/" + std::to_string(dice_.Between(2019, 2025)) + "/" +
             std::to_string(dice_.Between(10, 12)) + "/" + text_.Slug();
    case 4:
      return "/account/orders/" + dice_.Digits(8);
    default:
      return "/help/" + text_.Slug();
  }
}

ftw::Request Generator::Page(Browser& browser) {
  ftw::Request request{"GET", PagePath(), "HTTP/1.1", {}, ""};
  if (dice_.Chance(25)) {
    request.uri += (request.uri.find('?') == std::string::npos ? "?" : "&") + Campaign();
  }
  std::string referer;
  if (dice_.Chance(40)) {
    referer = "https://" + browser.host() + PagePath();
  } else if (dice_.Chance(30)) {
    referer = "https://www.google.com/";
  }
  request.headers = browser.PageHeaders(referer);
  return request;
}

ftw::Request Generator::Asset(Browser& browser) {
  struct AssetType {
    string_view directory;
    string_view extension;
    string_view accept;
  };
  static constexpr AssetType kTypes[] = {
      {"/static/css/", ".css", "text/css,*/*;q=0.1"},
      {"/static/js/", ".js", "*/*"},
      {"/static/js/chunks/", ".chunk.js", "*/*"},
      {"/images/products/", ".webp", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"},
      {"/images/", ".jpg", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"},
      {"/fonts/", ".woff2", "*/*"},
      {"/", "favicon.ico", "image/avif,image/webp,*/*"},
  };
  const AssetType& type = dice_.Pick(kTypes);
  std::string path(type.directory);
  if (type.extension != "favicon.ico") path += text_.Slug() + "." + dice_.Hex(8);
  path += type.extension;
  if (dice_.Chance(30)) path += "?v=" + dice_.Digits(10);
  if (dice_.Chance(15)) path += "?w=" + std::to_string(dice_.Between(1, 12) * 100) + "&q=75";
  ftw::Request request{"GET", path, "HTTP/1.1", {}, ""};
  request.headers =
      browser.AssetHeaders(std::string(type.accept), "https://" + browser.host() + PagePath());
  return request;
}

ftw::Request Generator::Search(Browser& browser) {
  Fields fields = {{"q", text_.SearchQuery()}};
  if (dice_.Chance(50)) fields.emplace_back("page", std::to_string(dice_.Between(1, 30)));
  if (dice_.Chance(30)) fields.emplace_back("sort", dice_.Chance(50) ? "relevance" : "price-desc");
  if (dice_.Chance(25)) fields.emplace_back("category", text_.Category());
  if (dice_.Chance(20)) fields.emplace_back("min_price", std::to_string(dice_.Between(0, 50)));
  if (dice_.Chance(20)) fields.emplace_back("max_price", std::to_string(dice_.Between(60, 500)));
  ftw::Request request{"GET", "/search" + Query(fields), "HTTP/1.1", {}, ""};
  request.headers = browser.PageHeaders("https://" + browser.host() + PagePath());
  return request;
}

HeaderFields Generator::ApiCaller(Browser& browser) {
  if (dice_.Chance(60)) return browser.ApiHeaders(true);
  return ApiClientHeaders(dice_, std::string(kApiHost));
}

ftw::Request Generator::ApiGet(Browser& browser) {
  Fields fields;
  std::string path;
  switch (dice_.Below(5)) {
    case 0:
      path = "/api/v2/orders";
      fields = {{"page", std::to_string(dice_.Between(1, 40))},
                {"per_page", dice_.Chance(50) ? "25" : "50"},
                {"sort", "-created_at"},
                {"status", dice_.Chance(50) ? "shipped" : "pending,processing"},
                {"fields", "id,total,currency,created_at,items"}};
      break;
    case 1:
      path = "/api/v1/products/" + dice_.Digits(6) + "/reviews";
      fields = {{"limit", "20"}};
      if (dice_.Chance(70)) {
        fields.emplace_back(
            "cursor", Base64Url("{\"after\":" + std::to_string(dice_.Between(1, 9999999)) + "}"));
      }
      break;
    case 2:
      path = "/api/v1/products";
      fields = {{"filter[category]", text_.Category()},
                {"filter[price][lte]", std::to_string(dice_.Between(10, 300))},
                {"include", "images,variants"},
                {"offset", std::to_string(dice_.Between(0, 20) * 24)},
                {"limit", "24"}};
      break;
    case 3:
      path = "/api/v1/search/suggest";
      fields = {{"q", text_.SearchQuery()}, {"locale", "en-IE"}};
      break;
    default:
      path = "/api/v1/stores/nearby";
      fields = {{"lat", "53.3" + dice_.Digits(4)},
                {"lng", "-6.2" + dice_.Digits(4)},
                {"radius_km", std::to_string(dice_.Between(1, 50))},
                {"open_now", "true"}};
  }
  ftw::Request request{"GET", path + Query(fields), "HTTP/1.1", ApiCaller(browser), ""};
  return request;
}

std::string Generator::JsonBody(std::string* path) {
  switch (dice_.Below(6)) {
    case 0:
      *path = "/api/v2/orders";
      return "{\"items\":[{\"sku\":\"SKU-" + dice_.Digits(5) +
             "\",\"name\":" + JsonString(text_.ProductName()) +
             ",\"qty\":" + std::to_string(dice_.Between(1, 5)) +
             ",\"unit_price\":" + text_.Amount() +
             "}],\"currency\":\"EUR\",\"shipping\":{"
             "\"name\":" +
             JsonString(text_.FullName()) + ",\"line1\":" + JsonString(text_.StreetAddress()) +
             ",\"city\":" + JsonString(text_.City()) +
             ",\"postcode\":" + JsonString(text_.Postcode()) + ",\"country\":\"" +
             text_.CountryCode() + "\",\"phone\":" + JsonString(text_.Phone()) +
             "},\"gift_message\":" + JsonString(dice_.Chance(50) ? text_.Sentence() : "") +
             ",\"newsletter\":" + (dice_.Chance(50) ? "true" : "false") + ",\"coupon\":null}";
    case 1:
      *path = "/api/v1/products/" + std::string(dice_.Chance(50) ? "reviews" : "questions");
      return "{\"product_id\":" + std::to_string(dice_.Between(100000, 999999)) +
             ",\"rating\":" + std::to_string(dice_.Between(1, 5)) +
             ",\"title\":" + JsonString(text_.ShortMessage()) +
             ",\"body\":" + JsonString(text_.Paragraph(dice_.Between(1, 5))) +
             ",\"author\":" + JsonString(text_.FullName()) + ",\"tags\":[" + JsonString(text_.Tag()) +
             "," + JsonString(text_.Tag()) + "]}";
    case 2:
      *path = "/api/v1/me/profile";
      return "{\"first_name\":" + JsonString(text_.FirstName()) +
             ",\"last_name\":" + JsonString(text_.LastName()) +
             ",\"email\":" + JsonString(text_.Email()) +
             ",\"company\":" + JsonString(text_.Company()) +
             ",\"bio\":" + JsonString(text_.Paragraph(2)) + ",\"birthday\":\"" + text_.Date() +
             "\",\"preferences\":{\"language\":\"en-IE\",\"marketing_emails\":false,"
             "\"timezone\":\"Europe/Dublin\"}}";
    case 3:
      *path = "/api/v1/conversations/" + dice_.Digits(6) + "/messages";
      return "{\"client_id\":\"" + text_.Uuid() + "\",\"text\":" +
             JsonString(dice_.Chance(50) ? text_.ShortMessage() : text_.Sentence()) +
             ",\"sent_at\":\"" + text_.IsoTimestamp() + "\"}";
    case 4:
      *path = "/api/v1/events";
      return "{\"events\":[{\"type\":\"page_view\",\"url\":\"https://shop.example.com/products/" +
             text_.Slug() + "\",\"title\":" + JsonString(text_.ProductName() + " | Example Shop") +
             ",\"ts\":17" + dice_.Digits(11) +
             ",\"viewport\":{\"w\":" + std::to_string(dice_.Between(360, 2560)) +
             ",\"h\":" + std::to_string(dice_.Between(640, 1440)) +
             "}},{\"type\":\"add_to_cart\",\"sku\":"
             "\"SKU-" +
             dice_.Digits(5) + "\",\"price\":" + text_.Amount() + "}],\"session\":\"" +
             dice_.Hex(32) + "\"}";
    default:
      *path = "/api/v2/cart/items/" + dice_.Digits(6);
      return "{\"quantity\":" + std::to_string(dice_.Between(1, 9)) + ",\"note\":" +
             JsonString(dice_.Chance(50) ? "Please gift-wrap (it's for my mum's 60th!)" : "") + "}";
  }
}

ftw::Request Generator::ApiJson(Browser& browser) {
  std::string path;
  std::string body = JsonBody(&path);
  std::string method = "POST";
  if (path.find("/profile") != std::string::npos) method = dice_.Chance(50) ? "PUT" : "PATCH";
  if (path.find("/cart/items/") != std::string::npos) method = "PATCH";
  ftw::Request request{method, path, "HTTP/1.1", ApiCaller(browser), ""};
  SetBody(request, dice_.Chance(80) ? "application/json" : "application/json; charset=utf-8",
          std::move(body));
  return request;
}

Fields Generator::FormFields(std::string* path) {
  switch (dice_.Below(6)) {
    case 0:
      *path = "/account/login";
      return {{"csrfmiddlewaretoken", dice_.Alphanumeric(64)},
              {"email", text_.Email()},
              {"password", text_.Password()},
              {"remember", "on"},
              {"next", "/account/orders"}};
    case 1:
      *path = "/account/register";
      return {{"first_name", text_.FirstName()}, {"last_name", text_.LastName()},
              {"email", text_.Email()},          {"password1", text_.Password()},
              {"phone", text_.Phone()},          {"terms", "1"}};
    case 2:
      *path = "/contact";
      return {{"name", text_.FullName()},
              {"email", text_.Email()},
              {"subject", text_.ShortMessage()},
              {"order_number", "#" + dice_.Digits(6)},
              {"message", text_.Paragraph(dice_.Between(1, 6))}};
    case 3:
      *path = "/checkout/address";
      return {{"full_name", text_.FullName()},
              {"company", text_.Company()},
              {"address1", text_.StreetAddress()},
              {"address2", ""},
              {"city", text_.City()},
              {"postcode", text_.Postcode()},
              {"country", text_.CountryCode()},
              {"phone", text_.Phone()},
              {"delivery_notes",
               dice_.Chance(50) ? "Leave with neighbour at no. 12 if I'm out" : text_.Sentence()},
              {"total", text_.Price()}};
    case 4:
      *path = "/blog/comments";
      return {{"post_id", dice_.Digits(5)},
              {"author", text_.FullName()},
              {"url", dice_.Chance(30) ? "https://www.example.net/about-me" : ""},
              {"comment", text_.Paragraph(dice_.Between(1, 4))}};
    default:
      *path = "/newsletter/subscribe";
      return {{"email", text_.Email()},
              {"name", text_.FirstName()},
              {"interests[]", "shoes"},
              {"interests[]", "sale & offers"}};
  }
}

ftw::Request Generator::Form(Browser& browser) {
  std::string path;
  const Fields fields = FormFields(&path);
  ftw::Request request{"POST", path, "HTTP/1.1", {}, ""};
  request.headers = browser.PageHeaders("https://" + browser.host() + path);
  request.headers.emplace_back("Origin", "https://" + browser.host());
  SetBody(request, "application/x-www-form-urlencoded", FormBody(fields));
  return request;
}

std::string Generator::FilePart(const std::string& boundary, std::string* name) {
  std::string type;
  std::string content;
  switch (dice_.Below(4)) {
    case 0:
      *name = "IMG_" + dice_.Digits(4) + ".jpg";
      type = "image/jpeg";
      content =
          std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00", 20) +
          dice_.Bytes(dice_.Between(2000, 30000)) + "\xff\xd9";
      break;
    case 1:
      *name = "invoice " + text_.Date() + ".pdf";
      type = "application/pdf";
      content =
          "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
          "4 0 obj\n<< /Length " +
          std::to_string(4000) + " /Filter /FlateDecode >>\nstream\n" + dice_.Bytes(4000) +
          "\nendstream\nendobj\nxref\n0 5\ntrailer\n<< /Size 5 /Root 1 0 R >>\n"
          "startxref\n" +
          dice_.Digits(4) + "\n%%EOF\n";
      break;
    case 2:
      *name = "notes.txt";
      type = "text/plain";
      content = text_.Paragraph(dice_.Between(2, 12)) + "\n";
      break;
    default:
      *name = "contacts (" + std::to_string(dice_.Between(1, 9)) + ").csv";
      type = "text/csv";
      content = "name,email,phone,city\n";
      for (int i = dice_.Between(3, 40); i > 0; --i) {
        content += "\"" + text_.FullName() + "\"," + text_.Email() + "," + text_.Phone() + "," +
                   text_.City() + "\n";
      }
  }
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         *name + "\"\r\nContent-Type: " + type + "\r\n\r\n" + content + "\r\n";
}

ftw::Request Generator::Upload(Browser& browser) {
  const std::string boundary = "----WebKitFormBoundary" + dice_.Alphanumeric(16);
  const auto field = [&boundary](const std::string& name, const std::string& value) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
           value + "\r\n";
  };
  std::string file_name;
  std::string body = field("title", text_.ShortMessage());
  body += field("description", text_.Paragraph(dice_.Between(1, 3)));
  body += FilePart(boundary, &file_name);
  if (dice_.Chance(30)) body += field("visibility", "private");
  body += "--" + boundary + "--\r\n";
  ftw::Request request{
      "POST", dice_.Chance(50) ? "/account/documents" : "/api/v1/uploads", "HTTP/1.1", {}, ""};
  request.headers = browser.PageHeaders("https://" + browser.host() + "/account/documents");
  request.headers.emplace_back("Origin", "https://" + browser.host());
  SetBody(request, "multipart/form-data; boundary=" + boundary, std::move(body));
  return request;
}

ftw::Request Generator::Preflight(Browser& browser) {
  ftw::Request request{"OPTIONS", "/api/v1/events", "HTTP/1.1", {}, ""};
  request.headers = {{"Host", std::string(kApiHost)},
                     {"Accept", "*/*"},
                     {"Access-Control-Request-Method", dice_.Chance(50) ? "POST" : "PUT"},
                     {"Access-Control-Request-Headers", "content-type,x-csrf-token"},
                     {"Origin", "https://" + browser.host()},
                     {"Sec-Fetch-Mode", "cors"},
                     {"User-Agent", browser.user_agent()}};
  return request;
}

ftw::Request Generator::ApiDelete(Browser& browser) {
  ftw::Request request{"DELETE", "/api/v2/cart/items/" + dice_.Digits(6), "HTTP/1.1",
                       ApiCaller(browser), ""};
  return request;
}

}  // namespace

std::vector<BenignRequest> GenerateBenignCorpus(uint64_t seed, int count) {
  Generator generator(seed);
  std::vector<BenignRequest> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) out.push_back(generator.Next());
  return out;
}

}  // namespace gatehouse::crs_conformance::benign
